"""Property-based tests of scoring (hypothesis).

The emissions account does not depend on module indicator values or action
statuses, so it is computed once for the riverside sample and every example
only re-scores a copy of the input with random module-sheet entries.
"""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.checks import validate_input
from assessment.emissions.account import emissions_account
from assessment.emissions.factors import load_factors
from assessment.model.enums import ActionStatus
from assessment.model.inputs import ModuleActionStatus, ModuleIndicatorValue
from assessment.model.method import load_method
from assessment.scoring.score import points, score_all
from tests.conftest import SAMPLES

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-9


@cache
def base():
    method = load_method()
    factors = load_factors()
    model = validate_input(SAMPLES / "riverside-retrofit.json", method, factors=factors).model
    return method, model, emissions_account(model, factors)


METHOD = load_method()
REPORTED = [(m.id, i) for m in METHOD.modules for i in m.indicators if i.reported]
ACTIONS = [(m.id, a) for m in METHOD.modules for a in m.actions]
ALL_THRESHOLDS = [i for m in METHOD.modules for i in m.indicators] + list(METHOD.settings.green.components)
STATUSES = [None, *ActionStatus]


def value_for(ind):
    """Values around the indicator's scale (incl. far outside it), or None (a gap)."""
    lo, hi = sorted((ind.zero_points_at, ind.full_points_at))
    span = hi - lo
    return st.one_of(
        st.none(),
        st.floats(min_value=lo - span, max_value=hi + span, allow_nan=False, allow_infinity=False),
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
        st.sampled_from([ind.zero_points_at, ind.full_points_at, *(b[0] for b in ind.bands)]),
    )


reported_values = st.tuples(*(value_for(i) for _m, i in REPORTED))
action_statuses = st.tuples(*(st.sampled_from(STATUSES) for _ in ACTIONS))


def model_with(values, statuses, *, omit_none_rows=True):
    _method, model, _account = base()
    rows = [ModuleIndicatorValue(indicator_id=i.id, value=v) for (_m, i), v in zip(REPORTED, values) if v is not None or not omit_none_rows]
    acts = [ModuleActionStatus(action_id=a.id, status=s) for (_m, a), s in zip(ACTIONS, statuses) if s is not None or not omit_none_rows]
    return model.model_copy(update={"module_indicators": rows, "module_actions": acts})


def score(model, method=None):
    m, _model, account = base()
    return score_all(model, account, method or m)


def in_range(v):
    return v is None or -EPS <= v <= 100 + EPS


def module_of(scored, mid):
    return next(m for m in scored.modules if m.id == mid)


# --------------------------------------------------------------------------- scores within 0-100


@SETTINGS
@given(values=reported_values, statuses=action_statuses, omit=st.booleans())
def test_all_scores_within_0_100(values, statuses, omit):
    s = score(model_with(values, statuses, omit_none_rows=omit))
    for m in s.modules:
        assert in_range(m.score) and in_range(m.indicator_score) and in_range(m.action_score), m.id
        assert 0 <= m.coverage <= 100
        for i in m.indicators:
            assert in_range(i.points), (i.id, i.value, i.points)
        for a in m.actions:
            assert in_range(a.points), a.id
        for r in m.recommendations:
            assert r.overall_gain > -EPS
    for c in s.pillars["green"].components:
        assert in_range(c.points)
    assert in_range(s.pillars["green"].score)
    assert in_range(s.pillars["thriving"].score)
    assert in_range(s.overall.score)
    # gaps are gaps: an unreported indicator has no points, a reported one always has points
    by_id = {i.id: i for m in s.modules for i in m.indicators}
    for (_m, ind), v in zip(REPORTED, values):
        assert (by_id[ind.id].points is None) == (v is None)


@SETTINGS
@given(
    idx=st.integers(min_value=0, max_value=len(ALL_THRESHOLDS) - 1),
    a=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    b=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
)
def test_points_within_range_and_monotone(idx, a, b):
    t = ALL_THRESHOLDS[idx]
    pa, pb = points(a, t), points(b, t)
    assert 0 <= pa <= 100 and 0 <= pb <= 100
    better_b = b > a if t.direction == "higher_is_better" else b < a
    if better_b:
        assert pb >= pa - EPS


# --------------------------------------------------------------------------- improving an indicator


@SETTINGS
@given(
    values=reported_values,
    statuses=action_statuses,
    which=st.integers(min_value=0, max_value=len(REPORTED) - 1),
    start=st.floats(min_value=0, max_value=1),
    step=st.floats(min_value=1e-6, max_value=2),
)
def test_improving_an_indicator_never_lowers_module_or_overall(values, statuses, which, start, step):
    mid, ind = REPORTED[which]
    lo, hi = ind.zero_points_at, ind.full_points_at
    span = hi - lo  # signed: positive when higher is better
    before_v = lo - 0.5 * span + start * 2 * span  # from half a span behind the 0-point end to beyond full points
    after_v = before_v + step * span  # a move in the better direction
    vals = list(values)
    vals[which] = before_v
    before = score(model_with(vals, statuses))
    vals[which] = after_v
    after = score(model_with(vals, statuses))
    mb, ma = module_of(before, mid), module_of(after, mid)
    ib = next(i for i in mb.indicators if i.id == ind.id)
    ia = next(i for i in ma.indicators if i.id == ind.id)
    assert ia.points >= ib.points - EPS
    assert ma.score >= mb.score - EPS
    assert after.overall.score >= before.overall.score - EPS
    assert after.pillars["thriving"].score >= before.pillars["thriving"].score - EPS
    # nothing else moves
    for x, y in zip(before.modules, after.modules):
        if x.id != mid:
            assert x.score == y.score
    assert after.pillars["green"].score == before.pillars["green"].score


# --------------------------------------------------------------------------- a gap is never zero


def method_without(indicator_id: str):
    method, _m, _a = base()
    modules = tuple(
        mod.model_copy(update={"indicators": tuple(i for i in mod.indicators if i.id != indicator_id)})
        if any(i.id == indicator_id for i in mod.indicators)
        else mod
        for mod in method.modules
    )
    return method.model_copy(update={"modules": modules})


@SETTINGS
@given(
    values=reported_values,
    statuses=action_statuses,
    which=st.integers(min_value=0, max_value=len(REPORTED) - 1),
    blank_row=st.booleans(),
    other=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
)
def test_gap_never_scores_better_than_a_value(values, statuses, which, blank_row, other):
    """Rule (a score never reads better because data is missing): a gap, as a missing row or a blank value, shows no
    value or points but earns exactly what the value at the 0-point end earns, and never more than any value."""
    mid, ind = REPORTED[which]
    vals = list(values)
    vals[which] = None
    gap_model = model_with(vals, statuses, omit_none_rows=not blank_row)
    gap_scored = score(gap_model)
    gap = module_of(gap_scored, mid)
    shown = next(i for i in gap.indicators if i.id == ind.id)
    assert shown.value is None and shown.points is None
    vals[which] = ind.zero_points_at
    zero_scored = score(model_with(vals, statuses))
    zero = module_of(zero_scored, mid)
    assert next(i for i in zero.indicators if i.id == ind.id).points == 0
    assert abs(gap.score - zero.score) < 1e-9 and abs(gap_scored.overall.score - zero_scored.overall.score) < 1e-9
    assert zero.coverage > gap.coverage
    vals[which] = other
    any_scored = score(model_with(vals, statuses))
    assert module_of(any_scored, mid).score >= gap.score - 1e-9
    assert any_scored.overall.score >= gap_scored.overall.score - 1e-9
