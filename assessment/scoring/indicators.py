"""Indicator formulas: one short named function per computed indicator.

Each takes the validated input and the emissions account and returns the
indicator's value in the unit the method states; ``None`` when the inputs it
needs were not reported (a data gap: no value is shown, and it earns no points);
or :data:`NOT_APPLICABLE` when the input reports the section and shows the case
does not occur (GPC notation key NO), e.g. construction listed but no new
building. modules/*.toml name these functions in their ``formula`` field;
``reported`` reads the value the planner typed on the module sheet.
"""

from __future__ import annotations

from typing import Callable

from assessment.model.enums import BuildingUse, Carrier, Diet, ProjectType, ShareMode, WasteStream, WasteTreatment
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import EmissionsAccount


class NotApplicable:
    """The marker of an indicator that does not apply to what the input reports (left out of the module's means)."""

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = NotApplicable()
Formula = Callable[[NeighbourhoodInput, EmissionsAccount], "float | None | NotApplicable"]
FORMULAS: dict[str, Formula] = {}

FOSSIL = {Carrier.natural_gas, Carrier.lpg, Carrier.heating_oil, Carrier.diesel, Carrier.coal}
SUSTAINABLE_MODES = {ShareMode.walk, ShareMode.cycle, ShareMode.e_bike, ShareMode.bus, ShareMode.metro_tram, ShareMode.rail}
ACTIVE_MODES = {ShareMode.walk, ShareMode.cycle, ShareMode.e_bike}
LOW_MEAT_DIETS = {Diet.low_meat, Diet.pescatarian, Diet.vegetarian, Diet.vegan}
DIVERTED = {WasteTreatment.recycling, WasteTreatment.composting, WasteTreatment.anaerobic_digestion}
M2_PER_HA = 10_000
DAYS_PER_YEAR = 365


def formula(fn: Formula) -> Formula:
    FORMULAS[fn.__name__] = fn
    return fn


def _ratio_pct(part: float, whole: float) -> float | None:
    return part / whole * 100.0 if whole > 0 else None


