"""Scenario levers: short pure functions that return a changed input.

Each lever takes the whole input and a :class:`Dose` (the measure's size in the
year at hand, its performance figure and resolved codes) and returns a new
:class:`NeighbourhoodInput` in which only activity data changed. Emissions are
then computed by the same engine and factors as the scorecard; no lever holds a
formula for emissions. What each lever does is stated in modules/levers.toml
and docs/methodology.md.

Shares are fractions of what the input holds when the lever runs: levers run in
family order (demand reduction, efficiency, fuel switching, supply
decarbonisation, removals), so each acts on what earlier measures left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from assessment.emissions.factors import FactorSet
from assessment.emissions.lookup import gross_kwh_per_unit
from assessment.errors import MethodError
from assessment.model.enums import (
    BuildingUse,
    Carrier,
    ConsumptionItem,
    DataQuality,
    Diet,
    DistanceUnit,
    EnergyUnit,
    RenewableTechnology,
    ShareMode,
    TransportMode,
    WasteStream,
    WasteTreatment,
)
from assessment.model.inputs import DietShare, EnergyUse, ModeShare, NeighbourhoodInput, RenewableGeneration, TransportActivity, Waste
from assessment.model.lever_catalogue import LeverCatalogue
from assessment.units import factor_to

DAYS_PER_YEAR = 365  # the engine's convention for trips per day (assessment.emissions.operational)
FOSSIL_HEATING = (Carrier.natural_gas, Carrier.lpg, Carrier.heating_oil, Carrier.coal)
CAR_MODES = (TransportMode.car_petrol, TransportMode.car_diesel, TransportMode.car_hybrid, TransportMode.car_electric)
FUEL_CARS = (TransportMode.car_petrol, TransportMode.car_diesel, TransportMode.car_hybrid)
SHIFT_MODES = (
    TransportMode.bus,
    TransportMode.metro_tram,
    TransportMode.rail,
    TransportMode.cycle,
    TransportMode.walk,
    TransportMode.e_bike,
)
FLIGHTS = (ConsumptionItem.flights_domestic, ConsumptionItem.flights_short_haul, ConsumptionItem.flights_long_haul)
SPEND_ITEMS = tuple(i for i in ConsumptionItem if i not in FLIGHTS)
DIVERT_TO = (WasteTreatment.recycling, WasteTreatment.composting, WasteTreatment.anaerobic_digestion, WasteTreatment.incineration)
ORGANIC_TREATMENTS = (WasteTreatment.composting, WasteTreatment.anaerobic_digestion)
#: Trip-share mode of each travel mode a car trip can move to.
SHARE_MODE = {
    TransportMode.bus: ShareMode.bus,
    TransportMode.metro_tram: ShareMode.metro_tram,
    TransportMode.rail: ShareMode.rail,
    TransportMode.cycle: ShareMode.cycle,
    TransportMode.walk: ShareMode.walk,
    TransportMode.e_bike: ShareMode.e_bike,
    TransportMode.taxi: ShareMode.taxi,
}


def lever_params(lever, factors: FactorSet) -> dict[str, float]:
    """The values of a lever's parameters from the factor library (with the input's overrides applied)."""
    out = {}
    for name, p in lever.parameters.items():
        found = factors.param(p.parameter)
        if found is None:
            raise MethodError(f"lever {lever.id}: parameter {name} names '{p.parameter}', which the factor library lacks")
        out[name] = found.value
    return out


@dataclass(frozen=True)
class Dose:
    """One measure as a lever sees it in one year."""

    size: float  # the measure's size in this year (full size x ramp), in the lever's size unit
    performance: float | None
    applies_to: str | None  # resolved code, or None for everything the lever covers
    switch_to: str | None
    label: str  # "scenario / measure id", written into the notes of rows a lever adds
    factors: FactorSet
    params: Mapping[str, float] = field(default_factory=dict)
    start_year: int = 0

    @property
    def share(self) -> float:
        """The size as a fraction, for levers sized in %."""
        return self.size / 100.0


def _added(label: str) -> dict:
    return {"data_quality": DataQuality.estimated, "notes": f"scenario measure {label}"}


def _scaled(row, factor: float, **update):
    """A transport row with its distance (annual amount or trips per day) multiplied by ``factor``."""
    key = "annual_amount" if row.annual_amount is not None else "trips_per_day"
    return row.model_copy(update={key: getattr(row, key) * factor, **update})


# --------------------------------------------------------------------------- demand reduction


def diet_shift(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """share_g' = share_g x (1 - s) + 100 s for the chosen diet g (s = share of residents who change)."""
    s, to = d.share, Diet(d.switch_to)
    rows = [r.model_copy(update={"share_pct": r.share_pct * (1 - s) + (100.0 * s if r.diet == to else 0.0)}) for r in m.diet_profile]
    if all(r.diet != to for r in rows):
        rows.append(DietShare(diet=to, share_pct=100.0 * s, **_added(d.label)))
    return m.model_copy(update={"diet_profile": rows})


