"""`nzn factors`: list and show the emission-factor library."""

from __future__ import annotations

import dataclasses
import difflib
import json
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from assessment.cli.app import app
from assessment.cli.common import fail, out, stdout_write
from assessment.i18n import _

factors_app = typer.Typer(help="List and show the emission-factor library.", no_args_is_help=True)
app.add_typer(factors_app, name="factors")


@factors_app.command("list")
def list_factors(
    category: Annotated[
        Optional[str],
        typer.Option(
            "--category",
            "-c",
            help="Only this category (electricity, fuel, heat, transport, flight, freight, waste, material, consumption, removal).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the factors (id, value, unit, region, year, source)."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.emissions.factors import load_factors

    fs = load_factors()
    rows = [f for f in fs.factors.values() if category is None or f.category == category]
    if category is not None and not rows:
        fail(_("no factors in category '{category}'; categories: {choices}").format(category=category, choices=", ".join(fs.categories())))
    if as_json:
        stdout_write(
            json.dumps({"factors_version": fs.version, "factors": [dataclasses.asdict(f) for f in rows]}, indent=2, ensure_ascii=False)
            + "\n"
        )
        return
    t = Table(title=_("Emission factors (library {version})").format(version=fs.version), show_lines=False)
    for col in (_("Id"), _("Value"), _("Unit"), _("Region"), _("Year"), _("Source")):
        t.add_column(col, overflow="fold")
    for f in rows:
        t.add_row(escape(f.id), f"{f.kgco2e_per_unit:g}", "kgCO2e/" + f.unit, f.region, str(f.year), escape(f.source[:70]))
    out.print(t)


@factors_app.command("show")
def show_factor(factor_id: Annotated[str, typer.Argument(help="Factor id, e.g. elec.grid.CN-East.")]) -> None:
    """Show one factor with its full citation."""
    # start-up: the library loads when a command runs, not for `nzn --help`
    from assessment.emissions.factors import load_factors

    fs = load_factors()
    f = fs.get(factor_id)
    if f is None:
        guess = difflib.get_close_matches(factor_id, list(fs.factors), n=3)
        fail(
            _("no factor '{id}'").format(id=factor_id)
            + (("; " + _("did you mean: {guess}").format(guess=", ".join(guess))) if guess else "")
        )
    for key, value in dataclasses.asdict(f).items():
        if value not in (None, "") and key not in ("overridden", "library_value"):
            out.print(f"[bold]{key}[/]: {escape(str(value))}")
