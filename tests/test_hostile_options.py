"""Hostile options and side files (issue #15, classes 7-9): limit flags, method folders, results JSON given to compare.

Each case checks the promise of docs/security.md: a clear message naming the
flag, file and key (or JSON path), exit code 2, no traceback, nothing written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
SAMPLE = SAMPLES / "riverside-retrofit.json"


def _refused(args: list[str], *phrases: str, written: Path | None = None) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    for p in phrases:
        assert p in res.output
    if written is not None:
        assert not written.exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1"])
@pytest.mark.parametrize("flag", ["--max-file-mb", "--max-uncompressed-mb"])
def test_limit_flags_must_be_finite_and_positive(tmp_path, flag, value):
    """A limit of NaN, infinity, zero or less is refused, naming the flag, before anything is read or written."""
    out = tmp_path / "r.json"
    _refused(["assess", str(SAMPLE), "--json", str(out), flag, value], flag, written=out)


@pytest.mark.parametrize("flag", ["--max-rows", "--max-text"])
def test_count_limits_must_be_positive(tmp_path, flag):
    out = tmp_path / "r.json"
    _refused(["assess", str(SAMPLE), "--json", str(out), flag, "0"], flag, written=out)


def _method(tmp_path: Path, module: str, old: str, new: str) -> Path:
    folder = tmp_path / "method"
    shutil.copytree(ROOT / "modules", folder)
    path = folder / module
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_method_weight_beyond_the_bound_is_refused(tmp_path):
    """Weights of 1e308 used to overflow every score to null and rate 'leading'; now the file and key are named."""
    folder = _method(tmp_path, "01-green-buildings-energy.toml", "\nweight = ", "\nweight = 1e308 #")
    out = tmp_path / "r.json"
    _refused(["assess", str(SAMPLE), "--json", str(out), "--method", str(folder)], "01-green-buildings-energy.toml", "weight", written=out)


def test_method_nan_threshold_is_refused(tmp_path):
    folder = _method(tmp_path, "01-green-buildings-energy.toml", "\nfull_points_at = ", "\nfull_points_at = nan #")
    _refused(["validate", str(SAMPLE), "--method", str(folder)], "01-green-buildings-energy.toml", "full_points_at", "finite")


def test_method_nesting_is_bounded(tmp_path):
    folder = tmp_path / "method"
    shutil.copytree(ROOT / "modules", folder)
    deep = "x = " + "[" * 40 + "1" + "]" * 40 + "\n"
    (folder / "method.toml").write_text(deep + (ROOT / "modules" / "method.toml").read_text(encoding="utf-8"), encoding="utf-8")
    _refused(["validate", str(SAMPLE), "--method", str(folder)], "method.toml", "nested deeper")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("res") / "results.json"
    assert runner.invoke(app, ["assess", str(SAMPLE), "--json", str(out), "-q"]).exit_code == 0
    return out


def test_compare_refuses_a_tampered_results_json(tmp_path, results):
    """A results JSON with a text where a number belongs and a missing key: each named by file and JSON path."""
    data = json.loads(results.read_text(encoding="utf-8"))
    data["emissions"]["gross_tco2e_per_year"] = "lots"
    del data["overall"]["score"]
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "c.html"
    _refused(
        ["compare", str(bad), str(results), "-o", str(out)],
        "tampered.json: $.emissions.gross_tco2e_per_year",
        "tampered.json: $.overall.score",
        written=out,
    )


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_compare_refuses_non_finite_numbers(tmp_path, results, constant):
    text = results.read_text(encoding="utf-8")
    key = '"net_tco2e_per_year": '
    start = text.index(key) + len(key)
    end = text.index(",", start)
    bad = tmp_path / "nan.json"
    bad.write_text(text[:start] + constant + text[end:], encoding="utf-8")
    out = tmp_path / "c.html"
    _refused(["compare", str(bad), str(results), "-o", str(out)], "nan.json", constant, written=out)
