"""nzn compare colours each change by whether it is better or worse for its figure, and lists action changes only
for the same neighbourhood (issue #18 item 7).

The direction table is assessment.portfolio.compare.BETTER_WHEN: emissions are better lower (the guide's aim is net
zero), removals are better higher (a fall in removals leaves more net emissions), scores are better higher (0-100,
higher is better by the method's definition).
"""

from __future__ import annotations

import pytest

from assessment.model.results import AssessmentResult
from assessment.pipeline import assess_file
from assessment.portfolio.compare import BETTER_WHEN, HIGHER, LOWER, change_is_better, comparison_context
from assessment.report.render import render_html
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def riverside(method) -> AssessmentResult:
    return assess_file(SAMPLES / "riverside-retrofit.json")[1]


def _with_emissions(result: AssessmentResult, **changes) -> AssessmentResult:
    return result.model_copy(update={"emissions": result.emissions.model_copy(update=changes)})


def _rows(ctx) -> dict:
    return {r["label"]: r for r in ctx["rows"]}


def test_a_fall_in_removals_is_worse_and_a_fall_in_net_emissions_better(riverside, method):
    """B: removals 39.43 -> 20 tCO2e/yr (worse), net 38,941.8 -> 38,000 (better), gross unchanged (no colour)."""
    b = _with_emissions(riverside, removals_tco2e_per_year=20.0, net_tco2e_per_year=38_000.0)
    ctx = comparison_context(riverside, b, method, ("a.json", "b.json"))
    rows = _rows(ctx)
    assert rows["Removals in the boundary"]["better"] is False
    assert rows["Net emissions"]["better"] is True
    assert rows["Gross emissions"]["better"] is None
    html = render_html(ctx, "compare.html.j2")
    assert 'class="num worse">\u221219<' in html, "39.43 - 20 = -19.43, shown −19 (a true minus) in red"
    assert 'class="num better">\u2212942<' in html, "38,000 - 38,941.8 = -941.8, shown −942 in green"


def test_a_rise_in_removals_is_better_and_a_rise_in_gross_emissions_worse(riverside, method):
    b = _with_emissions(riverside, removals_tco2e_per_year=100.0, gross_tco2e_per_year=40_000.0)
    rows = _rows(comparison_context(riverside, b, method, ("a.json", "b.json")))
    assert rows["Removals in the boundary"]["better"] is True
    assert rows["Gross emissions"]["better"] is False


def test_direction_table_and_scores():
    assert BETTER_WHEN["removals_tco2e_per_year"] == HIGHER and BETTER_WHEN["net_tco2e_per_year"] == LOWER
    assert all(BETTER_WHEN[k] == LOWER for k in ("gross_tco2e_per_year", "per_capita_tco2e_per_year", "operational", "embodied"))
    assert change_is_better(+5.0, BETTER_WHEN["score"]) is True and change_is_better(-5.0, BETTER_WHEN["score"]) is False
    assert change_is_better(0.0, LOWER) is None and change_is_better(None, HIGHER) is None


def _with_action_status(result: AssessmentResult, action_id: str, status: str) -> AssessmentResult:
    modules = []
    for m in result.modules:
        actions = [x.model_copy(update={"status": status}) if x.id == action_id else x for x in m.actions]
        modules.append(m.model_copy(update={"actions": actions}))
    return result.model_copy(update={"modules": modules})


def test_action_changes_only_between_assessments_of_the_same_neighbourhood(riverside, method):
    first = riverside.modules[0].actions[0]
    changed = _with_action_status(riverside, first.id, "implemented" if first.status != "implemented" else "planned")
    same = comparison_context(riverside, changed, method, ("a.json", "b.json"))
    assert same["same_place"] and [c["module"] for c in same["changes"]] == [riverside.modules[0].id.upper()]
    elsewhere = changed.model_copy(update={"profile": changed.profile.model_copy(update={"neighbourhood_id": "gb-elsewhere"})})
    other = comparison_context(riverside, elsewhere, method, ("a.json", "b.json"))
    assert not other["same_place"] and other["changes"] == []
    html = render_html(other, "compare.html.j2")
    assert "Action changes are listed only for two assessments of the same neighbourhood" in html
    assert "cn-cd-riverside" in html and "gb-elsewhere" in html
