"""The input model: everything a neighbourhood assessment needs, in one place.

This module is the single source of truth for each input field: its type,
bounds, unit, description, where it sits in the workbook (sheet and table),
its JSON Schema and its line in docs/inputs.md. Blank means "not reported"
(``None``), never zero.

Layout metadata
---------------
* Scalar fields of :class:`Profile` and :class:`NatureScalars` are workbook
  defined names equal to the field name.
* Each list field of :class:`NeighbourhoodInput` is an Excel table whose name
  equals the field name, on the sheet given by ``json_schema_extra["sheet"]``.
* Module indicator values and action statuses live on one sheet per module,
  in tables ``m01_indicators`` / ``m01_actions`` ... generated from modules/.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assessment.i18n import N_
from assessment.model.enums import (
    ActionStatus,
    Basis,
    BuildingType,
    BuildingUse,
    Carrier,
    ConsumptionItem,
    ConsumptionUnit,
    Currency,
    DataQuality,
    Diet,
    DistanceUnit,
    EnergyUnit,
    FreightMode,
    GreenInstrument,
    GreenSpaceType,
    GridRegion,
    GwpSet,
    MaterialUnit,
    OffsetStandard,
    ProjectType,
    RenewableTechnology,
    ShareMode,
    TransportMode,
    WasteStream,
    WasteTreatment,
)

TEMPLATE_VERSION = "1.3"
#: Workbook versions this toolkit reads, oldest first, and what each later version added (absent in older
#: workbooks means not reported, or the field's default). 1.1 added the Scenario sheet and young trees planted;
#: 1.2 the profile's GWP set (absent: AR5); 1.3 the profile's boundary (absent: none, give --boundary).
SUPPORTED_TEMPLATE_VERSIONS = ("1.0", "1.1", "1.2", "1.3")
ADDED_IN_VERSION = {
    "1.3": {"boundary_wkt"},
    "1.2": {"gwp_set"},
    "1.1": {
        "young_trees_planted",
        "population_growth_pct_per_year",
        "floor_area_growth_pct_per_year",
        "grid_factor_change_pct_per_year",
        "discount_rate_pct",
        "scenario_measures",
    },
}
#: Largest accepted activity amount: far above any real neighbourhood (1e12 kWh is
#: about a third of China's annual electricity use) and far below float overflow.
MAX_AMOUNT = 1e12
MIN_YEAR, MAX_YEAR = 1990, 2100
TEXT_MAX = 500
#: Longest boundary typed on the Profile sheet [characters]: the reader's default cell limit; a longer outline goes
#: in a GeoJSON file (--boundary).
BOUNDARY_TEXT_MAX = 10_000


def fld(title: str, description: str, *, unit: str | None = None, default: Any = ..., **kw: Any) -> Any:
    """A model field with a translatable title, a description and a unit (required unless a default is given)."""
    extra = {"unit": unit} if unit else {}
    return Field(default=default, title=title, description=description, json_schema_extra=extra or None, **kw)


def opt(title: str, description: str, **kw: Any) -> Any:
    """An optional field: blank means not reported (None), never zero."""
    return fld(title, description, default=None, **kw)


def _finite(v: float | None) -> float | None:
    if v is not None and not math.isfinite(v):
        raise ValueError("must be a finite number")
    return v


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, str_strip_whitespace=True)


class Row(Strict):
    """Columns every table row shares."""

    data_quality: DataQuality | None = opt(
        N_("Data quality"), N_("How the figure was obtained: measured, calculated, estimated or default. Blank is shown as 'not stated'.")
    )
    notes: str | None = opt(N_("Notes"), N_("Source of the figure or any remark."), max_length=TEXT_MAX)

    @field_validator("*", mode="after")
    @classmethod
    def _no_infinite(cls, v: Any) -> Any:
        return _finite(v) if isinstance(v, float) else v


# --------------------------------------------------------------------------- profile


class Profile(Strict):
    """Who and where the neighbourhood is, its size, and its targets."""

    neighbourhood_id: str = fld(
        N_("Neighbourhood id"),
        N_("A stable identifier for this neighbourhood, the same in every year's assessment (letters, digits, - and _)."),
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$",
    )
    name: str = fld(N_("Neighbourhood name"), N_("Name shown on the report."), min_length=1, max_length=200)
    city: str = fld(N_("City"), N_("City or municipality."), min_length=1, max_length=200)
    country: str = fld(N_("Country"), N_("Country name."), min_length=1, max_length=100)
    grid_region: GridRegion = fld(
        N_("Electricity grid region"), N_("Grid whose average emission factor applies to electricity drawn from the grid.")
    )
    climate_zone: str | None = opt(
        N_("Climate zone"), N_("Climate zone, for context (for example 'hot summer, cold winter')."), max_length=100
    )
    prepared_by: str | None = opt(
        N_("Prepared by"), N_("Person or organisation preparing the assessment (the report's author)."), max_length=200
    )
    reporting_year: int = fld(N_("Reporting year"), N_("Year the activity data describe."), unit="year", ge=MIN_YEAR, le=MAX_YEAR)
    baseline_year: int | None = opt(
        N_("Baseline year"),
        N_("Year of the baseline inventory the targets refer to. Blank: the reporting year is the baseline."),
        unit="year",
        ge=MIN_YEAR,
        le=MAX_YEAR,
    )
    baseline_net_tco2e: float | None = opt(
        N_("Baseline net emissions"),
        N_("Net emissions of the baseline inventory, same boundary. Blank: this assessment's net emissions are the baseline."),
        unit="tCO2e/yr",
        ge=0,
        le=MAX_AMOUNT,
    )
    target_net_zero_year: int = fld(
        N_("Net-zero target year"), N_("Year by which the neighbourhood aims to reach net zero."), unit="year", ge=MIN_YEAR, le=MAX_YEAR
    )
    interim_target_year: int | None = opt(
        N_("Interim target year"), N_("Year of the interim reduction target."), unit="year", ge=MIN_YEAR, le=MAX_YEAR
    )
    interim_target_reduction_pct: float | None = opt(
        N_("Interim target reduction"), N_("Reduction in net emissions by the interim year, against the baseline."), unit="%", ge=0, le=100
    )
    population: int = fld(N_("Population"), N_("Residents living in the neighbourhood."), unit="persons", gt=0, le=10_000_000)
    households: int | None = opt(N_("Households"), N_("Number of households."), unit="households", gt=0, le=10_000_000)
    jobs: int | None = opt(N_("Jobs"), N_("Jobs located in the neighbourhood (full-time equivalent)."), unit="jobs", ge=0, le=10_000_000)
    site_area_ha: float = fld(N_("Site area"), N_("Land area inside the neighbourhood boundary."), unit="ha", gt=0, le=100_000)
    gfa_residential_m2: float | None = opt(
        N_("Floor area, residential"), N_("Gross floor area in residential use."), unit="m2", ge=0, le=MAX_AMOUNT
    )
    gfa_office_m2: float | None = opt(N_("Floor area, office"), N_("Gross floor area in office use."), unit="m2", ge=0, le=MAX_AMOUNT)
    gfa_retail_m2: float | None = opt(
        N_("Floor area, retail"), N_("Gross floor area in shops, restaurants and services."), unit="m2", ge=0, le=MAX_AMOUNT
    )
    gfa_public_m2: float | None = opt(
        N_("Floor area, public"), N_("Gross floor area of schools, clinics, community and civic buildings."), unit="m2", ge=0, le=MAX_AMOUNT
    )
    gfa_industrial_m2: float | None = opt(
        N_("Floor area, industrial"), N_("Gross floor area in industrial and logistics use."), unit="m2", ge=0, le=MAX_AMOUNT
    )
    gfa_other_m2: float | None = opt(N_("Floor area, other"), N_("Any other gross floor area."), unit="m2", ge=0, le=MAX_AMOUNT)
    currency: Currency = fld(N_("Currency"), N_("Currency of every money amount in this workbook."), default=Currency.USD)
    gwp_set: GwpSet = fld(
        N_("GWP set"),
        N_(
            "IPCC 100-year global warming potentials the gases of each factor are combined with: AR5 (the library's own "
            "basis, as DESNZ publishes) or AR6. Factors published without a gas split are used as published."
        ),
        default=GwpSet.AR5,
    )
    boundary_wkt: str | None = opt(
        N_("Boundary"),
        N_(
            "Outline of the neighbourhood, for walking access measured from an OpenStreetMap extract (nzn assess --osm, nzn measure): "
            "WKT POLYGON or MULTIPOLYGON in WGS84 longitude latitude, or 'longitude latitude' pairs separated by commas. Blank: give a "
            "boundary file with --boundary."
        ),
        max_length=BOUNDARY_TEXT_MAX,
    )

    @property
    def gfa_total_m2(self) -> float | None:
        parts = [
            self.gfa_residential_m2,
            self.gfa_office_m2,
            self.gfa_retail_m2,
            self.gfa_public_m2,
            self.gfa_industrial_m2,
            self.gfa_other_m2,
        ]
        reported = [p for p in parts if p is not None]
        return sum(reported) if reported else None


# --------------------------------------------------------------------------- energy


class EnergyUse(Row):
    group: str = fld(N_("Building or use group"), N_("Name of the building, block or use group."), min_length=1, max_length=200)
    use_type: BuildingUse = fld(N_("Use"), N_("Main use of the group."))
    carrier: Carrier = fld(N_("Energy carrier"), N_("What energy is bought or supplied."))
    amount: float = fld(N_("Annual amount"), N_("Energy used in the reporting year, in the unit of the next column."), ge=0, le=MAX_AMOUNT)
    unit: EnergyUnit = fld(N_("Unit"), N_("Unit of the annual amount; must suit the carrier (electricity and heat in energy units)."))


class RenewableGeneration(Row):
    system: str = fld(N_("System"), N_("Name or location of the installation."), min_length=1, max_length=200)
    technology: RenewableTechnology = fld(N_("Technology"), N_("Kind of on-site renewable generation."))
    capacity_kw: float | None = opt(N_("Capacity"), N_("Installed peak capacity."), unit="kW", ge=0, le=MAX_AMOUNT)
    generated_kwh: float = fld(N_("Generated"), N_("Energy generated in the reporting year."), unit="kWh", ge=0, le=MAX_AMOUNT)
    self_consumed_kwh: float | None = opt(
        N_("Self-consumed"), N_("Part of the generation used inside the neighbourhood."), unit="kWh", ge=0, le=MAX_AMOUNT
    )
    exported_kwh: float | None = opt(
        N_("Exported"), N_("Part of the generation exported to the grid (reported, never subtracted)."), unit="kWh", ge=0, le=MAX_AMOUNT
    )


class GreenElectricity(Row):
    instrument: GreenInstrument = fld(N_("Instrument"), N_("Contractual instrument for renewable electricity."))
    kwh: float = fld(
        N_("Electricity covered"), N_("Grid electricity covered by the instrument in the reporting year."), unit="kWh", ge=0, le=MAX_AMOUNT
    )
    kgco2e_per_kwh: float = fld(
        N_("Instrument emission factor"),
        N_("Emission factor of the contracted supply (0 for renewable)."),
        unit="kgCO2e/kWh",
        default=0.0,
        ge=0,
        le=5,
    )


# --------------------------------------------------------------------------- transport


class TransportActivity(Row):
    mode: TransportMode = fld(N_("Mode"), N_("Travel mode."))
    annual_amount: float | None = opt(
        N_("Annual distance"), N_("Distance travelled in the reporting year (vehicle-km or passenger-km, see Unit)."), ge=0, le=MAX_AMOUNT
    )
    unit: DistanceUnit | None = opt(N_("Unit"), N_("vkm (vehicle-km) or pkm (passenger-km) for the annual distance."))
    trips_per_day: float | None = opt(
        N_("Trips per day"),
        N_("Alternative to the annual distance: trips made per day in this mode by residents."),
        unit="trips/day",
        ge=0,
        le=MAX_AMOUNT,
    )
    average_trip_km: float | None = opt(N_("Average trip length"), N_("Average length of one trip."), unit="km", ge=0, le=20_000)
    occupancy: float | None = opt(
        N_("Occupancy"),
        N_("Persons per vehicle, to convert between vkm and pkm (blank: library default)."),
        unit="persons/vehicle",
        gt=0,
        le=200,
    )


class ModeShare(Row):
    mode: ShareMode = fld(N_("Mode"), N_("Main mode of residents' trips."))
    share_pct: float = fld(
        N_("Share of trips"), N_("Share of residents' trips by this main mode; shares sum to 100."), unit="%", ge=0, le=100
    )


# --------------------------------------------------------------------------- waste


class Waste(Row):
    stream: WasteStream = fld(N_("Waste stream"), N_("Material stream."))
    treatment: WasteTreatment = fld(N_("Treatment"), N_("Where the stream goes."))
    tonnes_per_year: float = fld(N_("Tonnes per year"), N_("Tonnes collected in the reporting year."), unit="t/yr", ge=0, le=MAX_AMOUNT)


# --------------------------------------------------------------------------- construction


class ConstructionProject(Row):
    project_id: str = fld(
        N_("Project id"), N_("Short unique id used by the Materials sheet."), pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,63}$"
    )
    name: str = fld(N_("Project name"), N_("Name of the project."), min_length=1, max_length=200)
    project_type: ProjectType = fld(N_("Project type"), N_("New build, retrofit, maintenance or infrastructure."))
    building_type: BuildingType = fld(N_("Building type"), N_("Main use, for comparing embodied carbon with targets."))
    gfa_m2: float | None = opt(
        N_("Gross floor area"), N_("Gross floor area built or retrofitted (buildings)."), unit="m2", gt=0, le=MAX_AMOUNT
    )
    length_km: float | None = opt(N_("Length"), N_("Length of linear infrastructure (roads, pipes)."), unit="km", gt=0, le=100_000)
    completion_year: int = fld(N_("Completion year"), N_("Year of practical completion."), unit="year", ge=MIN_YEAR, le=MAX_YEAR)
    reference_study_period_years: int | None = opt(
        N_("Reference study period"),
        N_("Years over which upfront carbon is annualised (blank: 60 for buildings)."),
        unit="years",
        ge=1,
        le=200,
    )
    site_diesel_litres: float | None = opt(
        N_("Site diesel"), N_("Diesel burnt on site by plant and generators (A5)."), unit="litre", ge=0, le=MAX_AMOUNT
    )
    site_electricity_kwh: float | None = opt(
        N_("Site electricity"), N_("Grid electricity used on site (A5)."), unit="kWh", ge=0, le=MAX_AMOUNT
    )
    wastage_rate_pct: float | None = opt(
        N_("Material wastage rate"),
        N_("Share of material wasted on site (A5); blank: library defaults by material."),
        unit="%",
        ge=0,
        le=90,
    )


class ConstructionMaterial(Row):
    project_id: str = fld(N_("Project id"), N_("Id of the project on the Construction sheet."), min_length=1, max_length=64)
    material: str = fld(
        N_("Material"),
        N_("Material code from the factor library (see the Lists sheet or `nzn factors list --category material`)."),
        min_length=1,
        max_length=100,
    )
    quantity: float = fld(N_("Quantity"), N_("Quantity installed (excluding wastage)."), ge=0, le=MAX_AMOUNT)
    unit: MaterialUnit = fld(N_("Unit"), N_("kg, tonne or m3."))
    transport_km: float | None = opt(N_("Transport distance"), N_("Distance from factory to site (A4)."), unit="km", ge=0, le=40_000)
    transport_mode: FreightMode | None = opt(N_("Transport mode"), N_("How the material travels to site (blank: truck)."))
    recycled_content_pct: float | None = opt(
        N_("Recycled content"),
        N_("Share of recycled content, where known (reported; the factor already reflects typical content)."),
        unit="%",
        ge=0,
        le=100,
    )
    replacements: float | None = opt(
        N_("Replacements"), N_("Times the material is replaced over the reference study period (B4)."), unit="count", ge=0, le=100
    )


# --------------------------------------------------------------------------- consumption


class DietShare(Row):
    diet: Diet = fld(N_("Diet"), N_("Diet group."))
    share_pct: float = fld(
        N_("Share of residents"), N_("Share of residents following this diet; shares sum to 100."), unit="%", ge=0, le=100
    )


class Consumption(Row):
    item: ConsumptionItem = fld(N_("Item"), N_("What residents buy."))
    amount: float = fld(N_("Amount"), N_("Quantity, in the unit and basis of the next columns."), ge=0, le=MAX_AMOUNT)
    unit: ConsumptionUnit = fld(N_("Unit"), N_("money (profile currency) for goods and services; pkm or trips for flights."))
    basis: Basis = fld(N_("Basis"), N_("Per resident, per household or the whole neighbourhood, per year."))
    average_trip_km: float | None = opt(
        N_("Average trip length"), N_("For flights given as trips: one-way distance."), unit="km", gt=0, le=20_000
    )


# --------------------------------------------------------------------------- nature and removals


class NatureScalars(Strict):
    tree_count: int | None = opt(
        N_("Trees"), N_("Number of trees in the neighbourhood (street and park trees)."), unit="trees", ge=0, le=100_000_000
    )
    canopy_cover_pct: float | None = opt(N_("Tree canopy cover"), N_("Share of the site area under tree canopy."), unit="%", ge=0, le=100)
    measured_sequestration_tco2e: float | None = opt(
        N_("Measured sequestration"),
        N_("In-boundary removals measured by a study; replaces the library estimate from trees when given."),
        unit="tCO2e/yr",
        ge=0,
        le=MAX_AMOUNT,
    )
    young_trees_planted: int | None = opt(
        N_("Young trees planted"),
        N_(
            "Trees planted as saplings in recent years and not yet in the canopy or tree count; counted per tree at the seedling rate, on "
            "top of the canopy or tree estimate."
        ),
        unit="trees",
        ge=0,
        le=100_000_000,
    )


class GreenSpace(Row):
    name: str = fld(N_("Name"), N_("Name of the space."), min_length=1, max_length=200)
    space_type: GreenSpaceType = fld(N_("Type"), N_("Kind of green or blue space."))
    area_m2: float = fld(N_("Area"), N_("Area of the space."), unit="m2", ge=0, le=MAX_AMOUNT)
    publicly_accessible: bool = fld(N_("Publicly accessible"), N_("Open to the public (TRUE/FALSE)."), default=True)


class Offset(Row):
    project: str = fld(N_("Offset project"), N_("Name of the project the credits come from."), min_length=1, max_length=200)
    standard: OffsetStandard = fld(N_("Standard"), N_("Certification standard."))
    vintage_year: int | None = opt(N_("Vintage"), N_("Year the reduction or removal happened."), unit="year", ge=MIN_YEAR, le=MAX_YEAR)
    tco2e: float = fld(N_("Credits retired"), N_("Credits retired against the reporting year."), unit="tCO2e", ge=0, le=MAX_AMOUNT)


# --------------------------------------------------------------------------- modules, overrides


class ModuleIndicatorValue(Row):
    indicator_id: str = fld(N_("Indicator id"), N_("Indicator id from the method (modules/*.toml)."), min_length=1, max_length=64)
    value: float | None = opt(N_("Value"), N_("Value in the indicator's unit; blank means not reported."), ge=-MAX_AMOUNT, le=MAX_AMOUNT)


class ModuleActionStatus(Row):
    action_id: str = fld(N_("Action id"), N_("Action id from the method (modules/*.toml)."), min_length=1, max_length=64)
    status: ActionStatus | None = opt(N_("Status"), N_("not started, planned, in progress or implemented; blank means not reported."))


class FactorOverride(Strict):
    factor_id: str = fld(
        N_("Factor id"),
        N_(
            "Id of the library factor or parameter to replace (see `nzn factors list`), or a new material factor "
            "(material.<code>) and its density (density.<code>.kg_per_m3). An override no line uses is refused."
        ),
        min_length=1,
        max_length=100,
    )
    kgco2e_per_unit: float = fld(
        N_("Value"), N_("Replacement value: kgCO2e per unit for a factor, the parameter's value for a parameter."), ge=0, le=1e9
    )
    unit: str = fld(
        N_("Unit"),
        N_(
            "Unit of the value: for a factor its activity unit (tonne, kWh, vkm ...), for a parameter the unit "
            "`nzn factors list` shows; converted to the library's unit where the dimension allows "
            "(t and kg, MJ and kWh, litres and m3)."
        ),
        min_length=1,
        max_length=100,
    )
    source: str = fld(N_("Source"), N_("Citation of the replacement value."), min_length=3, max_length=TEXT_MAX)
    year: int | None = opt(N_("Year"), N_("Data year of the replacement value."), unit="year", ge=MIN_YEAR, le=MAX_YEAR)


# --------------------------------------------------------------------------- scenarios


class ProjectionSettings(Strict):
    """Business-as-usual assumptions and the discount rate for the scenario projection (Scenario sheet)."""

    population_growth_pct_per_year: float = fld(
        N_("Population growth"),
        N_("Yearly change in residents under business as usual; scales travel, waste and whole-neighbourhood consumption."),
        unit="%/yr",
        default=0.0,
        ge=-20,
        le=20,
    )
    floor_area_growth_pct_per_year: float = fld(
        N_("Floor-area growth"),
        N_("Yearly change in gross floor area under business as usual; scales building energy use."),
        unit="%/yr",
        default=0.0,
        ge=-20,
        le=20,
    )
    grid_factor_change_pct_per_year: float | None = opt(
        N_("Grid factor change"),
        N_(
            "Yearly change in the grid electricity factor (-3 means 3 % lower each year). Blank: the library's published trajectory for "
            "the grid region, else held at today's value."
        ),
        unit="%/yr",
        ge=-50,
        le=20,
    )
    discount_rate_pct: float = fld(
        N_("Discount rate"),
        N_("Real discount rate for annualising capital costs (default 3.5 %, HM Treasury Green Book social time preference rate)."),
        unit="%",
        default=3.5,
        ge=0,
        le=30,
    )


class ScenarioMeasure(Row):
    scenario: str = fld(
        N_("Scenario"), N_("Name of the scenario the measure belongs to (for example Committed or Ambitious)."), min_length=1, max_length=60
    )
    measure_id: str = fld(
        N_("Measure id"), N_("Short id of the measure, unique within its scenario."), pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-.]{0,31}$"
    )
    lever: str = fld(
        N_("Lever"), N_("Lever from the lever catalogue (see the list on this sheet or modules/levers.toml)."), min_length=1, max_length=64
    )
    applies_to: str | None = opt(
        N_("Applies to"),
        N_(
            "What the lever acts on, where it asks (a building use, car mode, waste stream, flight type or project id); blank: everything "
            "the lever covers."
        ),
        max_length=64,
    )
    switch_to: str | None = opt(
        N_("Switch to"),
        N_("What the lever moves activity to, where it asks (a travel mode, waste treatment, diet or concrete material code)."),
        max_length=100,
    )
    size: float = fld(
        N_("Size"),
        N_("How big the measure is when complete, in the lever's size unit (a share in %, kWp of PV, trees)."),
        ge=0,
        le=MAX_AMOUNT,
    )
    performance: float | None = opt(
        N_("Performance"),
        N_(
            "Second figure where the lever needs one: energy saving in % (retrofit), seasonal COP (heat pumps), yield in kWh per kWp a "
            "year (PV)."
        ),
        ge=0,
        le=100_000,
    )
    start_year: int = fld(N_("Start year"), N_("First year the measure has any effect."), unit="year", ge=MIN_YEAR, le=MAX_YEAR)
    full_effect_year: int = fld(
        N_("Full-effect year"),
        N_("Year the measure reaches its full size; it grows in a straight line from the start year."),
        unit="year",
        ge=MIN_YEAR,
        le=MAX_YEAR,
    )
    capital_cost: float | None = opt(
        N_("Capital cost"), N_("Up-front cost of the whole measure, in the profile's currency."), ge=0, le=MAX_AMOUNT
    )
    annual_cost: float | None = opt(
        N_("Annual cost"),
        N_("Yearly running cost once complete, in the profile's currency; negative for a net saving (for example lower energy bills)."),
        ge=-MAX_AMOUNT,
        le=MAX_AMOUNT,
    )
    lifetime_years: int | None = opt(
        N_("Lifetime"), N_("Years over which the capital cost is annualised (needed with a capital cost)."), unit="years", ge=1, le=100
    )


# --------------------------------------------------------------------------- the whole input


def table(sheet: str, title: str, description: str) -> Any:
    return Field(default_factory=list, title=title, description=description, json_schema_extra={"sheet": sheet})


class NeighbourhoodInput(Strict):
    """Everything the assessment needs about one neighbourhood in one reporting year."""

    template_version: str = fld(N_("Template version"), N_("Version of the input format."), default=TEMPLATE_VERSION)
    profile: Profile
    energy_use: list[EnergyUse] = table(
        "Energy", N_("Energy use"), N_("Annual energy bought or supplied, by building or use group and carrier.")
    )
    renewable_generation: list[RenewableGeneration] = table(
        "Energy", N_("On-site renewable generation"), N_("Renewable generation inside the boundary.")
    )
    green_electricity: list[GreenElectricity] = table(
        "Energy", N_("Green electricity purchases"), N_("Contractual renewable electricity (market-based accounting).")
    )
    transport_activity: list[TransportActivity] = table(
        "Transport", N_("Transport activity"), N_("Annual travel by mode: distance, or trips per day and trip length.")
    )
    mode_shares: list[ModeShare] = table("Transport", N_("Mode shares"), N_("Main mode of residents' trips (shares sum to 100)."))
    waste: list[Waste] = table("Waste", N_("Waste"), N_("Waste collected by stream and treatment."))
    construction_projects: list[ConstructionProject] = table(
        "Construction", N_("Construction projects"), N_("New build, retrofit, maintenance and infrastructure projects.")
    )
    construction_materials: list[ConstructionMaterial] = table(
        "Materials", N_("Construction materials"), N_("Bill of materials of each project.")
    )
    diet_profile: list[DietShare] = table("Consumption", N_("Diet profile"), N_("Share of residents by diet group (shares sum to 100)."))
    consumption: list[Consumption] = table("Consumption", N_("Consumption"), N_("Goods, services and flights bought by residents."))
    nature: NatureScalars = Field(
        default_factory=NatureScalars, title=N_("Nature"), description=N_("Trees, canopy and measured sequestration.")
    )
    green_space: list[GreenSpace] = table("Nature", N_("Green and blue space"), N_("Green and blue spaces inside the boundary."))
    offsets: list[Offset] = table("Nature", N_("Offsets"), N_("Purchased carbon credits (kept apart from removals)."))
    module_indicators: list[ModuleIndicatorValue] = table(
        "Modules", N_("Module indicators"), N_("Reported indicator values, one table per module sheet.")
    )
    module_actions: list[ModuleActionStatus] = table(
        "Modules", N_("Module actions"), N_("Status of each strategy and action, one table per module sheet.")
    )
    factor_overrides: list[FactorOverride] = table(
        "Factors", N_("Factor overrides"), N_("Emission factors that replace library values for this assessment.")
    )
    projection: ProjectionSettings = Field(
        default_factory=ProjectionSettings,
        title=N_("Projection settings"),
        description=N_("Business-as-usual growth, grid trajectory and discount rate for scenarios."),
    )
    scenario_measures: list[ScenarioMeasure] = table(
        "Scenario", N_("Scenario measures"), N_("Measures of each named scenario: lever, size, timing and cost.")
    )


#: Scalar sections: (attribute on NeighbourhoodInput, model, sheet)
SCALAR_SECTIONS: tuple[tuple[str, type[Strict], str], ...] = (
    ("profile", Profile, "Profile"),
    ("nature", NatureScalars, "Nature"),
    ("projection", ProjectionSettings, "Scenario"),
)


def table_fields() -> dict[str, tuple[type[BaseModel], str]]:
    """Table name -> (row model, sheet) for every list field (module tables excluded)."""
    out: dict[str, tuple[type[BaseModel], str]] = {}
    for name, f in NeighbourhoodInput.model_fields.items():
        extra = f.json_schema_extra or {}
        if name in ("module_indicators", "module_actions") or "sheet" not in extra:
            continue
        row_model = f.annotation.__args__[0]  # list[RowModel]
        out[name] = (row_model, extra["sheet"])
    return out


def row_model(table: str) -> type[BaseModel]:
    """Row model of a workbook table, including the per-module tables (m01_indicators, m01_actions ...)."""
    if table.endswith("_indicators"):
        return ModuleIndicatorValue
    if table.endswith("_actions"):
        return ModuleActionStatus
    return table_fields()[table][0]
