"""Scoring: indicator points, module scores, pillars, the rating and recommendations.

The centre piece is a neighbourhood scored BY HAND against a small custom
method written to tmp_path, with every step of the arithmetic in comments.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from assessment.checks import validate_input
from assessment.cli import app
from assessment.emissions.account import emissions_account
from assessment.io.load import load_input
from assessment.model.enums import ActionStatus
from assessment.model.inputs import ModuleActionStatus, ModuleIndicatorValue
from assessment.model.method import Threshold, load_method
from assessment.pipeline import assess
from assessment.scoring.indicators import FORMULAS
from assessment.scoring.score import points, score_all
from tests.conftest import ROOT, SAMPLE_NAMES, SAMPLES

runner = CliRunner()
MODULES = ROOT / "modules"


# --------------------------------------------------------------------------- points()


def T(direction: str, zero: float, full: float, bands=()) -> Threshold:
    return Threshold(direction=direction, zero_points_at=zero, full_points_at=full, bands=tuple(tuple(b) for b in bands))


def test_points_none_stays_none():
    assert points(None, T("higher_is_better", 0, 100)) is None


def test_points_higher_is_better_linear_and_clamped():
    t = T("higher_is_better", 20, 100)
    assert points(20, t) == 0
    assert points(100, t) == 100
    assert points(60, t) == pytest.approx(50)
    assert points(40, t) == pytest.approx(25)
    # clamping at both ends
    assert points(-1e9, t) == 0
    assert points(0, t) == 0
    assert points(150, t) == 100
    assert points(1e12, t) == 100


def test_points_lower_is_better_linear_and_clamped():
    t = T("lower_is_better", 200, 35)
    assert points(200, t) == 0
    assert points(35, t) == 100
    assert points(117.5, t) == pytest.approx(50)  # half-way between 200 and 35
    assert points(250, t) == 0
    assert points(10, t) == 100
    assert points(-5, t) == 100


def test_points_with_one_band_higher_is_better():
    # m01_onsite_renewables: 0 -> 0, 8 -> 30, 100 -> 100
    t = T("higher_is_better", 0, 100, [(8, 30)])
    assert points(4, t) == pytest.approx(15)  # 0 + 30 * 4/8
    assert points(8, t) == pytest.approx(30)
    assert points(54, t) == pytest.approx(30 + 70 * 46 / 92)  # 65
    assert points(100, t) == 100


def test_points_with_one_band_lower_is_better():
    # m01_fossil_share: 100 -> 0, 35 -> 50, 0 -> 100
    t = T("lower_is_better", 100, 0, [(35, 50)])
    assert points(67.5, t) == pytest.approx(25)  # 50 * (100-67.5)/65
    assert points(35, t) == pytest.approx(50)
    assert points(17.5, t) == pytest.approx(75)  # 50 + 50 * 17.5/35
    assert points(120, t) == 0 and points(-3, t) == 100


def test_points_with_several_bands():
    # m05_transit_frequency: 0 -> 0, 72 -> 20, 144 -> 60, 250 -> 80, 360 -> 100
    t = T("higher_is_better", 0, 360, [(72, 20), (144, 60), (250, 80)])
    assert points(36, t) == pytest.approx(10)
    assert points(108, t) == pytest.approx(40)
    assert points(197, t) == pytest.approx(70)
    assert points(305, t) == pytest.approx(90)
    assert points(420, t) == 100


def test_points_negative_scale():
    t = T("higher_is_better", -10, 10)
    assert points(0, t) == pytest.approx(50)
    assert points(-20, t) == 0


@pytest.mark.parametrize(
    "bad",
    [
        dict(direction="higher_is_better", zero_points_at=0, full_points_at=0),
        dict(direction="lower_is_better", zero_points_at=0, full_points_at=100),
        dict(direction="higher_is_better", zero_points_at=0, full_points_at=100, bands=((150, 50),)),
        dict(direction="higher_is_better", zero_points_at=0, full_points_at=100, bands=((50, 100),)),
        dict(direction="higher_is_better", zero_points_at=0, full_points_at=100, bands=((60, 50), (40, 70))),
        dict(direction="higher_is_better", zero_points_at=0, full_points_at=100, bands=((40, 50), (60, 30))),
    ],
)
def test_invalid_thresholds_are_rejected(bad):
    with pytest.raises(ValidationError):
        Threshold(**bad)


# --------------------------------------------------------------------------- the hand-scored neighbourhood

METHOD_TOML = """
method_id = "hand-test"
version = "0.0.1"
name = { en = "Hand-scored test method", zh = "手算测试方法" }

