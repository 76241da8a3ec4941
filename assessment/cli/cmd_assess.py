"""`nzn assess`: one input in, the scorecard and results out (computed once)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assessment.cli.app import app
from assessment.cli.cmd_measure import OverwriteOption, ResidentsOption
from assessment.cli.common import (
    DEFAULT_FILE_MB,
    DEFAULT_UNCOMPRESSED_MB,
    DateOption,
    GwpOption,
    JsonOption,
    LangOption,
    MaxFileMb,
    MaxRows,
    MaxText,
    MaxUncompressedMb,
    MethodOption,
    QuietOption,
    ReplaceOption,
    ReportOption,
    StoreOption,
    XlsxOption,
    check_gwp,
    fail,
    guard,
    limits_from,
    use_language,
)
from assessment.i18n import _
from assessment.io.limits import DEFAULT_LIMITS


@app.command("assess")
@guard
def assess_cmd(
    input_file: Annotated[Path, typer.Argument(help="The input: .xlsx workbook, .json or .yaml.")],
    output: ReportOption = None,
    json_out: JsonOption = None,
    xlsx_out: XlsxOption = None,
    pdf_variant: Annotated[
        Optional[str], typer.Option("--pdf-variant", help="pdf/a-3b (archival; input and results attached) or pdf/ua (tagged, accessible).")
    ] = None,
    date: DateOption = None,
    quiet: QuietOption = False,
    lang: LangOption = None,
    method: MethodOption = None,
    gwp: GwpOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
    osm: Annotated[
        Optional[Path], typer.Option("--osm", help="OpenStreetMap extract (.osm.pbf or .osm): measure walking access and add a map page.")
    ] = None,
    boundary: Annotated[
        Optional[Path], typer.Option("--boundary", help="Boundary for --osm (GeoJSON or WKT, WGS84); default: the Profile's boundary.")
    ] = None,
    residents: ResidentsOption = None,
    overwrite: OverwriteOption = False,
    store: StoreOption = None,
    replace: ReplaceOption = False,
) -> None:
    """Assess a neighbourhood and write the scorecard (PDF/HTML), results JSON and results workbook."""
    from assessment.cli import scorecard  # start-up: the library loads when a command runs, not for `nzn --help`

    use_language(lang)
    gwp = check_gwp(gwp)
    if osm is None and (boundary is not None or residents is not None or overwrite):
        fail(_("--boundary, --residents and --overwrite go with --osm EXTRACT (the OpenStreetMap extract to measure)"))
    if replace and store is None:
        fail(_("--replace goes with --store (the history store to record in)"))
    outputs = scorecard.check_outputs(input_file, output, json_out, xlsx_out, pdf_variant, date, recording=store is not None)
    scorecard.run(
        input_file,
        outputs,
        json_out,
        xlsx_out,
        pdf_variant,
        date,
        lang,
        method,
        not quiet and json_out != "-",
        limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text),
        gwp=gwp,
        access=scorecard.AccessOptions(osm, boundary, residents, overwrite) if osm is not None else None,
        store=store,
        replace=replace,
    )
