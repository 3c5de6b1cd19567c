"""Command line: init-db, import, template, users, demo-data and boundaries (see ``--help``)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard import demo, geo
from dashboard.config import DATA_DIR, INSTANCE_DIR, ConfigError, Settings, masked_url
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.seed_files import SeedDataError, read_seed_data


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
    importer.add_argument("--user", default="command-line", help="name recorded in the audit log")
    template = commands.add_parser("template", help="write the monitoring return template")
    template.add_argument("--out", type=Path, required=True, help="a .xlsx or .csv file")
    users = commands.add_parser("users", help="manage staff accounts")
    user_commands = users.add_subparsers(dest="action", required=True)
    add_user = user_commands.add_parser("add", help="add a user (password read from the terminal)")
    add_user.add_argument("username")
    add_user.add_argument("--role", required=True, choices=["viewer", "uploader", "admin"])
    add_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    boundaries = commands.add_parser("boundaries", help="fetch or check district boundaries")
    boundary_commands = boundaries.add_subparsers(dest="action", required=True)
    boundary_commands.add_parser("fetch", help="download current ONS boundaries into instance/")
    check = boundary_commands.add_parser("check", help="validate a boundary file")
    check.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        return _run(args)
    except (ConfigError, SeedDataError, geo.BoundaryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"error: {_database_error(exc)}", file=sys.stderr)
        return 2


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
        return _import(args.file, dry_run=args.dry_run, user=args.user)
    if args.command == "template":
        return _template(args.out)
    if args.command == "users":
        return _add_user(args.username, args.role, from_stdin=args.password_stdin)
    if args.action == "fetch":
        path = geo.fetch_boundaries(INSTANCE_DIR)
        print(f"Wrote {path}. It is used automatically when CARERS_BOUNDARIES is not set.")
        return 0
    print(geo.format_report(geo.check_boundaries(args.file)))
    return 0


def _import(path: Path, *, dry_run: bool, user: str) -> int:
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
        max_bytes=settings.max_upload_bytes,
    )
    if report.problems:
        print(f"{report.headline} in {path.name}; nothing was loaded:", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    for notice in report.notices:
        print(f"note: {notice}")
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


def _add_user(username: str, role: str, *, from_stdin: bool) -> int:
    import getpass

    from dashboard.security import UserError, create_user

    password = sys.stdin.readline().rstrip("\n") if from_stdin else getpass.getpass("Password: ")
    try:
        create_user(make_engine(Settings.from_env().database_url), username, password, role)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Added {username} ({role}).")
    return 0


def _write_demo(rows: int, out: Path) -> int:
    seed_data = read_seed_data(DATA_DIR)
    base = len(demo.generate(seed_data).observations)
    scale = max(1, -(-rows // base))
    observations = demo.generate(seed_data, scale=scale).observations
    out.parent.mkdir(parents=True, exist_ok=True)
    observations.assign(status="demo", source_id=demo.SOURCE).to_csv(out, index=False)
    print(f"Wrote {len(observations):,} demo rows to {out} (scale {scale}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
