"""`nzn assess`: one input in, the scorecard and results out."""

from __future__ import annotations

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


@app.command("assess")
@guard
def assess_cmd(
    input_file: Annotated[Path, typer.Argument(help="The input: .xlsx workbook, .json or .yaml.")],
    json_out: Annotated[Optional[str], typer.Option("--json", help="Write the results JSON to this file ('-' for standard output).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no progress.")] = False,
    lang: LangOption = None,
    method: MethodOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Assess a neighbourhood: emissions account, module scores, pillars and rating."""
    from assessment.assess import assess_file, results_json
    from assessment.io.atomic import refuse_overwriting_inputs, write_bytes_atomic

    use_language(lang)
    if json_out is None:
        fail(_("say where to write the results: --json results.json (or --json - for standard output)"))
    outputs = [Path(json_out)] if json_out != "-" else []
    refuse_overwriting_inputs(outputs, [input_file])
    say = (lambda msg: None) if quiet or json_out == "-" else (lambda msg: console.print(msg))
    say(_("reading and validating {path}").format(path=input_file))
    _loaded, result = assess_file(input_file, method, limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text))
    say(_("calculated: gross {gross:,.0f} tCO2e/yr, net {net:,.0f} tCO2e/yr, overall score {score}").format(
        gross=result.emissions.gross_tco2e_per_year, net=result.emissions.net_tco2e_per_year,
        score=f"{result.overall.score:.0f}" if result.overall.score is not None else "-"))
    text = results_json(result)
    if json_out == "-":
        stdout_write(text)
    else:
        write_bytes_atomic(json_out, text.encode("utf-8"))
        say(_("wrote {path}").format(path=json_out))
