"""The report: charts, context, HTML and PDF rendering, and the results workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assessment.io.atomic import atomic_path, write_bytes_atomic
from assessment.model.method import Method
from assessment.model.results import AssessmentResult

PDF_VARIANTS = ("pdf/a-3b", "pdf/ua")


def report_html(result: AssessmentResult, method: Method, input_name: str, assessment_date: str) -> str:
    from assessment.report.context import ReportInput, build_context
    from assessment.report.render import render_html

    return render_html(build_context(ReportInput(result, method, input_name, assessment_date)))


def write_html(html: str, target: str | Path) -> None:
    write_bytes_atomic(target, html.encode("utf-8"))


def write_pdf(html: str, result: AssessmentResult, target: str | Path, variant: str | None = None, input_bytes: bytes | None = None,
              results_json: str | None = None):
    """Render and write the PDF atomically; PDF/A-3b attaches the input and the results JSON."""
    from assessment.report.render import render_pdf

    year = result.profile.reporting_year
    created = dt.datetime(year, 12, 31, tzinfo=dt.timezone.utc)
    metadata = {
        "title": f"{result.profile.name}: net-zero neighbourhood scorecard",
        "subject": f"Green and Thriving Neighbourhoods assessment, {result.profile.city}, {year}",
        "author": result.profile.prepared_by or "nzn",
        "created": created.isoformat(),
        "epoch": int(created.timestamp()),
        "generator": f"nzn {result.toolkit_version}",
        "identifier": result.input.sha256[:32].encode(),
    }
    attachments = []
    if variant == "pdf/a-3b":
        if input_bytes is not None:
            attachments.append((result.input.file_name, input_bytes, "assessment input"))
        if results_json is not None:
            attachments.append(("results.json", results_json.encode("utf-8"), "results JSON"))
    with atomic_path(target) as tmp:
        fetcher = render_pdf(html, tmp, metadata, variant, attachments)
    return fetcher
