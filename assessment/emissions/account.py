"""Assemble the annual emissions account from the category calculations.

``emissions_account(model, factors)`` is the one entry point: a pure function
of the whole input and a factor set, re-run unchanged by scenarios.

Totals: gross = operational + embodied (annualised) + consumption;
net = gross - in-boundary removals; net with offsets = net - purchased offsets
(offsets never count as removals). Intensities divide by population, gross
floor area and jobs. The target path is linear from the baseline to the
interim target and on to zero in the net-zero year (the straight-line
convention of C40's Deadline 2020 pathways and SBTi's absolute contraction).
"""

from __future__ import annotations

from collections import defaultdict

from assessment.emissions.consumption import consumption_lines, food_reported, goods_reported
from assessment.emissions.embodied import embodied_lines, study_period_years
from assessment.emissions.factors import FactorSet
from assessment.emissions.lookup import MissingFactor
from assessment.emissions.operational import electricity_market_based, energy_lines, grid_factor_id, transport_lines, waste_lines
from assessment.emissions.regions import WORKBOOK_REGION, is_proxy_region, neighbourhood_regions
from assessment.emissions.removals import offset_items, removal_items
from assessment.i18n import N_
from assessment.model.enums import BuildingType, ProjectType
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import (
    Benchmark,
    CategoryTotal,
    ElectricityAccounting,
    EmissionsAccount,
    FactorUsed,
    Gap,
    LineItem,
    MaterialShare,
    OverrideUsed,
    PathPoint,
    ProjectEmbodied,
    SectorScope,
    Trajectory,
    traced,
)

CATEGORIES = ("operational", "embodied", "consumption")
QUALITY_KEYS = ("measured", "calculated", "estimated", "default", "not_stated")


class MissingFactors(Exception):
    """Activities in the input for which the library has no factor."""

    def __init__(self, missing: list[MissingFactor]):
        self.missing = missing
        super().__init__(", ".join(f.factor_id for f in missing))


#: (category, line function) of the gross account, in the order of its line items.
LINE_PARTS = (
    ("operational", energy_lines),
    ("operational", transport_lines),
    ("operational", waste_lines),
    ("embodied", embodied_lines),
    ("consumption", consumption_lines),
)


def all_line_items(m: NeighbourhoodInput, factors: FactorSet) -> tuple[list[LineItem], list[MissingFactor]]:
    """Every gross line item of the input, and the activities without a factor."""
    missing: list[MissingFactor] = []
    items = [li for _category, fn in LINE_PARTS for li in fn(m, factors, missing)]
    return items, missing


def linear_path(
    baseline_year: int, baseline: float, target_year: int, interim_year: int | None, interim_value: float | None
) -> list[PathPoint]:
    """Year-by-year straight-line path from the baseline, through the interim target, to zero."""
    knots = [(baseline_year, baseline)]
    if interim_year is not None and interim_value is not None and baseline_year < interim_year < target_year:
        knots.append((interim_year, interim_value))
    knots.append((target_year, 0.0))
    points = []
    for (y0, v0), (y1, v1) in zip(knots, knots[1:]):
        for y in range(y0, y1):
            points.append(PathPoint(year=y, net_tco2e=v0 + (v1 - v0) * (y - y0) / (y1 - y0)))
    points.append(PathPoint(year=target_year, net_tco2e=0.0))
    return points


