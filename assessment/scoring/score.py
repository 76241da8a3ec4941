"""Scores: indicator points, module scores, pillars, the overall rating and recommendations.

Rules (all weights and thresholds come from the method's TOML files):

* Indicator points: piecewise linear from (``zero_points_at``, 0) through the
  optional bands to (``full_points_at``, 100), clamped to 0-100.
* Module score = indicator_weight x weighted mean of indicator points
  + action_weight x weighted mean of action points. An item not reported is a
  data gap: it shows no value and earns no points (it counts 0 in the mean, so a
  score never reads better because data is missing); an indicator that does not
  apply to what the input reports (``NOT_APPLICABLE``) is left out of the mean.
  Coverage = reported indicators / applicable indicators of the module [%];
  below ``min_coverage_pct`` the module is provisional (action statuses are
  counted apart, in ``action_coverage``).
* Thriving pillar = mean of the ten module scores. Green pillar =
  weighted mean of its components (per-capita net emissions, gap to the target
  path) that can be computed; not rated while an inventory section that
  ``[[green.required_sections]]`` requires is missing.
* Overall = green_weight x Green + thriving_weight x Thriving (renormalised when
  one pillar is missing). Rating = the highest level whose ``min_score`` the
  overall score reaches and whose prerequisites are met.
* Recommendations: every item not at full points and not implemented, with the
  exact gain in the overall score if it reached full points and, where it maps to
  a lever, the tCO2e a year the lever's standard dose abates (the report prints
  that dose beside each figure, e.g. "10% step"); ranked by abatement
  first, then by score gain; ``[recommendations]`` in method.toml caps how many
  are kept.

:func:`score_all` runs the named steps in order: indicator values, points,
module scores, pillars, overall score, prerequisites, rating, recommendations.

Result texts are in English (the results JSON is language-independent); the
report shows method texts in the reader's language by id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from assessment.emissions.regions import country_code
from assessment.errors import MethodError
from assessment.i18n import N_, language, translate_format
from assessment.model.enums import ActionStatus, DataQuality
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import InventorySection, Method, Module, Threshold
from assessment.model.results import (
    ActionResult,
    EmissionsAccount,
    Gap,
    GreenComponentResult,
    IndicatorResult,
    ModuleResult,
    Overall,
    PillarResult,
    Prerequisite,
    Recommendation,
)
from assessment.numbers import Amount
from assessment.scoring.green import GREEN_FORMULAS
from assessment.scoring.indicators import FORMULAS, NOT_APPLICABLE, NotApplicable

#: An indicator's advice says which way to move it: "lower" where fewer is better (its full points lie below its zero
#: points), "raise" otherwise; "improve" read as "increase" for a figure that should fall.
#: An indicator's recommendation: from its value to the value that earns full points (the threshold's full_points_at).
INDICATOR_ADVICE = {True: N_("{indicator}: raise from {value} to {target}"), False: N_("{indicator}: lower from {value} to {target}")}
#: An action's recommendation is its own text, which is already an instruction ("Replace gas, oil and coal boilers ...").
ACTION_ADVICE = "{action}"


def points(value: float | None | NotApplicable, t: Threshold) -> float | None:
    """Points 0-100 for ``value`` on a threshold scale (linear between knots, clamped); a gap or NOT_APPLICABLE has none."""
    if value is None or value is NOT_APPLICABLE:
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


def thresholds_dict(t: Threshold) -> dict:
    return {
        "direction": t.direction,
        "zero_points_at": t.zero_points_at,
        "full_points_at": t.full_points_at,
        "bands": [list(b) for b in t.bands],
    }


def check_formulas(method: Method) -> None:
    """Every formula a method names must exist (a custom method may misspell one)."""
    for m in method.modules:
        for i in m.indicators:
            if not i.reported and i.formula not in FORMULAS:
                raise MethodError(
                    f"{m.id}: indicator {i.id} names unknown formula '{i.formula}' (known: {', '.join(sorted(FORMULAS))}, reported)"
                )
    for c in method.settings.green.components:
        if c.formula not in GREEN_FORMULAS:
            raise MethodError(
                f"method.toml: green component {c.id} names unknown formula '{c.formula}' (known: {', '.join(sorted(GREEN_FORMULAS))})"
            )


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs; None when there are none."""
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if pairs and total > 0 else None


