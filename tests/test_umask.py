"""Outputs get the user's umask (issue #18 item 8): a new file's mode is 0666 & ~umask (POSIX open(2) with mode
0666, as `touch` or any editor creates a file), read at each write, not once at import: the process below changes
its umask after the package was imported, as a long-lived caller (a scheduler, a notebook) may."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from assessment.io.atomic import current_umask, file_mode
from tests.conftest import SAMPLES

runner = CliRunner()
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def umask():
    saved = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_report_and_results_get_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    """umask 022 -> 0666 & ~022 = 0644 (rw-r--r--); umask 027 -> 0666 & ~027 = 0640 (rw-r-----)."""
    umask(mask)
    assert current_umask() == mask and file_mode() == mode
    pdf, js = tmp_path / "r.pdf", tmp_path / "r.json"
    res = runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "-o", str(pdf), "--json", str(js), "-q"])
    assert res.exit_code == 0, res.output
    assert oct(pdf.stat().st_mode & 0o777) == oct(mode)
    assert oct(js.stat().st_mode & 0o777) == oct(mode)


def test_batch_outputs_follow_the_umask_in_the_workers_and_the_portfolio(tmp_path, umask):
    umask(0o027)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "harbourside-newbuild.json", src)
    out = tmp_path / "out"
    res = runner.invoke(app, ["batch", str(src), "-o", str(out), "--no-pdf", "--jobs", "1", "--date", "2026-01-01", "-q"])
    assert res.exit_code == 0, res.output
    modes = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir() if p.is_file()}
    assert modes and set(modes.values()) == {0o640}, {k: oct(v) for k, v in modes.items()}
