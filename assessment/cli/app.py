"""The Typer application; each command lives in its own module."""

from __future__ import annotations

import typer

from assessment import __version__

app = typer.Typer(
    name="nzn",
    help="Net-zero neighbourhood assessment: fill one workbook, get a Green and Thriving Neighbourhoods scorecard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nzn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit.")) -> None:
    """Net-zero neighbourhood assessment toolkit."""


from assessment.cli import (  # noqa: E402,F401  (each module registers its command)
    cmd_assess, cmd_batch, cmd_compare, cmd_factors, cmd_plan, cmd_schema, cmd_template, cmd_validate,
)


def main() -> None:
    app()
