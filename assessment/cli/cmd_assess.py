"""`nzn assess`: one input in, the scorecard and results out (computed once)."""

from __future__ import annotations

from contextlib import nullcontext

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
    from assessment.io.atomic import refuse_overwriting_inputs

    use_language(lang)
    outputs = _check_outputs(output, json_out, xlsx_out, pdf_variant, date)
    targets = outputs + ([Path(json_out)] if json_out not in (None, "-") else []) + ([xlsx_out] if xlsx_out else [])
    refuse_overwriting_inputs(targets, [input_file])

    show = not quiet and json_out != "-"
    from assessment.report.worker import ReportBuilder

    # start the report builder first (before any thread exists), so WeasyPrint and matplotlib load on the other core
    with ReportBuilder(prefork=any(o.suffix.lower() == ".pdf" for o in outputs)) as renderer:
        _run(input_file, outputs, json_out, xlsx_out, pdf_variant, date, lang, method, show, renderer,
             limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text))


@app.command("plan")
@guard
def plan_cmd(
    input_file: Annotated[Path, typer.Argument(help="The input with measures on its Scenario sheet: .xlsx, .json or .yaml.")],
    output: Annotated[Optional[list[Path]], typer.Option("--output", "-o", help="Write the plan: .pdf or .html (repeat for both).")] = None,
    json_out: Annotated[Optional[str], typer.Option("--json", help="Write the results JSON, with scenarios[], to this file ('-' for standard output).")] = None,
    xlsx_out: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the results workbook (.xlsx), with the pathways and measures of every scenario.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date printed on the plan (YYYY-MM-DD; default: today).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no progress.")] = False,
    lang: LangOption = None,
    method: MethodOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Project business as usual and each scenario to the net-zero year: wedges, waterfall, cost curve and the scores after the plan."""
    from assessment.io.atomic import refuse_overwriting_inputs

    use_language(lang)
    outputs = _check_outputs(output, json_out, xlsx_out, None, date)
    refuse_overwriting_inputs(outputs + ([Path(json_out)] if json_out not in (None, "-") else []) + ([xlsx_out] if xlsx_out else []), [input_file])
    show = not quiet and json_out != "-"
    from assessment.report.worker import ReportBuilder

    with ReportBuilder(prefork=any(o.suffix.lower() == ".pdf" for o in outputs)) as renderer:
        _run(input_file, outputs, json_out, xlsx_out, None, date, lang, method, show, renderer,
             limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text), template="plan.html.j2")


def _check_outputs(output, json_out, xlsx_out, pdf_variant, date) -> list[Path]:
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
    return outputs


def _run(input_file, outputs, json_out, xlsx_out, pdf_variant, date, lang, method, show, renderer, limits, template="report.html.j2") -> None:
    from assessment.assess import assess, results_json
    from assessment.emissions.factors import load_factors
    from assessment.io.atomic import write_bytes_atomic
    from assessment.io.load import load_input
    from assessment.model.method import load_method
    from assessment.report import write_reports

    with console.status(_("reading {path}").format(path=input_file)) if show else nullcontext():
        the_method = load_method(method)
        factors = load_factors()
        loaded = load_input(input_file, the_method, limits, catalogue=factors)
        if lang is None and loaded.template_language:
            use_language(loaded.template_language)
    _say(show, _("read and validated {path}").format(path=input_file))
    if template == "plan.html.j2" and not loaded.model.scenario_measures:
        fail(_("{path} lists no measures: fill the Scenario sheet (table scenario_measures) to make a plan").format(path=input_file))
    result = assess(loaded, the_method, factors)
    _say(show, _("calculated: gross {gross} tCO2e/yr, net {net} tCO2e/yr, overall score {score}, rating {rating}").format(
        gross=f"{result.emissions.gross_tco2e_per_year:,.0f}", net=f"{result.emissions.net_tco2e_per_year:,.0f}",
        score=f"{result.overall.score:.0f}" if result.overall.score is not None else "-", rating=result.overall.rating_name or "-"))
    text = results_json(result)
    if outputs:
        with console.status(_("rendering the report")) if show else nullcontext():
            write_reports(result, the_method, outputs, Path(loaded.path).name, date or dt.date.today().isoformat(), pdf_variant,
                          input_file.read_bytes() if pdf_variant == "pdf/a-3b" else None, text, builder=renderer, template=template)
        for o in outputs:
            _say(show, _("wrote {path}").format(path=o))
    if xlsx_out is not None:
        from assessment.report.xlsx_out import write_results_xlsx  # openpyxl only when asked for

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

