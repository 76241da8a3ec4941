"""Scores: indicator points, module scores, pillars, the overall rating and recommendations.

Rules (all weights and thresholds come from the method's TOML files):

* Indicator points: piecewise linear from (``zero_points_at``, 0) through the
  optional bands to (``full_points_at``, 100), clamped to 0-100.
* Module score = indicator_weight x weighted mean of indicator points
  + action_weight x weighted mean of action points. Items not reported are
  data gaps: left out of the means (never scored 0) and counted in coverage; a
  part with nothing reported drops out and the other carries the whole weight.
  Coverage = reported indicators / all indicators of the module [%]; below
  ``min_coverage_pct`` the module is provisional (action statuses are counted
  apart, in ``action_coverage``, and never make up for missing indicators).
* Thriving pillar = mean of the module scores that exist. Green pillar =
  weighted mean of its components (per-capita net emissions, gap to the target
  path, upfront embodied intensity) that can be computed.
* Overall = green_weight x Green + thriving_weight x Thriving (renormalised when
  one pillar is missing). Rating = the highest level whose ``min_score`` the
  overall score reaches and whose prerequisites are met.

Result texts are in English (the results JSON is language-independent); the
report shows method texts in the reader's language by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.errors import MethodError
from assessment.model.enums import ActionStatus
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import Method, Module, Threshold
from assessment.model.results import (
    ActionResult, EmissionsAccount, GreenComponentResult, IndicatorResult, ModuleResult, Overall, PillarResult, Prerequisite,
    Recommendation,
)
from assessment.scoring.green import GREEN_FORMULAS
from assessment.scoring.indicators import FORMULAS

TOP_RECOMMENDATIONS = 3


def points(value: float | None, t: Threshold) -> float | None:
    """Points 0-100 for ``value`` on a threshold scale (linear between knots, clamped); None stays None."""
    if value is None:
        return None
    knots = [(t.zero_points_at, 0.0), *t.bands, (t.full_points_at, 100.0)]
    ascending = t.full_points_at > t.zero_points_at
    if ascending:
        if value <= knots[0][0]:
            return 0.0
        if value >= knots[-1][0]:
            return 100.0
    else:
        if value >= knots[0][0]:
            return 0.0
        if value <= knots[-1][0]:
            return 100.0
    for (v0, p0), (v1, p1) in zip(knots, knots[1:]):
        if min(v0, v1) <= value <= max(v0, v1):
            return p0 + (p1 - p0) * (value - v0) / (v1 - v0)
    return 0.0  # unreachable for a validated threshold


def _num(v: float) -> str:
    """A readable number for recommendation texts: 6,800 / 12.5 / 0.45."""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def thresholds_dict(t: Threshold) -> dict:
    return {"direction": t.direction, "zero_points_at": t.zero_points_at, "full_points_at": t.full_points_at, "bands": [list(b) for b in t.bands]}


def check_formulas(method: Method) -> None:
    """Every formula a method names must exist (a custom method may misspell one)."""
    for m in method.modules:
        for i in m.indicators:
            if not i.reported and i.formula not in FORMULAS:
                raise MethodError(f"{m.id}: indicator {i.id} names unknown formula '{i.formula}' (known: {', '.join(sorted(FORMULAS))}, reported)")
    for c in method.settings.green.components:
        if c.formula not in GREEN_FORMULAS:
            raise MethodError(f"method.toml: green component {c.id} names unknown formula '{c.formula}' (known: {', '.join(sorted(GREEN_FORMULAS))})")


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs; None when there are none."""
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if pairs and total > 0 else None


def blend(parts: list[tuple[float | None, float]]) -> float | None:
    """Weighted blend of parts that exist; missing parts drop out and the rest are renormalised."""
    return weighted_mean([(v, w) for v, w in parts if v is not None])


@dataclass(frozen=True)
class _ModuleState:
    indicator_points: dict[str, float | None]
    action_points: dict[str, float | None]


def module_score(module: Module, state: _ModuleState, method: Method) -> tuple[float | None, float | None, float | None]:
    """(module score, indicator part, action part) from points; gaps excluded."""
    rule = method.settings.module_score
    ind = weighted_mean([(state.indicator_points[i.id], i.weight) for i in module.indicators if state.indicator_points[i.id] is not None])
    act = weighted_mean([(state.action_points[a.id], a.weight) for a in module.actions if state.action_points[a.id] is not None])
    return blend([(ind, rule.indicator_weight), (act, rule.action_weight)]), ind, act


