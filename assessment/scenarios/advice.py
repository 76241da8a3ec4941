"""Carbon figures of recommendations: the tonnes a lever's standard dose abates on this input, and its cost.

A recommendation maps to a lever through its action (modules/levers.toml
``actions``). Its ``abatement_tco2e_per_year`` is the fall in net emissions a
year when the lever's ``standard`` dose is applied to today's input, computed by
the same engine and factors as the scorecard (:func:`assessment.emissions.totals.totals`).
``cost_per_tco2e`` comes from the input's own measure of that lever where the
Scenario sheet gives its costs. Scoring ranks the result (``rank_key``).
"""

from __future__ import annotations

from typing import Callable

from assessment.emissions.account import MissingFactors
from assessment.emissions.factors import FactorSet
from assessment.emissions.totals import LineMemo, totals
from assessment.i18n import N_, language, translate_format
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.lever_catalogue import Lever
from assessment.model.method import Method
from assessment.model.results import Recommendation, ScenarioResult
from assessment.numbers import Amount
from assessment.scenarios.levers import LEVER_FUNCTIONS, Dose, choice_codes, lever_params

NO_LEVER = N_("No lever of the catalogue models this item's carbon effect; it is ranked by its score gain.")
CODE_NOT_HERE = N_("The standard dose ({code}) does not apply to this input.")
NO_FACTOR = N_("The factor library has no factor for the standard dose on this input ({ids}).")
BASIS = N_("{lever} at {amount}: {rationale}")


def standard_dose(lever: Lever, m: NeighbourhoodInput, factors: FactorSet) -> Dose | str:
    """The lever's standard dose for this input, or the English reason there is none."""
    sd = lever.standard
    if sd is None:
        return lever.no_standard_reason.en
    for code, set_name in ((sd.applies_to, lever.applies_to), (sd.switch_to, lever.switch_to)):
        if code is not None and code not in choice_codes(set_name, m, factors):
            return translate_format(CODE_NOT_HERE, code=code)
    return Dose(
        size=sd.size,
        performance=sd.performance,
        applies_to=sd.applies_to,
        switch_to=sd.switch_to,
        label="recommendation",
        factors=factors,
        params=lever_params(lever, factors),
        start_year=m.profile.reporting_year,
    )


def standard_abatement_tco2e(lever: Lever, m: NeighbourhoodInput, factors: FactorSet, memo: LineMemo) -> float | str:
    """Net tCO2e a year the lever's standard dose removes from ``m`` (negative if it adds emissions), or why none."""
    dose = standard_dose(lever, m, factors)
    if isinstance(dose, str):
        return dose
    try:
        return totals(m, factors, memo).net - totals(LEVER_FUNCTIONS[lever.id](m, dose), factors, memo).net
    except MissingFactors as e:  # e.g. a stream the standard treatment has no factor for
        return translate_format(NO_FACTOR, ids=", ".join(sorted({f.factor_id for f in e.missing})))


def advisor(
    m: NeighbourhoodInput, method: Method, factors: FactorSet, scenarios: list[ScenarioResult]
) -> Callable[[list[Recommendation]], list[Recommendation]]:
    """The function that fills the carbon figures of a list of recommendations (one abatement per lever, computed once)."""
    factors = factors.for_input(m)
    memo = LineMemo()
    abatement: dict[str, float | str] = {}
    costs = {}
    for s in scenarios:
        for mr in s.measures:
            if mr.cost_per_tco2e is not None:
                costs.setdefault(mr.lever, (mr.cost_per_tco2e, f"{s.name} / {mr.id}"))

    def one(r: Recommendation) -> Recommendation:
        lever = method.levers.get(r.lever) if r.lever else None
        if lever is None:
            return r.model_copy(update={"no_abatement_reason": NO_LEVER})
        if lever.id not in abatement:
            abatement[lever.id] = standard_abatement_tco2e(lever, m, factors, memo)
        a = abatement[lever.id]
        cost, cost_source = costs.get(lever.id, (None, None))
        update = {"sphere": lever.sphere, "cost_per_tco2e": cost, "cost_source": cost_source}
        if isinstance(a, str):
            update["no_abatement_reason"] = a
        else:
            sd = lever.standard
            basis = translate_format(BASIS, lever=lever.name, amount=Amount(sd.size, lever.size.unit), rationale=sd.rationale)
            update.update(abatement_tco2e_per_year=a, abatement_basis=basis)
        return r.model_copy(update=update)

    def advise(recs: list[Recommendation]) -> list[Recommendation]:
        with language("en"):  # the result keeps English texts; the report words its own from the fields
            return [one(r) for r in recs]

    return advise


def no_abatement_text(method: Method, rec: Recommendation) -> str:
    """Why a recommendation has no tCO2e figure, in the current language where the reason is a method text (the
    result keeps the English sentence, which is shown for the reasons that depend on the input)."""
    lever = method.levers.get(rec.lever) if rec.lever else None
    if lever is None:
        return translate_format(NO_LEVER)
    if lever.standard is None:
        return translate_format("{reason}", reason=lever.no_standard_reason)
    return rec.no_abatement_reason or ""
