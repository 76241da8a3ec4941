"""Signals (issue #15 class 5; docs/security.md): SIGTERM or SIGINT during `nzn assess -o x.pdf` ends every process of
it, leaves no temporary file, prints no traceback and exits 128 + the signal number (143 / 130)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, sample_copy


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out.update(int(c) for c in text)
    return out


def _alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "Z" not in state.split()[1]  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the helpers' parent-death signal is Linux's prctl")
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_render_ends_everything_and_leaves_nothing(tmp_path, sig, code):
    out = tmp_path / "x.pdf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "assessment", "assess", str(SAMPLES / "riverside-retrofit.xlsx"), "-o", str(out), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob("*.part")):  # the PDF is being rendered into its temporary file
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "render did not start"
        time.sleep(0.02)
    helpers = _children(proc.pid)
    assert helpers, "the PDF and chart helpers run beside the parent"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert "interrupted" in err
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in helpers if _alive(p)], "a helper outlived its parent"
    assert list(tmp_path.iterdir()) == [], "no report and no temporary file is left"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_during_a_batch_stops_it_truthfully(tmp_path):
    """SIGINT after the first report: exit 130, the message counts what finished, no worker survives, no .part is left,
    and every report written is complete (it has its JSON twin)."""
    src = tmp_path / "in"
    src.mkdir()
    for k in range(6):
        sample_copy("harbourside-newbuild", src / f"n{k}.json", str(k))
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "assessment", "batch", str(src), "-o", str(out), "--jobs", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while not list(out.glob("n*.json")) if out.exists() else True:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no report was finished"
        time.sleep(0.05)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted after" in err
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in workers if _alive(p)], "a worker outlived the batch"
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(p.stem for p in out.glob("*.json"))
