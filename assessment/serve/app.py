"""The page's routes. Every response carries a strict Content-Security-Policy: the page's own stylesheet and images,
no script, no frame, forms posting only to this server; nothing is loaded from another origin."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile

from assessment.errors import NznError
from assessment.i18n import LANGUAGES, _, language, ngettext
from assessment.io.limits import DEFAULT_LIMITS, Limits
from assessment.numbers import number
from assessment.paths import templates_dir
from assessment.serve.jobs import Desk, Job, Refusal, safe_stem


def pages_dir() -> Path:
    """The page's templates and stylesheet: templates/serve/ (bundled in the wheel with the report's templates)."""
    return templates_dir() / "serve"


CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
#: Bytes a request may carry beyond the largest input file (the form's other fields and the multipart framing).
FORM_MARGIN_BYTES = 64 * 1024
PAGE_LANGUAGES = ("en", "zh")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(pages_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext=lambda s: _(s), ngettext=lambda s, p, n: ngettext(s, p, n), newstyle=True)
    return env


def create_app(store: str | None = None, limits: Limits = DEFAULT_LIMITS, method_dir: str | None = None) -> FastAPI:
    """The page's application; ``store`` (a ``--store`` value) adds the recorded neighbourhoods and their trends."""
    desk = Desk(limits, store, method_dir)
    env = _env()

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        desk.close()

    app = FastAPI(title="nzn", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.desk = desk

    @app.middleware("http")
    async def guard(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limits.max_file_bytes + FORM_MARGIN_BYTES):
            size = int(length) if length.isdigit() else 0
            response = refuse(request, 413, _("upload refused"), [_too_large(limits, size)])
        else:
            try:
                response = await call_next(request)
            except Exception:  # never a traceback to the browser
                response = HTMLResponse(_("Something went wrong on this page; the upload was not kept."), status_code=500)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang", "en")
        return lang if lang in PAGE_LANGUAGES else "en"

    def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
        lang = ctx.pop("lang", None) or lang_of(request)
        with language(lang):
            html = env.get_template(name).render(lang=lang, store=desk.store is not None, languages=LANGUAGES, **ctx)
        return HTMLResponse(html, status_code=status)

    def refuse(request: Request, status: int, heading: str, lines: list[str], lang: str | None = None) -> HTMLResponse:
        return page(request, "refused.html.j2", status, lang=lang, refusal=Refusal(status, heading, lines))

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request):
        from assessment.io.examples import example_names

        return page(request, "index.html.j2", examples=example_names(), max_mb=number(limits.max_file_bytes / 1e6, 1))

    @app.get("/static/serve.css")
    async def css():
        return Response((pages_dir() / "serve.css").read_bytes(), media_type="text/css")

    @app.get("/template.xlsx")
    async def template(request: Request, example: str | None = None):
        from assessment.io.examples import example_names

        lang = lang_of(request)
        if example is not None and example not in example_names():
            return refuse(request, 404, _("no such example"), [example[:100]])
        data = await asyncio.to_thread(desk.template_bytes, example, lang)
        name = f"{example}.xlsx" if example else "nzn-template.xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/assess")
    async def assess_upload(request: Request):
        try:
            form = await request.form(max_files=1, max_fields=10)
        except Exception:
            return refuse(request, 400, _("upload refused"), [_("the form could not be read")])
        upload = form.get("workbook")
        lang = form.get("lang") or None
        lang = lang if lang in PAGE_LANGUAGES else None
        if not isinstance(upload, UploadFile):
            return page(
                request, "refused.html.j2", 400, lang=lang, refusal=Refusal(400, _("upload refused"), [_("choose a workbook to upload")])
            )
        data = await upload.read(limits.max_file_bytes + 1)
        await upload.close()
        if len(data) > limits.max_file_bytes:
            with language(lang or "en"):
                refusal = Refusal(413, _("upload refused"), [_too_large(limits, upload.size or len(data))])
            return page(request, "refused.html.j2", 413, lang=lang, refusal=refusal)
        record, replace = form.get("record") == "on", form.get("replace") == "on"
        outcome = await asyncio.to_thread(desk.assess_upload, data, upload.filename, lang, record and desk.store is not None, replace)
        if isinstance(outcome, Refusal):
            return page(request, "refused.html.j2", outcome.status, lang=lang, refusal=outcome)
        return RedirectResponse(f"/jobs/{outcome.id}?lang={outcome.lang}", status_code=303)

    def _job(job_id: str) -> Job | None:
        return desk.job(job_id) if job_id.isalnum() else None

    @app.get("/jobs/{job_id}", response_class=HTMLResponse)
    async def job_page(request: Request, job_id: str):
        job = _job(job_id)
        if job is None:
            return page(
                request, "refused.html.j2", 404, refusal=Refusal(404, _("no such assessment"), [_("it may have expired: upload it again")])
            )
        from assessment.serve.views import summary

        with language(job.lang):
            view = summary(job)
        return page(request, "job.html.j2", lang=job.lang, job=job, view=view)

    @app.get("/jobs/{job_id}/{name}")
    async def download(request: Request, job_id: str, name: str):
        job = _job(job_id)
        if job is None:
            return page(
                request, "refused.html.j2", 404, refusal=Refusal(404, _("no such assessment"), [_("it may have expired: upload it again")])
            )
        stem = safe_stem(job.result.profile.neighbourhood_id)
        files = {
            "results.json": (job.results_json.encode("utf-8"), "application/json"),
            "results.xlsx": (job.xlsx, XLSX),
            "report.pdf": (job.pdf, "application/pdf"),
            "report.html": (job.html, "text/html; charset=utf-8"),
        }
        if name not in files:
            return refuse(request, 404, _("no such file"), [name[:100]])
        data, mime = files[name]
        if data is None:
            return page(
                request,
                "refused.html.j2",
                409,
                lang=job.lang,
                refusal=Refusal(409, _("not ready yet"), [_("the report is still being prepared")]),
            )
        return Response(data, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{stem}-{name}"'})

    @app.get("/history", response_class=HTMLResponse)
    async def history_list(request: Request):
        if desk.store is None:
            return page(
                request, "refused.html.j2", 404, refusal=Refusal(404, _("no history store"), [_("start the page with nzn serve --store")])
            )
        try:
            places = await asyncio.to_thread(desk.history)
        except NznError as exc:
            return refuse(request, 503, _("the history store cannot be read"), [str(exc)])
        return page(request, "history.html.j2", places=places)

    @app.get("/history/{neighbourhood_id}", response_class=HTMLResponse)
    async def history_place(request: Request, neighbourhood_id: str):
        ctx = await _from_history(request, neighbourhood_id, _trend)
        if isinstance(ctx, Response):
            return ctx
        return page(request, "trend.html.j2", ctx=ctx, nid=neighbourhood_id)

    @app.get("/history/{neighbourhood_id}/trend.pdf")
    async def history_pdf(request: Request, neighbourhood_id: str):
        data = await _from_history(request, neighbourhood_id, _trend_pdf)
        if isinstance(data, Response):
            return data
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{safe_stem(neighbourhood_id)}-trend.pdf"'},
        )

    @app.get("/history/{neighbourhood_id}/{chart}.svg")
    async def history_chart(request: Request, neighbourhood_id: str, chart: str):
        if chart not in ("emissions", "per_capita", "scores", "quality"):
            return Response(status_code=404)
        ctx = await _from_history(request, neighbourhood_id, _trend)
        if isinstance(ctx, Response):
            return ctx
        return Response(ctx[f"{chart}_chart"], media_type="image/svg+xml")

    async def _from_history(request: Request, neighbourhood_id: str, work):
        """``work(entries, latest, module names, language)`` on the renderer for a recorded neighbourhood (the trend page,
        its PDF, its charts), or the Response that refuses the request (no store, store unreadable, not recorded)."""
        found = await _history(neighbourhood_id)
        if isinstance(found, Response):
            return found
        entries, latest = found
        lang = lang_of(request)
        names = {m.id: m.name.get(lang) for m in desk.method.modules}
        return await asyncio.get_running_loop().run_in_executor(desk.renderer, work, entries, latest, names, lang)

    async def _history(neighbourhood_id: str):
        if desk.store is None:
            return Response(status_code=404)
        try:
            found = await asyncio.to_thread(desk.history, neighbourhood_id)
        except NznError as exc:
            return HTMLResponse(str(exc), status_code=503)
        if found is None:
            return HTMLResponse(_("no recorded assessment of this neighbourhood"), status_code=404)
        return found

    return app


def _trend(entries, latest, names, lang):
    from assessment.report.trend import trend_context

    with language(lang):
        return trend_context(entries, latest, names)


def _trend_pdf(entries, latest, names, lang) -> bytes:
    import shutil
    import tempfile

    from assessment.report.trend import write_trend_pdf

    folder = Path(tempfile.mkdtemp(prefix="nzn-trend-"))
    try:
        with language(lang):
            write_trend_pdf(entries, latest, names, folder / "trend.pdf")
        return (folder / "trend.pdf").read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _too_large(limits: Limits, size: int) -> str:
    """The reader's own message for a file over ``--max-file-mb`` (assessment/io/load.py), for an upload refused
    before it is read."""
    from assessment.i18n import N_

    return _(N_("the file is {size} MB, more than the limit of {limit} MB (use --max-file-mb for big real cases)")).format(
        size=round(size / 1e6, 1), limit=round(limits.max_file_bytes / 1e6)
    )