@formula
def energy_use_intensity_kwh_per_m2(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Building energy use intensity [kWh/m2/yr] = delivered energy (kWh) / gross floor area (m2).

    Delivered energy is each energy line's ``energy_kwh`` (fuels in m3, litres or
    tonnes converted with the library's gross calorific values) plus self-consumed
    on-site renewables; street lighting is not building energy.
    """
    gfa = m.profile.gfa_total_m2
    lines = [
        li for li in a.line_items if li.subcategory == "energy" and li.energy_kwh is not None and li.end_use != BuildingUse.street_lighting
    ]
    if not gfa or not m.energy_use or not lines:  # on-site generation alone is not a building energy inventory
        return None
    return sum(li.energy_kwh for li in lines) / gfa


@formula
def onsite_renewable_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """On-site renewable share [%] = renewable generation used on site / electricity used (grid + self-consumed)."""
    e = a.electricity
    if not m.energy_use:  # without the energy used, the share is not known (generation alone would read 100 %)
        return None
    return _ratio_pct(e.onsite_self_consumed_kwh, e.grid_kwh + e.onsite_self_consumed_kwh)


@formula
def fossil_fuel_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Fossil share of building energy [%] = kWh of gas, LPG, oil, diesel and coal / all delivered kWh."""
    lines = [li for li in a.line_items if li.subcategory == "energy" and li.energy_kwh is not None]
    total = sum(li.energy_kwh for li in lines)
    fossil = sum(li.energy_kwh for li in lines if li.factor_id.split(".")[:2] in (["fuel", c.value] for c in FOSSIL))
    return _ratio_pct(fossil, total) if lines and m.energy_use else None


@formula
def building_emissions_kgco2e_per_m2(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Operational building emissions [kgCO2e/m2/yr] = energy emissions (tCO2e) x 1000 / gross floor area."""
    gfa = m.profile.gfa_total_m2
    if not gfa or not m.energy_use:
        return None
    return a.by_category["operational"].by_subcategory.get("energy", 0.0) * 1000.0 / gfa


@formula
def upfront_embodied_kgco2e_per_m2(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None | NotApplicable:
    """Upfront embodied carbon of new buildings [kgCO2e/m2] = sum of A1-A5 / sum of GFA over new-build building projects.

    Not applicable when construction is reported and none of it is a new building (a retrofit-only programme).
    """
    projects = [p for p in a.embodied_projects if p.project_type == ProjectType.new_build.value and p.gfa_m2]
    if not projects:
        built_new = any(p.project_type == ProjectType.new_build for p in m.construction_projects)
        return NOT_APPLICABLE if m.construction_projects and not built_new else None
    with_materials = {c.project_id for c in m.construction_materials}
    if any(p.project_id not in with_materials for p in projects):
        return None  # a new building without its materials: site energy alone would read far below the truth
    return sum(p.upfront_tco2e for p in projects) * 1000.0 / sum(p.gfa_m2 for p in projects)


@formula
def building_reuse_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Reuse share [%] = retrofit floor area / (retrofit + new-build floor area) in the construction programme."""
    retro = sum(p.gfa_m2 or 0.0 for p in m.construction_projects if p.project_type == ProjectType.retrofit)
    new = sum(p.gfa_m2 or 0.0 for p in m.construction_projects if p.project_type == ProjectType.new_build)
    return _ratio_pct(retro, retro + new) if (retro + new) > 0 else None


@formula
def low_carbon_concrete_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Share of concrete (by quantity) whose material code names a cement replacement (ggbs, pfa, fly ash, scm) [%]."""
    concrete = [c for c in m.construction_materials if c.material.startswith("concrete")]
    if not concrete:
        return None
    low = [c for c in concrete if any(k in c.material for k in ("ggbs", "pfa", "fly_ash", "scm", "slag"))]
    total = sum(c.quantity for c in concrete)
    return _ratio_pct(sum(c.quantity for c in low), total)


@formula
def construction_waste_diversion_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Construction and demolition waste not landfilled [%] = (C&D tonnes - landfilled) / C&D tonnes."""
    rows = [w for w in m.waste if w.stream == WasteStream.construction]
    total = sum(w.tonnes_per_year for w in rows)
    landfill = sum(w.tonnes_per_year for w in rows if w.treatment == WasteTreatment.landfill)
    if rows and total == 0:  # every reported tonne avoided: none went to landfill (cutting waste never scores worse)
        return 100.0
    return _ratio_pct(total - landfill, total) if rows else None


@formula
def population_density_per_ha(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Residential density [people/ha] = population / site area (UN-Habitat 2014, principle 2)."""
    return m.profile.population / m.profile.site_area_ha


@formula
def non_residential_floor_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Floor space in economic use [%] = non-residential GFA / total GFA (UN-Habitat 2014, principle 3)."""
    p = m.profile
    total = p.gfa_total_m2
    if not total or p.gfa_residential_m2 is None:
        return None
    return _ratio_pct(total - p.gfa_residential_m2, total)


def _share(m: NeighbourhoodInput, modes: set) -> float | None:
    return sum(r.share_pct for r in m.mode_shares if r.mode in modes) if m.mode_shares else None


@formula
def sustainable_mode_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Walking, cycling, e-bike and public transport share of residents' trips [%]."""
    return _share(m, SUSTAINABLE_MODES)


@formula
def active_mode_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Walking, cycling and e-bike share of residents' trips [%]."""
    return _share(m, ACTIVE_MODES)


@formula
def transport_tco2e_per_capita(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Transport emissions per resident [tCO2e/person/yr]."""
    if not m.transport_activity:
        return None
    return a.by_category["operational"].by_subcategory.get("transport", 0.0) / m.profile.population


def _municipal(m: NeighbourhoodInput) -> list:
    return [w for w in m.waste if w.stream != WasteStream.construction]


@formula
def msw_kg_per_capita_day(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Municipal waste per resident [kg/person/day] = municipal tonnes x 1000 / population / 365 (World Bank, What a Waste 2.0)."""
    rows = _municipal(m)
    return sum(w.tonnes_per_year for w in rows) * 1000.0 / m.profile.population / DAYS_PER_YEAR if rows else None


@formula
def recycling_composting_rate_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Municipal waste recycled, composted or digested [%] of municipal tonnes."""
    rows = _municipal(m)
    total = sum(w.tonnes_per_year for w in rows)
    if rows and total == 0:  # every reported tonne avoided: nothing left to landfill or burn (never scores worse)
        return 100.0
    return _ratio_pct(sum(w.tonnes_per_year for w in rows if w.treatment in DIVERTED), total) if rows else None


@formula
def landfill_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Municipal waste landfilled [%] of municipal tonnes."""
    rows = _municipal(m)
    total = sum(w.tonnes_per_year for w in rows)
    if rows and total == 0:  # every reported tonne avoided: none landfilled (cutting waste never scores worse)
        return 0.0
    return _ratio_pct(sum(w.tonnes_per_year for w in rows if w.treatment == WasteTreatment.landfill), total) if rows else None


@formula
def green_space_m2_per_capita(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Publicly accessible green and blue space per resident [m2/person]."""
    if not m.green_space:
        return None
    return sum(g.area_m2 for g in m.green_space if g.publicly_accessible) / m.profile.population


@formula
def canopy_cover_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Tree canopy cover [% of site area], as reported on the Nature sheet."""
    return m.nature.canopy_cover_pct


@formula
def jobs_per_household(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Jobs in the neighbourhood per household [jobs/household] (LEED v4 ND housing and jobs proximity)."""
    p = m.profile
    return p.jobs / p.households if p.jobs is not None and p.households else None


@formula
def consumption_tco2e_per_capita(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Consumption-based emissions per resident [tCO2e/person/yr]; a gap unless both food and other consumption are
    reported (one of them alone would read better than the whole)."""
    if any(g.section in ("food", "consumption_goods") for g in a.gaps):
        return None
    return a.by_category["consumption"].tco2e_per_year / m.profile.population


@formula
def low_meat_diet_share_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Residents on low-meat, pescatarian, vegetarian or vegan diets [%]."""
    return sum(d.share_pct for d in m.diet_profile if d.diet in LOW_MEAT_DIETS) if m.diet_profile else None


@formula
def flight_km_per_capita(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Passenger-km flown per resident per year [km/person/yr]."""
    flights = [li for li in a.line_items if li.subcategory == "travel" and li.activity_unit == "pkm"]
    if not any(r.item.value.startswith("flights") for r in m.consumption):
        return None
    return sum(li.activity_amount for li in flights) / m.profile.population