[pillars]
green_weight = 0.4
thriving_weight = 0.6

[module_score]
indicator_weight = 0.7
action_weight = 0.3
min_coverage_pct = 80

[action_points]
not_started = 0
planned = 20
in_progress = 50
implemented = 100

[[green.components]]
id = "net_per_capita"
name = { en = "Net emissions per resident", zh = "人均净排放" }
formula = "net_tco2e_per_capita"
unit = "tCO2e/person/yr"
direction = "lower_is_better"
zero_points_at = 3.0
full_points_at = 0.5
weight = 0.5
rationale = { en = "test", zh = "测试" }
source = "test source"

[[green.components]]
id = "gap_to_path"
name = { en = "Gap to the target path", zh = "与目标路径的差距" }
formula = "gap_to_path_pct"
unit = "%"
direction = "lower_is_better"
zero_points_at = 50.0
full_points_at = 0.0
weight = 0.3
rationale = { en = "test", zh = "测试" }
source = "test source"

[[levels]]
id = "starting"
name = { en = "Starting", zh = "起步" }
min_score = 0
description = { en = "d", zh = "描述" }

[[levels]]
id = "bronze"
name = { en = "Bronze", zh = "铜" }
min_score = 30
description = { en = "d", zh = "描述" }

[[levels]]
id = "silver"
name = { en = "Silver", zh = "银" }
min_score = 50
description = { en = "d", zh = "描述" }

[[levels]]
id = "gold"
name = { en = "Gold", zh = "金" }
min_score = 65
description = { en = "d", zh = "描述" }

[[prerequisites]]
id = "net_zero_by_2050"
level = "silver"
rule = "net_zero_target_by"
parameter = 2050
text = { en = "Net zero by 2050", zh = "2050年前净零" }

[[prerequisites]]
id = "interim_target"
level = "gold"
rule = "interim_target_set"
text = { en = "An interim target is set", zh = "已设定阶段目标" }
"""

MODULE_1_TOML = """
id = "m01"
order = 1
slug = "density"
name = { en = "Density", zh = "密度" }
key_concept = { en = "k", zh = "概念" }

[[indicators]]
id = "m01_density"
name = { en = "Population density", zh = "人口密度" }
unit = "people/ha"
direction = "higher_is_better"
formula = "population_density_per_ha"
zero_points_at = 100.0
full_points_at = 600.0
bands = [[300.0, 50.0]]
weight = 2.0
rationale = { en = "r", zh = "理由" }
source = "test source"

[[indicators]]
id = "m01_streets"
name = { en = "Streets needing repair", zh = "待修街道" }
unit = "%"
direction = "lower_is_better"
formula = "reported"
zero_points_at = 50.0
full_points_at = 10.0
weight = 1.0
rationale = { en = "r", zh = "理由" }
source = "test source"
help = { en = "h", zh = "帮助" }

[[actions]]
id = "m01_a01"
strategy = { en = "s", zh = "策略" }
text = { en = "Action one", zh = "行动一" }
weight = 1.0

[[actions]]
id = "m01_a02"
strategy = { en = "s", zh = "策略" }
text = { en = "Action two", zh = "行动二" }
weight = 3.0
"""

MODULE_2_TOML = """
id = "m02"
order = 2
slug = "mobility-jobs"
name = { en = "Mobility and jobs", zh = "出行与就业" }
key_concept = { en = "k", zh = "概念" }

[[indicators]]
id = "m02_sustainable"
name = { en = "Sustainable mode share", zh = "绿色出行比例" }
unit = "%"
direction = "higher_is_better"
formula = "sustainable_mode_share_pct"
zero_points_at = 30.0
full_points_at = 80.0
rationale = { en = "r", zh = "理由" }
source = "test source"

[[indicators]]
id = "m02_jobs"
name = { en = "Jobs per household", zh = "户均就业岗位" }
unit = "jobs/household"
direction = "higher_is_better"
formula = "jobs_per_household"
zero_points_at = 0.2
full_points_at = 1.2
rationale = { en = "r", zh = "理由" }
source = "test source"

[[actions]]
id = "m02_a01"
strategy = { en = "s", zh = "策略" }
text = { en = "Action three", zh = "行动三" }