def blend(parts: list[tuple[float | None, float]]) -> float | None:
    """Weighted blend of parts that exist; missing parts drop out and the rest are renormalised."""
    return weighted_mean([(v, w) for v, w in parts if v is not None])


@dataclass(frozen=True)
class ModuleState:
    """Points of a module's indicators and actions by id (None: not reported, a data gap), and the indicators that do
    not apply."""

    indicator_points: dict[str, float | None]
    action_points: dict[str, float | None]
    not_applicable: frozenset[str] = frozenset()


def module_score(module: Module, state: ModuleState, method: Method) -> tuple[float | None, float | None, float | None]:
    """(module score, indicator part, action part) from points: a gap counts 0, a not-applicable indicator is left out."""
    rule = method.settings.module_score
    ind = weighted_mean([(state.indicator_points[i.id] or 0.0, i.weight) for i in module.indicators if i.id not in state.not_applicable])
    act = weighted_mean([(state.action_points[a.id] or 0.0, a.weight) for a in module.actions])
    return blend([(ind, rule.indicator_weight), (act, rule.action_weight)]), ind, act


def names_of(method: Method) -> dict[str, str]:
    """English name of each rating level by id."""
    return {lv.id: lv.name.en for lv in method.settings.levels}


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


# --------------------------------------------------------------------------- step 1: indicator values


def indicator_values(m: NeighbourhoodInput, account: EmissionsAccount, method: Method) -> dict[str, float | None | NotApplicable]:
    """Every indicator's value: reported on the module sheets, or computed by its formula from the input and the account."""
    reported = {r.indicator_id: r.value for r in m.module_indicators}
    return {
        ind.id: (reported.get(ind.id) if ind.reported else FORMULAS[ind.formula](m, account))
        for mod in method.modules
        for ind in mod.indicators
    }


# --------------------------------------------------------------------------- step 2: points


def status_points(m: NeighbourhoodInput, method: Method) -> dict[str, float | None]:
    """Points of each action from its status (None when no status is given)."""
    ap = method.settings.action_points
    by_status = {
        ActionStatus.not_started: ap.not_started,
        ActionStatus.planned: ap.planned,
        ActionStatus.in_progress: ap.in_progress,
        ActionStatus.implemented: ap.implemented,
    }
    return {r.action_id: by_status[r.status] for r in m.module_actions if r.status is not None}


def module_states(method: Method, values: dict, actions: dict[str, float | None]) -> dict[str, ModuleState]:
    """Indicator and action points of every module."""
    return {
        mod.id: ModuleState(
            {i.id: points(values[i.id], i) for i in mod.indicators},
            {a.id: actions.get(a.id) for a in mod.actions},
            frozenset(i.id for i in mod.indicators if values[i.id] is NOT_APPLICABLE),
        )
        for mod in method.modules
    }


# --------------------------------------------------------------------------- step 3: pillars and the overall score


def green_pillar(m: NeighbourhoodInput, account: EmissionsAccount, method: Method) -> PillarResult:
    """Weighted mean of the Green components that can be computed."""
    components = []
    for c in method.settings.green.components:
        v = GREEN_FORMULAS[c.formula](m, account)
        components.append(
            GreenComponentResult(
                id=c.id,
                name=c.name.en,
                unit=c.unit,
                value=v,
                points=points(v, c),
                weight=c.weight,
                thresholds=thresholds_dict(c),
                source=c.source,
            )
        )
    missing = missing_sections(m, method)
    if missing:
        names = ", ".join(f"{sec.name.en} ({sec.notation})" for sec in missing)
        return PillarResult(
            score=None,
            components=components,
            not_rated_reason=f"Not rated: the inventory lacks {names}; a Green score needs every section (modules/method.toml).",
            missing_sections=[Gap(section=sec.id, notation=sec.notation, message=sec.name.en) for sec in missing],
        )
    return PillarResult(score=weighted_mean([(g.points, g.weight) for g in components if g.points is not None]), components=components)