def trajectory(m: NeighbourhoodInput, net: float) -> Trajectory:
    p = m.profile
    baseline_year = p.baseline_year if p.baseline_year is not None else p.reporting_year
    is_reporting = p.baseline_net_tco2e is None
    baseline = net if is_reporting else p.baseline_net_tco2e
    if is_reporting:
        baseline_year = p.reporting_year
    interim = baseline * (1 - p.interim_target_reduction_pct / 100.0) if p.interim_target_reduction_pct is not None else None
    path = linear_path(baseline_year, baseline, p.target_net_zero_year, p.interim_target_year, interim)
    at_now = next((pt.net_tco2e for pt in path if pt.year == p.reporting_year), baseline)
    gap = net - at_now
    return Trajectory(
        baseline_year=baseline_year,
        baseline_net_tco2e=baseline,
        baseline_is_reporting_year=is_reporting,
        reporting_year=p.reporting_year,
        net_tco2e=net,
        change_from_baseline_pct=((net - baseline) / baseline * 100.0) if baseline and not is_reporting else None,
        interim_target_year=p.interim_target_year,
        interim_target_tco2e=interim,
        target_net_zero_year=p.target_net_zero_year,
        path=path,
        path_tco2e_at_reporting_year=at_now,
        gap_tco2e=gap,
        gap_pct=(gap / at_now * 100.0) if at_now > 0 else None,
    )


#: The note on a building project for which no published target applies (formatted with the labels of its types).
NO_TARGET_NOTE = N_("No published LETI/RIBA upfront target for {building_type} ({project_type}): none is drawn.")
NO_TARGET_INFRASTRUCTURE_NOTE = N_("LETI and RIBA publish upfront targets for buildings only: none is drawn for infrastructure.")


def no_target_message(building_type: BuildingType, project_type: ProjectType) -> str:
    """The (untranslated) note for a project with no published target: infrastructure, or a building type and project type."""
    if project_type == ProjectType.infrastructure or building_type == BuildingType.infrastructure:
        return NO_TARGET_INFRASTRUCTURE_NOTE
    return NO_TARGET_NOTE


def benchmarks(
    building_type: BuildingType, project_type: ProjectType, kg_per_m2: float | None, factors: FactorSet
) -> tuple[list[Benchmark], str | None]:
    """The published upfront targets for exactly this building type and project type, and a note when there is none.

    Applicability is data (``targets*.csv``): a target is drawn only for the building type and project type it
    was published for, so a retrofit is never held to (or marked as meeting) a new-build target, and a public
    building is never drawn against residential limits.
    """
    out = [
        Benchmark(
            id=p.id,
            label=p.table_ref or p.id,
            kgco2e_per_m2=p.value,
            scope=p.unit,
            source=p.source,
            scheme=t.scheme,
            target_year=t.target_year,
            building_type=t.building_type,
            project_type=t.project_type,
            meets=None if kg_per_m2 is None else kg_per_m2 <= p.value,
        )
        for t, p in factors.targets_for(building_type.value, project_type.value)
    ]
    note = (
        None
        if out
        else no_target_message(building_type, project_type).format(building_type=building_type.label, project_type=project_type.label)
    )
    return out, note


def project_summaries(m: NeighbourhoodInput, items: list[LineItem], factors: FactorSet) -> list[ProjectEmbodied]:
    out = []
    for proj in m.construction_projects:
        lines = [li for li in items if li.category == "embodied" and li.project_id == proj.project_id]
        by_module: dict[str, float] = defaultdict(float)
        by_material: dict[str, float] = defaultdict(float)
        rsp = study_period_years(proj, factors)
        for li in lines:
            by_module[li.lifecycle_module] += li.tco2e_per_year * rsp
            if li.upfront_tco2e and li.material is not None:
                by_material[li.material] += li.upfront_tco2e
        upfront = sum(li.upfront_tco2e or 0.0 for li in lines)
        kg_m2 = upfront * 1000.0 / proj.gfa_m2 if proj.gfa_m2 else None
        largest = sorted(by_material.items(), key=lambda kv: -kv[1])[:5]
        marks, note = benchmarks(proj.building_type, proj.project_type, kg_m2, factors)
        out.append(
            ProjectEmbodied(
                project_id=proj.project_id,
                name=proj.name,
                project_type=proj.project_type,
                building_type=proj.building_type,
                gfa_m2=proj.gfa_m2,
                completion_year=proj.completion_year,
                reference_study_period_years=int(rsp),
                upfront_tco2e=upfront,
                by_module=dict(sorted(by_module.items())),
                kgco2e_per_m2=kg_m2,
                annual_tco2e=sum(li.tco2e_per_year for li in lines),
                benchmarks=marks,
                benchmark_note=note,
                largest_materials=[
                    MaterialShare(material=k, upfront_tco2e=v, share_pct=(v / upfront * 100.0) if upfront else 0.0) for k, v in largest
                ],
            )
        )
    return out


