"""The entry point forks the report helpers before the toolkit loads (assessment/launch.py, report/worker.py prestart).

What must hold: the early helpers change nothing in what is written (the PDF is byte-identical to one rendered in
the command's own process, in Chinese too, where the chart helper was forked before the language was known), a
builder adopts them, and helpers no builder adopted are ended.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessment.launch import wants_pdf
from tests.conftest import ROOT, SAMPLES


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["assess", "in.xlsx", "-o", "out.pdf"], True),
        (["assess", "in.xlsx", "--output=OUT.PDF"], True),
        (["plan", "in.xlsx", "-o", "plan.pdf"], True),
        (["assess", "in.xlsx", "-o", "out.html"], False),  # no PDF: no helpers
        (["assess", "in.xlsx", "-o", "out.pdf", "--help"], False),  # help only
        (["batch", "folder", "-o", "out"], False),  # the batch has its own workers
        ([], False),
    ],
)
def test_wants_pdf(argv: list[str], expected: bool) -> None:
    assert wants_pdf(argv) is expected


def _assess(src: Path, pdf: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assessment", "assess", str(src), "-o", str(pdf), "-q", "--date", "2026-01-01", "--lang", "zh"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_early_helpers_write_the_same_pdf_as_one_process(tmp_path: Path) -> None:
    src = tmp_path / "riverside-zh.xlsx"
    shutil.copyfile(SAMPLES / "riverside-retrofit-zh.xlsx", src)
    helpers, alone = tmp_path / "helpers.pdf", tmp_path / "alone.pdf"
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    first = _assess(src, helpers, TMPDIR=str(tmp))
    assert first.returncode == 0, first.stderr
    second = _assess(src, alone, NZN_PDF_WORKER="0", TMPDIR=str(tmp))
    assert second.returncode == 0, second.stderr
    assert helpers.read_bytes() == alone.read_bytes(), "the PDF differs when the helpers render it"
    # the Chinese faces WeasyPrint copies for the render are removed by the process that copied them (the PDF helper
    # leaves with os._exit, which never ran WeasyPrint's own clean-up: each report left 16 MB behind)
    assert sorted(p.name for p in tmp.iterdir()) == []


def test_early_helpers_are_adopted_or_ended() -> None:
    """prestart() forks two helpers; the next ReportBuilder(prefork=True) takes those two (and forks none of its own);
    helpers that no builder took are ended by discard_early(), as the entry point does when a command fails."""
    from assessment.report import worker

    worker.prestart()
    early = [proc for _conn, proc in worker._EARLY]
    assert len(early) == 2 and all(p.is_alive() for p in early)
    with worker.ReportBuilder(prefork=True) as builder:
        assert [builder._pdf[1], builder._charts[1]] == early
        assert worker._EARLY == []
    assert not any(p.is_alive() for p in early)

    worker.prestart()
    left = [proc for _conn, proc in worker._EARLY]
    worker.discard_early()
    assert worker._EARLY == [] and not any(p.is_alive() for p in left)
