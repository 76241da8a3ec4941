"""Page 1's figures (issue #18 item 1 and the review of session 9): shares that sum to 100%, the proxy share on the
confidence badge, the recommendations page 1 leaves out, and the baseline year said in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment import assess, validate_input
from assessment.i18n import language
from assessment.numbers import share_percent, share_percents, whole_shares_pct
from assessment.report import dashboard
from assessment.report.context import component_unit, component_value, gap_figure, recommendations_note
from tests.conftest import SAMPLE_NAMES, SAMPLES


@pytest.fixture(scope="module")
def results(method):
    return {name: assess(validate_input(SAMPLES / f"{name}.json"), method) for name in SAMPLE_NAMES}


# --- whole percents ------------------------------------------------------------------------------------------------


def test_largest_remainder_by_hand():
    """Hamilton apportionment, worked by hand: 16.6 / 5.4 / 77.6 / 0.4 round down to 16 / 5 / 77 / 0 (98); the two
    points left go to the largest remainders, .6 and .6 (16.6 and 77.6): 17 / 5 / 78 / 0 = 100. Plain rounding gives
    the same here, but 33.4 / 33.4 / 33.2 rounds to 33 / 33 / 33 = 99, and apportionment gives 34 / 33 / 33 = 100
    (the first of the tied remainders .4 takes the point)."""
    assert whole_shares_pct({"a": 16.6, "b": 5.4, "c": 77.6, "d": 0.4}) == {"a": 17, "b": 5, "c": 78, "d": 0}
    assert whole_shares_pct({"a": 33.4, "b": 33.4, "c": 33.2}) == {"a": 34, "b": 33, "c": 33}
    # 50.5 / 49.5: plain rounding (half to even) gives 50 / 50, apportionment 51 / 49 by the larger remainder .5 first
    assert sum(whole_shares_pct({"a": 50.5, "b": 49.5}).values()) == 100


@given(st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=1, max_size=6).filter(lambda v: sum(v) > 0))
def test_whole_shares_of_a_whole_sum_to_100(weights):
    """Any split of 100% into parts prints parts that add up to 100 and each within one point of its exact value."""
    total = sum(weights)
    shares = {str(i): w / total * 100 for i, w in enumerate(weights)}
    whole = whole_shares_pct(shares)
    assert sum(whole.values()) == 100
    assert all(abs(whole[k] - v) < 1 for k, v in shares.items())


def test_a_small_positive_share_is_never_printed_as_nothing():
    """0.3% of emissions is not 0%: it prints '<1%' (the Embodied 0% of the review); zero stays 0%."""
    with language("en"):
        assert share_percent(0.3) == "<1%"
        assert share_percent(0.0) == "0%"
        assert share_percents({"operational": 61.7, "embodied": 0.3, "consumption": 38.0}) == {
            "operational": "62%",
            "embodied": "<1%",
            "consumption": "38%",
        }


# --- page 1 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_badge_says_the_proxy_share(results, method, name):
    """The badge names the share of gross emissions on proxy factors (emissions.proxy_share_pct), rounded."""
    r = results[name]
    with language("en"):
        badge = dashboard.confidence(r, method)
    assert r.emissions.proxy_share_pct > 0, "both samples use factors of another region"
    assert badge["proxy"] == f"{round(r.emissions.proxy_share_pct)}% on proxy factors"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_badge_shares_sum_to_100(results, method, name):
    """The badge's data-quality shares are parts of gross emissions: printed, they add up to 100 (a '<1%' part is
    apportioned 0 points)."""
    with language("en"):
        badge = dashboard.confidence(results[name], method)
    printed = [int(q["share"].rstrip("%")) for q in badge["shares"] if not q["share"].startswith("<")]
    assert sum(printed) == 100, badge["shares"]


def test_note_names_the_largest_recommendation_page_1_leaves_out(results, method):
    """Riverside ranks M10's flights (422 t), diets (410 t) and sharing (361 t) among what it can influence; page 1 shows
    one row of that sphere and two of the other (DASHBOARD_SHOWN), so 10 - 3 = 7 more, the largest the diets, 410 t."""
    r = results["riverside-retrofit"]
    assert dashboard.DASHBOARD_SHOWN == {"controls": 2, "influences": 1}
    with language("en"):
        note = recommendations_note(r, dashboard.DASHBOARD_SHOWN, method)
    assert len(r.overall.recommendations) == 10
    hidden = [x for s, n in dashboard.DASHBOARD_SHOWN.items() for x in [y for y in r.overall.recommendations if y.sphere == s][n:]]
    largest = max((x for x in hidden if x.abatement_tco2e_per_year), key=lambda x: x.abatement_tco2e_per_year)
    assert largest.target_id == "m10_low_meat_diet_share"
    tco2e = round(largest.abatement_tco2e_per_year)  # 409.68 t (results JSON) -> 410
    assert f"7 more recommendations on the module pages; the largest: M10 Sustainable Lifestyles, {tco2e} tCO2e" in note


def test_bilingual_note_is_english_then_chinese(results, method):
    with language("en+zh"):
        note = recommendations_note(results["riverside-retrofit"], dashboard.DASHBOARD_SHOWN, method)
    en, zh = note.split("\n")
    assert "7 more recommendations" in en and "可持续" not in en
    assert "另有 7 项建议" in zh and "Sustainable" not in zh


def test_each_tco2e_figure_says_the_step_it_is_for(results, method):
    """Page 1's 164 t for M01 is the heat-pump lever's standard step (modules/levers.toml: 10% of fossil heating fuel),
    not the whole change its advice names (fossil share 46.6% -> 0%), and a scenario page sizes its own measure of that
    lever (707 t for Riverside's): each figure prints its step beside it, in the reader's language."""
    from assessment.report.context import standard_step

    r = results["riverside-retrofit"]
    with_figure = [x for x in r.overall.recommendations if x.abatement_tco2e_per_year is not None]
    assert with_figure and all(method.levers.get(x.lever).standard.size == 10 for x in with_figure)
    with language("en"):
        assert {standard_step(method, x) for x in with_figure} == {"10% step"}
    with language("zh"):
        assert {standard_step(method, x) for x in with_figure} == {"10%步长"}
    assert all(standard_step(method, x) is None for x in r.overall.recommendations if x.abatement_tco2e_per_year is None)


def test_baseline_year_is_said_in_words(results):
    """Harbourside's baseline is its reporting year (2025): no gap yet, said as such on page 1 and in the Green table."""
    r = results["harbourside-newbuild"]
    t = r.emissions.trajectory
    assert t.baseline_is_reporting_year
    with language("en"):
        assert gap_figure(t, True) == ("baseline year", "measured from the next assessment")
        gap = next(c for c in r.pillars["green"].components if c.id == "gap_to_path")
        assert gap.value is None and gap.points is None
        assert (component_value(gap, t), component_unit(gap, t)) == ("baseline year", "not scored")


def test_a_group_of_shares_prints_the_sum_of_what_its_members_print():
    """Harbourside's data quality, 10.71 / 3.69 / 52.74 / 32.86 %: the legend prints 11 / 3 / 53 / 33 (by hand: floors
    10 / 3 / 52 / 32 leave 3 points, to the remainders .86, .74 and .71), so "estimated or default" is 53 + 33 = 86%,
    not the 85% that apportioning the grouped 85.60 against 10.71 and 3.69 gives."""
    shown = share_percents({"m": 10.71, "c": 3.69, "e": 52.74, "d": 32.86}, groups={"rough": ("e", "d")})
    assert (shown["m"], shown["c"], shown["e"], shown["d"], shown["rough"]) == ("11%", "3%", "53%", "33%", "86%")
