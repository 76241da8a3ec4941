"""Year-by-year projection: business as usual and each scenario, through the one emissions engine.

For every year from the reporting year to the net-zero target year:

* business as usual (BAU) = today's input with travel, waste and
  whole-neighbourhood consumption scaled by population growth and building
  energy by floor-area growth, (1 + g)^t, and the grid factor of that year;
* a scenario = BAU of that year with its measures applied in lever-family
  order, each at its size in that year (a straight-line ramp from the start year
  to the full-effect year);
* the abatement of measure k = net after measures 1..k-1 minus net after
  measures 1..k, so the abatements add up exactly to BAU minus scenario.

Every figure is a sum of the engine's own line items, through
:func:`assessment.emissions.totals.totals`; its :class:`~assessment.emissions.totals.LineMemo`
remembers each line function's total by the content of the input fields the
function read, so re-running the engine after a measure recomputes just the
lines whose inputs it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assessment.emissions.factors import FactorSet
from assessment.emissions.operational import grid_factor_id
from assessment.i18n import N_
from assessment.model.enums import Basis
from assessment.model.inputs import NeighbourhoodInput, ProjectionSettings

# --------------------------------------------------------------------------- business as usual


def growth(rate_pct: float, years: int) -> float:
    """Compound growth factor (1 + g)^t."""
    return (1 + rate_pct / 100.0) ** years


def bau_input(m: NeighbourhoodInput, years: int, settings: ProjectionSettings) -> NeighbourhoodInput:
    """Today's input grown ``years`` ahead: population scales travel, waste and whole-neighbourhood consumption
    (per-resident and per-household figures scale through the head counts); floor area scales building energy."""
    if years == 0 or (settings.population_growth_pct_per_year == 0 and settings.floor_area_growth_pct_per_year == 0):
        return m
    pop, area = growth(settings.population_growth_pct_per_year, years), growth(settings.floor_area_growth_pct_per_year, years)
    p = m.profile
    gfa = {
        f: getattr(p, f) * area
        for f in ("gfa_residential_m2", "gfa_office_m2", "gfa_retail_m2", "gfa_public_m2", "gfa_industrial_m2", "gfa_other_m2")
        if getattr(p, f) is not None
    }
    profile = p.model_copy(
        update={
            "population": max(1, round(p.population * pop)),
            "households": None if p.households is None else max(1, round(p.households * pop)),
            **gfa,
        }
    )
    travel = [
        r.model_copy(
            update={"annual_amount": r.annual_amount * pop} if r.annual_amount is not None else {"trips_per_day": r.trips_per_day * pop}
        )
        for r in m.transport_activity
    ]
    return m.model_copy(
        update={
            "profile": profile,
            "energy_use": [r.model_copy(update={"amount": r.amount * area}) for r in m.energy_use],
            "transport_activity": travel,
            "waste": [r.model_copy(update={"tonnes_per_year": r.tonnes_per_year * pop}) for r in m.waste],
            "consumption": [r.model_copy(update={"amount": r.amount * pop}) if r.basis == Basis.total else r for r in m.consumption],
        }
    )


@dataclass(frozen=True)
class GridPath:
    kind: str  # stated | library | constant
    source: str
    kg_per_kwh: dict[int, float]


def grid_path(m: NeighbourhoodInput, factors: FactorSet, years: range) -> GridPath:
    """Grid factor of each year, indexed to today's library (or overridden) factor.

    Stated: factor x (1 + c)^t with the workbook's yearly change c. Library: today's
    factor x T(year) / T(reporting year), T a published trajectory
    ``grid_trajectory.<region>.<year>`` (linear between its years, flat beyond).
    Else constant.
    """
    fid = grid_factor_id(m)
    f = factors.get(fid)
    today = f.kgco2e_per_unit if f is not None else 0.0
    start = years.start
    stated = m.projection.grid_factor_change_pct_per_year
    if stated is not None:
        return GridPath("stated", f"workbook: {stated:g} % a year", {y: today * growth(stated, y - start) for y in years})
    region = m.profile.grid_region.value
    points = factors.grid_trajectory(region)
    if points:
        at = lambda y: _interpolate([(yr, p.value) for yr, p in points], y)  # noqa: E731
        base = at(start)
        if base > 0:
            return GridPath("library", points[0][1].source, {y: today * at(y) / base for y in years})
    return GridPath("constant", N_("held at the reporting-year factor"), {y: today for y in years})


def _interpolate(points: list[tuple[int, float]], year: int) -> float:
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in zip(points, points[1:]):
        if year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def factor_sets(m: NeighbourhoodInput, factors: FactorSet, path: GridPath) -> dict[int, FactorSet]:
    """One factor set a year with that year's grid factor (years with the same value share one set)."""
    fid = grid_factor_id(m)
    base = factors.get(fid)
    out: dict[int, FactorSet] = {}
    by_value: dict[float, FactorSet] = {}
    for year, value in path.kg_per_kwh.items():
        if base is None or value == base.kgco2e_per_unit:
            out[year] = factors
            continue
        if value not in by_value:
            changed = replace(base, kgco2e_per_unit=value, year=year, notes=f"projected for {year}: {path.source}")
            by_value[value] = replace(factors, factors={**factors.factors, fid: changed})
        out[year] = by_value[value]
    return out


def ramp(start_year: int, full_effect_year: int, year: int) -> float:
    """Share of a measure's size in effect in ``year``: 0 before the start year, rising in a straight line to 1 in the full-effect year."""
    if year < start_year:
        return 0.0
    if year >= full_effect_year:
        return 1.0
    return (year - start_year + 1) / (full_effect_year - start_year + 1)
