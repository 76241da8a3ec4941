"""Integrity: deterministic results, the input's SHA-256 in the outputs, inputs never touched.

* The results JSON of each sample is byte-identical across two runs, in two
  separate processes with different hash seeds (so no set or dict order leaks in).
* The results JSON, the results workbook, the HTML report and the PDF carry the
  SHA-256 of the input file, as computed here with hashlib.
* Every command leaves the input's bytes and modification time (st_mtime_ns)
  unchanged and adds no file beside it: template (to another path), validate,
  validate --json, assess (-o pdf, -o html, --json, --xlsx), schema, factors list
  and factors show.
* An output path that is the input (same path, another spelling of it, or a
  symlink to it) is refused with exit 2 before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.cli import app
from tests.conftest import ROOT, SAMPLE_NAMES, SAMPLES

runner = CliRunner()
PAST = time.time() - 7 * 24 * 3600  # an mtime clearly in the past, so any rewrite shows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def private_copy(src: Path, folder: Path) -> Path:
    """A copy of a sample in its own folder, with an old modification time."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / src.name
    shutil.copy2(src, dst)
    os.utime(dst, (PAST, PAST))
    return dst


def ok(result, what: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{what} crashed: {result.exception!r}\n{result.output}"
    assert result.exit_code == 0, f"{what}: exit {result.exit_code}\n{result.output}"


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_results_json_is_identical_across_runs(sample: str, tmp_path: Path) -> None:
    src = private_copy(SAMPLES / f"{sample}.xlsx", tmp_path / "in")
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"run-{seed}.json"
        env = dict(os.environ, PYTHONHASHSEED=seed, NZN_PDF_WORKER="0")
        proc = subprocess.run(
            [sys.executable, "-m", "assessment", "assess", str(src), "--json", str(target), "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1], "the results JSON differs between two runs of the same input"
    assert json.loads(outputs[0])["input"]["sha256"] == sha256(src)


# --------------------------------------------------------------------------- the input's hash in the outputs


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_outputs_carry_the_input_sha256(sample: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    src = private_copy(SAMPLES / f"{sample}.json", tmp_path / "in")
    digest = sha256(src)
    out = tmp_path / "out"
    out.mkdir()
    js, html, xlsx = out / "r.json", out / "r.html", out / "r.xlsx"
    ok(
        runner.invoke(app, ["assess", str(src), "--json", str(js), "-o", str(html), "--xlsx", str(xlsx), "--date", "2026-01-01", "-q"]),
        "assess",
    )
    results = json.loads(js.read_text(encoding="utf-8"))
    assert results["input"]["sha256"] == digest
    assert results["input"]["file_name"] == src.name
    assert digest in html.read_text(encoding="utf-8"), "the HTML report does not show the input's SHA-256"
    values = [c.value for ws in load_workbook(xlsx).worksheets for row in ws.iter_rows() for c in row]
    assert digest in values, "the results workbook does not carry the input's SHA-256"


# --------------------------------------------------------------------------- inputs are never modified


def _commands(src: Path, out: Path) -> list[tuple[str, list[str]]]:
    return [
        ("template", ["template", str(out / "another-template.xlsx"), "--example", "riverside-retrofit"]),
        ("validate", ["validate", str(src)]),
        ("validate --json", ["validate", "--json", str(src)]),
        (
            "assess",
            [
                "assess",
                str(src),
                "-o",
                str(out / "r.pdf"),
                "-o",
                str(out / "r.html"),
                "--json",
                str(out / "r.json"),
                "--xlsx",
                str(out / "r.xlsx"),
                "--date",
                "2026-01-01",
                "-q",
            ],
        ),
        ("schema", ["schema"]),
        ("factors list", ["factors", "list"]),
        ("factors list --json", ["factors", "list", "--json"]),
        ("factors show", ["factors", "show", "elec.grid.CN-East"]),
    ]


@pytest.mark.parametrize("name", ["riverside-retrofit.xlsx", "harbourside-newbuild.json"])
def test_no_command_modifies_the_input(name: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = private_copy(SAMPLES / name, tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    before = snapshot(src)
    for what, args in _commands(src, out):
        ok(runner.invoke(app, args), what)
        after = snapshot(src)
        assert after[0] == before[0], f"{what} changed the input's bytes"
        assert after[1] == before[1], f"{what} changed the input's modification time"
        assert after[2] == before[2], f"{what} wrote beside the input: {sorted(set(after[2]) - set(before[2]))}"
    assert sorted(p.name for p in out.iterdir()) == ["another-template.xlsx", "r.html", "r.json", "r.pdf", "r.xlsx"], (
        "no stray or partial files"
    )
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(out / "r.pdf").pages))
    assert sha256(src) in text, "the PDF does not show the input's SHA-256"


def _refused(src: Path, args: list[str]) -> None:
    before = snapshot(src)
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, f"exit {result.exit_code}, expected 2\n{result.output}"
    assert "input" in result.output, result.output
    assert snapshot(src) == before, "the input (or its folder) changed"


@pytest.mark.parametrize("name", ["riverside-retrofit.xlsx", "harbourside-newbuild.json"])
def test_output_equal_to_input_is_refused(name: str, tmp_path: Path) -> None:
    src = private_copy(SAMPLES / name, tmp_path / "in")
    option = "--xlsx" if src.suffix == ".xlsx" else "--json"
    _refused(src, ["assess", str(src), option, str(src)])
    _refused(src, ["assess", str(src), option, str(src.parent / ".." / src.parent.name / src.name)])  # another spelling
    link = src.parent / f"link{src.suffix}"
    link.symlink_to(src)
    _refused(src, ["assess", str(src), option, str(link)])  # a symlink to the input
    assert link.is_symlink() and link.resolve() == src.resolve(), "the symlink was replaced"
    # refused even when other outputs are valid: nothing at all is written
    out = tmp_path / "out"
    out.mkdir()
    _refused(src, ["assess", str(src), "-o", str(out / "r.html"), "--json", str(out / "r.json"), option, str(src)])
    assert list(out.iterdir()) == []


def test_output_hardlinked_to_input_leaves_the_input_intact(tmp_path: Path) -> None:
    """A hard link is another name for the same file: whether refused or written, the input's bytes stay."""
    src = private_copy(SAMPLES / "harbourside-newbuild.json", tmp_path / "in")
    link = tmp_path / "link.json"
    os.link(src, link)
    before = snapshot(src)
    result = runner.invoke(app, ["assess", str(src), "--json", str(link), "-q"])
    assert result.exit_code in (0, 2), result.output
    assert snapshot(src)[:2] == before[:2], "writing to a hard link of the input changed the input"
