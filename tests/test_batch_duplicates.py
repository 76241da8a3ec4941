"""nzn batch refuses two inputs that are the same neighbourhood (issue #18 item 7): the same neighbourhood id and
reporting year would be counted twice in the portfolio (ranked 1 and 2, its residents and tCO2e summed twice)."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from assessment.cli import app
from assessment.portfolio.batch import duplicate_identities, identify
from tests.conftest import SAMPLES, sample_copy

runner = CliRunner()


def test_the_english_and_chinese_copies_of_one_neighbourhood_are_refused_naming_both(tmp_path):
    """sample_inputs holds Riverside in English and in Chinese, both cn-cd-riverside 2024: exit 2, nothing written."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("riverside-retrofit.json", "riverside-retrofit-zh.json", "harbourside-newbuild.json"):
        shutil.copy(SAMPLES / name, src / name)
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--no-pdf", "--jobs", "1", "-q"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())  # Rich wraps long lines
    assert "riverside-retrofit.json" in text and "riverside-retrofit-zh.json" in text, text
    assert "cn-cd-riverside" in text and "2024" in text
    assert "harbourside-newbuild.json" not in text, "the input that is not duplicated is not named"
    assert not out.exists(), "nothing is written, not even the output folder"


def test_the_same_id_in_another_year_is_another_assessment(tmp_path):
    """Duplicates are id and year together: the same place reported for 2024 and for 2025 is two assessments."""
    import json

    a = sample_copy("harbourside-newbuild", tmp_path / "a.json", "x")
    data = json.loads(a.read_text(encoding="utf-8"))
    data["profile"]["reporting_year"] += 1
    b = tmp_path / "b.json"
    b.write_text(json.dumps(data), encoding="utf-8")
    c = tmp_path / "c.json"
    shutil.copy(a, c)
    paths = [a, b, c]
    idents = [identify(str(p)) for p in paths]
    assert idents[0] == ("gb-harbourside-x", 2025) and idents[1] == ("gb-harbourside-x", 2026)
    assert duplicate_identities(paths, idents) == [(("gb-harbourside-x", 2025), [a, c])]


def test_an_unreadable_input_is_not_taken_for_a_duplicate(tmp_path):
    """Two broken files have no identity: they are assessed (and reported as failed), not refused as duplicates."""
    for name in ("x.json", "y.json"):
        (tmp_path / name).write_text("{not json", encoding="utf-8")
    assert identify(str(tmp_path / "x.json")) is None
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(tmp_path / "x.json"), str(tmp_path / "y.json"), "-o", str(out), "--no-pdf", "--jobs", "1", "-q"])
    assert res.exit_code == 1, res.output
    assert (out / "portfolio.xlsx").exists()


def test_identities_read_in_worker_processes_are_the_same_as_in_one(tmp_path):
    """With many inputs the identities are read in parallel (identify_all forks ``jobs`` readers): same answer, in order."""
    from assessment.portfolio.batch import identify_all
    from tests.conftest import varied_inputs

    paths = [str(p) for p in varied_inputs(tmp_path, 8)]
    assert identify_all(paths, 2) == [identify(p) for p in paths]
    assert len(set(identify_all(paths, 2))) == 8