def missing_sections(m: NeighbourhoodInput, method: Method) -> list[InventorySection]:
    """The required inventory sections (method.toml [[green.required_sections]]) that the input does not report."""
    return [
        sec
        for sec in method.settings.green.required_sections
        if (sec.only_when is None or getattr(m, sec.only_when))
        and not any(getattr(m, t) for t in sec.tables)
        and not any(r.item.value in sec.consumption_items for r in m.consumption)
    ]


def thriving_score(module_scores: dict[str, float | None]) -> float | None:
    """Mean of the module scores (every module with indicators or actions has one)."""
    present = [v for v in module_scores.values() if v is not None]
    return sum(present) / len(present) if present else None


def overall_score(green: PillarResult, thriving: float | None, method: Method) -> float | None:
    """Pillars blended by their weights. A Green pillar not rated for a missing inventory section counts as 0 (a score
    never reads better because data is missing); one with no computable component drops out, and Thriving carries
    the whole weight."""
    p = method.settings.pillars
    g = 0.0 if green.not_rated_reason else green.score
    return blend([(g, p.green_weight), (thriving, p.thriving_weight)])


# --------------------------------------------------------------------------- step 4: prerequisites and rating


def prerequisite_met(rule: str, parameter: float | None, m: NeighbourhoodInput, modules: list[ModuleResult]) -> bool:
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


def prerequisites(m: NeighbourhoodInput, modules: list[ModuleResult], method: Method) -> list[Prerequisite]:
    return [
        Prerequisite(id=p.id, level=p.level, text=p.text.en, met=prerequisite_met(p.rule, p.parameter, m, modules))
        for p in method.settings.prerequisites
    ]


def rating(score: float | None, prereqs: list[Prerequisite], method: Method, cap: str | None = None) -> str | None:
    """The highest level whose min_score the score reaches, no unmet prerequisite of that level or below blocks, and
    that is not above ``cap`` (the cap while the Green pillar is not rated)."""
    if score is None:
        return None
    levels = method.settings.levels
    order = [lv.id for lv in levels]
    top = order.index(cap) if cap in order else len(order) - 1
    for lv in reversed(levels[: top + 1]):
        if score >= lv.min_score and not any(not p.met and order.index(p.level) <= order.index(lv.id) for p in prereqs):
            return lv.id
    return None


# --------------------------------------------------------------------------- step 5: recommendations


def advice_text(method: Method, module_id: str, kind: str, target_id: str, value: float | None) -> str:
    """The sentence of a recommendation in the current language (the result keeps the English one; the report prints it)."""
    mod = method.module(module_id)
    if kind == "indicator":
        ind = next(i for i in mod.indicators if i.id == target_id)
        return translate_format(
            INDICATOR_ADVICE[ind.full_points_at > ind.zero_points_at],
            indicator=ind.name,
            value=Amount(value, ind.unit),
            target=Amount(ind.full_points_at, ind.unit),
        )
    return translate_format(ACTION_ADVICE, action=next(a for a in mod.actions if a.id == target_id).text)


