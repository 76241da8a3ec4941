"""`nzn measure`: Thriving indicators measured along the walking network of an OpenStreetMap extract.

Writes the measured values into a copy of the input workbook (``--into IN.xlsx``, to ``-o OUT.xlsx`` or
``IN.measured.xlsx``; the input is never modified) and/or the measurement as JSON (``--json``). The same
measurement runs inside ``nzn assess --osm`` (:func:`measured_input`).
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import typer

from assessment.cli.app import app
from assessment.cli.common import JsonOption, LangOption, MethodOption, QuietOption, console, fail, guard, say, stdout_write, use_language
from assessment.i18n import _

OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="Replace indicator values the workbook already holds (default: keep what the user typed).")
]
ResidentsOption = Annotated[
    Optional[Path],
    typer.Option(
        "--residents",
        help="GeoJSON of homes (points or polygons, optional 'population' property); default: residential buildings, else addresses.",
    ),
]


def measured_suffix_target(into: Path) -> Path:
    """Where ``--into IN.xlsx`` writes without ``-o``: ``IN.measured.xlsx`` beside it."""
    return into.with_name(f"{into.stem}.measured{into.suffix}")


def _measure(boundary_geom, boundary_source: str, osm: Path, the_method, method_dir, population, residents):
    from assessment.geo import require_geo

    require_geo()
    from assessment.geo.measure import measure_access
    from assessment.geo.rules import check_against_method, load_rules

    rules = load_rules(method_dir)
    check_against_method(rules, the_method)
    return measure_access(boundary_geom, osm, rules, boundary_source=boundary_source, population=population, residents_path=residents)


def measured_input(loaded, the_method, method_dir, boundary: Path | None, osm: Path, residents: Path | None, overwrite: bool):
    """For ``nzn assess --osm``: the input with the measured indicators filled, and the measurement (boundary from
    ``--boundary``, else the Profile's)."""
    from assessment.geo import require_geo

    require_geo()
    from assessment.geo.apply import apply_to_input
    from assessment.geo.boundary import parse_boundary_text, read_boundary

    if boundary is not None:
        geom, source = read_boundary(boundary), boundary.name
    elif loaded.model.profile.boundary_wkt:
        source = loaded.where(("profile", "boundary_wkt"))
        geom = parse_boundary_text(loaded.model.profile.boundary_wkt, source)
    else:
        fail(_("--osm needs the neighbourhood's boundary: give --boundary FILE (GeoJSON or WKT) or fill the Profile's boundary"))
    measurement = _measure(geom, source, osm, the_method, method_dir, loaded.model.profile.population, residents)
    return apply_to_input(loaded, measurement, overwrite)


def print_measurement(m) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=_("Measured from {extract}").format(extract=m.extract.file_name), show_lines=False)
    for head in (_("Measure"), _("Value"), _("Unit"), _("Indicator")):
        table.add_column(head)
    filled = {f.indicator: f.action for f in m.filled}
    for v in m.measures:
        value = "–" if v.value is None else f"{v.value:,.1f}"
        what = f"{v.indicator} ({filled[v.indicator]})" if v.indicator in filled else (v.indicator or "")
        table.add_row(escape(v.name), value, v.unit, what)
    console.print(table)
    from assessment.model.access import NOTICES

    for w in m.warnings:
        console.print("[yellow]![/] " + escape(_(NOTICES[w.code]).format(**w.params)))


@app.command("measure")
@guard
def measure_cmd(
    boundary: Annotated[Path, typer.Argument(help="The neighbourhood boundary: GeoJSON (Polygon/MultiPolygon, Feature) or WKT, WGS84.")],
    osm_file: Annotated[Path, typer.Argument(help="OpenStreetMap extract of the area: .osm.pbf or .osm (XML).")],
    into: Annotated[
        Optional[Path],
        typer.Option("--into", help="Input workbook whose indicator cells receive the measured values (copied, never modified)."),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Where the filled workbook goes (default: IN.measured.xlsx beside --into).")
    ] = None,
    json_out: JsonOption = None,
    overwrite: OverwriteOption = False,
    residents: ResidentsOption = None,
    quiet: QuietOption = False,
    lang: LangOption = None,
    method: MethodOption = None,
) -> None:
    """Measure walking access to daily needs, transit and green space from an OpenStreetMap extract."""
    from assessment.geo import require_geo
    from assessment.io.atomic import check_targets, output_batch, write_bytes_atomic

    use_language(lang)
    require_geo()
    if into is None and json_out is None:
        fail(_("nothing to write: give --into WORKBOOK.xlsx (the indicator cells are filled in a copy) or --json OUT.json"))
    if output is not None and into is None:
        fail(_("-o names the filled workbook: give --into WORKBOOK.xlsx too"))
    if into is not None and into.suffix.lower() != ".xlsx":
        fail(_("--into must be an .xlsx workbook made from `nzn template`, got '{name}'").format(name=into.name))
    target = (output or measured_suffix_target(into)) if into is not None else None
    if target is not None and target.suffix.lower() != ".xlsx":
        fail(_("the filled workbook must be .xlsx, got '{name}'").format(name=target.name))
    targets = ([target] if target else []) + ([Path(json_out)] if json_out not in (None, "-") else [])
    inputs = [p for p in (boundary, osm_file, into, residents) if p is not None]
    check_targets(targets, inputs)
    show = not quiet and json_out != "-"
    from assessment.checks import validate_input
    from assessment.geo.apply import write_measured_workbook
    from assessment.geo.boundary import read_boundary
    from assessment.model.method import load_method

    the_method = load_method(method)
    loaded = validate_input(into, the_method) if into is not None else None
    if loaded is not None:
        if lang is None and loaded.template_language:
            use_language(loaded.template_language)
        say(show, _("read and validated {path}").format(path=into))
    geom = read_boundary(boundary)
    population = loaded.model.profile.population if loaded is not None else None
    with console.status(_("measuring along the walking network of {path}").format(path=osm_file)) if show else nullcontext():
        m = _measure(geom, boundary.name, osm_file, the_method, method, population, residents)
    with output_batch(targets, inputs):
        if target is not None:
            m = write_measured_workbook(into, target, m, the_method, overwrite, boundary_wkt=_wkt_of(geom))
        text = m.model_dump_json(indent=2) + "\n"
        if json_out not in (None, "-"):
            write_bytes_atomic(json_out, text.encode("utf-8"))
    if show:
        print_measurement(m)
    for f in targets:
        say(show, _("wrote {path}").format(path=f))
    if json_out == "-":
        stdout_write(text)


def _wkt_of(geom) -> str | None:
    """The boundary as WKT for the Profile cell, when it fits (seven decimals: about 1 cm)."""
    import shapely

    from assessment.model.inputs import BOUNDARY_TEXT_MAX

    text = shapely.to_wkt(geom, rounding_precision=7, trim=True)
    return text if len(text) <= BOUNDARY_TEXT_MAX else None