def data_quality_shares(items: list[LineItem]) -> dict[str, float]:
    """Share of gross emissions [%] by the data-quality flag of the rows they came from."""
    totals = dict.fromkeys(QUALITY_KEYS, 0.0)
    for li in items:
        totals[li.data_quality or "not_stated"] += li.tco2e_per_year
    gross = sum(totals.values())
    return {k: (v / gross * 100.0 if gross else 0.0) for k, v in totals.items()}


def gaps(m: NeighbourhoodInput) -> list[Gap]:
    """Sections not reported, with GPC notation keys (NE = not estimated, NO = not occurring)."""
    out = []
    checks = (
        ("stationary_energy", m.energy_use, N_("No energy use reported: stationary energy is not estimated.")),
        ("transportation", m.transport_activity, N_("No transport activity reported: transport is not estimated.")),
        ("waste", m.waste, N_("No waste reported: waste is not estimated.")),
        (
            "embodied",
            m.construction_projects,
            N_("No construction projects reported: embodied emissions are not estimated (NO if nothing was built)."),
        ),
        (
            "food",
            food_reported(m),
            N_("No food reported (a diet profile or food on the Consumption sheet): food emissions are not estimated."),
        ),
        (
            "consumption_goods",
            goods_reported(m),
            N_("No goods, services or flights reported: these consumption emissions are not estimated."),
        ),
        ("mode_shares", m.mode_shares, N_("No mode shares reported: mobility indicators are data gaps.")),
    )
    for section, rows, message in checks:
        if not rows:
            out.append(Gap(section=section, notation="NE", message=message))
    if m.nature.canopy_cover_pct is None and m.nature.tree_count is None and m.nature.measured_sequestration_tco2e is None:
        out.append(
            Gap(
                section="removals",
                notation="NE",
                message=N_("No trees, canopy or measured sequestration reported: removals are not estimated."),
            )
        )
    return out


def factor_region(factors: FactorSet, factor_id: str, published: str) -> str:
    """The region a line's factor stands for: 'workbook' for an override, else the region it was published for."""
    f = factors.get(factor_id)
    if f is not None and f.overridden:
        return WORKBOOK_REGION
    return f.region if f is not None else published


def with_proxy_flags(items: list[LineItem], m: NeighbourhoodInput, factors: FactorSet) -> list[LineItem]:
    """Each line with its factor's region and whether that factor is a proxy for this neighbourhood."""
    own = neighbourhood_regions(m.profile)
    out = []
    for li in items:
        region = factor_region(factors, li.factor_id, li.factor_region)
        out.append(li.model_copy(update={"factor_region": region, "proxy": is_proxy_region(region, own)}))
    return out


def proxy_share_pct(items: list[LineItem]) -> float:
    """Share of gross emissions [%] on proxy factors: the sum of the proxy lines over the sum of all lines."""
    gross = sum(li.tco2e_per_year for li in items)
    return sum(li.tco2e_per_year for li in items if li.proxy) / gross * 100.0 if gross else 0.0


def factors_used(items: list[LineItem], removals, factors: FactorSet, own: frozenset[str] = frozenset()) -> list[FactorUsed]:
    ids = sorted({li.factor_id for li in items} | {r.factor_id for r in removals})
    out = []
    for fid in ids:
        f = factors.get(fid)
        if f is None:
            continue
        out.append(
            FactorUsed(
                id=f.id,
                activity=f.activity,
                kgco2e_per_unit=f.kgco2e_per_unit,
                unit=f.unit,
                region=f.region,
                year=f.year,
                source=f.source,
                url=f.url,
                licence=f.licence,
                overridden=f.overridden,
                library_value=f.library_value,
                gwp_set=f.gwp_set,
                gas_split=factors.gas_split(f.id),
                proxy=is_proxy_region(factor_region(factors, f.id, f.region), own),
            )
        )
    return out


