"""The report: charts, context, HTML and PDF rendering, and the results workbook.

The public names (write_reports, report_html, checked_html, pdf_metadata, PDF_VARIANTS) come from
assessment/report/document.py on first use, so importing a light part of the package (report.worker, which
``nzn assess`` forks at start-up before the toolkit loads) does not load the rest.
"""

__all__ = ["PDF_VARIANTS", "checked_html", "pdf_metadata", "report_html", "write_reports"]


def __getattr__(name: str):
    if name in __all__:
        from assessment.report import document  # start-up: the document's modules load on first use

        return getattr(document, name)
    raise AttributeError(f"module 'assessment.report' has no attribute {name!r}")
