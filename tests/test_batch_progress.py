"""Progress a person and a scheduler can read (issue #21 item 3): done / failed / remaining, inputs per minute and
an estimated finish time; with --json-progress one JSON line per event on standard output."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from assessment.cli import app
from assessment.portfolio.batch import progress_figures
from tests.conftest import varied_inputs

runner = CliRunner()


def test_rate_and_finish_time_by_hand():
    """7 done + 1 failed of 20 in 240 s: 8 / 240 s x 60 = 2.0 inputs a minute; 12 left / 2.0 a minute = 6 minutes,
    so 10:00:00 + 6 min = 10:06:00."""
    now = dt.datetime(2026, 1, 1, 10, 0, 0, tzinfo=dt.timezone.utc)
    fig = progress_figures(7, 1, 20, 240.0, now)
    assert fig == {"done": 7, "failed": 1, "remaining": 12, "total": 20, "per_minute": 2.0, "eta": "2026-01-01T10:06:00+00:00"}


def test_no_rate_before_the_first_input_finishes():
    fig = progress_figures(0, 0, 5, 0.0, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert fig["per_minute"] is None and fig["eta"] is None and fig["remaining"] == 5


def test_json_progress_prints_one_line_per_event(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    varied_inputs(src, 2)
    (src / "zz-broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--no-pdf", "--jobs", "1", "--date", "2026-01-01", "--json-progress"])
    assert res.exit_code == 1, res.output
    lines = [line for line in res.stdout.splitlines() if line.startswith("{")]
    events = [json.loads(line) for line in lines]
    assert [e["event"] for e in events] == ["start", "done", "done", "failed", "finish"], lines
    assert events[0] == {"event": "start", "total": 3, "skipped": 0, "todo": 3, "jobs": 1}
    assert [e["remaining"] for e in events[1:4]] == [2, 1, 0]
    assert events[3]["input"].endswith("zz-broken.json") and events[3]["messages"]
    assert all(e["per_minute"] > 0 and e["eta"] for e in events[1:4])
    assert events[-1]["done"] == 2 and events[-1]["failed"] == 1 and events[-1]["outputs"] == ["portfolio.xlsx", "portfolio.pdf"]


def test_resume_reports_what_it_keeps(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    varied_inputs(src, 2)
    out = tmp_path / "out"
    args = ["batch", str(src), "-o", str(out), "--no-pdf", "--jobs", "1", "--date", "2026-01-01"]
    assert runner.invoke(app, args + ["-q"]).exit_code == 0
    res = runner.invoke(app, args + ["--resume", "--json-progress"])
    events = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert res.exit_code == 0 and events[0]["skipped"] == 2 and events[0]["todo"] == 0
    assert [e["event"] for e in events] == ["start", "finish"]