[[actions]]
id = "m02_a02"
strategy = { en = "s", zh = "策略" }
text = { en = "Action four", zh = "行动四" }
"""


def write_hand_method(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "method.toml").write_text(METHOD_TOML, encoding="utf-8")
    (folder / "01-density.toml").write_text(MODULE_1_TOML, encoding="utf-8")
    (folder / "02-mobility-jobs.toml").write_text(MODULE_2_TOML, encoding="utf-8")
    return folder


def write_hand_input(path: Path) -> Path:
    """riverside-retrofit.json cut down to what the chosen formulas and green components need."""
    data = json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8"))
    data["profile"].update(
        {
            # population 10,200, households 3,900, jobs 2,600, site 24 ha kept from the sample
            "baseline_year": 2019,
            "baseline_net_tco2e": 10200,
            "target_net_zero_year": 2049,
            "interim_target_year": None,
            "interim_target_reduction_pct": None,
        }
    )
    data["energy_use"] = [
        {"group": "All buildings", "use_type": "residential", "carrier": "grid_electricity", "amount": 20400, "unit": "MWh"}
    ]
    data["factor_overrides"] = [
        {"factor_id": "elec.grid.CN-Southwest", "kgco2e_per_unit": 0.5, "unit": "kWh", "source": "round test value"}
    ]
    for table in (
        "renewable_generation",
        "green_electricity",
        "transport_activity",
        "waste",
        "construction_projects",
        "construction_materials",
        "diet_profile",
        "consumption",
        "green_space",
        "offsets",
        "scenario_measures",
    ):
        data[table] = []
    data["nature"] = {}
    # mode_shares kept: walk 30, cycle 10, e-bike 12, bus 15, metro 18, car 12, taxi 2, motorcycle 1
    data["module_indicators"] = [{"indicator_id": "m01_streets", "value": 20}]
    data["module_actions"] = [
        {"action_id": "m01_a01", "status": "implemented"},
        {"action_id": "m01_a02", "status": "planned"},
        {"action_id": "m02_a01", "status": "in_progress"},
        # m02_a02 not reported: a data gap
    ]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture()
def hand(tmp_path, factors):
    method = load_method(write_hand_method(tmp_path / "hand-method"))
    loaded = validate_input(write_hand_input(tmp_path / "hand.json"), method, factors=factors)
    account = emissions_account(loaded.model, factors)
    return method, loaded, account, score_all(loaded.model, account, method)


def test_hand_scored_neighbourhood(hand, factors):
    method, loaded, account, s = hand
    assert not method.is_default
    assert [m.id for m in method.modules] == ["m01", "m02"]

    # ---- emissions behind the Green pillar
    # 20,400 MWh grid electricity x 0.5 kgCO2e/kWh (override) = 10,200 tCO2e; no removals, nothing else reported
    assert account.net_tco2e_per_year == pytest.approx(10_200)
    # per resident: 10,200 t / 10,200 people = 1.0 t
    assert account.net_per_capita_tco2e_per_year == pytest.approx(1.0)
    # path from 10,200 t in 2019 to 0 in 2049 (no interim target): 2024 is 5 of 30 years -> 10,200 x 25/30 = 8,500 t
    # gap = (10,200 - 8,500) / 8,500 = 20 %
    assert account.trajectory.path_tco2e_at_reporting_year == pytest.approx(8_500)
    assert account.trajectory.gap_pct == pytest.approx(20.0)

    m01, m02 = s.modules

    # ---- module m01
    # m01_density: 10,200 people / 24 ha = 425 /ha; knots (100,0) (300,50) (600,100):
    #   band segment 300..600: 50 + 50 x (425-300)/(600-300) = 50 + 20.8333 = 70.8333
    assert m01.indicators[0].value == pytest.approx(425)
    assert m01.indicators[0].points == pytest.approx(50 + 50 * 125 / 300)
    assert m01.indicators[0].points == pytest.approx(70.833333)
    # m01_streets (reported 20, lower is better, 0 pts at 50, 100 at 10): (50-20)/(50-10) x 100 = 75
    assert m01.indicators[1].value == 20
    assert m01.indicators[1].points == pytest.approx(75)
    assert m01.indicators[1].data_quality is None and m01.indicators[1].formula == "reported"
    # indicator part, weights 2 and 1: (2 x 70.8333 + 1 x 75) / 3 = 216.6667 / 3 = 72.2222
    assert m01.indicator_score == pytest.approx((2 * 70.833333 + 75) / 3)
    assert m01.indicator_score == pytest.approx(72.222222)
    # actions: a01 implemented = 100 pts (weight 1), a02 planned = 20 pts (weight 3), from method.toml [action_points]
    assert [a.points for a in m01.actions] == [100, 20]
    assert [a.status for a in m01.actions] == ["implemented", "planned"]
    # action part: (1 x 100 + 3 x 20) / 4 = 160 / 4 = 40
    assert m01.action_score == pytest.approx(40)
    # blend 0.7 / 0.3: 0.7 x 72.2222 + 0.3 x 40 = 50.5556 + 12 = 62.5556
    assert m01.score == pytest.approx(0.7 * 72.222222 + 0.3 * 40)
    assert m01.score == pytest.approx(62.555556)
    # coverage = reported indicators / indicators = 2 of 2 = 100 % >= 80 %: not provisional; 62.56 reaches silver (50) by score
    assert m01.coverage == pytest.approx(100) and not m01.provisional
    assert m01.action_coverage == pytest.approx(100)
    assert m01.level == "silver"

    # ---- module m02
    # m02_sustainable: walk 30 + cycle 10 + e-bike 12 + bus 15 + metro 18 = 85 % >= 80 -> clamped to 100
    assert m02.indicators[0].value == pytest.approx(85)
    assert m02.indicators[0].points == 100
    # m02_jobs: 2,600 / 3,900 = 0.6667; (0.6667 - 0.2) / (1.2 - 0.2) x 100 = 46.6667
    assert m02.indicators[1].value == pytest.approx(2 / 3)
    assert m02.indicators[1].points == pytest.approx(46.666667)
    # indicator part (equal weights): (100 + 46.6667) / 2 = 73.3333
    assert m02.indicator_score == pytest.approx(73.333333)
    # actions: a01 in progress = 50 pts; a02 not reported -> a gap: no points shown, and it earns none
    # (counts 0 in the mean, so the score never reads better for the missing status): (50 + 0) / 2 = 25
    assert [a.points for a in m02.actions] == [50, None]
    assert m02.action_score == pytest.approx(25)
    # blend: 0.7 x 73.3333 + 0.3 x 25 = 51.3333 + 7.5 = 58.8333
    assert m02.score == pytest.approx(58.833333)
    # coverage counts indicators only: 2 of 2 = 100 %, so not provisional even though 1 of 2 actions
    # has no status (action coverage 50 %)
    assert m02.coverage == pytest.approx(100) and not m02.provisional
    assert m02.action_coverage == pytest.approx(50)
    assert m02.level == "silver"

    # ---- Thriving pillar: mean of module scores (62.5556 + 58.8333) / 2 = 60.6944
    assert s.pillars["thriving"].score == pytest.approx((62.555556 + 58.833333) / 2)
    assert s.pillars["thriving"].score == pytest.approx(60.694444)

    # ---- Green pillar
    green = {c.id: c for c in s.pillars["green"].components}
    # net per capita 1.0 t, lower is better, 0 pts at 3.0, 100 at 0.5: (3.0 - 1.0) / 2.5 x 100 = 80
    assert green["net_per_capita"].value == pytest.approx(1.0)
    assert green["net_per_capita"].points == pytest.approx(80)
    # gap to path 20 %, 0 pts at 50, 100 at 0: (50 - 20) / 50 x 100 = 60
    assert green["gap_to_path"].value == pytest.approx(20)
    assert green["gap_to_path"].points == pytest.approx(60)
    # upfront embodied carbon is no Green component (it is scored once, as the module indicator m02_upfront_embodied)
    assert set(green) == {"net_per_capita", "gap_to_path"}
    # weighted mean of what can be computed: (0.5 x 80 + 0.3 x 60) / (0.5 + 0.3) = 58 / 0.8 = 72.5
    assert s.pillars["green"].score == pytest.approx(72.5)

    # ---- overall: 0.4 x 72.5 + 0.6 x 60.6944 = 29 + 36.4167 = 65.4167
    assert s.overall.score == pytest.approx(0.4 * 72.5 + 0.6 * 60.694444)
    assert s.overall.score == pytest.approx(65.416667)

    # ---- rating: 65.42 >= 65 reaches gold by score, but gold needs an interim target and the
    # profile has none, so the prerequisite blocks gold; silver (>= 50) needs net zero by 2050
    # and the target year is 2049, so the rating is silver.
    assert s.overall.level_by_score == "gold"
    prereqs = {p.id: p.met for p in s.overall.prerequisites}
    assert prereqs == {"net_zero_by_2050": True, "interim_target": False}
    assert s.overall.rating == "silver"
    assert s.overall.rating_name == "Silver"

    # the library front door gives the same numbers
    result = assess(loaded, method, factors)
    assert result.overall.score == pytest.approx(s.overall.score)
    assert [m.score for m in result.modules] == pytest.approx([m01.score, m02.score])
    assert result.modules[0].indicators[1].source_ref == "$.module_indicators[0].value"
    assert result.method.is_default is False and result.method.method_id == "hand-test"


def test_hand_scored_recommendations(hand):
    _method, _loaded, _account, s = hand
    # Gain in the overall score if one item reached full points; overall = 0.4 G + 0.6 x (m01 + m02) / 2,
    # so a change d in a module score moves the overall by 0.3 d.
    #   m02_jobs 46.667 -> 100: m02 indicator part +26.667, module +0.7 x 26.667 = 18.667, overall +5.6
    #   m01_a02 20 -> 100 (weight 3 of 4): action part +60, module +0.3 x 60 = 18, overall +5.4
    #   m02_a02 gap (earns 0) -> 100 (weight 1 of 2): action part +50, module +0.3 x 50 = 15, overall +4.5
    #   m01_density 70.833 -> 100 (weight 2 of 3): indicator part +19.444, module +13.611, overall +4.0833
    #   m02_a01 50 -> 100 (weight 1 of 2): action part +25, module +7.5, overall +2.25
    #   m01_streets 75 -> 100 (weight 1 of 3): indicator part +8.333, module +5.833, overall +1.75
    # m01_a01 is implemented and m02_sustainable already scores 100: no recommendation. Without the scenarios
    # stage (score_all alone) no recommendation has a tCO2e figure, so all are ranked by score gain.
    expected = [("m02_jobs", 5.6), ("m01_a02", 5.4), ("m02_a02", 4.5), ("m01_density", 4.083333), ("m02_a01", 2.25), ("m01_streets", 1.75)]
    got = [(r.target_id, r.overall_gain) for r in s.overall.recommendations]
    assert [t for t, _ in got] == [t for t, _ in expected]
    for (_, g), (_, e) in zip(got, expected):
        assert g == pytest.approx(e)
    kinds = {r.target_id: r.kind for r in s.overall.recommendations}
    assert kinds["m02_jobs"] == "indicator" and kinds["m02_a02"] == "action"
    assert [r.target_id for r in s.modules[0].recommendations] == ["m01_a02", "m01_density", "m01_streets"]


# --------------------------------------------------------------------------- gaps, coverage, provisional


def _sample(name: str, factors):
    method = load_method()
    loaded = validate_input(SAMPLES / f"{name}.json", method, factors=factors)
    account = emissions_account(loaded.model, factors)
    return method, loaded.model, account


def _with(model, indicators=None, actions=None):
    upd = {}
    if indicators is not None:
        upd["module_indicators"] = indicators
    if actions is not None:
        upd["module_actions"] = actions
    return model.model_copy(update=upd)


def _module(scored, mid):
    return next(m for m in scored.modules if m.id == mid)


def _expected_module_score(method, mod_result):
    """Module score recomputed from the points shown (weights from the method): a gap (points None) counts 0, a
    not-applicable indicator is left out, and both parts are blended by indicator_weight / action_weight."""
    mod = method.module(mod_result.id)
    rule = method.settings.module_score
    ipairs = [(r.points or 0.0, i.weight) for r, i in zip(mod_result.indicators, mod.indicators) if not r.not_applicable]
    apairs = [(r.points or 0.0, a.weight) for r, a in zip(mod_result.actions, mod.actions)]
    ind = sum(p * w for p, w in ipairs) / sum(w for _, w in ipairs)
    act = sum(p * w for p, w in apairs) / sum(w for _, w in apairs)
    return rule.indicator_weight * ind + rule.action_weight * act


def test_reported_gap_earns_no_points_and_lowers_coverage(factors):
    """Rule: a blank is not zero (no value is shown) but earns no points, so a gap never scores better than any value."""
    method, model, account = _sample("riverside-retrofit", factors)
    full = score_all(model, account, method)
    # drop m03_life_circle_coverage (reported 85 %, weight 1.5)
    rows = [r for r in model.module_indicators if r.indicator_id != "m03_life_circle_coverage"]
    gap = score_all(_with(model, indicators=rows), account, method)
    # the same value reported as blank is the same gap
    blank = score_all(
        _with(
            model,
            indicators=[
                ModuleIndicatorValue(indicator_id=r.indicator_id, value=None if r.indicator_id == "m03_life_circle_coverage" else r.value)
                for r in model.module_indicators
            ],
        ),
        account,
        method,
    )
    # and the value at the 0-point end (20 %) is scored 0
    zero = score_all(
        _with(
            model,
            indicators=[
                ModuleIndicatorValue(indicator_id=r.indicator_id, value=20.0 if r.indicator_id == "m03_life_circle_coverage" else r.value)
                for r in model.module_indicators
            ],
        ),
        account,
        method,
    )
    m_full, m_gap, m_blank, m_zero = (_module(x, "m03") for x in (full, gap, blank, zero))
    ind_gap = next(i for i in m_gap.indicators if i.id == "m03_life_circle_coverage")
    assert ind_gap.value is None and ind_gap.points is None
    assert next(i for i in m_zero.indicators if i.id == "m03_life_circle_coverage").points == 0
    # no points: the score equals the one recomputed with the gap at 0, the same as the value at the 0-point end
    assert m_gap.score == pytest.approx(_expected_module_score(method, m_gap))
    assert m_gap.score == pytest.approx(m_blank.score)
    assert m_gap.score == pytest.approx(m_zero.score)
    assert m_gap.score < m_full.score - 1
    assert m_zero.score == pytest.approx(_expected_module_score(method, m_zero))
    # coverage counts indicators: m03 has 5 indicators; one gap = 4/5 = 80 %
    n = len(method.module("m03").indicators)
    assert m_full.coverage == pytest.approx(100)
    assert m_gap.coverage == pytest.approx((n - 1) / n * 100) and m_blank.coverage == m_gap.coverage
    assert m_zero.coverage == pytest.approx(100)
    # other modules are untouched
    for a, b in zip(full.modules, gap.modules):
        if a.id != "m03":
            assert a.score == b.score


def _m05_rows(model, indicators: int, actions: int):
    """The riverside input with only the first ``indicators`` m05 values and ``actions`` m05 statuses kept."""
    ind = [r for r in model.module_indicators if not r.indicator_id.startswith("m05_")]
    ind += [r for r in model.module_indicators if r.indicator_id.startswith("m05_")][:indicators]
    act = [r for r in model.module_actions if not r.action_id.startswith("m05_")]
    act += [r for r in model.module_actions if r.action_id.startswith("m05_")][:actions]
    return _with(model, ind, act)


def test_module_below_min_coverage_is_provisional(factors):
    method, model, account = _sample("riverside-retrofit", factors)
    min_cov = method.settings.module_score.min_coverage_pct
    assert min_cov == 50
    # m05 has 4 indicators (all reported on the module sheet) and 6 actions.
    # Keep 1 indicator and 1 action: coverage = 1 of 4 indicators = 25 % -> below 50 %: provisional
    m05 = _module(score_all(_m05_rows(model, 1, 1), account, method), "m05")
    assert m05.coverage == pytest.approx(25) and m05.coverage < min_cov
    assert m05.provisional
    assert m05.score is not None, "a provisional module still has a score"
    # Keep 2 indicators and 3 actions: 2 of 4 indicators = 50 %: not provisional (the rule is "below")
    m05b = _module(score_all(_m05_rows(model, 2, 3), account, method), "m05")
    assert m05b.coverage == pytest.approx(50) and not m05b.provisional
    # the samples themselves are fully reported
    assert not any(m.provisional for m in score_all(model, account, method).modules)


def test_actions_not_reported_earn_no_points(factors):
    """m05 with every indicator and no action status: the action part is 0 (gaps earn nothing), so the module score
    is indicator_weight x indicator part = 0.6 x indicator part (method.toml [module_score])."""
    method, model, account = _sample("riverside-retrofit", factors)
    m05 = _module(score_all(_m05_rows(model, 4, 0), account, method), "m05")
    assert m05.action_score == 0
    assert method.settings.module_score.indicator_weight == 0.6
    assert m05.score == pytest.approx(0.6 * m05.indicator_score)


def test_thriving_coverage_prerequisite_counts_indicators(factors):
    """The prerequisite says: "At least 80% of the Thriving indicators are reported"."""
    method, model, account = _sample("riverside-retrofit", factors)
    prereq = next(p for p in method.settings.prerequisites if p.rule == "min_thriving_coverage")
    assert prereq.parameter == 80 and "80% of the Thriving indicators" in prereq.text.en
    # drop the first 20 of the 23 reported indicator values; every action status stays reported
    s = score_all(_with(model, indicators=model.module_indicators[20:]), account, method)
    with_value = [sum(i.points is not None for i in m.indicators) for m in s.modules]
    totals = [len(m.indicators) for m in s.modules]
    pooled = sum(with_value) / sum(totals) * 100  # 25 of 45 = 55.6 %
    per_module = sum(w / t * 100 for w, t in zip(with_value, totals)) / len(totals)
    assert pooled < 60 and per_module < 60, (pooled, per_module)
    met = {p.id: p.met for p in s.overall.prerequisites}
    assert met[prereq.id] is False, (
        f"only {pooled:.1f} % of the indicators are reported, yet '{prereq.id}' is met "
        f"(mean module coverage counting actions: {sum(m.coverage for m in s.modules) / 10:.1f} %)"
    )


def test_module_with_nothing_reported_scores_zero(factors):
    """Rule: a score never reads better because data is missing. A module with nothing reported scores 0 (shown
    with coverage 0 and provisional), and Thriving is the mean of all ten modules, so leaving one empty lowers it."""
    method, model, account = _sample("riverside-retrofit", factors)
    # every m05 indicator is reported on the module sheet; drop all m05 values and statuses
    assert all(i.reported for i in method.module("m05").indicators)
    ind = [r for r in model.module_indicators if not r.indicator_id.startswith("m05_")]
    act = [r for r in model.module_actions if not r.action_id.startswith("m05_")]
    full = score_all(model, account, method)
    s = score_all(_with(model, ind, act), account, method)
    m05 = _module(s, "m05")
    assert m05.score == 0 and m05.indicator_score == 0 and m05.action_score == 0
    assert m05.coverage == 0 and m05.provisional
    assert all(i.points is None and i.value is None for i in m05.indicators) and all(a.points is None for a in m05.actions)
    # Thriving = mean of the ten module scores, the empty one counting 0
    scores = [m.score for m in s.modules]
    assert s.pillars["thriving"].score == pytest.approx(sum(scores) / 10)
    assert s.pillars["thriving"].score < full.pillars["thriving"].score
    assert [m.score for m in s.modules if m.id != "m05"] == [m.score for m in full.modules if m.id != "m05"]
    # a module whose indicators are all gaps offers no indicator recommendations (there is no value to improve)
    assert all(r.kind == "action" for r in m05.recommendations)


def test_indicators_not_reported_earn_no_points(factors):
    """m05 with its action statuses and no indicator value: indicator part 0, module = 0.4 x action part."""
    method, model, account = _sample("riverside-retrofit", factors)
    ind = [r for r in model.module_indicators if not r.indicator_id.startswith("m05_")]
    m05 = _module(score_all(_with(model, indicators=ind), account, method), "m05")
    assert m05.indicator_score == 0
    assert method.settings.module_score.action_weight == 0.4
    assert m05.score == pytest.approx(0.4 * m05.action_score)


# --------------------------------------------------------------------------- recommendations


def _rescored_overall(method, model, account, rec, monkeypatch):
    """Overall score after making the recommended change in the input and scoring again."""
    idx = method.indicator_index()
    if rec.kind == "action":
        rows = [r for r in model.module_actions if r.action_id != rec.target_id]
        rows.append(ModuleActionStatus(action_id=rec.target_id, status=ActionStatus.implemented))
        return score_all(_with(model, actions=rows), account, method).overall.score
    _mod, ind = idx[rec.target_id]
    if ind.reported:
        rows = [r for r in model.module_indicators if r.indicator_id != rec.target_id]
        rows.append(ModuleIndicatorValue(indicator_id=rec.target_id, value=ind.full_points_at))
        return score_all(_with(model, indicators=rows), account, method).overall.score
    # a computed indicator: make its formula return the full-points value
    users = [i for _m, i in idx.values() if i.formula == ind.formula]
    assert len(users) == 1
    with monkeypatch.context() as mp:
        mp.setitem(FORMULAS, ind.formula, lambda m, a, v=ind.full_points_at: v)
        return score_all(model, account, method).overall.score


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_recommendations_sorted_by_gain_and_gain_is_exact(name, factors, monkeypatch):
    method, model, account = _sample(name, factors)
    s = score_all(model, account, method)
    overall_recs = s.overall.recommendations
    assert 0 < len(overall_recs) <= 10
    gains = [r.overall_gain for r in overall_recs]
    assert gains == sorted(gains, reverse=True)
    assert all(g > 0 for g in gains)
    checked = 0
    for mod in s.modules:
        mg = [r.overall_gain for r in mod.recommendations]
        assert mg == sorted(mg, reverse=True)
        assert len(mod.recommendations) <= 5
        assert all(r.module_id == mod.id for r in mod.recommendations)
    # every recommendation shown: its gain equals the recomputed difference in the overall score
    shown = {(r.module_id, r.target_id): r for r in overall_recs}
    shown.update({(r.module_id, r.target_id): r for m in s.modules for r in m.recommendations})
    for rec in shown.values():
        after = _rescored_overall(method, model, account, rec, monkeypatch)
        assert rec.overall_gain == pytest.approx(after - s.overall.score, abs=1e-9), rec.target_id
        checked += 1
    assert checked >= 10
    # the overall list is the top of all module lists
    best_module_gain = max(r.overall_gain for m in s.modules for r in m.recommendations)
    assert overall_recs[0].overall_gain == pytest.approx(best_module_gain)


# --------------------------------------------------------------------------- the default method on both samples


def _in_range(v):
    return v is None or 0 <= v <= 100


@pytest.fixture(scope="module")
def sample_results():
    out = {}
    for name in SAMPLE_NAMES:
        out[name] = assess(load_input(SAMPLES / f"{name}.json"))
    return out


def test_default_method_scores_both_samples_within_range(sample_results):
    for name, r in sample_results.items():
        assert r.method.is_default and r.method.folder == "default"
        assert len(r.modules) == 10
        for m in r.modules:
            assert m.score is not None and 0 <= m.score <= 100, (name, m.id)
            assert _in_range(m.indicator_score) and _in_range(m.action_score)
            assert 0 <= m.coverage <= 100
            for i in m.indicators:
                assert _in_range(i.points), (name, i.id)
            for a in m.actions:
                assert _in_range(a.points), (name, a.id)
        for c in r.pillars["green"].components:
            assert _in_range(c.points)
        assert 0 <= r.pillars["green"].score <= 100
        assert 0 <= r.pillars["thriving"].score <= 100
        assert 0 <= r.overall.score <= 100
        w = load_method().settings.pillars
        assert r.overall.score == pytest.approx(w.green_weight * r.pillars["green"].score + w.thriving_weight * r.pillars["thriving"].score)
        assert r.pillars["thriving"].score == pytest.approx(sum(m.score for m in r.modules) / 10)
        assert r.overall.rating in {lv.id for lv in load_method().settings.levels}
        print(f"\n{name}: modules " + ", ".join(f"{m.id}={m.score:.2f}" for m in r.modules))
        print(
            f"{name}: green={r.pillars['green'].score:.2f} thriving={r.pillars['thriving'].score:.2f} "
            f"overall={r.overall.score:.2f} rating={r.overall.rating} (by score: {r.overall.level_by_score})"
        )


def test_samples_module_scores_differ(sample_results):
    a, b = (sample_results[n] for n in SAMPLE_NAMES)
    sa = [m.score for m in a.modules]
    sb = [m.score for m in b.modules]
    assert sa != sb
    differing = sum(1 for x, y in zip(sa, sb) if x != pytest.approx(y, abs=0.01))
    assert differing >= 8, (sa, sb)
    assert a.overall.score != pytest.approx(b.overall.score)


# --------------------------------------------------------------------------- custom method via the CLI


def test_custom_pillar_weights_via_cli(tmp_path):
    folder = tmp_path / "green-heavy"
    shutil.copytree(MODULES, folder)
    settings = folder / "method.toml"
    text = settings.read_text(encoding="utf-8")
    old = "green_weight = 0.5\nthriving_weight = 0.5"
    assert text.count(old) == 1
    settings.write_text(text.replace(old, "green_weight = 0.8\nthriving_weight = 0.2"), encoding="utf-8")

    sample = str(SAMPLES / "riverside-retrofit.json")
    custom_out, default_out = tmp_path / "custom.json", tmp_path / "default.json"
    r1 = runner.invoke(app, ["assess", sample, "--json", str(custom_out), "--method", str(folder), "--quiet"])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(app, ["assess", sample, "--json", str(default_out), "--quiet"])
    assert r2.exit_code == 0, r2.output
    custom = json.loads(custom_out.read_text(encoding="utf-8"))
    default = json.loads(default_out.read_text(encoding="utf-8"))

    g, t = custom["pillars"]["green"]["score"], custom["pillars"]["thriving"]["score"]
    assert custom["overall"]["score"] == pytest.approx(0.8 * g + 0.2 * t)
    # the pillars themselves do not depend on the pillar weights
    assert g == pytest.approx(default["pillars"]["green"]["score"])
    assert t == pytest.approx(default["pillars"]["thriving"]["score"])
    assert default["overall"]["score"] == pytest.approx(0.5 * g + 0.5 * t)
    assert custom["overall"]["score"] != pytest.approx(default["overall"]["score"])
    assert custom["method"]["is_default"] is False
    assert custom["method"]["folder"] == "green-heavy"
    assert default["method"]["is_default"] is True and default["method"]["folder"] == "default"
    assert custom["method"]["digest"] != default["method"]["digest"]
