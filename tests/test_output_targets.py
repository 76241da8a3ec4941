"""Output targets (issue #15 class 4; docs/security.md promise 2): every target checked before anything is written,
all outputs or none, no input overwritten, files with the user's umask.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from assessment.io import atomic
from tests.conftest import SAMPLES

runner = CliRunner()
SAMPLE = SAMPLES / "harbourside-newbuild.json"


def _run(*args: str):
    res = runner.invoke(app, ["assess", str(SAMPLE), *args, "-q"])
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res


def test_missing_folder_is_refused_before_anything_is_written(tmp_path):
    """One target in a missing folder: exit 2, the path named, and the other target not written either."""
    res = _run("--json", str(tmp_path / "r.json"), "--xlsx", str(tmp_path / "nope" / "r.xlsx"))
    assert res.exit_code == 2 and "nope" in res.output
    assert list(tmp_path.iterdir()) == []


def test_a_folder_given_as_a_file_is_refused(tmp_path):
    (tmp_path / "r.json").mkdir()
    res = _run("--json", str(tmp_path / "r.json"))
    assert res.exit_code == 2 and "is a folder" in res.output


def test_the_same_target_twice_is_refused(tmp_path):
    res = _run("--json", str(tmp_path / "r.html"), "-o", str(tmp_path / "r.html"))
    assert res.exit_code == 2 and "given twice" in res.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["hardlink", "symlink"])
def test_an_output_that_is_the_input_file_under_another_name_is_refused(tmp_path, kind):
    """Compared as files (os.path.samefile), not by name: a hard link or symlink to the input is the input."""
    src = tmp_path / "in.json"
    src.write_bytes(SAMPLE.read_bytes())
    alias = tmp_path / "out.json"
    os.link(src, alias) if kind == "hardlink" else alias.symlink_to(src)
    before = src.read_bytes()
    res = runner.invoke(app, ["assess", str(src), "--json", str(alias), "-q"])
    assert res.exit_code == 2 and "input file" in res.output
    assert src.read_bytes() == before


def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch):
    """os.access says the folder is not writable (root ignores modes, so the check is made to say so): refused by path."""
    real = os.access
    monkeypatch.setattr(atomic.os, "access", lambda p, mode: False if Path(p) == tmp_path else real(p, mode))
    res = _run("--json", str(tmp_path / "r.json"))
    assert res.exit_code == 2 and "no permission" in res.output and str(tmp_path) in res.output


def test_a_full_disk_while_writing_writes_nothing_and_keeps_the_old_output(tmp_path, monkeypatch):
    """The workbook write fails with ENOSPC after the JSON was staged: the existing JSON stays as it was, no .part is left."""
    old = tmp_path / "r.json"
    old.write_text("old results", encoding="utf-8")

    def full(result, target):
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("assessment.report.xlsx_out.write_results_xlsx", full)
    res = _run("--json", str(old), "--xlsx", str(tmp_path / "r.xlsx"), "-o", str(tmp_path / "r.html"))
    assert res.exit_code == 2 and "No space left on device" in res.output and "r.xlsx" in res.output
    assert old.read_text(encoding="utf-8") == "old results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_outputs_get_the_umask_permissions(tmp_path):
    """A temporary file is created 0600; the output gets what the user's umask gives a new file (0666 & ~umask)."""
    target = tmp_path / "r.json"
    assert _run("--json", str(target)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
