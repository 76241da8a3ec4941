"""`nzn plan`: the pathway to net zero of the scenarios on the Scenario sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assessment.cli.app import app
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
    ReportOption,
    XlsxOption,
    check_gwp,
    guard,
    limits_from,
    use_language,
)
from assessment.io.limits import DEFAULT_LIMITS


@app.command("plan")
@guard
def plan_cmd(
    input_file: Annotated[Path, typer.Argument(help="The input with measures on its Scenario sheet: .xlsx, .json or .yaml.")],
    output: ReportOption = None,
    json_out: JsonOption = None,
    xlsx_out: XlsxOption = None,
    date: DateOption = None,
    quiet: QuietOption = False,
    lang: LangOption = None,
    method: MethodOption = None,
    gwp: GwpOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Project business as usual and each scenario to the net-zero year: wedges, waterfall, cost curve and the scores after the plan."""
    from assessment.cli import scorecard  # start-up: the library loads when a command runs, not for `nzn --help`

    use_language(lang)
    gwp = check_gwp(gwp)
    outputs = scorecard.check_outputs(input_file, output, json_out, xlsx_out, None, date)
    scorecard.run(
        input_file,
        outputs,
        json_out,
        xlsx_out,
        None,
        date,
        lang,
        method,
        not quiet and json_out != "-",
        limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text),
        gwp=gwp,
        template="plan.html.j2",
    )
