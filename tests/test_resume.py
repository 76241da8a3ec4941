"""A batch interrupted by SIGTERM and resumed (issue #21 item 2) gives what an uninterrupted run gives.

Six generated neighbourhoods, two workers: SIGTERM once three manifest entries exist (three finished); the run
exits 143 and writes no portfolio. `--resume` then keeps every input whose manifest entry matches (input digest,
method, factors, options; outputs intact) and assesses the rest. Checked against an uninterrupted run of the
same inputs with the same --date: the same files, each byte for byte (the PDFs are dated by the reporting year
and --date, and fontTools' subset fonts by SOURCE_DATE_EPOCH, as in the golden tests), the same portfolio files,
and no finished input assessed again (its files keep their inode: an atomic rewrite would give a new one; and the
resumed run's JSON progress reports them as skipped).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import varied_inputs

N = 6
DATE = "2026-01-01"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")


def _batch(src: Path, out: Path, *extra: str, tmp: Path) -> subprocess.Popen:
    """``nzn batch`` in its own process, with ``tmp`` as its temporary folder (TMPDIR), to see what it leaves there."""
    cmd = [sys.executable, "-m", "assessment", "batch", str(src), "-o", str(out), "--jobs", "2", "--date", DATE, *extra]
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _entries(out: Path) -> list[Path]:
    return sorted((out / "manifest").glob("[!.]*.json")) if (out / "manifest").is_dir() else []


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".run.json"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    varied_inputs(src, N)
    whole, resumed = tmp_path_factory.mktemp("whole"), tmp_path_factory.mktemp("resumed")
    tmp = tmp_path_factory.mktemp("tmpdir")
    one = _batch(src, whole, "-q", tmp=tmp)
    stopped = _batch(src, resumed, "-q", tmp=tmp)
    deadline = time.monotonic() + 600
    while len(_entries(resumed)) < 3:
        assert stopped.poll() is None, stopped.communicate()
        assert time.monotonic() < deadline, "three inputs did not finish"
        time.sleep(0.05)
    stopped.send_signal(signal.SIGTERM)
    _, err = stopped.communicate(timeout=120)
    finished = {p.stem: p.stat().st_ino for p in _entries(resumed)}
    kept = {name: {s: (resumed / f"{name}{s}").stat().st_ino for s in (".pdf", ".json")} for name in finished}
    again = _batch(src, resumed, "--resume", "--json-progress", tmp=tmp)
    events_out, again_err = again.communicate(timeout=900)
    _, one_err = one.communicate(timeout=900)
    return {
        "src": src,
        "tmp": tmp,
        "whole": whole,
        "resumed": resumed,
        "stopped": (stopped.returncode, err),
        "again": (again.returncode, again_err),
        "one": (one.returncode, one_err),
        "finished": finished,
        "kept": kept,
        "events": [json.loads(line) for line in events_out.splitlines() if line.strip()],
    }


def test_no_run_leaves_font_copies_in_the_temporary_folder(runs):
    """WeasyPrint copies the fonts a report declares (the bundled Chinese faces, 16 MB) into a temporary folder that
    only the garbage collector removes; processes that leave with os._exit never ran it, and each report left its copy
    behind. Three runs here (one whole, one stopped by SIGTERM, one resumed): none may leave a copy."""
    assert sorted(p.name for p in runs["tmp"].iterdir() if p.name.startswith("weasyprint-")) == []


def test_the_interrupted_run_stops_at_sigterm_without_a_portfolio(runs):
    code, err = runs["stopped"]
    assert code == 143, err
    assert "Traceback" not in err and "--resume" in err
    assert 3 <= len(runs["finished"]) < N


def test_every_output_exists_once_and_is_byte_identical_to_an_uninterrupted_run(runs):
    assert runs["one"][0] == 0, runs["one"][1]
    assert runs["again"][0] == 0, runs["again"][1]
    whole, resumed = _files(runs["whole"]), _files(runs["resumed"])
    assert len([k for k in whole if k.endswith(".pdf") and not k.startswith("portfolio")]) == N
    assert sorted(whole) == sorted(resumed), "the same files, no leftover and none missing"
    assert not list(runs["resumed"].rglob("*.part"))
    differ = [k for k in whole if whole[k] != resumed[k]]
    assert not differ, f"not byte-identical: {differ}"


def test_the_portfolio_is_the_same_whether_built_in_one_run_or_resumed(runs):
    for name in ("portfolio.xlsx", "portfolio.pdf"):
        assert (runs["whole"] / name).read_bytes() == (runs["resumed"] / name).read_bytes(), name


def test_nothing_that_had_finished_was_assessed_twice(runs):
    for name, inodes in runs["kept"].items():
        for suffix, ino in inodes.items():
            assert (runs["resumed"] / f"{name}{suffix}").stat().st_ino == ino, f"{name}{suffix} was written again"
        assert (runs["resumed"] / "manifest" / f"{name}.json").stat().st_ino == runs["finished"][name]
    events = runs["events"]
    assert events[0]["event"] == "start" and events[0]["skipped"] == len(runs["finished"]) and events[0]["total"] == N
    assessed = {Path(e["input"]).stem.split("-")[0] for e in events if e["event"] == "done"}
    assert len(assessed) == N - len(runs["finished"])
    assert not assessed & {n.split("-")[0] for n in runs["finished"]}
    assert events[-1]["event"] == "finish" and events[-1]["done"] == N and events[-1]["skipped"] == len(runs["finished"])


def test_a_changed_input_is_assessed_again_on_resume(runs, tmp_path):
    """The manifest's input digest: an input edited since its entry was written is not kept."""
    from assessment.emissions.factors import load_factors
    from assessment.model.method import load_method
    from assessment.portfolio.batch import finished_before
    from assessment.portfolio.manifest import read_entry, versions

    out = runs["whole"]
    name = sorted(p.stem for p in _entries(out))[0]
    assert read_entry(out, name)["input"] == f"{name}.json"
    options = {"lang": "", "method_dir": None, "assessment_date": DATE, "pdf": True, "gwp": None, "shared_annex": False}
    depends = versions(load_method(), load_factors())
    path = runs["src"] / f"{name}.json"
    task = (str(path), str(out), name)
    assert finished_before(task, options, depends) is not None, "unchanged: kept"
    copy = tmp_path / path.name
    copy.write_text(path.read_text(encoding="utf-8").replace('"amount": ', '"amount": 1', 1), encoding="utf-8")
    assert finished_before((str(copy), str(out), name), options, depends) is None, "edited: assessed again"
    assert finished_before(task, {**options, "assessment_date": "2026-02-02"}, depends) is None, "another date: again"
