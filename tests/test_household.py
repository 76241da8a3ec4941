"""Consumption per household as well as per person (issue #17, item 4).

Rules: a Consumption row's basis scales it (per resident x residents, per household x households); a footprint
already in kgCO2e (unit ``kgco2e``, from a household survey or calculator) is taken as reported, its source from the
row's notes; food given that way completes the food section of the inventory.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from assessment import assess, validate_input
from assessment.checks import input_issues
from assessment.emissions.factors import load_factors
from assessment.errors import InputInvalid
from assessment.model.inputs import Consumption
from assessment.model.method import load_method
from tests.conftest import SAMPLES


@cache
def _read():
    return validate_input(SAMPLES / "riverside-retrofit.json")


def _with(rows, **update):
    read = _read()
    m = read.model
    return dataclasses.replace(read, model=m.model_copy(update={"consumption": [*m.consumption, *rows], "scenario_measures": [], **update}))


def test_food_footprint_per_household_by_hand():
    """2,400 kgCO2e of food per household a year (a household survey) x 3,900 households (Riverside's Profile)
    = 9,360,000 kgCO2e = 9,360 tCO2e; with it the diet profile may be left out and the Green pillar is still rated."""
    row = Consumption(item="food_spend", amount=2400, unit="kgco2e", basis="per_household", notes="Household food survey 2024, table 3")
    read = _with([row], diet_profile=[])
    assert input_issues(read, load_method(), load_factors()) == []
    r = assess(read)
    food = [li for li in r.emissions.line_items if li.subcategory == "food"]
    assert len(food) == 1 and food[0].tco2e_per_year == pytest.approx(9_360.0)
    assert food[0].factor_source == "as reported: Household food survey 2024, table 3"
    assert "3900 households" in food[0].conversion
    assert r.pillars["green"].score is not None
    assert not any(g.section == "food" for g in r.emissions.gaps)


def test_clothing_spend_per_household_by_hand():
    """1,200 CNY of clothing per household x 3,900 households = 4,680,000 CNY; / 6.4508 CNY per USD
    (fx.CNY_per_USD, Federal Reserve G.5A 2021) = 725,491.4 USD; x 0.145 kgCO2e/USD (consumption.clothing_spend.USD,
    US EPA supply-chain factors) = 105,196.3 kgCO2e = 105.196 tCO2e."""
    row = Consumption(item="clothing_spend", amount=1200, unit="money", basis="per_household")
    r = assess(_with([row]))
    line = [li for li in r.emissions.line_items if li.source_path == f"consumption[{len(_read().model.consumption)}].amount"]
    assert len(line) == 1
    assert line[0].tco2e_per_year == pytest.approx(4_680_000 / 6.4508 * 0.145 / 1000)
    assert line[0].tco2e_per_year == pytest.approx(105.196, abs=1e-3)


def _problems(tmp_path, rows) -> list[str]:
    """The cells validation names for the sample with ``rows`` added (through a file, as a user would run it)."""
    path = tmp_path / "in.json"
    path.write_text(_with(rows).model.model_dump_json(exclude_none=True), encoding="utf-8")
    try:
        validate_input(path)
    except InputInvalid as e:
        return [i.where.split(".", 1)[-1] for i in e.issues]
    return []


def test_a_footprint_needs_its_source_and_suits_no_flight(tmp_path):
    n = len(_read().model.consumption)
    no_source = _problems(tmp_path, [Consumption(item="goods_spend", amount=900, unit="kgco2e", basis="per_capita")])
    assert no_source == [f"consumption[{n}].notes"]
    flight = _problems(
        tmp_path, [Consumption(item="flights_short_haul", amount=900, unit="kgco2e", basis="per_capita", notes="calculator")]
    )
    assert flight == [f"consumption[{n}].unit"]
    ok = _problems(tmp_path, [Consumption(item="goods_spend", amount=900, unit="kgco2e", basis="per_capita", notes="calculator X")])
    assert ok == []
