"""`nzn assess`: one input in, the scorecard and results out (computed once)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from assessment.cli.app import app
from assessment.cli.common import (
    DEFAULT_FILE_MB, DEFAULT_UNCOMPRESSED_MB, LangOption, MaxFileMb, MaxRows, MaxText, MaxUncompressedMb, MethodOption, console, fail,
    guard, limits_from, stdout_write, use_language,
)
from assessment.i18n import _
from assessment.io.limits import DEFAULT_LIMITS
from assessment.report import PDF_VARIANTS


@app.command("assess")
@guard
def assess_cmd(
    input_file: Annotated[Path, typer.Argument(help="The input: .xlsx workbook, .json or .yaml.")],
    output: Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write the report: .pdf or .html (repeat for both).")] = None,
    json_out: Annotated[Optional[str], typer.Option("--json", help="Write the results JSON to this file ('-' for standard output).")] = None,
    xlsx_out: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the results workbook (.xlsx).")] = None,
    pdf_variant: Annotated[Optional[str], typer.Option("--pdf-variant", help="pdf/a-3b (archival; input and results attached) or pdf/ua (tagged, accessible).")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Assessment date printed on the report (YYYY-MM-DD; default: today).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no progress.")] = False,
    lang: LangOption = None,
    method: MethodOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Assess a neighbourhood and write the scorecard (PDF/HTML), results JSON and results workbook."""
    from assessment.assess import assess, results_json
    from assessment.emissions.factors import load_factors
    from assessment.io.atomic import refuse_overwriting_inputs, write_bytes_atomic
    from assessment.io.load import load_input
    from assessment.model.method import load_method
    from assessment.report import report_html, write_html, write_pdf
    from assessment.report.xlsx_out import write_results_xlsx

    use_language(lang)
    outputs = list(output or [])
    for o in outputs:
        if o.suffix.lower() not in (".pdf", ".html", ".htm"):
            fail(_("the report must be .pdf or .html, got '{name}'").format(name=o.name))
    if xlsx_out is not None and xlsx_out.suffix.lower() != ".xlsx":
        fail(_("the results workbook must be .xlsx, got '{name}'").format(name=xlsx_out.name))
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        fail(_("unknown PDF variant '{v}'; choose one of: {choices}").format(v=pdf_variant, choices=", ".join(PDF_VARIANTS)))
    if not outputs and json_out is None and xlsx_out is None:
        fail(_("nothing to write: give -o report.pdf, -o report.html, --json results.json or --xlsx results.xlsx"))
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            fail(_("--date must be YYYY-MM-DD, got '{date}'").format(date=date))
    targets = outputs + ([Path(json_out)] if json_out not in (None, "-") else []) + ([xlsx_out] if xlsx_out else [])
    refuse_overwriting_inputs(targets, [input_file])

    show = not quiet and json_out != "-"
    with console.status(_("reading {path}").format(path=input_file)) if show else _null():
        the_method = load_method(method)
        factors = load_factors()
        loaded = load_input(input_file, the_method, limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text), catalogue=factors)
        if lang is None and loaded.template_language:
            use_language(loaded.template_language)
    _say(show, _("read and validated {path}").format(path=input_file))
    result = assess(loaded, the_method, factors)
    _say(show, _("calculated: gross {gross} tCO2e/yr, net {net} tCO2e/yr, overall score {score}, rating {rating}").format(
        gross=f"{result.emissions.gross_tco2e_per_year:,.0f}", net=f"{result.emissions.net_tco2e_per_year:,.0f}",
        score=f"{result.overall.score:.0f}" if result.overall.score is not None else "-", rating=result.overall.rating_name or "-"))
    text = results_json(result)
    if outputs:
        with console.status(_("rendering the report")) if show else _null():
            html = report_html(result, the_method, Path(loaded.path).name, date or dt.date.today().isoformat())
            for o in outputs:
                if o.suffix.lower() == ".pdf":
                    write_pdf(html, result, o, pdf_variant, input_file.read_bytes(), text)
                else:
                    write_html(html, o)
                _say(show, _("wrote {path}").format(path=o))
    if xlsx_out is not None:
        write_results_xlsx(result, xlsx_out)
        _say(show, _("wrote {path}").format(path=xlsx_out))
    if json_out == "-":
        stdout_write(text)
    elif json_out is not None:
        write_bytes_atomic(json_out, text.encode("utf-8"))
        _say(show, _("wrote {path}").format(path=json_out))


def _say(show: bool, message: str) -> None:
    if show:
        from rich.markup import escape

        console.print("[green]✓[/] " + escape(message))


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
