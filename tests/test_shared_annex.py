"""Lean reports for large runs (issue #21 item 4): --shared-annex leaves the annex out of each neighbourhood's PDF
and writes what is the same for all of them once, as annex.pdf beside the portfolio."""

from __future__ import annotations

import json

from pypdf import PdfReader
from typer.testing import CliRunner

from assessment.cli import app
from assessment.pipeline import assess_file
from assessment.report import report_html
from tests.conftest import SAMPLES, varied_inputs

runner = CliRunner()
TRACE = "Traceability: each line to its input cell"


def test_the_annex_flag_leaves_out_the_annex_and_nothing_else(method):
    _loaded, result = assess_file(SAMPLES / "harbourside-newbuild.json")
    full = report_html(result, method, "x.json", "2026-01-01")
    lean = report_html(result, method, "x.json", "2026-01-01", annex=False)
    assert 'id="annex"' in full and TRACE in full and 'id="glossary"' in full
    assert 'id="annex"' not in lean and TRACE not in lean and 'id="glossary"' not in lean
    assert lean[: lean.index("<body>")] == full[: full.index("<body>")], "the same document head"
    assert len(lean) < len(full)


def test_batch_with_shared_annex_writes_annex_pdf_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    paths = varied_inputs(src, 2)
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--jobs", "1", "--shared-annex", "--date", "2026-01-01", "-q"])
    assert res.exit_code == 0, res.output
    annex = " ".join(p.extract_text() for p in PdfReader(out / "annex.pdf").pages)
    assert "Shared annex" in annex and "Glossary" in annex and "Emission factors used" in annex and "Case studies" in annex
    # every library factor behind a line of either neighbourhood is in the shared table (ids may wrap, so compare
    # without spaces and line breaks)
    flat = "".join(annex.split())
    for p in paths:
        data = json.loads((out / f"{p.stem}.json").read_text(encoding="utf-8"))
        lines = {li["factor_id"] for li in data["emissions"]["line_items"]}
        ids = {f["id"] for f in data["emissions"]["factors_used"] if f["id"] in lines and not f["overridden"]}
        assert ids, "the neighbourhood used library factors"
        missing = sorted(i for i in ids if i not in flat)
        assert not missing, missing
        report = " ".join(pg.extract_text() for pg in PdfReader(out / f"{p.stem}.pdf").pages)
        assert TRACE not in report and "Glossary" not in " ".join(report.split()[-400:]), "no annex in the scorecard"
    manifest = json.loads((out / "manifest" / f"{paths[0].stem}.json").read_text(encoding="utf-8"))
    assert manifest["options"]["shared_annex"] is True
