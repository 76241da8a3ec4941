"""Cross-field rules on a model that passed field validation (as far as it did): checks that need only the input
and the method.

Each check yields a :class:`Problem` at a model location; the loader turns
locations into ``Sheet!Cell`` addresses or JSON paths. The checks that need the
factor library, the levers or the engine are a later stage (:mod:`assessment.checks`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator, NamedTuple

from assessment.i18n import N_
from assessment.model.enums import Carrier, ConsumptionItem, ConsumptionUnit, EnergyUnit, ProjectType
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import Method


class Problem(NamedTuple):
    """What a check found: the model location, a stable code, the message template and its parameters."""

    loc: tuple
    code: str
    template: str
    params: dict[str, Any]


#: What a rule yields: (location, code, message template, parameters), made a :class:`Problem` by :func:`cross_checks`.
Check = tuple[tuple, str, str, dict[str, Any]]

#: Percentage shares must sum to 100 within this tolerance [percentage points].
SHARE_TOLERANCE_PCT = 1.0

ENERGY_DIMENSION = {
    EnergyUnit.kWh: "energy",
    EnergyUnit.MWh: "energy",
    EnergyUnit.GJ: "energy",
    EnergyUnit.therm: "energy",
    EnergyUnit.m3: "volume",
    EnergyUnit.litre: "volume",
    EnergyUnit.tonne: "mass",
}
#: Which kinds of unit make sense for each carrier.
CARRIER_DIMENSIONS = {
    Carrier.grid_electricity: {"energy"},
    Carrier.district_heat: {"energy"},
    Carrier.district_cooling: {"energy"},
    Carrier.natural_gas: {"energy", "volume", "mass"},
    Carrier.lpg: {"energy", "volume", "mass"},
    Carrier.heating_oil: {"energy", "volume", "mass"},
    Carrier.diesel: {"energy", "volume", "mass"},
    Carrier.coal: {"energy", "mass"},
    Carrier.biomass: {"energy", "mass"},
    Carrier.other: {"energy", "volume", "mass"},
}
FLIGHTS = {ConsumptionItem.flights_domestic, ConsumptionItem.flights_short_haul, ConsumptionItem.flights_long_haul}


def cross_checks(m: NeighbourhoodInput, method: Method) -> list[Problem]:
    """Every cross-field rule on a (possibly partial) model; those that need the profile skip a broken one."""
    out: list[Problem] = []
    needs_profile = (_years, _population, _consumption)
    for check in (_years, _population, _shares, _energy, _renewables, _transport, _consumption, _construction, _modules):
        if m.profile is None and check in needs_profile:
            continue  # the profile itself has errors, reported already
        out.extend(Problem(*p) for p in check(m, method))
    return out


def _years(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    p = m.profile
    if p.baseline_year is not None and p.baseline_year > p.reporting_year:
        yield (
            ("profile", "baseline_year"),
            "year-order",
            N_("the baseline year {baseline} is after the reporting year {reporting}"),
            {"baseline": p.baseline_year, "reporting": p.reporting_year},
        )
    if p.target_net_zero_year <= p.reporting_year:
        yield (
            ("profile", "target_net_zero_year"),
            "year-order",
            N_("the net-zero target year {target} must be after the reporting year {reporting}"),
            {"target": p.target_net_zero_year, "reporting": p.reporting_year},
        )
    if (p.interim_target_year is None) != (p.interim_target_reduction_pct is None):
        loc = ("profile", "interim_target_reduction_pct" if p.interim_target_year is not None else "interim_target_year")
        yield loc, "interim-pair", N_("give both the interim target year and its reduction, or neither"), {}
    if p.interim_target_year is not None:
        start = p.baseline_year if p.baseline_year is not None else p.reporting_year
        if not start < p.interim_target_year <= p.target_net_zero_year:
            yield (
                ("profile", "interim_target_year"),
                "year-order",
                N_(
                    "the interim target year {interim} must lie after the baseline year {start} and no later than the net-zero year "
                    "{target}"
                ),
                {"interim": p.interim_target_year, "start": start, "target": p.target_net_zero_year},
            )
    if p.baseline_net_tco2e is not None and p.baseline_year is None:
        yield ("profile", "baseline_year"), "baseline-year", N_("baseline emissions are given, so the baseline year is needed too"), {}


def _population(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    p = m.profile
    if p.households is not None and p.households > p.population:
        yield (
            ("profile", "households"),
            "households",
            N_("{households} households is more than the population of {population}"),
            {"households": p.households, "population": p.population},
        )
    if p.gfa_total_m2 is None:
        yield ("profile", "gfa_residential_m2"), "no-floor-area", N_("give the gross floor area of at least one use"), {}


def _share_sum(rows: list, field: str, key: str) -> Iterator[Check]:
    if not rows:
        return
    seen = Counter(getattr(r, key) for r in rows)
    for i, r in enumerate(rows):
        if seen[getattr(r, key)] > 1:
            yield (field, i, key), "duplicate", N_("'{value}' appears more than once; give one row each"), {"value": getattr(r, key).value}
            return
    total = sum(r.share_pct for r in rows)
    if abs(total - 100) > SHARE_TOLERANCE_PCT:
        yield (field,), "share-sum", N_("the shares in table {table} add up to {total}%, not 100%"), {"table": field, "total": f"{total:g}"}


def _shares(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    yield from _share_sum(m.mode_shares, "mode_shares", "mode")
    yield from _share_sum(m.diet_profile, "diet_profile", "diet")


def _energy(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    for i, row in enumerate(m.energy_use):
        if ENERGY_DIMENSION[row.unit] not in CARRIER_DIMENSIONS[row.carrier]:
            yield (
                ("energy_use", i, "unit"),
                "unit-carrier",
                N_("the unit {unit} does not suit {carrier}; use an energy unit (kWh, MWh, GJ, therm)"),
                {"unit": row.unit.value, "carrier": row.carrier.value},
            )


def _renewables(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    for i, row in enumerate(m.renewable_generation):
        used = (row.self_consumed_kwh or 0) + (row.exported_kwh or 0)
        if used > row.generated_kwh * 1.001 + 1e-9:
            yield (
                ("renewable_generation", i, "self_consumed_kwh"),
                "generation-split",
                N_("self-consumed plus exported ({used:g} kWh) is more than generated ({generated:g} kWh)"),
                {"used": used, "generated": row.generated_kwh},
            )


#: Modes whose library factors are per passenger-km only (no vehicle occupancy to convert vehicle-km).
PKM_ONLY_MODES = {"walk", "cycle", "bus", "metro_tram", "rail"}


def _transport(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    for i, row in enumerate(m.transport_activity):
        if row.mode.value in PKM_ONLY_MODES and row.unit is not None and row.unit.value == "vkm" and row.occupancy is None:
            yield (
                ("transport_activity", i, "unit"),
                "transport-vkm",
                N_("give {mode} in passenger-km (pkm), or state the occupancy to convert vehicle-km"),
                {"mode": row.mode.value},
            )
        by_distance = row.annual_amount is not None
        by_trips = row.trips_per_day is not None or row.average_trip_km is not None
        if by_distance and by_trips:
            yield (
                ("transport_activity", i, "trips_per_day"),
                "transport-basis",
                N_("give either the annual distance or trips per day with trip length, not both"),
                {},
            )
        elif by_distance and row.unit is None:
            yield ("transport_activity", i, "unit"), "transport-unit", N_("give the unit of the annual distance (vkm or pkm)"), {}
        elif not by_distance and (row.trips_per_day is None or row.average_trip_km is None):
            loc = "trips_per_day" if row.trips_per_day is None else "average_trip_km"
            yield (
                ("transport_activity", i, loc),
                "transport-basis",
                N_("give the annual distance, or both trips per day and average trip length"),
                {},
            )


def _consumption(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    for i, row in enumerate(m.consumption or []):
        if row.item in FLIGHTS:
            allowed = {ConsumptionUnit.pkm, ConsumptionUnit.trip}
        else:  # devices too: the library has no open per-item factor, so they are spend-based (or a reported footprint)
            allowed = {ConsumptionUnit.money, ConsumptionUnit.kgco2e}
        if row.unit not in allowed:
            yield (
                ("consumption", i, "unit"),
                "consumption-unit",
                N_("the unit {unit} does not suit {item}; use {allowed}"),
                {"unit": row.unit.value, "item": row.item.value, "allowed": " or ".join(sorted(u.value for u in allowed))},
            )
        elif row.unit == ConsumptionUnit.trip and row.average_trip_km is None:
            yield ("consumption", i, "average_trip_km"), "trip-length", N_("flights given as trips need the average trip length"), {}
        elif row.unit == ConsumptionUnit.kgco2e and not (row.notes or "").strip():
            yield (
                ("consumption", i, "notes"),
                "footprint-source",
                N_("a footprint given in kgCO2e needs its source in the notes (the survey or calculator it comes from)"),
                {},
            )
        if row.basis.value == "per_household" and m.profile.households is None:
            yield (
                ("consumption", i, "basis"),
                "households-needed",
                N_("a per-household figure needs the number of households on the Profile sheet"),
                {},
            )


def _construction(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    ids = Counter(p.project_id for p in m.construction_projects)
    for i, p in enumerate(m.construction_projects):
        if ids[p.project_id] > 1:
            yield (
                ("construction_projects", i, "project_id"),
                "duplicate",
                N_("'{value}' appears more than once; give one row each"),
                {"value": p.project_id},
            )
        if (
            p.project_type in (ProjectType.new_build, ProjectType.retrofit)
            and p.building_type.value != "infrastructure"
            and p.gfa_m2 is None
        ):
            yield ("construction_projects", i, "gfa_m2"), "gfa-needed", N_("a building project needs its gross floor area"), {}
    for i, mat in enumerate(m.construction_materials):
        if mat.project_id not in ids:
            yield (
                ("construction_materials", i, "project_id"),
                "unknown-project",
                N_("no project '{value}' on the Construction sheet"),
                {"value": mat.project_id},
            )


def _modules(m: NeighbourhoodInput, method: Method) -> Iterator[Check]:
    indicators = method.indicator_index()
    actions = method.action_index()
    for field, rows, known, key in (
        ("module_indicators", m.module_indicators, indicators, "indicator_id"),
        ("module_actions", m.module_actions, actions, "action_id"),
    ):
        seen: set[str] = set()
        for i, row in enumerate(rows):
            rid = getattr(row, key)
            if rid not in known:
                yield (field, i, key), "unknown-id", N_("'{value}' is not an id of the method in use"), {"value": rid}
            elif rid in seen:
                yield (field, i, key), "duplicate", N_("'{value}' appears more than once; give one row each"), {"value": rid}
            seen.add(rid)
    for i, row in enumerate(m.module_indicators):
        if row.indicator_id in indicators and not indicators[row.indicator_id][1].reported and row.value is not None:
            yield (
                ("module_indicators", i, "value"),
                "computed-indicator",
                N_("indicator {value} is computed from the other sheets; leave this cell blank"),
                {"value": row.indicator_id},
            )
