"""The assessment result: the contract between calculation and presentation.

Serialised as the results JSON (``nzn assess --json``); its keys are public
(docs/results.md). Bump :data:`SCHEMA_VERSION` when a key changes meaning.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assessment.model.access import AccessMeasurement
from assessment.model.enums import ActionStatus, BuildingType, BuildingUse, Carrier, DataQuality, ProjectType

SCHEMA_VERSION = "1.3.0"

Category = Literal["operational", "embodied", "consumption"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: A location in the input model: ('energy_use', 3, 'amount').
Loc = tuple[str | int, ...]


@cache
def model_path(loc: Loc) -> str:
    """('energy_use', 3, 'amount') -> 'energy_use[3].amount', the text of ``source_path``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def traced(loc: Loc) -> dict:
    """The location fields of an item computed from the input value at ``loc``."""
    return {"source_loc": loc, "source_path": model_path(loc)}


class _Traced(_Out):
    """An item computed from one input value: ``source_loc`` (kept in memory, not serialised) and its text ``source_path``."""

    source_loc: Loc = Field(default=(), exclude=True)


class LineItem(_Traced):
    """One activity amount times one factor: the unit of traceability."""

    category: Category
    subcategory: str
    sector: str = Field(description="GPC sector: stationary_energy, transportation, waste, or other_scope3 for embodied and consumption.")
    scope: int | None = Field(description="GHG Protocol / GPC scope 1, 2 or 3.")
    description: str
    activity_amount: float
    activity_unit: str
    factor_id: str
    factor_kgco2e_per_unit: float
    factor_unit: str
    factor_source: str
    factor_year: int
    tco2e_per_year: float
    source_path: str = Field(description="Location in the input model, e.g. energy_use[3].amount.")
    source_ref: str = Field(default="", description="Sheet!Cell or JSON path the amount came from.")
    data_quality: DataQuality | None = None
    upfront_tco2e: float | None = None
    lifecycle_module: str | None = None
    project_id: str | None = None
    conversion: str | None = Field(
        default=None, description="How the input amount was converted to the factor's unit, with the parameters used."
    )
    energy_kwh: float | None = Field(
        default=None, description="Delivered energy of an energy line in kWh (gross calorific value), for intensities."
    )
    end_use: BuildingUse | None = Field(default=None, description="Building use of an energy line (its row's use_type).")
    carrier: Carrier | None = Field(default=None, description="Energy carrier of an energy line.")
    material: str | None = Field(
        default=None, description="Material code of an embodied line computed from a material's own factor (A1-A3, A5 wastage, B4)."
    )
    factor_region: str = Field(
        default="", description="Region the factor was published for (GB, CN-Southwest, GLOBAL ...; 'workbook' for an override)."
    )
    proxy: bool = Field(
        default=False,
        description="True when the factor's region is not the neighbourhood's country or grid region "
        "(assessment.emissions.regions.is_proxy_region): a stand-in for a local figure.",
    )


class RemovalItem(_Traced):
    kind: str
    description: str
    activity_amount: float
    activity_unit: str
    factor_id: str
    factor_kgco2_per_unit: float
    factor_source: str
    factor_year: int
    tco2e_per_year: float
    source_path: str
    source_ref: str = ""


class OffsetItem(_Traced):
    project: str
    standard: str
    vintage_year: int | None
    tco2e: float
    source_path: str
    source_ref: str = ""


class Range(_Out):
    """5th, 50th and 95th percentile of a Monte Carlo total (emissions.uncertainty says how it was drawn)."""

    p05: float
    p50: float
    p95: float


class UncertaintyContribution(_Out):
    """One input value's (or one factor's) share of the spread of net emissions."""

    kind: Literal["input", "removal_input", "factor"]
    description: str
    source_ref: str = Field(default="", description="Sheet!Cell or JSON path of the input value (empty for a factor).")
    source_path: str = ""
    data_quality: str | None = Field(default=None, description="Data-quality class the input's uncertainty was taken from.")
    factor_id: str
    factor_region: Literal["match", "larger_area", "proxy", "none"] | None = Field(
        default=None, description="A factor's region against the neighbourhood's grid region."
    )
    factor_age_years: int | None = None
    tco2e_per_year: float = Field(description="Emissions (or removals) the input or factor feeds.")
    gsd2: float = Field(description="Its uncertainty as GSD^2: about 95% of its values lie within value / GSD^2 ... value x GSD^2.")
    variance_share_pct: float = Field(description="Share of the first-order variance of net emissions [%].")


