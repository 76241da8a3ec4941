"""Report building spread over the machine's cores, started early so the heavy imports overlap.

With ``fork`` available, ``nzn assess -o x.pdf`` starts two helpers first thing
(assessment/launch.py, before the toolkit loads): one imports WeasyPrint and later
renders the PDF; one imports matplotlib and draws the charts on request. Meanwhile
the parent loads the toolkit, reads the input, computes the assessment and builds
the HTML. Each helper freezes what it loaded out of the garbage collector's scans. Where ``fork`` is not available (or
``NZN_PDF_WORKER=0``) everything runs in-process. Either way the bytes written
are the same.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from pathlib import Path

from assessment.i18n import get_language, language
from assessment.report import charts, render


def _serve_pdf(conn) -> None:
    # start-up: this process is forked before WeasyPrint and matplotlib load, so each loads here, beside the parent's work
    import weasyprint  # noqa: F401

    settle()

    while (job := conn.recv()) is not None:
        html, target, metadata, variant, attachments = job
        try:
            conn.send(("ok", render.render_pdf(html, Path(target), metadata, variant, list(attachments)).refused))
        except OSError as exc:  # writing the file failed (a full disk, a permission): the parent reports it as an output problem
            conn.send(("oserror", (exc.errno, exc.strerror or str(exc))))
        except Exception as exc:  # reported to the parent, which raises it
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    _quit()


def _serve_charts(conn) -> None:
    # start-up: matplotlib, its style and the fonts load here while the parent reads and computes; a first request
    # would otherwise wait for them (0.6 s measured with the Riverside sample)
    charts.warm_up()
    settle()

    while (job := conn.recv()) is not None:
        name, args, kwargs, lang = job
        try:
            with language(lang):  # numbers in the chart follow the parent's language (this helper may predate it)
                conn.send(("ok", getattr(charts, name)(*args, **kwargs)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    _quit()


def settle() -> None:
    """Move every object alive now (the modules, the method, the factors: never garbage) out of the collector's sight
    (gc.freeze). Each full collection during a render otherwise rescans them: with the toolkit, pandas and WeasyPrint
    loaded, rendering the Riverside HTML took 7.5 s instead of 6.2 s (measured by hand, session 7)."""
    gc.freeze()


def give_back_memory() -> None:
    """Return the heap pages freed by the last task to the system (glibc ``malloc_trim``): after each batch report a
    worker otherwise keeps its whole layout peak as resident memory (measured, one worker, six sample reports: 199-212 MB
    after each report, 172-193 MB after trimming; the trim takes a few milliseconds). No-op where glibc is absent."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _quit() -> None:
    """Leave at once: every file the helper wrote is closed, and a full interpreter shutdown
    (with WeasyPrint or matplotlib loaded) would only keep the parent waiting. The font copies this process made go
    first (render.release_fonts): nothing else would remove them."""
    render.release_fonts()
    os._exit(0)


#: Helpers forked by :func:`prestart`, waiting for the next ReportBuilder(prefork=True) to adopt them.
_EARLY: list = []


def _fork_wanted() -> bool:
    return os.environ.get("NZN_PDF_WORKER", "1") != "0" and "fork" in multiprocessing.get_all_start_methods()


def prestart() -> None:
    """Fork the PDF and chart helpers now, before the toolkit loads: ``nzn assess -o x.pdf`` calls this first thing,
    so the helpers load WeasyPrint and matplotlib beside the parent's own imports and reading, and the PDF helper
    renders in a process that holds only what rendering needs (measured with the Riverside sample: the first chart
    no longer waits for matplotlib, and the render is not slowed by the parent's inherited objects). The next
    ReportBuilder(prefork=True) adopts them; :func:`discard_early` ends them if none does."""
    if _fork_wanted() and not _EARLY:
        _EARLY.extend((_start(_serve_pdf), _start(_serve_charts)))


def discard_early() -> None:
    """End helpers that :func:`prestart` forked and no builder adopted (the command failed or wrote no PDF): killed at
    once, as they hold no file and may still be loading WeasyPrint."""
    while _EARLY:
        _conn, proc = _EARLY.pop()
        proc.kill()
        proc.join(timeout=5)
        _LIVE.discard(proc)


#: Helper processes alive in this process (stopped at once by :func:`stop_helpers` on an interrupt).
_LIVE: set = set()
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def become_helper() -> None:
    """Make this (forked) process a helper that never outlives its parent and leaves Ctrl-C to it: the kernel sends it
    SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG on Linux), SIGTERM ends it quietly, and SIGINT (which a terminal
    sends to the whole process group) is ignored. Used by the report helpers and the batch workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _as_helper(target, conn) -> None:
    become_helper()
    target(conn)


def _start(target):
    ctx = multiprocessing.get_context("fork")
    conn, child = ctx.Pipe()
    proc = ctx.Process(target=_as_helper, args=(target, child), daemon=True)
    proc.start()
    _LIVE.add(proc)
    return conn, proc


def _close(helper) -> None:
    """Ask a helper to finish and wait for it (killed after 5 s)."""
    conn, proc = helper
    try:
        conn.send(None)
    except (BrokenPipeError, OSError):
        pass
    proc.join(timeout=5)
    if proc.is_alive():
        proc.kill()
        proc.join(timeout=5)
    _LIVE.discard(proc)


def stop_helpers() -> None:
    """End every helper now (on an interrupt: before the parent removes the files they may be writing)."""
    for proc in list(_LIVE):
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        _LIVE.discard(proc)


def _answer(conn, what: str):
    status, payload = conn.recv()
    if status == "oserror":
        raise OSError(*payload)
    if status != "ok":
        raise RuntimeError(f"{what} failed: {payload}")
    return payload


class Pending:
    """A chart being drawn elsewhere; ``get()`` waits for its SVG."""

    def __init__(self, conn=None, value: str | None = None):
        self._conn, self._value = conn, value

    def get(self) -> str:
        if self._conn is not None:
            self._value, self._conn = _answer(self._conn, "drawing a chart"), None
        return self._value


class ReportBuilder:
    """Draws charts and renders PDFs in pre-forked helpers when possible, else in this process."""

    def __init__(self, prefork: bool = True):
        self._pdf = self._charts = None
        if prefork and _EARLY:
            self._pdf, self._charts = _EARLY
            _EARLY.clear()
        elif prefork and _fork_wanted():
            self._pdf = _start(_serve_pdf)
            self._charts = _start(_serve_charts)

    def chart(self, name: str, *args, **kwargs) -> Pending:
        """Ask for a chart (returns at once; ``.get()`` waits for the SVG)."""
        if self._charts is None:
            return Pending(value=getattr(charts, name)(*args, **kwargs))
        conn = self._charts[0]
        conn.send((name, args, kwargs, get_language()))
        return Pending(conn)

    def render_pdf(self, html: str, target: Path, metadata: dict, variant: str | None, attachments: tuple) -> list[str]:
        if self._pdf is None:
            return render.render_pdf(html, target, metadata, variant, list(attachments)).refused
        conn = self._pdf[0]
        conn.send((html, str(target), metadata, variant, attachments))
        return _answer(conn, "rendering the PDF")

    def close(self) -> None:
        for helper in (self._pdf, self._charts):
            if helper is not None:
                _close(helper)
        self._pdf = self._charts = None

    def __enter__(self) -> "ReportBuilder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
