"""Command line: init-db, import, template, users, demo-data, boundaries, export-pack.

Each command imports what it needs when it runs, so `users list` never loads geopandas or Dash.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard.config import (
    DATA_DIR,
    INSTANCE_DIR,
    SHIPPED_BOUNDARIES,
    ConfigError,
    Settings,
    masked_url,
)
from dashboard.db import models
from dashboard.db.engine import make_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-db", help="create the schema and load data/ (idempotent)")
    init.add_argument("--force", action="store_true", help="reload even if this version is loaded")
    demo_parser = commands.add_parser("demo-data", help="write a large demo data set (benchmarks)")
    demo_parser.add_argument("--rows", type=int, required=True, help="approximate number of rows")
    demo_parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    importer = commands.add_parser("import", help="validate and load a monitoring return")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="check only; load nothing")
    importer.add_argument(
        "--accept-warnings",
        action="store_true",
        help="load even though some values are unusual (after checking them)",
    )
    importer.add_argument("--user", default="command-line", help="name recorded in the audit log")
    template = commands.add_parser("template", help="write the monitoring return template")
    template.add_argument("--out", type=Path, required=True, help="a .xlsx or .csv file")
    users = commands.add_parser("users", help="manage staff accounts")
    user_commands = users.add_subparsers(dest="action", required=True)
    add_user = user_commands.add_parser("add", help="add a user (password read from the terminal)")
    add_user.add_argument("username")
    add_user.add_argument("--role", required=True, choices=models.ROLES)
    user_commands.add_parser("list", help="list users with role and state (never passwords)")
    deactivate = user_commands.add_parser("deactivate", help="stop a user signing in, at once")
    deactivate.add_argument("username")
    set_role = user_commands.add_parser("set-role", help="change a user's role, at once")
    set_role.add_argument("username")
    set_role.add_argument("role", choices=models.ROLES)
    reset = user_commands.add_parser("reset-password", help="set a new password, at once")
    reset.add_argument("username")
    for needs_password in (add_user, reset):
        needs_password.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
    boundaries = commands.add_parser("boundaries", help="fetch or check district boundaries")
    boundary_commands = boundaries.add_subparsers(dest="action", required=True)
    boundary_commands.add_parser("fetch", help="download current ONS boundaries into instance/")
    build = boundary_commands.add_parser(
        "build", help="make the shipped district file from an ONS boundary file on disk"
    )
    build.add_argument("source", type=Path, help="ONS district boundaries (any CRS or format)")
    build.add_argument("--out", type=Path, default=SHIPPED_BOUNDARIES, help="file to write")
    check = boundary_commands.add_parser("check", help="validate a boundary file")
    check.add_argument("file", type=Path)
    pack = commands.add_parser("export-pack", help="write the meeting pack PDF and PNG ZIP")
    pack.add_argument("--out", type=Path, required=True, help="folder to write into")
    for name in ("scheme", "locality", "care-group", "period"):
        pack.add_argument(f"--{name}", default="", help=f"the {name.replace('-', ' ')} filter")
    pack.add_argument("--pages", default="", help="comma-separated pages (default: all)")
    pack.add_argument(
        "--view",
        default="",
        help="page controls as in a link, e.g. 'formula=mix&uplift=20' (the planner's scenario)",
    )
    pack.add_argument(
        "--base-url",
        default="http://127.0.0.1:8050",
        help="address of the dashboard, for the links that reopen each view",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        return _run(args)
    except SQLAlchemyError as exc:
        print(f"error: {_database_error(exc)}", file=sys.stderr)
        return 2
    except _input_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _input_errors() -> tuple[type[Exception], ...]:
    """Errors that are the user's input or setup, reported in one line (imported only then)."""
    from dashboard.db.seed_files import SeedDataError
    from dashboard.geo import BoundaryError

    return ConfigError, SeedDataError, BoundaryError


def _database_error(exc: SQLAlchemyError) -> str:
    """One sentence naming the database (password hidden) and the driver's first line."""
    url = Settings.from_env().database_url
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    password = make_url(url).password
    text = detail[0] if detail else exc.__class__.__name__
    text = text.replace(password, "***") if password else text
    return f"the database at {masked_url(url)} cannot be used: {text}"


def _run(args: argparse.Namespace) -> int:
    if args.command == "init-db":
        from dashboard.db.loader import init_db

        settings = Settings.from_env()
        result = init_db(make_engine(settings.database_url), DATA_DIR, force=args.force)
        state = "loaded" if result.changed else "already loaded"
        print(f"Data version {result.data_version} {state}.")
        for table, count in result.counts.items():
            print(f"  {table:<18} {count:>9,}")
        return 0
    if args.command == "demo-data":
        return _write_demo(args.rows, args.out)
    if args.command == "import":
        return _import(
            args.file, dry_run=args.dry_run, accept_warnings=args.accept_warnings, user=args.user
        )
    if args.command == "template":
        return _template(args.out)
    if args.command == "export-pack":
        return _export_pack(args)
    if args.command == "users":
        return _users(args)
    from dashboard import boundary_files

    if args.action == "fetch":
        path = boundary_files.fetch_boundaries(INSTANCE_DIR)
        print(f"Wrote {path}. It is used automatically when CARERS_BOUNDARIES is not set.")
        return 0
    if args.action == "build":
        path = boundary_files.build_boundaries(args.source, args.out)
        print(f"Wrote {path}.")
        print(boundary_files.format_report(boundary_files.check_boundaries(path)))
        return 0
    print(boundary_files.format_report(boundary_files.check_boundaries(args.file)))
    return 0