def _cut_consumption(m: NeighbourhoodInput, d: Dose, items: tuple) -> NeighbourhoodInput:
    rows = [r.model_copy(update={"amount": r.amount * (1 - d.share)}) if r.item in items else r for r in m.consumption]
    return m.model_copy(update={"consumption": rows})


def flight_reduction(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Flown amount x (1 - s) for the chosen flight type, or every flight type."""
    return _cut_consumption(m, d, (ConsumptionItem(d.applies_to),) if d.applies_to else FLIGHTS)


def spending_reduction(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Spend x (1 - s) for the chosen item, or every item bought with money (flights excluded)."""
    return _cut_consumption(m, d, (ConsumptionItem(d.applies_to),) if d.applies_to else SPEND_ITEMS)


def passenger_km(row: TransportActivity, factors: FactorSet) -> float:
    """A car row's passenger-km a year: pkm as given, vkm x occupancy (the row's, else the library default), or trips x km x 365."""
    if row.annual_amount is None:
        return row.trips_per_day * row.average_trip_km * DAYS_PER_YEAR
    if row.unit == DistanceUnit.pkm:
        return row.annual_amount
    kind = "taxi" if row.mode == TransportMode.taxi else "car"
    occupancy = row.occupancy or factors.param(f"occupancy.{kind}.persons_per_vehicle").value
    return row.annual_amount * occupancy


def mode_shift(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Car rows x (1 - s); their shifted passenger-km s x pkm become a new row of the chosen mode.

    The trip share of car (or taxi) moves to the chosen mode in proportion to the
    passenger-km moved from that share mode.
    """
    s, to = d.share, TransportMode(d.switch_to)
    sources = (TransportMode(d.applies_to),) if d.applies_to else CAR_MODES
    rows, moved, total = [], {}, {}
    for r in m.transport_activity:
        if r.mode in CAR_MODES or r.mode == TransportMode.taxi:
            group = ShareMode.taxi if r.mode == TransportMode.taxi else ShareMode.car
            pkm = passenger_km(r, d.factors)
            total[group] = total.get(group, 0.0) + pkm
            if r.mode in sources:
                moved[group] = moved.get(group, 0.0) + s * pkm
                rows.append(_scaled(r, 1 - s))
                continue
        rows.append(r)
    shifted = sum(moved.values())
    if shifted > 0:
        rows.append(TransportActivity(mode=to, annual_amount=shifted, unit=DistanceUnit.pkm, **_added(d.label)))
    shares = list(m.mode_shares)
    for group, pkm in moved.items():
        shares = _move_share(shares, group, SHARE_MODE[to], pkm / total[group] if total[group] else 0.0, d.label)
    return m.model_copy(update={"transport_activity": rows, "mode_shares": shares})


def _move_share(rows: list[ModeShare], source: ShareMode, target: ShareMode, fraction: float, label: str) -> list[ModeShare]:
    moved = sum(r.share_pct * fraction for r in rows if r.mode == source)
    if moved <= 0:
        return rows
    out = [r.model_copy(update={"share_pct": r.share_pct * (1 - fraction)}) if r.mode == source else r for r in rows]
    if any(r.mode == target for r in out):
        return [r.model_copy(update={"share_pct": r.share_pct + moved}) if r.mode == target else r for r in out]
    return [*out, ModeShare(mode=target, share_pct=moved, **_added(label))]


def waste_reduction(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Tonnes x (1 - s) for the chosen stream, or every stream."""
    rows = [
        r.model_copy(update={"tonnes_per_year": r.tonnes_per_year * (1 - d.share)}) if d.applies_to in (None, r.stream.value) else r
        for r in m.waste
    ]
    return m.model_copy(update={"waste": rows})


# --------------------------------------------------------------------------- efficiency


def _building_row(r: EnergyUse, applies_to: str | None) -> bool:
    if applies_to is None:
        return r.use_type != BuildingUse.street_lighting
    return r.use_type.value == applies_to


def building_retrofit(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Energy x (1 - s x p): share s of the floor area retrofitted, saving p in the retrofitted part."""
    cut = d.share * d.performance / 100.0
    rows = [r.model_copy(update={"amount": r.amount * (1 - cut)}) if _building_row(r, d.applies_to) else r for r in m.energy_use]
    return m.model_copy(update={"energy_use": rows})


# --------------------------------------------------------------------------- fuel switching


def heat_pump(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Fossil heating fuel x (1 - s); added grid electricity [kWh] = s x fuel [kWh gross] x boiler efficiency / COP.

    The heat the boilers delivered (fuel x seasonal efficiency) is delivered by
    heat pumps instead, which draw heat / seasonal COP of electricity.
    """
    s, cop, efficiency = d.share, d.performance, d.params["boiler_seasonal_efficiency"]
    rows, added = [], []
    for r in m.energy_use:
        if r.carrier in FOSSIL_HEATING and _building_row(r, d.applies_to) and s > 0:
            kwh_per_unit = gross_kwh_per_unit(d.factors, r.carrier.value, r.unit.value)
            if kwh_per_unit is None:
                raise LeverError(f"no calorific value to convert {r.unit.value} of {r.carrier.value} to kWh")
            heat_kwh = s * r.amount * kwh_per_unit[0] * efficiency
            rows.append(r.model_copy(update={"amount": r.amount * (1 - s)}))
            added.append(
                EnergyUse(
                    group=r.group,
                    use_type=r.use_type,
                    carrier=Carrier.grid_electricity,
                    amount=heat_kwh / cop,
                    unit=EnergyUnit.kWh,
                    **_added(d.label),
                )
            )
        else:
            rows.append(r)
    return m.model_copy(update={"energy_use": rows + added})


def ev_switch(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Distance of the chosen fuel cars x (1 - s); the same s x distance is driven by battery-electric cars."""
    sources = (TransportMode(d.applies_to),) if d.applies_to else FUEL_CARS
    rows, added = [], []
    for r in m.transport_activity:
        if r.mode in sources and d.share > 0:
            rows.append(_scaled(r, 1 - d.share))
            added.append(_scaled(r, d.share, mode=TransportMode.car_electric, **_added(d.label)))
        else:
            rows.append(r)
    return m.model_copy(update={"transport_activity": rows + added})


def waste_diversion(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Landfilled tonnes x (1 - s); s x tonnes go to the chosen treatment (mixed waste to composting or AD counts as food waste)."""
    to = WasteTreatment(d.switch_to)
    rows, added = [], []
    for r in m.waste:
        if r.treatment == WasteTreatment.landfill and d.applies_to in (None, r.stream.value) and d.share > 0:
            rows.append(r.model_copy(update={"tonnes_per_year": r.tonnes_per_year * (1 - d.share)}))
            stream = WasteStream.food if r.stream == WasteStream.mixed and to in ORGANIC_TREATMENTS else r.stream
            added.append(Waste(stream=stream, treatment=to, tonnes_per_year=r.tonnes_per_year * d.share, **_added(d.label)))
        else:
            rows.append(r)
    return m.model_copy(update={"waste": rows + added})


# --------------------------------------------------------------------------- supply decarbonisation


def rooftop_pv(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Generation = kWp x yield; up to the buildings' grid use it replaces grid imports (rows scaled), the rest is exported."""
    generated = d.size * d.performance
    if generated <= 0:
        return m

    def is_building_grid(r: EnergyUse) -> bool:  # street lighting runs at night: daytime PV does not supply it
        return r.carrier == Carrier.grid_electricity and _building_row(r, None)

    grid_kwh = sum(r.amount * factor_to(r.unit.value, "kWh") for r in m.energy_use if is_building_grid(r))
    used = min(generated, grid_kwh)
    keep = 1 - used / grid_kwh if grid_kwh > 0 else 1.0
    rows = [r.model_copy(update={"amount": r.amount * keep}) if is_building_grid(r) else r for r in m.energy_use]
    pv = RenewableGeneration(
        system=f"PV, {d.label}",
        technology=RenewableTechnology.solar_pv,
        capacity_kw=d.size,
        generated_kwh=generated,
        self_consumed_kwh=used,
        exported_kwh=generated - used,
        **_added(d.label),
    )
    return m.model_copy(update={"energy_use": rows, "renewable_generation": [*m.renewable_generation, pv]})


def low_carbon_concrete(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Concrete of projects not complete by the start year: quantity x (1 - s) stays, s x quantity becomes the chosen concrete."""
    projects = {
        p.project_id
        for p in m.construction_projects
        if (d.applies_to is None or p.project_id == d.applies_to) and p.completion_year >= d.start_year
    }
    rows, added = [], []
    for r in m.construction_materials:
        if r.project_id in projects and r.material.startswith("concrete") and r.material != d.switch_to and d.share > 0:
            rows.append(r.model_copy(update={"quantity": r.quantity * (1 - d.share)}))
            added.append(r.model_copy(update={"material": d.switch_to, "quantity": r.quantity * d.share, **_added(d.label)}))
        else:
            rows.append(r)
    return m.model_copy(update={"construction_materials": rows + added})


# --------------------------------------------------------------------------- removals


def tree_planting(m: NeighbourhoodInput, d: Dose) -> NeighbourhoodInput:
    """Young trees planted + trees (whole trees: the size in a ramp year is rounded)."""
    trees = round(d.size)
    if trees <= 0:
        return m
    nature = m.nature.model_copy(update={"young_trees_planted": (m.nature.young_trees_planted or 0) + trees})
    return m.model_copy(update={"nature": nature})


class LeverError(ValueError):
    """A lever cannot act on this input (reported against the measure's row)."""


Lever = Callable[[NeighbourhoodInput, Dose], NeighbourhoodInput]
LEVER_FUNCTIONS: dict[str, Lever] = {
    f.__name__: f
    for f in (
        diet_shift,
        flight_reduction,
        spending_reduction,
        mode_shift,
        waste_reduction,
        building_retrofit,
        heat_pump,
        ev_switch,
        waste_diversion,
        rooftop_pv,
        low_carbon_concrete,
        tree_planting,
    )
}


def check_lever_functions(catalogue: LeverCatalogue) -> None:
    """Every lever of the catalogue has its function here; raises MethodError naming the lever."""
    missing = [lv.id for lv in catalogue.levers if lv.id not in LEVER_FUNCTIONS]
    if missing:
        raise MethodError(
            "\n".join(f"levers.toml: lever {lid}: no lever function of that name in assessment/scenarios/levers.py" for lid in missing)
        )


def choice_codes(name: str, m: NeighbourhoodInput, factors: FactorSet) -> list[str]:
    """Codes a choice set of the lever catalogue accepts for this input."""
    sets: dict[str, Callable[[], list]] = {
        "building_use": lambda: [u for u in BuildingUse if u != BuildingUse.street_lighting],
        "car_mode": lambda: [*CAR_MODES, TransportMode.taxi],
        "fuel_car_mode": lambda: list(FUEL_CARS),
        "shift_mode": lambda: list(SHIFT_MODES),
        "waste_stream": lambda: list(WasteStream),
        "waste_treatment": lambda: list(DIVERT_TO),
        "diet": lambda: list(Diet),
        "flight": lambda: list(FLIGHTS),
        "spend_item": lambda: list(SPEND_ITEMS),
        "project": lambda: [p.project_id for p in m.construction_projects],
        "concrete_material": lambda: [c for c in factors.material_codes() if c.startswith("concrete")],
    }
    return [getattr(c, "value", c) for c in sets[name]()]


#: Enumeration behind each enum-based choice set, so labels (English or Chinese) are accepted as well as codes.
CHOICE_ENUMS = {
    "building_use": BuildingUse,
    "car_mode": TransportMode,
    "fuel_car_mode": TransportMode,
    "shift_mode": TransportMode,
    "waste_stream": WasteStream,
    "waste_treatment": WasteTreatment,
    "diet": Diet,
    "flight": ConsumptionItem,
    "spend_item": ConsumptionItem,
}
