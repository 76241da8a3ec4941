"""`nzn validate`: read an input and explain every problem by sheet and cell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from assessment.cli.app import app
from assessment.cli.common import (
    DEFAULT_FILE_MB,
    DEFAULT_UNCOMPRESSED_MB,
    EXIT_INVALID,
    LangOption,
    MaxFileMb,
    MaxRows,
    MaxText,
    MaxUncompressedMb,
    MethodOption,
    guard,
    limits_from,
    out,
    print_issues,
    stdout_write,
    use_language,
)
from assessment.errors import InputInvalid
from assessment.i18n import _
from assessment.io.limits import DEFAULT_LIMITS


@app.command("validate")
@guard
def validate(
    input_file: Annotated[Path, typer.Argument(help="The input: .xlsx workbook, .json or .yaml.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON (valid flag and every issue).")] = False,
    lang: LangOption = None,
    method: MethodOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Check an input; exit 0 when valid, 2 when not (each problem named by sheet and cell)."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.checks import ValidationReport, validate_input
    from assessment.io.input_summary import summarise
    from assessment.model.method import load_method

    use_language(lang)
    the_method = load_method(method)
    limits = limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text)
    try:
        loaded = validate_input(input_file, the_method, limits)
    except InputInvalid as exc:
        if lang is None and exc.language:
            use_language(exc.language)
        if json_output:
            stdout_write(ValidationReport.invalid(exc).to_json())
        else:
            print_issues(exc, str(input_file))
        raise typer.Exit(EXIT_INVALID) from None
    if lang is None and loaded.template_language:
        use_language(loaded.template_language)
    s = summarise(loaded.model, the_method)
    if json_output:
        stdout_write(ValidationReport.of_valid(s).to_json())
        return
    p = loaded.model.profile
    out.print(
        "[bold green]✓[/] "
        + escape(_("{source} is valid: {name}, {city} ({year})").format(source=input_file, name=p.name, city=p.city, year=p.reporting_year))
    )
    t = Table(title=_("Sections"), show_edge=False)
    t.add_column(_("Table"))
    t.add_column(_("Rows"), justify="right")
    for name, n in s.tables.items():
        t.add_row(name, str(n) if n else "[yellow]" + _("not reported") + "[/]")
    out.print(t)
    out.print(
        escape(
            _("Module indicators reported: {n} of {total}; actions with a status: {a} of {atotal}").format(
                n=s.indicators_reported, total=s.indicators_expected, a=s.actions_reported, atotal=s.actions_expected
            )
        )
    )
    if s.blank_scalars:
        out.print(escape(_("Blank (not reported): {fields}").format(fields=", ".join(s.blank_scalars))))
