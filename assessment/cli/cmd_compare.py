"""`nzn compare`: two assessments side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assessment.cli.app import app
from assessment.cli.common import LangOption, MethodOption, QuietOption, console, fail, guard, use_language
from assessment.i18n import _


@app.command("compare")
@guard
def compare(
    a: Annotated[Path, typer.Argument(help="First assessment: an input file, or a results JSON from nzn assess --json.")],
    b: Annotated[Path, typer.Argument(help="Second assessment (the plan, a later year, or another neighbourhood).")],
    output: Annotated[list[Path], typer.Option("--output", "-o", help="Write the comparison: .pdf or .html (repeat for both).")],
    quiet: QuietOption = False,
    lang: LangOption = None,
    method: MethodOption = None,
) -> None:
    """Compare two assessments: every key figure and module score, and the actions that changed status."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.io.atomic import check_targets, output_batch
    from assessment.model.method import load_method
    from assessment.portfolio.compare import load_result, write_comparison

    use_language(lang)
    for o in output:
        if o.suffix.lower() not in (".pdf", ".html", ".htm"):
            fail(_("the report must be .pdf or .html, got '{name}'").format(name=o.name))
    check_targets(output, [a, b])
    the_method = load_method(method)
    ra, rb = load_result(a, the_method), load_result(b, the_method)
    with output_batch(output, [a, b]):
        write_comparison(ra, rb, the_method, (a.name, b.name), output)
    if not quiet:
        for o in output:
            console.print(_("wrote {path}").format(path=o))