def _import(path: Path, *, dry_run: bool, accept_warnings: bool, user: str) -> int:
    from dashboard.db.repository import Repository
    from dashboard.importing import import_file

    settings = Settings.from_env()
    repo = Repository(make_engine(settings.database_url))
    if not path.is_file():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    report = import_file(
        repo.engine,
        repo.reference(),
        path.read_bytes(),
        path.name,
        username=user,
        dry_run=dry_run,
        accept_warnings=accept_warnings,
        max_bytes=settings.max_upload_bytes,
    )
    if report.problems:
        print(f"{report.headline} in {path.name}; nothing was loaded:", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if report.needs_confirmation:
        print(f"{report.headline} in {path.name}; nothing was loaded:", file=sys.stderr)
        for warning in report.warnings:
            print(f"  {warning}", file=sys.stderr)
        print(
            "Check these values; if they are right, run the import again with --accept-warnings.",
            file=sys.stderr,
        )
        return 1
    for notice in report.notices:
        print(f"note: {notice}")
    for warning in report.warnings:
        print(f"unusual value {'accepted' if report.loaded else 'to confirm'}: {warning}")
    print(report.summary)
    print(report.headline)
    return 0


def _template(out: Path) -> int:
    from dashboard.db.repository import Repository
    from dashboard.returns.template import write_template_csv, write_template_xlsx
    from dashboard.returns.vocabulary import ReturnVocabulary

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        write_template_csv(out)
    elif out.suffix.lower() == ".xlsx":
        repo = Repository(make_engine(Settings.from_env().database_url))
        write_template_xlsx(out, ReturnVocabulary.from_reference(repo.reference()))
    else:
        print("error: --out must end in .xlsx or .csv", file=sys.stderr)
        return 2
    print(f"Wrote {out}.")
    return 0


def _users(args: argparse.Namespace) -> int:
    from dashboard import accounts

    engine = make_engine(Settings.from_env().database_url)
    try:
        if args.action == "list":
            _print_users(accounts.list_users(engine))
            return 0
        if args.action == "add":
            account = accounts.create_user(
                engine, args.username, _read_password(args.password_stdin), args.role
            )
            print(f"Added {account.username} ({account.role}).")
        elif args.action == "deactivate":
            account = accounts.deactivate_user(engine, args.username)
            print(f"Deactivated {account.username}; their sessions have ended.")
        elif args.action == "set-role":
            account = accounts.set_role(engine, args.username, args.role)
            print(f"{account.username} is now {account.role}; their sessions have ended.")
        else:
            password = _read_password(args.password_stdin)
            account = accounts.reset_password(engine, args.username, password)
            print(f"New password set for {account.username}; their sessions have ended.")
    except accounts.UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _read_password(from_stdin: bool) -> str:
    import getpass

    return sys.stdin.readline().rstrip("\n") if from_stdin else getpass.getpass("Password: ")


def _print_users(users) -> None:
    if not users:
        print("No users yet: add one with `users add NAME --role admin`.")
        return
    width = max(len("user"), *(len(user.username) for user in users))
    print(f"{'user':<{width}}  {'role':<8}  {'state':<11}  created (UTC)")
    for user in users:
        state = "active" if user.active else "deactivated"
        created = user.created_at.strftime("%Y-%m-%d %H:%M")
        print(f"{user.username:<{width}}  {user.role:<8}  {state:<11}  {created}")


def _export_pack(args: argparse.Namespace) -> int:
    from dashboard import theme
    from dashboard.application import create_repository
    from dashboard.db.engine import DatabaseUnavailable
    from dashboard.filters import Filters, parse_query, to_query
    from dashboard.meeting_pack import PAGES, build_pack
    from dashboard.rendering import RenderingUnavailable

    pages = [page.strip() for page in args.pages.split(",") if page.strip()] or list(PAGES)
    unknown = [page for page in pages if page not in PAGES]
    if unknown:
        print(
            f"error: unknown page {unknown[0]!r}; choose from {', '.join(PAGES)}", file=sys.stderr
        )
        return 2
    theme.register_template()
    for chatty in ("kaleido", "choreographer", "logistro"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    settings = Settings.from_env()
    repo = create_repository(settings)
    try:
        repo.check_available()
    except DatabaseUnavailable as exc:  # includes NoDashboardData
        print(f"error: {masked_url(settings.database_url)}: {exc}", file=sys.stderr)
        return 2
    requested = Filters(
        args.scheme or "cas-2013",
        args.locality or None,
        args.care_group or None,
        args.period or None,
    )
    filters, notices = parse_query(to_query(requested), repo.reference().filter_choices())
    if notices:
        for notice in notices:
            print(f"error: {notice}", file=sys.stderr)
        return 2

    def report(done: int, total: int, title: str) -> None:
        print(f"[{done}/{total}] {title}", flush=True)

    try:
        result = build_pack(
            repo,
            filters,
            args.out,
            base_url=args.base_url,
            pages=pages,
            progress=report,
            view_query=args.view,
        )
    except RenderingUnavailable as problem:
        print(f"error: the meeting pack could not be made: {problem}", file=sys.stderr)
        return 1
    print(f"Wrote {result.pdf} and {result.zip} ({result.charts} charts and tables).")
    return 0


def _write_demo(rows: int, out: Path) -> int:
    from dashboard import benchmark_data, demo
    from dashboard.db.seed_files import read_seed_data

    seed_data = read_seed_data(DATA_DIR)
    observations = benchmark_data.build(seed_data, benchmark_data.Size(rows)).observations
    out.parent.mkdir(parents=True, exist_ok=True)
    observations.assign(status="demo", source_id=demo.SOURCE).to_csv(out, index=False)
    print(f"Wrote {len(observations):,} demo rows to {out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
