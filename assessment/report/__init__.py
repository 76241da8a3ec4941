"""The report: charts, context, HTML and PDF rendering, and the results workbook."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from pathlib import Path

from assessment.io.atomic import atomic_path, write_bytes_atomic
from assessment.model.method import Method
from assessment.model.results import AssessmentResult
from assessment.report.context import ReportInput, build_context
from assessment.report.render import render_html
from assessment.report.worker import ReportBuilder

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua")


def pdf_metadata(result: AssessmentResult) -> dict:
    """Title, subject, author and a creation date taken from the reporting year (same input, same file)."""
    year = result.profile.reporting_year
    created = dt.datetime(year, 12, 31, tzinfo=dt.timezone.utc)
    return {
        "title": f"{result.profile.name}: net-zero neighbourhood scorecard",
        "subject": f"Green and Thriving Neighbourhoods assessment, {result.profile.city}, {year}",
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
) -> list[str]:
    """Write each requested report (.pdf, .html) atomically; the HTML is rendered once. Returns the URLs refused.
    ``previous``: the neighbourhood's previous recorded year (assessment.store.history.history_entry), for the
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
        html = report_html(
            result, method, input_name, assessment_date, draw=builder.chart, template=template, previous=previous, annex=annex
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


def report_html(
    result: AssessmentResult,
    method: Method,
    input_name: str,
    assessment_date: str,
    draw=None,
    template: str = "report.html.j2",
    previous: dict | None = None,
    annex: bool = True,
) -> str:
    """The report as one self-contained HTML document; ``draw`` may hand the charts to a helper process."""
    context = build_context(ReportInput(result, method, input_name, assessment_date, previous), draw)
    return render_html(context if annex else {**context, "annex": False}, template)
