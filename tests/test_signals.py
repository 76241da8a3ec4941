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


def test_an_interrupt_python_could_not_raise_still_ends_the_command_as_interrupted(monkeypatch):
    """CI saw it once (SIGINT mid-render, exit 2): the signal landed in an import-lock callback, where Python prints
    "Exception ignored in ..." with a traceback and carries on; the handler had already stopped the PDF helper, so the
    render then failed with "could not write x.pdf: Broken pipe". The interrupt is kept (no traceback) and the failure it
    caused is reported as the interrupt: exit 130 (128 + SIGINT), "interrupted"."""
    import typer

    from assessment.cli import common
    from assessment.io.atomic import OutputRefused

    monkeypatch.setattr(common, "LOST_INTERRUPTS", [])
    printed = []
    monkeypatch.setattr(sys, "__unraisablehook__", printed.append)

    class Unraisable:
        def __init__(self, exc):
            self.exc_value = exc

    other = Unraisable(ValueError("not ours"))
    common.keep_lost_interrupt(other)
    assert printed == [other], "anything but an interrupt goes to Python's own hook"

    @common.guard
    def render():
        raise OutputRefused("could not write x.pdf: Broken pipe")

    with pytest.raises(typer.Exit) as before:
        render()
    assert before.value.exit_code == common.EXIT_INVALID, "with no signal, the failure is the failure (exit 2)"

    common.keep_lost_interrupt(Unraisable(KeyboardInterrupt()))
    assert printed == [other], "the lost interrupt prints nothing"
    with pytest.raises(typer.Exit) as after:
        render()
    assert after.value.exit_code == common.EXIT_INTERRUPTED == 128 + signal.SIGINT


def test_a_lost_interrupt_stops_a_batch_after_the_input_in_hand(monkeypatch):
    """CI saw a batch SIGTERMed after three of six inputs exit 0 with its portfolio written: the signal was lost where
    Python cannot raise it, and the run went on to its end. After each finished input the batch raises a lost interrupt
    (cli/common.raise_lost_interrupt), and its own handler then reports it: exit 143 (128 + SIGTERM)."""
    from assessment.cli import common
    from assessment.errors import Terminated

    monkeypatch.setattr(common, "LOST_INTERRUPTS", [])
    common.raise_lost_interrupt()  # nothing lost: nothing raised
    common.LOST_INTERRUPTS.append(Terminated())
    with pytest.raises(Terminated):
        common.raise_lost_interrupt()
