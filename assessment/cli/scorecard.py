"""What `nzn assess` and `nzn plan` share: checking the output targets, then one run that writes every output."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from assessment.checks import validate_input
from assessment.cli.common import check_date, console, fail, say, stdout_write, use_language, warn
from assessment.emissions.factors import load_factors
from assessment.i18n import _
from assessment.io.atomic import check_targets, output_batch, write_bytes_atomic
from assessment.io.limits import Limits
from assessment.model.method import load_method
from assessment.pipeline import assess, results_json
from assessment.report import PDF_VARIANTS, write_reports
from assessment.report.worker import ReportBuilder

REPORT_SUFFIXES = (".pdf", ".html", ".htm")


@dataclass(frozen=True)
class AccessOptions:
    """``nzn assess --osm``: the extract, the boundary (None: the Profile's), a residents file and --overwrite."""

    osm: Path
    boundary: Path | None = None
    residents: Path | None = None
    overwrite: bool = False


def targets_of(outputs: list[Path], json_out, xlsx_out) -> list[Path]:
    """Every file the command will write."""
    return outputs + ([Path(json_out)] if json_out not in (None, "-") else []) + ([xlsx_out] if xlsx_out else [])


def check_outputs(input_file: Path, output, json_out, xlsx_out, pdf_variant, date, recording: bool = False) -> list[Path]:
    """The report targets, after refusing what cannot be written (wrong suffix, nothing to write, a missing or read-only
    folder, a folder as a file, an input as output): nothing is read or written before every target passes."""
    outputs = list(output or [])
    for o in outputs:
        if o.suffix.lower() not in REPORT_SUFFIXES:
            fail(_("the report must be .pdf or .html, got '{name}'").format(name=o.name))
    if xlsx_out is not None and xlsx_out.suffix.lower() != ".xlsx":
        fail(_("the results workbook must be .xlsx, got '{name}'").format(name=xlsx_out.name))
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        fail(_("unknown PDF variant '{v}'; choose one of: {choices}").format(v=pdf_variant, choices=", ".join(PDF_VARIANTS)))
    if not outputs and json_out is None and xlsx_out is None and not recording:
        fail(_("nothing to write: give -o report.pdf, -o report.html, --json results.json or --xlsx results.xlsx"))
    check_date(date)
    check_targets(targets_of(outputs, json_out, xlsx_out), [input_file])
    return outputs


def run(
    input_file: Path,
    outputs: list[Path],
    json_out,
    xlsx_out,
    pdf_variant,
    date,
    lang,
    method,
    show: bool,
    limits: Limits,
    template: str = "report.html.j2",
    gwp: str | None = None,
    access: AccessOptions | None = None,
    store: str | None = None,
    replace: bool = False,
) -> None:
    """Validate, assess once and write every output asked for: all of them, or none. With ``store`` (``--store``), the
    result is recorded in the history store after the outputs are written, and the scorecard compares it with the
    neighbourhood's previous recorded year; a year already recorded is refused before anything is written unless
    ``replace``."""
    # start the report builder first (before any thread exists), so WeasyPrint and matplotlib load on the other core
    with ReportBuilder(prefork=any(o.suffix.lower() == ".pdf" for o in outputs)) as renderer:
        with console.status(_("reading {path}").format(path=input_file)) if show else nullcontext():
            the_method = load_method(method)
            factors = load_factors()
            loaded = validate_input(input_file, the_method, limits, factors)
            if lang is None and loaded.template_language:
                use_language(loaded.template_language)
        say(show, _("read and validated {path}").format(path=input_file))
        measurement = None
        if access is not None:
            from assessment.cli.cmd_measure import measured_input  # start-up: the geo libraries load only for --osm

            with console.status(_("measuring along the walking network of {path}").format(path=access.osm)) if show else nullcontext():
                loaded, measurement = measured_input(
                    loaded, the_method, method, access.boundary, access.osm, access.residents, access.overwrite
                )
            say(
                show,
                _("measured {n} indicators from {path}").format(
                    n=sum(f.action != "kept_reported" for f in measurement.filled), path=access.osm
                ),
            )
        if template == "plan.html.j2" and not loaded.model.scenario_measures:
            fail(_("{path} lists no measures: fill the Scenario sheet (table scenario_measures) to make a plan").format(path=input_file))
        result = assess(loaded, the_method, factors, gwp=gwp, access=measurement)
        say(
            show,
            _("calculated: gross {gross} tCO2e/yr, net {net} tCO2e/yr, overall score {score}, rating {rating}").format(
                gross=f"{result.emissions.gross_tco2e_per_year:,.0f}",
                net=f"{result.emissions.net_tco2e_per_year:,.0f}",
                score=f"{result.overall.score:.0f}" if result.overall.score is not None else "-",
                rating=result.overall.rating_name or "-",
            ),
        )
        text = results_json(result)
        files = targets_of(outputs, json_out, xlsx_out)
        history, previous = _open_history(store, result, replace, show) if store is not None else (None, None)
        with output_batch(files, [input_file]):
            if outputs:
                with console.status(_("rendering the report")) if show else nullcontext():
                    write_reports(
                        result,
                        the_method,
                        outputs,
                        Path(loaded.path).name,
                        date or dt.date.today().isoformat(),
                        pdf_variant,
                        input_file.read_bytes() if pdf_variant == "pdf/a-3b" else None,
                        text,
                        builder=renderer,
                        template=template,
                        previous=previous,
                        warn=warn,
                    )
            if xlsx_out is not None:
                from assessment.report.xlsx_out import write_results_xlsx  # start-up: openpyxl only when a workbook is asked for

                write_results_xlsx(result, xlsx_out)
            if json_out not in (None, "-"):
                write_bytes_atomic(json_out, text.encode("utf-8"))
    if history is not None:
        with history:
            history.record([text], replace=replace)
        say(
            show,
            _("recorded {id} {year} in the store {url}").format(
                id=result.profile.neighbourhood_id, year=result.profile.reporting_year, url=history.url
            ),
        )
    for f in files:
        say(show, _("wrote {path}").format(path=f))
    if json_out == "-":
        stdout_write(text)


def _open_history(spec: str, result, replace: bool, show: bool):
    """The store ``--store`` names, and the neighbourhood's previous recorded year (its history entry, or None) for the
    scorecard's "since last year" block; a year already recorded is refused here, before any output is written."""
    from assessment.store import open_store
    from assessment.store.history import previous_entry

    nid, year = result.profile.neighbourhood_id, result.profile.reporting_year
    history = open_store(spec)
    if not replace and any(r.reporting_year == year for r in history.years(nid)):
        history.close()
        fail(
            _("{id} {year} is already in the store {url}; give --replace to record this assessment in its place").format(
                id=nid, year=year, url=history.url
            )
        )
    return history, previous_entry(history, nid, year)
