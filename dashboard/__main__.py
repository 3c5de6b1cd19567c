"""Command line: init-db, demo-data, and boundaries fetch / check (see ``--help``)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from dashboard import demo, geo
from dashboard.config import DATA_DIR, INSTANCE_DIR, ConfigError, Settings
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
    if args.action == "fetch":
        path = geo.fetch_boundaries(INSTANCE_DIR)
        print(f"Wrote {path}. It is used automatically when CARERS_BOUNDARIES is not set.")
        return 0
    print(geo.format_report(geo.check_boundaries(args.file)))
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
