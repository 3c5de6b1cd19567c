"""benchmarks.responses compare: the same figures in another key order agree; a changed figure
is named."""

from __future__ import annotations

import json

from benchmarks.responses import compare


def _save(path, responses: dict) -> None:
    path.write_text(json.dumps({key: [200, json.dumps(value)] for key, value in responses.items()}))


def test_responses_agree_whatever_the_key_order_and_export_signatures(tmp_path, capsys):
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    _save(before, {"reach#0": {"figure": {"y": [1, 2]}, "link": {"signature": "ab12"}}})
    _save(after, {"reach#0": {"link": {"signature": "ff00"}, "figure": {"y": [1, 2]}}})
    assert compare(before, after) == 0
    assert "1 responses in both, 0 differ" in capsys.readouterr().out


def test_a_changed_figure_is_named(tmp_path, capsys):
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    _save(before, {"reach#0": {"y": [1, 2]}, "targets#0": {"y": [3]}})
    _save(after, {"reach#0": {"y": [1, 2]}, "targets#0": {"y": [4]}})
    assert compare(before, after) == 1
    assert "targets#0" in capsys.readouterr().out
