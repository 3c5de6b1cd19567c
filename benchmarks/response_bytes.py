"""Bytes the server sends back for one filter click, per page; prints, asserts nothing.

Usage:
    .venv/bin/python -m benchmarks.response_bytes [--database-url URL]

Without a URL it builds the normal data set into a temporary SQLite file (about 10 s). Through
Flask's test client, each page's callbacks that take the filters are posted as the browser posts
them after a locality change (the first locality of the default scheme; the page's own controls
at their defaults), and the response bodies are added up: raw, and gzip-compressed at level 6
(what Flask-Compress sends a browser that offers only gzip). Then, for the same click, the
table of every chart card is fetched the way opening its disclosure does, for comparison.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from pathlib import Path

from dashboard import ids
from dashboard.application import create_app
from dashboard.config import DATA_DIR, SHIPPED_BOUNDARIES, Settings
from dashboard.db.engine import make_engine
from dashboard.db.loader import init_db
from dashboard.db.repository import Repository
from dashboard.filters import Filters
from tests.support.callbacks import CALLBACK_PATH, filter_click_posts, server_callbacks

ORIGIN_TYPE = "chart-origin"  # ids.CHART_ORIGIN_TYPE, spelt out so the script also runs on
# the code before the change, which had no origins
PAGES = ("/", "/reach", "/short-breaks", "/funding", "/investment", "/targets")


def click_bytes(app, path: str, filters: Filters) -> tuple[int, int, list[dict]]:
    """Raw and gzip bytes of the page callbacks' responses, and every chart origin in them."""
    client = app.server.test_client()
    client.get(path)
    raw = packed = 0
    origins: list[dict] = []
    for _output, request in filter_click_posts(app, path, filters.to_dict()):
        response = client.post(CALLBACK_PATH, json=request)
        data = response.get_data()
        raw += len(data)
        packed += len(gzip.compress(data, compresslevel=6))
        origins += _origins(json.loads(data)) if response.status_code == 200 else []
    return raw, packed, origins


def _origins(value) -> list[dict]:
    """Every chart card's (chart origin id, data) in a callback response."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props", {})
            if isinstance(props.get("id"), dict) and props["id"].get("type") == ORIGIN_TYPE:
                found.append({"id": props["id"], "data": props.get("data")})
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def table_bytes(app, origins: list[dict]) -> tuple[int, int]:
    """Raw and gzip bytes of opening every card's table once."""
    client = app.server.test_client()
    output = next(
        key
        for key, callback in server_callbacks(app).items()
        if callback.outputs[0][0] == ids.chart_part(ids.TABLE_TYPE, ["MATCH"])
    )
    raw = packed = 0
    for origin in origins:
        table = ids.chart_part(ids.TABLE_TYPE, origin["id"]["chart"])
        disclosure = ids.chart_part(ids.TABLE_DISCLOSURE_TYPE, origin["id"]["chart"])
        request = {
            "output": output,
            "outputs": {"id": table, "property": "children"},
            "inputs": [{"id": disclosure, "property": "open", "value": True}],
            "state": [{"id": origin["id"], "property": "data", "value": origin["data"]}],
            "changedPropIds": [],
        }
        data = client.post(CALLBACK_PATH, json=request).get_data()
        raw += len(data)
        packed += len(gzip.compress(data, compresslevel=6))
    return raw, packed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url
        if not url:
            url = f"sqlite:///{Path(folder) / 'bytes.sqlite'}"
            engine = make_engine(url)
            init_db(engine, DATA_DIR)
            engine.dispose()
        settings = Settings(
            database_url=url,
            boundaries_path=SHIPPED_BOUNDARIES,
            environment="test",
            secret_key="response-bytes-benchmark",
        )
        app = create_app(settings)
        reference = Repository(make_engine(url)).reference().filter_choices()
        scheme, places = next((s, p) for s, p in reference.localities.items() if p)
        click = Filters(scheme, next(iter(places)))
        print(f"one locality change ({scheme}: {click.locality}); bytes of the page callbacks")
        print(f"{'page':<14} {'raw':>10} {'gzip':>9} {'charts':>7} {'tables raw':>11}")
        for path in PAGES:
            raw, packed, origins = click_bytes(app, path, click)
            tables = table_bytes(app, origins)[0] if origins else 0
            print(f"{path:<14} {raw:>10,} {packed:>9,} {len(origins):>7} {tables:>11,}")


if __name__ == "__main__":
    main()