def level_for(score: float | None, method: Method) -> str | None:
    if score is None:
        return None
    reached = [lv for lv in method.settings.levels if score >= lv.min_score]
    return reached[-1].id if reached else None


@dataclass(frozen=True)
class Scored:
    modules: list[ModuleResult]
    pillars: dict[str, PillarResult]
    overall: Overall


def _prerequisite_met(rule: str, parameter: float | None, m: NeighbourhoodInput, modules: list[ModuleResult]) -> bool:
    if rule == "complete_inventory":
        operational = bool(m.energy_use) and bool(m.transport_activity) and bool(m.waste)
        return operational and bool(m.construction_projects) and bool(m.diet_profile or m.consumption)
    if rule == "net_zero_target_by":
        return parameter is not None and m.profile.target_net_zero_year <= parameter
    if rule == "interim_target_set":
        return m.profile.interim_target_year is not None and m.profile.interim_target_reduction_pct is not None
    if rule == "min_thriving_coverage":
        # share of all Thriving indicators with a value (pooled over the modules)
        values = [i.value for mr in modules for i in mr.indicators]
        return bool(values) and sum(v is not None for v in values) / len(values) * 100.0 >= (parameter or 0)
    raise MethodError(f"unknown prerequisite rule {rule}")


def score_all(m: NeighbourhoodInput, account: EmissionsAccount, method: Method, where=lambda loc: "") -> Scored:
    """Score the ten modules, both pillars and the overall rating."""
    check_formulas(method)
    settings = method.settings
    reported = {r.indicator_id: r for r in m.module_indicators}
    reported_index = {r.indicator_id: i for i, r in enumerate(m.module_indicators)}
    statuses = {r.action_id: r for r in m.module_actions}
    status_index = {r.action_id: i for i, r in enumerate(m.module_actions)}
    ap = settings.action_points
    status_points = {ActionStatus.not_started: ap.not_started, ActionStatus.planned: ap.planned, ActionStatus.in_progress: ap.in_progress,
                     ActionStatus.implemented: ap.implemented}

    states: dict[str, _ModuleState] = {}
    values: dict[str, float | None] = {}
    for mod in method.modules:
        ipts, apts = {}, {}
        for ind in mod.indicators:
            value = reported[ind.id].value if ind.reported and ind.id in reported else (None if ind.reported else FORMULAS[ind.formula](m, account))
            values[ind.id] = value
            ipts[ind.id] = points(value, ind)
        for act in mod.actions:
            st = statuses.get(act.id)
            apts[act.id] = status_points[st.status] if st is not None and st.status is not None else None
        states[mod.id] = _ModuleState(ipts, apts)

    green_components = []
    for c in settings.green.components:
        v = GREEN_FORMULAS[c.formula](m, account)
        green_components.append(GreenComponentResult(id=c.id, name=c.name.en, unit=c.unit, value=v, points=points(v, c), weight=c.weight,
                                                     thresholds=thresholds_dict(c), source=c.source))
    green = weighted_mean([(g.points, g.weight) for g in green_components if g.points is not None])

    parts = {mod.id: module_score(mod, states[mod.id], method) for mod in method.modules}  # (score, indicator part, action part)
    base_scores = {mid: p[0] for mid, p in parts.items()}

    def overall_of(changed: str | None = None, state: _ModuleState | None = None) -> float | None:
        """Overall score, optionally with one module's state replaced (only that module is rescored)."""
        scores = dict(base_scores)
        if changed is not None:
            scores[changed] = module_score(method.module(changed), state, method)[0]
        present = [v for v in scores.values() if v is not None]
        thriving_ = sum(present) / len(present) if present else None
        return blend([(green, settings.pillars.green_weight), (thriving_, settings.pillars.thriving_weight)])

    overall_score = overall_of()
    # recommendations: the exact gain in the overall score if one item reached full points
    recs: dict[str, list[Recommendation]] = {mod.id: [] for mod in method.modules}
    for mod in method.modules:
        st = states[mod.id]
        case = f"{mod.case_studies[0].city.en}: {mod.case_studies[0].project.en}" if mod.case_studies else None
        actions = {a.id: a for a in mod.actions}
        for ind in mod.indicators:
            p = st.indicator_points[ind.id]
            if p is None or p >= 100:
                continue
            gain = (overall_of(mod.id, _ModuleState({**st.indicator_points, ind.id: 100.0}, st.action_points)) or 0) - (overall_score or 0)
            if gain <= 0:
                continue
            linked = actions.get(ind.action) if ind.action else None
            recs[mod.id].append(Recommendation(
                module_id=mod.id, kind="indicator", target_id=ind.id,
                text=f"Move {ind.name.en} from {_num(values[ind.id])} {ind.unit} towards {_num(ind.full_points_at)} {ind.unit}",
                action_text=linked.text.en if linked else None, case_study=case, overall_gain=gain))
        for act in mod.actions:
            p = st.action_points[act.id]
            if p is not None and p >= ap.implemented:
                continue
            gain = (overall_of(mod.id, _ModuleState(st.indicator_points, {**st.action_points, act.id: ap.implemented})) or 0) - (overall_score or 0)
            if gain <= 0:
                continue
            recs[mod.id].append(Recommendation(module_id=mod.id, kind="action", target_id=act.id, text=f"Implement: {act.text.en}",
                                               action_text=act.text.en, case_study=case, overall_gain=gain))
        recs[mod.id].sort(key=lambda r: (-r.overall_gain, r.target_id))

    modules: list[ModuleResult] = []
    for mod in method.modules:
        st = states[mod.id]
        score, ind_part, act_part = parts[mod.id]
        coverage = sum(p is not None for p in st.indicator_points.values()) / len(mod.indicators) * 100.0
        action_coverage = sum(p is not None for p in st.action_points.values()) / len(mod.actions) * 100.0
        indicators = [
            IndicatorResult(
                id=ind.id, name=ind.name.en, unit=ind.unit, value=values[ind.id], points=st.indicator_points[ind.id], thresholds=thresholds_dict(ind),
                formula=ind.formula, source=ind.source,
                data_quality=(reported[ind.id].data_quality.value if ind.id in reported and reported[ind.id].data_quality else None) if ind.reported else "calculated",
                source_ref=where(("module_indicators", reported_index[ind.id], "value")) if ind.id in reported_index else "",
            )
            for ind in mod.indicators
        ]
        actions = [
            ActionResult(id=a.id, strategy=a.strategy.en, text=a.text.en,
                         status=statuses[a.id].status.value if a.id in statuses and statuses[a.id].status else None,
                         points=st.action_points[a.id],
                         source_ref=where(("module_actions", status_index[a.id], "status")) if a.id in status_index else "")
            for a in mod.actions
        ]
        modules.append(ModuleResult(
            id=mod.id, name=mod.name.en, score=score, level=level_for(score, method), indicator_score=ind_part, action_score=act_part,
            coverage=coverage, action_coverage=action_coverage, provisional=coverage < settings.module_score.min_coverage_pct,
            indicators=indicators, actions=actions,
            recommendations=recs[mod.id][:5], case_studies=[f"{c.city.en}: {c.project.en} - {c.summary.en}" for c in mod.case_studies],
        ))

    present = [mr.score for mr in modules if mr.score is not None]
    thriving = sum(present) / len(present) if present else None
    prereqs = [Prerequisite(id=p.id, level=p.level, text=p.text.en, met=_prerequisite_met(p.rule, p.parameter, m, modules))
               for p in settings.prerequisites]
    by_score = level_for(overall_score, method)
    rating = None
    if overall_score is not None:
        order = [lv.id for lv in settings.levels]
        for lv in reversed(settings.levels):
            if overall_score < lv.min_score:
                continue
            blocking = [p for p in prereqs if not p.met and order.index(p.level) <= order.index(lv.id)]
            if not blocking:
                rating = lv.id
                break
    names = {lv.id: lv.name.en for lv in settings.levels}
    all_recs = sorted((r for rs in recs.values() for r in rs), key=lambda r: (-r.overall_gain, r.module_id, r.target_id))
    return Scored(
        modules=modules,
        pillars={"green": PillarResult(score=green, components=green_components), "thriving": PillarResult(score=thriving)},
        overall=Overall(score=overall_score, rating=rating, rating_name=names.get(rating) if rating else None, level_by_score=by_score,
                        prerequisites=prereqs, recommendations=all_recs[:10]),
    )