def recommendations(
    method: Method,
    states: dict[str, ModuleState],
    values: dict,
    overall_with: Callable[[str, ModuleState], float | None],
    overall: float | None,
    country: str | None = None,
) -> dict[str, list[Recommendation]]:
    """Per module, what would raise the overall score if one indicator or action reached full points; nothing already
    implemented (an indicator's linked action is named only while it is not implemented). Each names the module's case
    study nearest the neighbourhood's ``country`` (ISO code), as the report does."""
    implemented = method.settings.action_points.implemented
    out: dict[str, list[Recommendation]] = {}
    for mod in method.modules:
        st = states[mod.id]
        near = method.settings.case_studies.nearest(mod.case_studies, country)
        case = f"{near[0].city.en}: {near[0].project.en}" if near else None
        actions = {a.id: a for a in mod.actions}
        open_actions = {a.id for a in mod.actions if (st.action_points[a.id] or 0.0) < implemented}
        candidates: list[tuple[str, str, ModuleState, str | None, str | None]] = []
        for ind in mod.indicators:
            p = st.indicator_points[ind.id]
            if p is not None and p < 100:
                linked = ind.action if ind.action in open_actions else None
                candidates.append(
                    (
                        "indicator",
                        ind.id,
                        replace(st, indicator_points={**st.indicator_points, ind.id: 100.0}),
                        actions[linked].text.en if linked else None,
                        linked,
                    )
                )
        for act in mod.actions:
            if act.id in open_actions:
                state = replace(st, action_points={**st.action_points, act.id: implemented})
                candidates.append(("action", act.id, state, act.text.en, act.id))
        recs = []
        for kind, target, state, action_text, action_id in candidates:
            gain = (overall_with(mod.id, state) or 0) - (overall or 0)
            if gain > 0:
                with language("en"):
                    text = advice_text(method, mod.id, kind, target, values.get(target))
                recs.append(
                    Recommendation(
                        module_id=mod.id,
                        kind=kind,
                        target_id=target,
                        text=text,
                        action_text=action_text,
                        case_study=case,
                        overall_gain=gain,
                        lever=method.levers.for_action(action_id) if action_id else None,
                        sphere=mod.sphere,
                    )
                )
        out[mod.id] = recs
    return out


def rank_key(r: Recommendation) -> tuple:
    """Order of recommendations: those that abate emissions first, most tCO2e a year first; then by score gain."""
    abates = r.abatement_tco2e_per_year is not None and r.abatement_tco2e_per_year > 0
    return (
        (0, -r.abatement_tco2e_per_year, -r.overall_gain, r.module_id, r.target_id)
        if abates
        else (1, -r.overall_gain, r.module_id, r.target_id)
    )


def one_per_lever(recs: list[Recommendation]) -> list[Recommendation]:
    """Ranked recommendations with the later ones of a lever already listed left out (an indicator and its linked
    action are one piece of advice when the same lever moves both)."""
    seen: set[str] = set()
    out = []
    for r in recs:
        if r.lever is None or r.lever not in seen:
            out.append(r)
            if r.lever is not None:
                seen.add(r.lever)
    return out


#: Fills a recommendation's carbon figures (the pipeline passes the scenarios stage's; scoring alone leaves them empty).
Advise = Callable[[list[Recommendation]], list[Recommendation]]


# --------------------------------------------------------------------------- the steps in order