class MeasurementGain(_Out):
    """What measuring one estimated or default input would change: the 5-95% range of net emissions now and with that
    input's data measured (the same random numbers, every other input as it is)."""

    source_ref: str = Field(description="Sheet!Cell or JSON path of the input value.")
    source_path: str
    description: str
    data_quality: str = Field(description="Data quality as stated on the row: estimated, default or not_stated.")
    factor_id: str
    tco2e_per_year: float = Field(description="Emissions the input feeds [tCO2e/yr].")
    share_of_gross_pct: float = Field(description="Their share of gross emissions [%].")
    net_range_now: Range = Field(description="5-95% range of net emissions as the input stands [tCO2e/yr] (the account's range).")
    net_range_if_measured: Range = Field(description="The same range with this input measured [tCO2e/yr].")
    range_narrowing_pct: float = Field(description="How much narrower the p05-p95 width becomes, in % of today's width.")


class UncertaintySummary(_Out):
    method: str
    draws: int
    seed: int = Field(description="Seed of the generator, derived from the line values and their uncertainties.")
    contributions: list[UncertaintyContribution] = Field(description="Every input and factor with a share of the variance, largest first.")
    if_measured: list[MeasurementGain] = Field(
        default_factory=list,
        description="The largest inputs with estimated, default or unstated data and how far measuring each would narrow the range.",
    )


class CategoryTotal(_Out):
    tco2e_per_year: float
    by_subcategory: dict[str, float]
    range: Range | None = Field(default=None, description="5-95% range of the category's emissions [tCO2e/yr].")


class SectorScope(_Out):
    sector: str
    scope: int | None
    tco2e_per_year: float


class ElectricityAccounting(_Out):
    """GHG Protocol Scope 2 Guidance: location-based and market-based side by side."""

    grid_kwh: float
    location_based_tco2e: float
    market_based_tco2e: float | None
    green_kwh: float
    onsite_self_consumed_kwh: float
    onsite_generated_kwh: float
    exported_kwh: float
    grid_factor_id: str


class PathPoint(_Out):
    year: int
    net_tco2e: float


class Trajectory(_Out):
    baseline_year: int
    baseline_net_tco2e: float
    baseline_is_reporting_year: bool
    reporting_year: int
    net_tco2e: float
    change_from_baseline_pct: float | None
    interim_target_year: int | None
    interim_target_tco2e: float | None
    target_net_zero_year: int
    path: list[PathPoint]
    path_tco2e_at_reporting_year: float
    gap_tco2e: float
    gap_pct: float | None


class ProjectEmbodied(_Out):
    project_id: str
    name: str
    project_type: ProjectType
    building_type: BuildingType
    gfa_m2: float | None
    completion_year: int
    reference_study_period_years: int
    upfront_tco2e: float
    by_module: dict[str, float]
    kgco2e_per_m2: float | None
    annual_tco2e: float
    #: The published upfront targets for exactly this building type and project type (never another type's).
    benchmarks: list["Benchmark"]
    #: Why ``benchmarks`` is empty: no published target for this building type and project type; None when there is one.
    benchmark_note: str | None = None
    largest_materials: list["MaterialShare"]


class Benchmark(_Out):
    id: str
    label: str
    kgco2e_per_m2: float
    scope: str
    source: str
    #: The scheme and target year (LETI 2020, LETI 2030) and what the target applies to (targets*.csv).
    scheme: str
    target_year: int
    building_type: BuildingType
    project_type: ProjectType
    meets: bool | None


class MaterialShare(_Out):
    material: str
    upfront_tco2e: float
    share_pct: float


class Gap(_Out):
    section: str
    notation: Literal["NE", "NO", "IE", "C"]
    message: str


class FactorUsed(_Out):
    id: str
    activity: str
    kgco2e_per_unit: float
    unit: str
    region: str
    year: int
    source: str
    url: str
    licence: str
    overridden: bool
    library_value: float | None = None
    gwp_set: str = Field(default="", description="GWP-100 set the value is on: AR5 or AR6 when recomputed from gases, else as published.")
    gas_split: bool = Field(
        default=False,
        description="True when the factor keeps its CO2, CH4 and N2O parts (recomputed for the assessment's GWP set); "
        "False when it is used as published (total CO2e only, CO2 only, or an override).",
    )
    proxy: bool = Field(default=False, description="True when the factor's region is not the neighbourhood's (see LineItem.proxy).")


class OverrideUsed(_Traced):
    """A workbook override the engine used (every override is used or refused at its cell by validation)."""

    id: str
    kind: Literal["factor", "parameter"]
    value: float = Field(description="The value as the user gave it, in ``unit``.")
    unit: str
    value_in_library_unit: float = Field(description="The value converted to the library's unit (pint), as the engine uses it.")
    library_unit: str
    library_value: float | None = Field(description="The library's own value in its unit; null for an id the workbook adds.")
    source: str
    year: int | None = None
    source_path: str
    source_ref: str = Field(default="", description="Sheet!Cell or JSON path of the override's id cell.")