def overrides_used(m: NeighbourhoodInput, library: FactorSet) -> list[OverrideUsed]:
    """The workbook's overrides as the engine applies them (value converted to the library's unit)."""
    return [
        OverrideUsed(
            id=o.id,
            kind=o.kind,
            value=o.value,
            unit=o.unit,
            value_in_library_unit=o.value_in_library_unit,
            library_unit=o.library_unit,
            library_value=o.library_value,
            source=o.source,
            year=o.year,
            **traced(("factor_overrides", o.row, "factor_id")),
        )
        for o in library.applied_overrides(m.factor_overrides)
    ]


def emissions_account(m: NeighbourhoodInput, factors: FactorSet) -> EmissionsAccount:
    """The whole annual account of one neighbourhood. Raises MissingFactors when a needed factor is absent."""
    library = factors
    factors = factors.for_input(m)
    items, missing = all_line_items(m, factors)
    removals = removal_items(m, factors, missing)
    if missing:
        raise MissingFactors(missing)
    items = with_proxy_flags(items, m, factors)
    offsets = offset_items(m)
    by_cat: dict[str, CategoryTotal] = {}
    for cat in CATEGORIES:
        subs: dict[str, float] = defaultdict(float)
        for li in items:
            if li.category == cat:
                subs[li.subcategory] += li.tco2e_per_year
        by_cat[cat] = CategoryTotal(
            tco2e_per_year=sum(li.tco2e_per_year for li in items if li.category == cat), by_subcategory=dict(sorted(subs.items()))
        )
    gross = sum(c.tco2e_per_year for c in by_cat.values())
    removed = sum(r.tco2e_per_year for r in removals)
    offset_t = sum(o.tco2e for o in offsets)
    net = gross - removed
    p = m.profile
    sector_scope: dict[tuple[str, int | None], float] = defaultdict(float)
    for li in items:
        sector_scope[(li.sector, li.scope)] += li.tco2e_per_year
    kwh, location, market = electricity_market_based(m, factors)
    gfa = p.gfa_total_m2
    return EmissionsAccount(
        gross_tco2e_per_year=gross,
        removals_tco2e_per_year=removed,
        offsets_tco2e_per_year=offset_t,
        net_tco2e_per_year=net,
        net_with_offsets_tco2e_per_year=net - offset_t,
        per_capita_tco2e_per_year=gross / p.population,
        net_per_capita_tco2e_per_year=net / p.population,
        per_m2_kgco2e_per_year=(gross * 1000.0 / gfa) if gfa else None,
        per_job_tco2e_per_year=(gross / p.jobs) if p.jobs else None,
        by_category=by_cat,
        by_sector_scope=[
            SectorScope(sector=s, scope=sc, tco2e_per_year=v)
            for (s, sc), v in sorted(sector_scope.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
        ],
        electricity=ElectricityAccounting(
            grid_kwh=kwh,
            location_based_tco2e=location,
            market_based_tco2e=market if m.green_electricity else None,
            green_kwh=sum(g.kwh for g in m.green_electricity),
            onsite_self_consumed_kwh=sum(g.self_consumed_kwh or 0.0 for g in m.renewable_generation),
            onsite_generated_kwh=sum(g.generated_kwh for g in m.renewable_generation),
            exported_kwh=sum(g.exported_kwh or 0.0 for g in m.renewable_generation),
            grid_factor_id=grid_factor_id(m),
        ),
        trajectory=trajectory(m, net),
        embodied_projects=project_summaries(m, items, factors),
        line_items=items,
        removal_items=removals,
        offset_items=offsets,
        data_quality_shares_pct=data_quality_shares(items),
        gaps=gaps(m),
        factors_used=factors_used(items, removals, factors, neighbourhood_regions(m.profile)),
        overrides=overrides_used(m, library) if m.factor_overrides else [],
        gwp_set=m.profile.gwp_set.value,
        proxy_share_pct=proxy_share_pct(items),
    )
