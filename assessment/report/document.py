"""The scorecard document: its PDF metadata, its checked HTML and the writing of each report (PDF and HTML)."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from pathlib import Path

from assessment.i18n import _
from assessment.io.atomic import atomic_path, write_bytes_atomic
from assessment.model.method import Method
from assessment.model.results import AssessmentResult
from assessment.report import glyphs
from assessment.report.context import ReportInput, build_context
from assessment.report.labels import labelled, list_sep
from assessment.report.render import render_html
from assessment.report.verdict import green_rated
from assessment.report.worker import ReportBuilder

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua")


def pdf_metadata(result: AssessmentResult) -> dict:
    """Title, subject, author and a creation date taken from the reporting year (same input, same file). Title and subject
    are in the reader's language (both languages in the bilingual edition), and the title says "net zero" only when the
    Green pillar is rated (assessment/report/verdict.py: while it is not, no text may speak of net zero)."""
    year = result.profile.reporting_year
    created = dt.datetime(year, 12, 31, tzinfo=dt.timezone.utc)
    title = _("Net-zero neighbourhood scorecard") if green_rated(result) else _("Neighbourhood scorecard")
    return {
        "title": labelled(result.profile.name, title),
        "subject": _("Green and Thriving Neighbourhoods assessment of {name}, {year}").format(
            name=f"{result.profile.name}{list_sep()}{result.profile.city}", year=year
        ),
        "author": result.profile.prepared_by or "nzn",
        "created": created.isoformat(),
        "epoch": int(created.timestamp()),
        "generator": f"nzn {result.toolkit_version}",
        "identifier": result.input.sha256[:32].encode(),
    }


def write_reports(
    result: AssessmentResult,
    method: Method,
    outputs: list[Path],
    input_name: str,
    assessment_date: str,
    variant: str | None = None,
    input_bytes: bytes | None = None,
    results_json: str | None = None,
    builder=None,
    template: str = "report.html.j2",
    previous: dict | None = None,
    annex: bool = True,
    warn=None,
) -> list[str]:
    """Write each requested report (.pdf, .html) atomically; the HTML is rendered once (twice when it prints a character
    no font of the report has: the second time the method page lists them, and ``warn`` is told). Returns the URLs
    refused. ``previous``: the neighbourhood's previous recorded year (assessment.store.history.history_entry), for the
    scorecard's "since last year" block. ``annex`` false leaves the annex out (a batch's --shared-annex writes it once
    for the run)."""
    attachments: tuple = ()
    if variant == "pdf/a-3b":
        attachments = tuple(
            a
            for a in (
                (input_name, input_bytes, "assessment input"),
                ("results.json", results_json.encode("utf-8") if results_json else None, "results JSON"),
            )
            if a[1] is not None
        )
    own = builder is None
    builder = builder or ReportBuilder(prefork=False)
    try:
        html, lacking = checked_html(
            result, method, input_name, assessment_date, draw=builder.chart, template=template, previous=previous, annex=annex
        )
        if lacking and warn is not None:
            warn(
                _("the report prints {n} character(s) that its fonts lack, shown as empty boxes: {chars}").format(
                    n=len(lacking), chars=glyphs.describe(lacking)
                )
            )
        refused: list[str] = []
        with ExitStack() as stack:
            for o in outputs:
                if o.suffix.lower() == ".pdf":
                    tmp = stack.enter_context(atomic_path(o))
                    refused += builder.render_pdf(html, tmp, pdf_metadata(result), variant, attachments)
                else:
                    write_bytes_atomic(o, html.encode("utf-8"))
    finally:
        if own:
            builder.close()
    return refused


def report_html(*args, **kwargs) -> str:
    """The report as one self-contained HTML document: :func:`checked_html`'s HTML, with the same parameters (``draw``
    may hand the charts to a helper process)."""
    return checked_html(*args, **kwargs)[0]


def checked_html(
    result: AssessmentResult,
    method: Method,
    input_name: str,
    assessment_date: str,
    draw=None,
    template: str = "report.html.j2",
    previous: dict | None = None,
    annex: bool = True,
) -> tuple[str, list[str]]:
    """The report's HTML and the characters of its text that its fonts lack (assessment/report/glyphs.py). When there are
    any, the HTML is rendered again with the method page's row naming them. When DejaVu Sans sets the whole text, the
    Chinese faces are not declared (WeasyPrint would load 16 MB of fonts for nothing)."""
    context = build_context(ReportInput(result, method, input_name, assessment_date, previous), draw)
    if not annex:
        context = {**context, "annex": False}
    html = render_html(context, template)
    lacking = glyphs.missing(html)
    if lacking:
        html = render_html({**context, "missing_glyphs": glyphs.describe(lacking)}, template)
    if not glyphs.needs_chinese_faces(html):
        html = glyphs.without_chinese_faces(html)
    return html, lacking