class EmissionsAccount(_Out):
    gross_tco2e_per_year: float
    removals_tco2e_per_year: float
    offsets_tco2e_per_year: float
    net_tco2e_per_year: float
    net_with_offsets_tco2e_per_year: float
    per_capita_tco2e_per_year: float
    net_per_capita_tco2e_per_year: float
    per_m2_kgco2e_per_year: float | None
    per_job_tco2e_per_year: float | None
    by_category: dict[str, CategoryTotal]
    by_sector_scope: list[SectorScope]
    electricity: ElectricityAccounting
    trajectory: Trajectory
    embodied_projects: list[ProjectEmbodied]
    line_items: list[LineItem]
    removal_items: list[RemovalItem]
    offset_items: list[OffsetItem]
    data_quality_shares_pct: dict[str, float]
    gaps: list[Gap]
    factors_used: list[FactorUsed]
    overrides: list[OverrideUsed] = Field(default=[], description="Every override the engine used, factors and parameters.")
    range: Range | None = Field(default=None, description="5-95% range of net emissions [tCO2e/yr] from the data quality of every line.")
    gross_range: Range | None = None
    removals_range: Range | None = None
    per_capita_range: Range | None = Field(default=None, description="5-95% range of gross emissions per resident [tCO2e/person/yr].")
    net_per_capita_range: Range | None = Field(default=None, description="5-95% range of net emissions per resident [tCO2e/person/yr].")
    uncertainty: UncertaintySummary | None = None
    gwp_set: str = Field(default="AR5", description="GWP-100 set the gases of each factor are combined with (AR5 or AR6).")
    proxy_share_pct: float = Field(
        default=0.0, description="Share of gross emissions [%] computed with proxy factors (line items with proxy true)."
    )


ProjectEmbodied.model_rebuild()


class IndicatorResult(_Out):
    id: str
    name: str
    unit: str
    value: float | None
    points: float | None
    thresholds: dict
    formula: str
    source: str
    data_quality: DataQuality | None = None
    source_ref: str = ""
    not_applicable: bool = Field(
        default=False, description="True when the indicator does not apply to what the input reports (left out of the module score)."
    )


class ActionResult(_Out):
    id: str
    strategy: str
    text: str
    status: ActionStatus | None
    points: float | None
    source_ref: str = ""


class Recommendation(_Out):
    """One thing to do, ranked by the tonnes it abates a year, then by the score it gains (see ``rank_key``)."""

    module_id: str
    kind: Literal["indicator", "action"]
    target_id: str
    text: str
    action_text: str | None
    case_study: str | None
    overall_gain: float = Field(description="Gain in the overall score if this item reached full points.")
    lever: str | None = Field(default=None, description="Lever of modules/levers.toml the item maps to (through its action).")
    abatement_tco2e_per_year: float | None = Field(
        default=None, description="Fall in net emissions a year of the lever's standard dose on this input (same engine and factors)."
    )
    abatement_basis: str | None = Field(default=None, description="The standard dose the abatement is computed at, with its rationale.")
    no_abatement_reason: str | None = Field(default=None, description="Why the recommendation carries no tCO2e figure.")
    cost_per_tco2e: float | None = Field(
        default=None, description="Cost per tCO2e of the input's own measure of the same lever, where its costs are given."
    )
    cost_source: str | None = Field(default=None, description="The measure the cost comes from: 'scenario / measure id'.")
    sphere: Literal["controls", "influences"] = Field(
        default="controls",
        description="'controls': in-boundary energy, transport, waste or construction; 'influences': consumption it can only influence.",
    )


class ModuleResult(_Out):
    id: str
    name: str
    score: float | None
    level: str | None
    indicator_score: float | None
    action_score: float | None
    coverage: float
    action_coverage: float
    provisional: bool
    indicators: list[IndicatorResult]
    actions: list[ActionResult]
    recommendations: list[Recommendation]
    case_studies: list[str]


class GreenComponentResult(_Out):
    id: str
    name: str
    unit: str
    value: float | None
    points: float | None
    weight: float
    thresholds: dict
    source: str


class PillarResult(_Out):
    score: float | None
    components: list[GreenComponentResult] = []
    not_rated_reason: str | None = Field(default=None, description="Why the pillar has no score (the inventory sections missing).")
    missing_sections: list[Gap] = Field(
        default_factory=list, description="Required inventory sections not reported, with GPC notation keys."
    )


