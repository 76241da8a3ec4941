"""`nzn template`: write the input workbook (blank, or a filled example)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assessment.cli.app import app
from assessment.cli.common import LangOption, MethodOption, console, fail, guard, use_language
from assessment.i18n import _, get_language


@app.command("template")
@guard
def template(
    output: Annotated[Path, typer.Argument(help="Where to write the workbook (.xlsx).")],
    example: Annotated[
        Optional[str], typer.Option("--example", help="Write a filled example instead of a blank template (see --list-examples).")
    ] = None,
    lang: LangOption = None,
    method: MethodOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it already exists.")] = False,
) -> None:
    """Write the input workbook, generated from the input model and the method."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.emissions.factors import load_factors
    from assessment.io.examples import example_names, load_example
    from assessment.io.template import write_template
    from assessment.model.method import load_method

    use_language(lang)
    if get_language() not in ("en", "zh"):
        fail(_("a workbook is written in one language: --lang en or --lang zh"))
    if output.suffix.lower() != ".xlsx":
        fail(_("the template must be written as .xlsx, got '{name}'").format(name=output.name))
    if (output.exists() or output.is_symlink()) and not force:
        fail(_("{path} already exists; nothing was written (use --force to replace it)").format(path=output))
    model = None
    if example is not None:
        if example not in example_names():
            fail(_("unknown example '{name}'; choose one of: {choices}").format(name=example, choices=", ".join(example_names())))
        model = load_example(example)
    write_template(output, load_method(method), load_factors(), model, lang=get_language())
    console.print(_("wrote {path}").format(path=output))
