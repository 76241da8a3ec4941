"""Scenarios of an input: measures in order, the projection, cost and the scores after the plan.

``plan(m, method, factors)`` is pure: the input, the method (with its lever
catalogue) and a factor set in; the projection and one result per scenario out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from assessment.emissions.account import emissions_account
from assessment.emissions.factors import FactorSet
from assessment.emissions.operational import grid_factor_id
from assessment.emissions.totals import LineMemo, Totals, totals
from assessment.i18n import N_
from assessment.io.fields import _enum_key, enum_lookup
from assessment.model.enums import ActionStatus
from assessment.model.inputs import ModuleActionStatus, NeighbourhoodInput, ScenarioMeasure
from assessment.model.lever_catalogue import Lever
from assessment.model.method import Method
from assessment.model.results import MeasureResult, Projection, ScenarioResult, ScenarioYear, ScoresAfter
from assessment.scenarios.cost import annualised_cost, cost_per_tco2e
from assessment.scenarios.levers import CHOICE_ENUMS, LEVER_FUNCTIONS, Dose, choice_codes, lever_params
from assessment.scenarios.projection import bau_input, factor_sets, grid_path, ramp
from assessment.scoring.score import score_all


@dataclass(frozen=True)
class Planned:
    """A measure ready to apply: its row, its lever and resolved codes."""

    row: int  # index in scenario_measures
    measure: ScenarioMeasure
    lever: Lever
    applies_to: str | None
    switch_to: str | None

    def dose(self, year: int, factors: FactorSet) -> Dose:
        return Dose(
            size=self.measure.size * ramp(self.measure.start_year, self.measure.full_effect_year, year),
            performance=self.measure.performance,
            applies_to=self.applies_to,
            switch_to=self.switch_to,
            label=f"{self.measure.scenario} / {self.measure.measure_id}",
            factors=factors,
            params=lever_params(self.lever, factors),
            start_year=self.measure.start_year,
        )

    def apply(self, m: NeighbourhoodInput, year: int, factors: FactorSet) -> NeighbourhoodInput:
        d = self.dose(year, factors)
        return LEVER_FUNCTIONS[self.lever.id](m, d) if d.size > 0 else m


def resolve_choice(value: str | None, set_name: str | None, m: NeighbourhoodInput, factors: FactorSet) -> str | None:
    """A code of the choice set for a cell's text (a code, or a label in English or Chinese); None when blank.

    Raises ValueError with the allowed codes when the text is not in the set.
    """
    if value is None or set_name is None:
        return None
    codes = choice_codes(set_name, m, factors)
    if value in codes:
        return value
    enum = CHOICE_ENUMS.get(set_name)
    if enum is not None:
        member = enum_lookup(enum).get(_enum_key(value))
        if member is not None and member.value in codes:
            return member.value
    raise ValueError(", ".join(codes) if codes else "-")


def scenarios_of(m: NeighbourhoodInput, method: Method, factors: FactorSet) -> dict[str, list[Planned]]:
    """Scenario name -> its measures in application order (lever family, then sheet order). Assumes a validated input."""
    out: dict[str, list[Planned]] = {}
    for i, row in enumerate(m.scenario_measures):
        lever = method.levers.get(row.lever)
        p = Planned(
            row=i,
            measure=row,
            lever=lever,
            applies_to=resolve_choice(row.applies_to, lever.applies_to, m, factors),
            switch_to=resolve_choice(row.switch_to, lever.switch_to, m, factors),
        )
        out.setdefault(row.scenario, []).append(p)
    return {name: sorted(ms, key=lambda p: (method.levers.rank(p.lever.id), p.row)) for name, ms in out.items()}


def _year(year: int, t: Totals, abatement: dict[str, float] | None = None) -> ScenarioYear:
    return ScenarioYear(
        year=year,
        gross_tco2e=t.gross,
        removals_tco2e=t.removals,
        net_tco2e=t.net,
        net_per_capita_tco2e=t.net / t.population,
        by_category_tco2e=dict(t.by_category),
        abatement_by_measure=abatement or {},
    )


def run_scenario(
    measures: list[Planned], bau: dict[int, NeighbourhoodInput], sets: dict[int, FactorSet], memo: LineMemo
) -> list[ScenarioYear]:
    """Each year: BAU, then each measure in order; the abatement of a measure is the fall in net it causes."""
    years = []
    for year, x in bau.items():
        fs = sets[year]
        before = totals(x, fs, memo)
        abated: dict[str, float] = {}
        for p in measures:
            d = p.dose(year, fs)
            if d.size > 0:
                x = LEVER_FUNCTIONS[p.lever.id](x, d)
            after = totals(x, fs, memo) if d.size > 0 else before
            abated[p.measure.measure_id] = before.net - after.net
            before = after
        years.append(_year(year, before, abated))
    return years


#: How the scores after a plan are judged (one sentence, printed wherever those scores appear).
SCORES_AFTER_BASIS = N_(
    "Same basis as today's scores: today's neighbourhood with every measure of the scenario at full size and the actions the "
    "measures implement set to implemented, scored in the reporting year against the same target path; the Today column is "
    "not acting."
)


def _scores_after(m: NeighbourhoodInput, measures: list[Planned], method: Method, factors: FactorSet) -> ScoresAfter:
    """Scores of today's input with every measure at full size (``factors``: the reporting year's), judged on today's basis.

    Today and the plan are judged alike (same year, same target path, same factors), so a plan that cuts emissions
    scores at least as well as not acting; the projection years say when the cuts arrive.
    """
    done = max(p.measure.full_effect_year for p in measures)
    x = m
    for p in measures:
        x = p.apply(x, done, factors)
    implemented = {a for p in measures for a in p.lever.actions}
    rows = [r.model_copy(update={"status": ActionStatus.implemented}) if r.action_id in implemented else r for r in x.module_actions]
    have = {r.action_id for r in rows}
    rows += [ModuleActionStatus(action_id=a, status=ActionStatus.implemented, notes="scenario") for a in sorted(implemented - have)]
    after = x.model_copy(update={"module_actions": rows})
    account = emissions_account(after, factors)
    scored = score_all(after, account, method)
    return ScoresAfter(
        year=m.profile.reporting_year,
        completion_year=done,
        basis=SCORES_AFTER_BASIS,
        modules={mr.id: mr.score for mr in scored.modules},
        pillars={k: v.score for k, v in scored.pillars.items()},
        overall=scored.overall.score,
        rating=scored.overall.rating,
        rating_name=scored.overall.rating_name,
        net_per_capita_tco2e=account.net_per_capita_tco2e_per_year,
    )


def plan(
    m: NeighbourhoodInput, method: Method, factors: FactorSet, where: Callable[[tuple], str] | None = None
) -> tuple[Projection, list[ScenarioResult]]:
    """The projection and every scenario of the input."""
    factors = factors.for_input(m)
    p, settings = m.profile, m.projection
    years = range(p.reporting_year, p.target_net_zero_year + 1)
    path = grid_path(m, factors, years)
    sets = factor_sets(m, factors, path)
    bau_inputs = {y: bau_input(m, y - p.reporting_year, settings) for y in years}
    memo = LineMemo()
    bau = [_year(y, totals(x, sets[y], memo)) for y, x in bau_inputs.items()]
    today_net = bau[0].net_tco2e
    results = []
    for name, measures in scenarios_of(m, method, factors).items():
        rows = run_scenario(measures, bau_inputs, sets, memo)
        target = rows[-1]
        net_zero = next((r.year for r in rows if r.net_tco2e <= 0), None)
        results.append(
            ScenarioResult(
                name=name,
                years=rows,
                net_zero_year=net_zero,
                residual_tco2e_at_target=max(0.0, target.net_tco2e),
                removals_needed_tco2e=max(0.0, target.net_tco2e),
                reduction_pct_at_target=(1 - target.net_tco2e / today_net) * 100.0 if today_net > 0 else None,
                measures=[_measure_result(i, pm, rows, settings.discount_rate_pct, where) for i, pm in enumerate(measures, start=1)],
                scores_after=_scores_after(m, measures, method, sets[p.reporting_year]),
            )
        )
    projection = Projection(
        start_year=years[0],
        target_year=years[-1],
        population_growth_pct_per_year=settings.population_growth_pct_per_year,
        floor_area_growth_pct_per_year=settings.floor_area_growth_pct_per_year,
        discount_rate_pct=settings.discount_rate_pct,
        currency=p.currency.value,
        grid_factor_id=grid_factor_id(m),
        grid_trajectory=path.kind,
        grid_trajectory_source=path.source,
        grid_kgco2e_per_kwh=path.kg_per_kwh,
        bau=bau,
    )
    return projection, results


def _measure_result(
    order: int, pm: Planned, rows: list[ScenarioYear], discount_pct: float, where: Callable[[tuple], str] | None
) -> MeasureResult:
    k, lv = pm.measure, pm.lever
    mid = k.measure_id
    full_years = [r.abatement_by_measure[mid] for r in rows if r.year >= k.full_effect_year]
    mean = sum(full_years) / len(full_years) if full_years else None
    yearly_cost = annualised_cost(k.capital_cost, k.annual_cost, k.lifetime_years, discount_pct)
    return MeasureResult(
        id=mid,
        lever=lv.id,
        lever_name=lv.name.en,
        family=lv.family,
        order=order,
        applies_to=pm.applies_to,
        switch_to=pm.switch_to,
        size=k.size,
        size_unit=lv.size.unit,
        performance=k.performance,
        performance_unit=lv.performance.unit if lv.performance else None,
        start_year=k.start_year,
        full_effect_year=k.full_effect_year,
        abatement_tco2e_at_target=rows[-1].abatement_by_measure[mid],
        mean_abatement_tco2e_per_year=mean,
        cumulative_abatement_tco2e=sum(r.abatement_by_measure[mid] for r in rows),
        capital_cost=k.capital_cost,
        annual_cost=k.annual_cost,
        lifetime_years=k.lifetime_years,
        annualised_cost=yearly_cost,
        cost_per_tco2e=cost_per_tco2e(yearly_cost, mean),
        actions=list(lv.actions),
        notes=k.notes,
        source_ref=where(("scenario_measures", pm.row, "lever")) if where else f"scenario_measures[{pm.row}]",
    )