class Prerequisite(_Out):
    id: str
    level: str
    text: str
    met: bool


class Overall(_Out):
    score: float | None
    rating: str | None
    rating_name: str | None
    level_by_score: str | None
    prerequisites: list[Prerequisite]
    recommendations: list[Recommendation]
    capped_reason: str | None = Field(default=None, description="Why the rating is capped below what the score reaches.")


class MethodInfo(_Out):
    method_id: str
    version: str
    name: str
    folder: str
    is_default: bool
    digest: str


class InputInfo(_Out):
    file_name: str
    sha256: str
    format: str


class ProfileSummary(_Out):
    neighbourhood_id: str
    name: str
    city: str
    country: str
    country_code: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code of the country: the grid region's country, else the country name's (null when neither says).",
    )
    reporting_year: int
    population: int
    gfa_m2: float | None
    prepared_by: str | None


class ScenarioYear(_Out):
    """One year of a scenario (or of business as usual, with no abatement)."""

    year: int
    gross_tco2e: float
    removals_tco2e: float
    net_tco2e: float
    net_per_capita_tco2e: float
    by_category_tco2e: dict[str, float]
    abatement_by_measure: dict[str, float] = Field(
        default_factory=dict,
        description="Measure id -> tCO2e abated in the year (business as usual minus scenario, attributed in the order the measures "
        "apply).",
    )


class MeasureResult(_Out):
    id: str
    lever: str
    lever_name: str
    family: str
    order: int = Field(description="Position in which the measure is applied (1 = first).")
    applies_to: str | None
    switch_to: str | None
    size: float
    size_unit: str
    performance: float | None
    performance_unit: str | None
    start_year: int
    full_effect_year: int
    abatement_tco2e_at_target: float = Field(description="tCO2e abated in the target year.")
    mean_abatement_tco2e_per_year: float | None = Field(
        description="Mean yearly abatement from the full-effect year to the target year (the basis of cost per tCO2e)."
    )
    cumulative_abatement_tco2e: float
    capital_cost: float | None
    annual_cost: float | None
    lifetime_years: int | None
    annualised_cost: float | None
    cost_per_tco2e: float | None
    actions: list[str]
    notes: str | None = None
    source_ref: str = ""


class ScoresAfter(_Out):
    """Scores with the scenario's measures in place, judged on the same basis as today's (see ``basis``)."""

    year: int = Field(description="Year the scores are judged in: the reporting year, as today's scores.")
    completion_year: int = Field(description="Year the last measure reaches full effect.")
    basis: str = Field(description="How the scores after the plan are judged, in one sentence (English).")
    modules: dict[str, float | None]
    pillars: dict[str, float | None]
    overall: float | None
    rating: str | None
    rating_name: str | None
    net_per_capita_tco2e: float


class ScenarioResult(_Out):
    name: str
    years: list[ScenarioYear]
    net_zero_year: int | None = Field(description="First year net emissions reach zero or below; null if not by the target year.")
    residual_tco2e_at_target: float = Field(description="Net emissions left in the target year (0 when net zero is reached).")
    removals_needed_tco2e: float = Field(description="Extra yearly removals needed in the target year to close the residual.")
    reduction_pct_at_target: float | None = Field(description="Net emissions in the target year against today's net.")
    measures: list[MeasureResult]
    scores_after: ScoresAfter
    range_at_target: Range | None = Field(
        default=None, description="5-95% range of net emissions in the target year: the net scaled by today's relative spread."
    )


class Projection(_Out):
    """Business as usual and the assumptions behind every scenario."""

    start_year: int
    target_year: int
    population_growth_pct_per_year: float
    floor_area_growth_pct_per_year: float
    discount_rate_pct: float
    currency: str
    grid_factor_id: str
    grid_trajectory: str = Field(description="'stated' (the workbook's yearly change), 'library' (a published trajectory) or 'constant'.")
    grid_trajectory_source: str
    grid_kgco2e_per_kwh: dict[int, float]
    bau: list[ScenarioYear]


class AssessmentResult(_Out):
    """Everything one assessment produced; the results JSON is this model, serialised."""

    schema_version: str = SCHEMA_VERSION
    toolkit_version: str
    factors_version: str
    method: MethodInfo
    input: InputInfo
    profile: ProfileSummary
    emissions: EmissionsAccount
    modules: list[ModuleResult]
    pillars: dict[str, PillarResult]
    overall: Overall
    projection: Projection | None = None
    scenarios: list[ScenarioResult] = Field(default_factory=list)
    access: AccessMeasurement | None = Field(
        default=None, description="Walking access measured from an OpenStreetMap extract (nzn assess --osm; 1.3.0), or null."
    )
