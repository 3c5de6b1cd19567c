"""The throwaway PostgreSQL server from tests/support/postgres.py is real and cleans up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.postgres import find_postgres_bin_dir, running_postgres

pytestmark = pytest.mark.postgres

URL_RE = re.compile(r"^postgresql\+psycopg://(\w+)@127\.0\.0\.1:(\d+)/(\w+)$")


def test_server_is_real_postgres_and_sqlalchemy_works() -> None:
    with running_postgres(dbname="kent_test") as url:
        match = URL_RE.match(url)
        assert match, url
        assert match.group(3) == "kent_test"
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                version = conn.execute(sa.text("select version()")).scalar_one()
                assert version.startswith("PostgreSQL "), version
                assert conn.execute(sa.text("select current_database()")).scalar_one() == (
                    "kent_test"
                )
                # Bound to loopback TCP, not a unix socket.
                assert conn.execute(sa.text("select inet_server_addr()::text")).scalar_one() == (
                    "127.0.0.1/32"
                )

            metadata = sa.MetaData()
            carers = sa.Table(
                "carers",
                metadata,
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("district", sa.String(50), nullable=False),
                sa.Column("hours", sa.Numeric(6, 1)),
            )
            metadata.create_all(engine)
            with engine.begin() as conn:
                conn.execute(
                    carers.insert(),
                    [
                        {"district": "Ashford", "hours": 20.5},
                        {"district": "Dover", "hours": 35},
                        {"district": "Ashford", "hours": 10},
                    ],
                )
            with engine.connect() as conn:
                rows = conn.execute(
                    sa.select(carers.c.district, sa.func.sum(carers.c.hours))
                    .group_by(carers.c.district)
                    .order_by(carers.c.district)
                ).all()
            assert [(d, float(h)) for d, h in rows] == [("Ashford", 30.5), ("Dover", 35.0)]
            assert sa.inspect(engine).get_table_names() == ["carers"]
        finally:
            engine.dispose()


def test_server_is_stopped_and_removed_on_exit() -> None:
    with running_postgres() as url:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            data_dir = Path(conn.execute(sa.text("show data_directory")).scalar_one())
        engine.dispose()
        assert data_dir.is_dir()

    assert not data_dir.exists()
    assert not data_dir.parent.exists()
    engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with pytest.raises(sa.exc.OperationalError):
            engine.connect().close()
    finally:
        engine.dispose()


def test_missing_binaries_raise_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"missing: initdb, pg_ctl, postgres"):
        find_postgres_bin_dir(tmp_path)
    with pytest.raises(RuntimeError, match=r"postgresql"), running_postgres(bin_dir=tmp_path):
        pass
