"""nzn batch survives what would end it (issue #15 class 6): a worker that crashes, names that collide with the
portfolio files, an output folder that holds inputs."""

from __future__ import annotations

import json
import os
import shutil

from typer.testing import CliRunner

from assessment.cli import app
from assessment.portfolio import batch
from tests.conftest import SAMPLES, sample_copy

runner = CliRunner()
REAL_ASSESS_ONE = batch.assess_one


def crashing_assess_one(path, outdir, name, **options):
    """Stands in for a native abort of the worker (what a reader bug or the OS's out-of-memory killer does)."""
    if "crash" in name:
        os.abort()
    return REAL_ASSESS_ONE(path, outdir, name, **options)


def test_a_crashing_input_is_recorded_and_the_others_are_assessed(tmp_path, monkeypatch):
    """Two good inputs and one that kills its worker: both good reports and the portfolio are written, exit 1."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "riverside-retrofit.json", src / "a-riverside.json")
    shutil.copy(SAMPLES / "harbourside-newbuild.json", src / "b-harbourside.json")
    sample_copy("harbourside-newbuild", src / "crash.json", "crash")
    monkeypatch.setattr(batch, "assess_one", crashing_assess_one)  # the forked workers inherit it
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--jobs", "2", "--no-pdf", "--date", "2026-01-01", "-q"])
    assert res.exit_code == 1, res.output
    assert "ended abruptly" in res.output and "crash.json" in res.output
    for name in ("a-riverside", "b-harbourside"):
        assert json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["profile"]["neighbourhood_id"]
    assert (out / "portfolio.pdf").exists() and (out / "portfolio.xlsx").exists()
    assert not (out / "crash.json").exists() and not list(out.glob("*.part"))


def test_an_input_named_portfolio_never_takes_the_portfolio_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "harbourside-newbuild.json", src / "portfolio.json")
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--jobs", "1", "--no-pdf", "--date", "2026-01-01", "-q"])
    assert res.exit_code == 0, res.output
    assert (out / "portfolio-2.json").exists()
    assert (out / "portfolio.pdf").exists() and (out / "portfolio.xlsx").exists()


def test_an_output_folder_holding_inputs_never_overwrites_one(tmp_path):
    """The input a.json would be replaced by the report JSON of a.json: refused before anything is assessed."""
    shutil.copy(SAMPLES / "harbourside-newbuild.json", tmp_path / "a.json")
    before = (tmp_path / "a.json").read_bytes()
    res = runner.invoke(app, ["batch", str(tmp_path), "-o", str(tmp_path), "--jobs", "1", "-q"])
    assert res.exit_code == 2 and "a.json" in res.output
    assert (tmp_path / "a.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