def module_results(
    m: NeighbourhoodInput,
    method: Method,
    values: dict[str, float | None],
    states: dict[str, ModuleState],
    parts: dict[str, tuple],
    recs: dict[str, list[Recommendation]],
    where,
) -> list[ModuleResult]:
    reported = {r.indicator_id: (i, r) for i, r in enumerate(m.module_indicators)}
    statuses = {r.action_id: (i, r) for i, r in enumerate(m.module_actions)}
    settings = method.settings
    out = []
    for mod in method.modules:
        st = states[mod.id]
        score, ind_part, act_part = parts[mod.id]
        applicable = len(mod.indicators) - len(st.not_applicable)
        coverage = sum(p is not None for p in st.indicator_points.values()) / applicable * 100.0 if applicable else 100.0
        action_coverage = sum(p is not None for p in st.action_points.values()) / len(mod.actions) * 100.0
        indicators = []
        for ind in mod.indicators:
            row = reported.get(ind.id)
            quality = (row[1].data_quality if row else None) if ind.reported else DataQuality.calculated
            indicators.append(
                IndicatorResult(
                    id=ind.id,
                    name=ind.name.en,
                    unit=ind.unit,
                    value=None if values[ind.id] is NOT_APPLICABLE else values[ind.id],
                    not_applicable=ind.id in st.not_applicable,
                    points=st.indicator_points[ind.id],
                    thresholds=thresholds_dict(ind),
                    formula=ind.formula,
                    source=ind.source,
                    data_quality=quality,
                    source_ref=where(("module_indicators", row[0], "value")) if row else "",
                )
            )
        actions = []
        for a in mod.actions:
            row = statuses.get(a.id)
            actions.append(
                ActionResult(
                    id=a.id,
                    strategy=a.strategy.en,
                    text=a.text.en,
                    status=row[1].status if row else None,
                    points=st.action_points[a.id],
                    source_ref=where(("module_actions", row[0], "status")) if row else "",
                )
            )
        out.append(
            ModuleResult(
                id=mod.id,
                name=mod.name.en,
                score=score,
                level=level_for(score, method),
                indicator_score=ind_part,
                action_score=act_part,
                coverage=coverage,
                action_coverage=action_coverage,
                provisional=coverage < settings.module_score.min_coverage_pct,
                indicators=indicators,
                actions=actions,
                recommendations=recs[mod.id][: settings.recommendations.per_module],
                case_studies=[f"{c.city.en}: {c.project.en} - {c.summary.en}" for c in mod.case_studies],
            )
        )
    return out


def score_all(
    m: NeighbourhoodInput, account: EmissionsAccount, method: Method, where=lambda loc: "", advise: Advise | None = None
) -> Scored:
    """Score the ten modules, both pillars and the overall rating, step by step. ``advise`` adds each recommendation's
    abatement (the scenarios stage computes it with the lever catalogue); recommendations are then ranked by
    :func:`rank_key`."""
    check_formulas(method)
    values = indicator_values(m, account, method)
    states = module_states(method, values, status_points(m, method))
    parts = {mod.id: module_score(mod, states[mod.id], method) for mod in method.modules}  # (score, indicator part, action part)
    scores = {mid: p[0] for mid, p in parts.items()}
    green = green_pillar(m, account, method)
    overall = overall_score(green, thriving_score(scores), method)

    def overall_with(module_id: str, state: ModuleState) -> float | None:
        """The overall score with one module's points replaced (only that module is rescored)."""
        changed = {**scores, module_id: module_score(method.module(module_id), state, method)[0]}
        return overall_score(green, thriving_score(changed), method)

    recs = recommendations(method, states, values, overall_with, overall, country=country_code(m.profile))
    if advise is not None:
        advised = iter(advise([r for mid in recs for r in recs[mid]]))
        recs = {mid: [next(advised) for _ in rs] for mid, rs in recs.items()}
    recs = {mid: one_per_lever(sorted(rs, key=rank_key)) for mid, rs in recs.items()}
    modules = module_results(m, method, values, states, parts, recs, where)
    prereqs = prerequisites(m, modules, method)
    cap = method.settings.green.not_rated_caps_rating_at if green.not_rated_reason else None
    rated = rating(overall, prereqs, method, cap)
    names = names_of(method)
    capped = None
    if cap is not None and rating(overall, prereqs, method) != rated:
        capped = f"Capped at {names[cap]}: the Green pillar is not rated until the inventory is complete."
    ranked = one_per_lever(sorted((r for rs in recs.values() for r in rs), key=rank_key))
    return Scored(
        modules=modules,
        pillars={"green": green, "thriving": PillarResult(score=thriving_score(scores))},
        overall=Overall(
            score=overall,
            rating=rated,
            rating_name=names.get(rated) if rated else None,
            level_by_score=level_for(overall, method),
            capped_reason=capped,
            prerequisites=prereqs,
            recommendations=ranked[: method.settings.recommendations.overall],
        ),
    )
