"""Each named step of scoring on its own (assessment.scoring.score), against hand calculations.

The rules are those of the module docstring of assessment/scoring/score.py and
the default method (modules/method.toml): pillars 0.5 / 0.5, action points
0 / 25 / 60 / 100, levels at 0 / 40 / 60 / 80.
"""

from __future__ import annotations

import json

import pytest

from assessment.model.enums import ActionStatus
from assessment.model.inputs import ModuleActionStatus, NeighbourhoodInput
from assessment.model.method import Level
from assessment.model.results import PillarResult, Prerequisite
from assessment.model.text import Text
from assessment.scoring import score as S
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def sample() -> NeighbourhoodInput:
    return NeighbourhoodInput.model_validate(json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8")))


def _prereq(level: str, met: bool) -> Prerequisite:
    return Prerequisite(id=f"p-{level}", level=level, text="t", met=met)


def test_thriving_score_is_the_mean_of_present_modules():
    """Hand: (40 + 80) / 2 = 60; a module with no score is a gap, not a zero."""
    assert S.thriving_score({"m01": 40.0, "m02": None, "m03": 80.0}) == pytest.approx(60.0)
    assert S.thriving_score({"m01": None}) is None


def test_overall_score_blends_and_renormalises(method):
    """Hand: 0.5 x 30 + 0.5 x 70 = 50; a Green pillar with no computable component drops out and Thriving carries the
    whole weight (70); a Green pillar not rated for a missing inventory section counts as 0: 0.5 x 0 + 0.5 x 70 = 35."""
    assert S.overall_score(PillarResult(score=30.0), 70.0, method) == pytest.approx(50.0)
    assert S.overall_score(PillarResult(score=None), 70.0, method) == pytest.approx(70.0)
    assert S.overall_score(PillarResult(score=None, not_rated_reason="no energy"), 70.0, method) == pytest.approx(35.0)
    assert S.overall_score(PillarResult(score=None), None, method) is None


def test_rating_is_the_highest_unblocked_level(method):
    """Levels 0/40/60/80: 85 with every prerequisite met is 'leading'; an unmet 'advanced' prerequisite caps it at 'progressing'."""
    assert S.rating(85.0, [], method) == "leading"
    assert S.rating(85.0, [_prereq("leading", False)], method) == "advanced"
    assert S.rating(85.0, [_prereq("advanced", False)], method) == "progressing"
    assert S.rating(39.9, [], method) == "starting"
    assert S.rating(None, [], method) is None


def test_rating_cap_while_green_is_not_rated(method):
    """With the cap 'starting' (method.toml green.not_rated_caps_rating_at) even 85 points rate 'starting'."""
    assert S.rating(85.0, [], method, cap="starting") == "starting"


def test_rating_levels_are_data(method):
    """A method with three levels (0 / 50 / 90) rates on those: 55 is the middle level, and level names come from the file."""
    three = (
        Level(id="low", name=Text(en="Low", zh="低"), min_score=0, description=Text(en="d", zh="d")),
        Level(id="mid", name=Text(en="Mid", zh="中"), min_score=50, description=Text(en="d", zh="d")),
        Level(id="top", name=Text(en="Top", zh="高"), min_score=90, description=Text(en="d", zh="d")),
    )
    custom = method.model_copy(update={"settings": method.settings.model_copy(update={"levels": three, "prerequisites": ()})})
    assert S.rating(55.0, [], custom) == "mid"
    assert S.level_for(95.0, custom) == "top"


def test_status_points_follow_the_method(sample, method):
    """planned -> 25, implemented -> 100 (method.toml [action_points]); an action with no status has no points."""
    m = sample.model_copy(
        update={
            "module_actions": [
                ModuleActionStatus(action_id="m01_a01", status=ActionStatus.planned),
                ModuleActionStatus(action_id="m01_a02", status=ActionStatus.implemented),
                ModuleActionStatus(action_id="m01_a03", status=None),
            ]
        }
    )
    assert S.status_points(m, method) == {"m01_a01": 25.0, "m01_a02": 100.0}


def test_indicator_values_reported_or_computed(sample, method, factors):
    """A reported indicator takes the sheet's value; a computed one its formula; a reported one left out is None."""
    from assessment.emissions.account import emissions_account

    account = emissions_account(sample, factors)
    values = S.indicator_values(sample, account, method)
    reported = {r.indicator_id: r.value for r in sample.module_indicators}
    for mod in method.modules:
        for ind in mod.indicators:
            if ind.reported:
                assert values[ind.id] == reported.get(ind.id)
            else:
                assert values[ind.id] == S.FORMULAS[ind.formula](sample, account)


def test_prerequisite_thriving_coverage_pools_the_modules(sample, method, factors):
    """min_thriving_coverage: share of all indicators with a value >= parameter; with no indicator reported it is not met."""
    from assessment.emissions.account import emissions_account

    account = emissions_account(sample, factors)
    scored = S.score_all(sample, account, method)
    values = [i.value for mr in scored.modules for i in mr.indicators]
    share = sum(v is not None for v in values) / len(values) * 100
    assert S.prerequisite_met("min_thriving_coverage", share, sample, scored.modules)
    assert not S.prerequisite_met("min_thriving_coverage", share + 0.1, sample, scored.modules)


def test_recommendations_never_name_an_implemented_action_and_gain_is_exact(sample, method, factors):
    """Each recommendation's gain equals the overall score recomputed with that item at full points."""
    from assessment.emissions.account import emissions_account

    account = emissions_account(sample, factors)
    scored = S.score_all(sample, account, method)
    implemented = {a.id for mr in scored.modules for a in mr.actions if a.status == "implemented"}
    for mr in scored.modules:
        for rec in mr.recommendations:
            assert not (rec.kind == "action" and rec.target_id in implemented)
    rec = scored.overall.recommendations[0]
    if rec.kind == "action":
        rows = [r for r in sample.module_actions if r.action_id != rec.target_id]
        better = sample.model_copy(
            update={"module_actions": [*rows, ModuleActionStatus(action_id=rec.target_id, status=ActionStatus.implemented)]}
        )
        after = S.score_all(better, account, method).overall.score
        assert after - scored.overall.score == pytest.approx(rec.overall_gain, rel=1e-9)


def test_recommendation_caps_are_data(sample, method, factors):
    """[recommendations] per_module = 2 and overall = 4 keep at most that many."""
    from assessment.emissions.account import emissions_account

    caps = method.settings.recommendations.model_copy(update={"per_module": 2, "overall": 4})
    custom = method.model_copy(update={"settings": method.settings.model_copy(update={"recommendations": caps})})
    scored = S.score_all(sample, emissions_account(sample, factors), custom)
    assert max(len(mr.recommendations) for mr in scored.modules) <= 2
    assert len(scored.overall.recommendations) == 4


def test_advice_text_is_the_sentence_the_report_prints(method):
    """One wording: the result's text is advice_text in English (the same template the report translates)."""
    mod = method.modules[0]
    act = mod.actions[0]
    assert S.advice_text(method, mod.id, "action", act.id, None) == act.text.en
