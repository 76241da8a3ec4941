"""The work behind the page, the same library functions as the CLI: read and validate an upload (as ``nzn validate``),
assess it (as ``nzn assess``), and render its reports in a background worker with a state the page shows.

An upload is written under a fixed name in a new temporary folder, read there, and the folder is removed before
the request returns: the uploaded file's own name is shown (escaped) but never used as a path. The outputs are kept
in memory, for a bounded number of recent jobs, and are never written anywhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.errors import InputInvalid, NznError
from assessment.i18n import _, language
from assessment.io.limits import Limits
from assessment.model.method import load_method
from assessment.pipeline import assess, results_json

#: The suffixes an upload may keep (the reader picks its format from it); any other name is read as a workbook.
UPLOAD_SUFFIXES = (".xlsx", ".json", ".yaml", ".yml")
#: Recent jobs kept in memory (older ones are dropped, their downloads gone).
MAX_JOBS = 50


@dataclass
class Refusal:
    """Why an upload was not assessed: the same lines ``nzn validate`` prints, and the HTTP status to send."""

    status: int
    heading: str
    lines: list[str]


@dataclass
class Job:
    """One assessed upload: its result and outputs; ``state`` of the reports is queued, rendering, ready or failed."""

    id: str
    lang: str
    display_name: str
    result: object
    results_json: str
    xlsx: bytes
    state: str = "queued"
    html: bytes | None = None
    pdf: bytes | None = None
    error: str | None = None
    previous: dict | None = None
    recorded: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


def display_name(filename: str | None) -> str:
    """The upload's name as shown on the page: its last path part, at most 120 characters (escaped by the template)."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    return name[:120] or "upload"


def safe_stem(text: str) -> str:
    """A download file name stem from a neighbourhood id: letters, digits, dot, dash and underscore only."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return stem[:80] or "neighbourhood"


class Desk:
    """The page's engine: the method and factors loaded once, a pool that reads and assesses uploads, and one worker
    that renders reports (WeasyPrint and matplotlib, one at a time), so a slow render never holds up a request."""

    def __init__(self, limits: Limits, store: str | None = None, method_dir: str | None = None):
        self.limits = limits
        self.store = store
        self.method = load_method(method_dir)
        self.factors = load_factors()
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self.renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nzn-render")

    def close(self) -> None:
        self.renderer.shutdown(wait=False, cancel_futures=True)

    # -- reading and assessing (called in a worker thread, never on the event loop) --------------------------------
    def assess_upload(self, data: bytes, filename: str | None, lang: str | None, record: bool = False, replace: bool = False):
        """Validate and assess an upload: a :class:`Job` (its reports queued for the render worker) or a :class:`Refusal`."""
        shown = display_name(filename)
        suffix = Path(shown).suffix.lower()
        folder = Path(tempfile.mkdtemp(prefix="nzn-upload-"))
        try:
            path = folder / ("input" + (suffix if suffix in UPLOAD_SUFFIXES else ".xlsx"))
            path.write_bytes(data)
            with language(lang or "en"):
                try:
                    loaded = validate_input(path, self.method, self.limits, self.factors)
                except InputInvalid as exc:
                    with language(lang or exc.language or "en"):
                        return Refusal(
                            422,
                            _("{source}: {count} problem(s) found").format(source=shown, count=len(exc.issues)),
                            [f"{shown}: {i.message()}" if i.where in (path.name, str(path)) else str(i) for i in exc.issues],
                        )
            use = lang or loaded.template_language or "en"
            with language(use):
                result = assess(loaded, self.method, self.factors)
                text = results_json(result)
                xlsx = folder / "results.xlsx"
                from assessment.report.xlsx_out import write_results_xlsx

                write_results_xlsx(result, xlsx)
                job = Job(uuid.uuid4().hex, use, shown, result, text, xlsx.read_bytes())
                if self.store is not None:
                    refusal = self._history(job, record, replace)
                    if refusal is not None:
                        return refusal
        except NznError as exc:
            return Refusal(400, _("{source} could not be assessed").format(source=shown), [str(exc)])
        except Exception as exc:  # a hostile file must not turn into a 500 with a traceback
            return Refusal(400, _("{source} could not be read").format(source=shown), [f"{type(exc).__name__}: {exc}"[:500]])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_JOBS:
                self.jobs.popitem(last=False)
        self.renderer.submit(self._render, job)
        return job

    def _history(self, job: Job, record: bool, replace: bool) -> Refusal | None:
        """With a store: the previous recorded year (for the "since last year" line) and, if asked, record this one."""

        from assessment.store import AlreadyRecorded, open_store
        from assessment.store.history import previous_entry

        p = job.result.profile
        with open_store(self.store) as st:
            job.previous = previous_entry(st, p.neighbourhood_id, p.reporting_year)
            if record:
                try:
                    st.record([job.results_json], replace=replace)
                except AlreadyRecorded as exc:
                    return Refusal(409, _("not recorded"), [str(exc)])
                job.recorded = st.url
        return None

    def _render(self, job: Job) -> None:
        from assessment.report import pdf_metadata, report_html
        from assessment.report.render import render_pdf

        job.state = "rendering"
        folder = Path(tempfile.mkdtemp(prefix="nzn-render-"))
        try:
            with language(job.lang):
                html = report_html(job.result, self.method, job.display_name, dt.date.today().isoformat(), previous=job.previous)
                job.html = html.encode("utf-8")
                render_pdf(html, folder / "report.pdf", pdf_metadata(job.result))
                job.pdf = (folder / "report.pdf").read_bytes()
            job.state = "ready"
        except Exception as exc:  # shown on the page; the JSON and workbook stay available
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.done.set()

    def job(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    # -- templates and history -------------------------------------------------------------------------------------
    def template_bytes(self, example: str | None, lang: str) -> bytes:
        """The blank template or a filled example, as ``nzn template`` writes it."""
        from assessment.io.examples import load_example
        from assessment.io.template import write_template

        folder = Path(tempfile.mkdtemp(prefix="nzn-template-"))
        try:
            target = folder / "template.xlsx"
            write_template(target, self.method, self.factors, load_example(example) if example else None, lang=lang)
            return target.read_bytes()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def history(self, neighbourhood_id: str | None = None):
        """The store's neighbourhoods (no id), or one neighbourhood's history entries and latest results JSON."""
        from assessment.store import open_store
        from assessment.store.history import history_entry

        with open_store(self.store) as st:
            if neighbourhood_id is None:
                return st.neighbourhoods()
            recorded = st.years(neighbourhood_id)
        if not recorded:
            return None
        return [history_entry(r.results) for r in recorded], recorded[-1].results
