"""Checks on the Scenario sheet: each problem names the measure's row and column.

Field checks come from the input model; these check a measure against its
lever (sizes and codes the lever accepts), its scenario (unique ids, years) and,
when the factor library is at hand, that the measure changes something in this
input and that every factor it needs exists.
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any, Iterator

from assessment.emissions.account import MissingFactors
from assessment.emissions.totals import LineMemo, totals
from assessment.i18n import N_
from assessment.io.rules import Check
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import Method
from assessment.scenarios.levers import LeverError
from assessment.scenarios.plan import resolve_choice, scenarios_of

#: Totals closer than this [tCO2e/yr] count as unchanged.
NO_CHANGE_TCO2E = 1e-9


def measure_checks(m: NeighbourhoodInput, method: Method, factors: Any = None) -> list[Check]:
    """Row checks of every measure (part of the cross-field checks, which may see a partial model)."""
    return list(_rows(m, method, factors))


def effect_checks(m: NeighbourhoodInput, method: Method, factors: Any) -> list[Check]:
    """Run on a model that passed every other check: each measure changes something and finds its factors."""
    return list(_effects(m, method, factors)) if m.scenario_measures else []


def _rows(m: NeighbourhoodInput, method: Method, factors: Any) -> Iterator[Check]:
    cat = method.levers
    ids = Counter((k.scenario, k.measure_id) for k in m.scenario_measures)
    reporting, target = m.profile.reporting_year, m.profile.target_net_zero_year
    for i, k in enumerate(m.scenario_measures):
        loc = ("scenario_measures", i)
        if ids[(k.scenario, k.measure_id)] > 1:
            yield (*loc, "measure_id"), "duplicate", N_("'{value}' appears more than once; give one row each"), {"value": k.measure_id}
        if not reporting < k.start_year <= target:
            yield (
                (*loc, "start_year"),
                "measure-start",
                N_("the start year {start} must lie after the reporting year {reporting} and no later than the target year {target}"),
                {"start": k.start_year, "reporting": reporting, "target": target},
            )
        if k.full_effect_year < k.start_year:
            yield (
                (*loc, "full_effect_year"),
                "measure-years",
                N_("the full-effect year {full} is before the start year {start}"),
                {"full": k.full_effect_year, "start": k.start_year},
            )
        if k.capital_cost is not None and k.lifetime_years is None:
            yield (*loc, "lifetime_years"), "lifetime-needed", N_("a capital cost needs the lifetime over which it is annualised"), {}
        lever = cat.get(k.lever)
        if lever is None:
            guess = difflib.get_close_matches(k.lever, [lv.id for lv in cat.levers], n=1)
            yield (
                (*loc, "lever"),
                "unknown-lever",
                N_("'{value}' is not a lever of the catalogue: {choices}"),
                {"value": k.lever, "choices": guess[0] if guess else ", ".join(lv.id for lv in cat.levers)},
            )
            continue
        for column, q in (("size", lever.size), ("performance", lever.performance)):
            value = getattr(k, column)
            if q is None:
                if value is not None:
                    yield (
                        (*loc, column),
                        "lever-extra",
                        N_("the lever {lever} takes no {column}; leave it blank"),
                        {"lever": lever.id, "column": column},
                    )
            elif value is None:
                if q.required:
                    yield (
                        (*loc, column),
                        "lever-needs",
                        N_("the lever {lever} needs its {meaning} ({unit})"),
                        {"lever": lever.id, "meaning": q.meaning.get(), "unit": q.unit},
                    )
            elif not q.min <= value <= q.max:
                yield (
                    (*loc, column),
                    "lever-range",
                    N_("{meaning} must lie between {low:g} and {high:g} {unit}"),
                    {"meaning": q.meaning.get(), "low": q.min, "high": q.max, "unit": q.unit},
                )
        for column, set_name in (("applies_to", lever.applies_to), ("switch_to", lever.switch_to)):
            value = getattr(k, column)
            if value is None:
                if column == "switch_to" and lever.switch_to_required:
                    yield (*loc, column), "lever-needs-code", N_("the lever {lever} needs what to switch to"), {"lever": lever.id}
                continue
            if set_name is None:
                yield (
                    (*loc, column),
                    "lever-extra",
                    N_("the lever {lever} takes no {column}; leave it blank"),
                    {"lever": lever.id, "column": column},
                )
                continue
            if set_name == "concrete_material" and factors is None:
                continue
            try:
                resolve_choice(value, set_name, m, factors)
            except ValueError as exc:
                yield (
                    (*loc, column),
                    "lever-code",
                    N_("'{value}' is not accepted by the lever {lever}; use one of: {choices}"),
                    {"value": value, "lever": lever.id, "choices": str(exc)},
                )


def _effects(m: NeighbourhoodInput, method: Method, factors: Any) -> Iterator[Check]:
    """Each measure alone at full size: it must change the account, and the engine must find every factor it needs."""
    fs = factors.for_input(m)
    memo = LineMemo()
    try:
        today = totals(m, fs, memo)
    except MissingFactors:
        return  # reported by the factor check of the input itself
    for measures in scenarios_of(m, method, fs).values():
        for p in measures:
            loc = ("scenario_measures", p.row)
            try:
                after = totals(p.apply(m, p.measure.full_effect_year, fs), fs, memo)
            except MissingFactors as exc:
                f = exc.missing[0]
                yield (*loc, "switch_to" if p.measure.switch_to else "lever"), "missing-factor", f.template, {"factor": f.factor_id}
                continue
            except LeverError as exc:
                yield (*loc, "lever"), "lever-input", N_("the measure cannot act on this input: {reason}"), {"reason": str(exc)}
                continue
            if p.measure.size > 0 and abs(after.net - today.net) <= NO_CHANGE_TCO2E:
                yield (
                    (*loc, "applies_to" if p.measure.applies_to else "lever"),
                    "lever-no-effect",
                    N_("the measure changes nothing in this input: nothing it applies to was reported (lever {lever})"),
                    {"lever": p.lever.id},
                )
