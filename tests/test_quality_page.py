"""The data-quality page: the largest estimated and default inputs, what measuring them would change, proxies (#18 item 6).

References behind the expected numbers:

* the pedigree combination sigma = 1/2 sqrt(sum ln(U)^2) with U from modules/uncertainty.toml: basic 1.05,
  estimated 1.61, measured 1.00 (Weidema et al. 2013; Ciroth et al. 2016);
* a single lognormal line with median m and log-space sd s has p05 = m exp(-1.6449 s) and p95 = m exp(+1.6449 s),
  so its 5-95% width is 2 m sinh(1.6449 s) (textbook lognormal quantiles);
* the Riverside (Chengdu) and Harbourside (Bristol) samples' line items, as in tests/golden.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.emissions.uncertainty import Lines, draw_sums, inputs_to_measure, measurement_gains, normals, seed_of, sigma, simulate
from assessment.model.enums import DataQuality
from assessment.model.method import load_method
from assessment.pipeline import assess_file
from assessment.report.context import PROXY_LINES_SHOWN, ReportInput, build_context, proxy_views
from assessment.report.labels import factor_label
from assessment.report.quality import proxy_rest, quality_summary
from assessment.report.render import environment

TABLE = load_method().uncertainty
Z95 = 1.6448536269514722
SIGMA_ESTIMATED = sigma(1.05, 1.61)  # 0.5 sqrt(0.048790^2 + 0.476234^2) = 0.5 x 0.478727 = 0.239363
SIGMA_MEASURED = sigma(1.05, 1.00)  # 0.5 ln(1.05) = 0.5 x 0.048790 = 0.024395


def lines_of(values, qualities, factor_sigma=0.0) -> tuple[Lines, list[dict]]:
    """Independent emission lines, one input each, sharing one factor of log-sd ``factor_sigma``, with their act_info."""
    n = len(values)
    lines = Lines(
        value=np.asarray(values, dtype=float),
        group=np.zeros(n, dtype=np.intp),
        activity=np.arange(n, dtype=np.intp),
        activity_sigma=np.asarray([sigma(TABLE.basic.gsd2, TABLE.activity[q if q != "not_stated" else "default"].gsd2) for q in qualities]),
        factor=np.zeros(n, dtype=np.intp),
        factor_sigma=np.asarray([factor_sigma]),
    )
    info = [
        {"kind": "emission", "source_path": f"energy_use.{i}.amount", "source_ref": f"Energy!D{i + 2}", "description": f"line {i}"}
        | {"quality": q if q != "not_stated" else "default", "stated": q, "factor_id": "f"}
        for i, q in enumerate(qualities)
    ]
    return lines, info


def gains(lines, info, top=5, draws=None):
    draws = draws or TABLE.draws
    seed = seed_of(lines, draws)
    z = normals(lines, draws, seed)
    sums = draw_sums(lines, draws, 1, seed)
    return measurement_gains(lines, info, TABLE, z, sums, 1, float(lines.value.sum()), top)


def test_the_sigmas_of_the_table():
    assert SIGMA_ESTIMATED == pytest.approx(0.239363, abs=1e-6)
    assert SIGMA_MEASURED == pytest.approx(0.024395, abs=1e-6)


def test_ranking_takes_the_largest_estimated_default_or_unstated_inputs_only():
    # measured 500 t and calculated 300 t are left out; default 200, not stated 100, estimated 50 in that order
    lines, info = lines_of([50, 200, 500, 300, 100], ["estimated", "default", "measured", "calculated", "not_stated"])
    assert inputs_to_measure(lines, info, 5) == [1, 4, 0]
    assert inputs_to_measure(lines, info, 2) == [1, 4]
    rows = gains(lines, info)
    assert [g.source_ref for g in rows] == ["Energy!D3", "Energy!D6", "Energy!D2"]
    assert [g.data_quality for g in rows] == ["default", "not_stated", "estimated"]
    # share of gross: 200 / 1,150 = 17.39 %
    assert rows[0].share_of_gross_pct == pytest.approx(17.39, abs=0.01)


def test_one_estimated_line_measured_narrows_its_range_by_the_lognormal_ratio():
    """A single estimated line of 100 t, no factor uncertainty: the 5-95% width is 2 m sinh(z s), so measuring it
    narrows the range by 1 - sinh(z s_measured) / sinh(z s_estimated) = 1 - sinh(0.040126) / sinh(0.393718)
    = 1 - 0.040137 / 0.403969 = 90.06 %. Now: 100 exp(-+0.393718) = 67.45 ... 148.25; measured: 100 exp(-+0.040126)
    = 96.07 ... 104.09."""
    expected = (1 - math.sinh(Z95 * SIGMA_MEASURED) / math.sinh(Z95 * SIGMA_ESTIMATED)) * 100
    assert expected == pytest.approx(90.06, abs=0.01)
    (g,) = gains(*lines_of([100.0], ["estimated"]))
    assert g.range_narrowing_pct == pytest.approx(90.06, abs=1.0)  # 10,000 draws: about 1 % Monte Carlo error
    assert g.net_range_now.p05 == pytest.approx(67.45, rel=0.02) and g.net_range_now.p95 == pytest.approx(148.25, rel=0.02)
    assert g.net_range_if_measured.p05 == pytest.approx(96.07, rel=0.005)
    assert g.net_range_if_measured.p95 == pytest.approx(104.09, rel=0.005)


def test_the_larger_of_two_equal_quality_lines_narrows_the_range_more():
    # two independent estimated lines, 300 t and 100 t: the variance of the sum is dominated by the 300 t line
    # (first order: (300 s)^2 = 9 x (100 s)^2), so measuring it narrows the range more
    big, small = gains(*lines_of([300.0, 100.0], ["estimated", "estimated"]))
    assert big.tco2e_per_year == 300 and small.tco2e_per_year == 100
    assert big.range_narrowing_pct > small.range_narrowing_pct > 0


def test_the_shortcut_equals_a_full_rerun_with_the_input_measured():
    """measurement_gains re-draws only the measured input's lines; a whole new simulation with that input's
    sigma set to measured (same seed: the seed leaves the uncertainties out) gives the same percentiles."""
    lines, info = lines_of([120.0, 80.0, 40.0], ["estimated", "default", "estimated"], factor_sigma=sigma(1.11))
    rows = gains(lines, info)
    for g in rows:
        i = next(k for k, x in enumerate(info) if x["source_ref"] == g.source_ref)
        measured = lines.activity_sigma.copy()
        measured[i] = SIGMA_MEASURED
        rerun = simulate(Lines(**{**lines.__dict__, "activity_sigma": measured}), TABLE.draws, 1, seed=seed_of(lines, TABLE.draws))
        assert g.net_range_if_measured.p05 == pytest.approx(rerun.net[0], rel=1e-3)
        assert g.net_range_if_measured.p95 == pytest.approx(rerun.net[2], rel=1e-3)


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    values=st.lists(st.floats(min_value=0.1, max_value=1e5), min_size=1, max_size=10),
    qualities=st.lists(st.sampled_from(["measured", "calculated", "estimated", "default", "not_stated"]), min_size=10, max_size=10),
)
def test_measuring_an_input_never_widens_the_range(values, qualities):
    """Property (#17 item 7, here per row of the page): a row's range if measured is never wider than today's, to
    the Monte Carlo resolution: in a stress run of 300 random accounts (1-10 lines of 0.1 t to 100,000 t, random
    qualities, one shared factor) at 10,000 draws 60 rows read below 0, the worst -0.6 points, all for inputs of at
    most 6.5 % of gross, whose narrowing is within the noise; asserted to 1 point."""
    lines, info = lines_of(values, qualities[: len(values)], factor_sigma=sigma(1.04))
    for g in gains(lines, info):  # the table's 10,000 draws: at 2,000 the Monte Carlo noise reaches 2-3 % of the width
        assert g.range_narrowing_pct >= -1.0
        assert g.data_quality in ("estimated", "default", "not_stated")


@cache
def _sample(name: str):
    return assess_file(f"sample_inputs/{name}.xlsx")[1]


def test_riverside_rows_are_its_largest_estimated_inputs():
    """Riverside (Chengdu): the largest estimated input is the high-meat diet row, Consumption!B6, 9,368.93 tCO2e a year
    (golden line item), 24.03 % of the gross 38,980.9; the row's 'now' range is the account's range."""
    e = _sample("riverside-retrofit").emissions
    rows = e.uncertainty.if_measured
    assert len(rows) == TABLE.if_measured_shown == 5
    assert rows[0].source_ref == "Consumption!B6" and rows[0].data_quality == "estimated"
    assert rows[0].tco2e_per_year == pytest.approx(9369, abs=1)
    assert rows[0].share_of_gross_pct == pytest.approx(9368.93 / e.gross_tco2e_per_year * 100, abs=0.01)
    assert all(g.net_range_now == e.range for g in rows)
    assert [g.tco2e_per_year for g in rows] == sorted((g.tco2e_per_year for g in rows), reverse=True)
    # no measured or calculated input is offered, and no input larger than the last row is left out
    by_input: dict[str, float] = {}
    for li in e.line_items:
        if (li.data_quality.value if li.data_quality else "not_stated") in ("estimated", "default", "not_stated"):
            by_input[li.source_path] = by_input.get(li.source_path, 0.0) + li.tco2e_per_year
    assert sorted(by_input.values(), reverse=True)[4] == pytest.approx(rows[-1].tco2e_per_year, rel=1e-3)
    assert all(g.range_narrowing_pct > 0 for g in rows)


def test_measuring_an_input_in_the_account_narrows_the_range_as_promised():
    """End to end: set Riverside's Consumption!B6 row to measured and re-assess the account's range: it equals the
    row's 'if measured' range (same random numbers), four significant figures."""
    from assessment.emissions.uncertainty import account_ranges

    loaded, result = assess_file("sample_inputs/riverside-retrofit.xlsx")
    e = result.emissions
    g = e.uncertainty.if_measured[0]
    items = [li.model_copy(update={"data_quality": DataQuality.measured}) if li.source_path == g.source_path else li for li in e.line_items]
    p = loaded.model.profile
    after = account_ranges(e.model_copy(update={"line_items": items}), p.grid_region.value, p.reporting_year, p.population, TABLE)
    assert after.net == g.net_range_if_measured


def test_the_page_names_the_inputs_the_ranges_and_the_shares():
    result = _sample("riverside-retrofit")
    ctx = build_context(ReportInput(result=result, method=load_method(), input_name="x.xlsx", assessment_date="2026-01-01"))
    assert ctx["measure_rows"][0]["where"] == "Consumption!B6"
    assert ctx["measure_rows"][0]["quality"] == "estimated"
    html = environment().get_template("_quality.html.j2").render(**ctx)
    assert "What better data would change" in html
    # the row names the input in words; its cell is in the results JSON and the traceability annex, not on a body page
    assert ctx["measure_rows"][0]["what"] in html and "Consumption!B6" not in html
    r = result.emissions.range
    assert f"{r.p05:,.0f}–{r.p95:,.0f} → " in html
    # shares: 16.90 measured, 4.72 calculated; estimated 68.94 + default 9.44 + not stated 0 = 78.37 (golden shares)
    q = result.emissions.data_quality_shares_pct
    assert q["estimated"] + q["default"] + q.get("not_stated", 0.0) == pytest.approx(78.37, abs=0.01)
    assert quality_summary(result.emissions).startswith("Measured data stand behind 17% of gross emissions")
    assert "78% rest on estimates" in html
    assert "Every section of the inventory was reported." in html


def test_a_chinese_neighbourhood_lists_uk_diet_and_us_spend_factors_as_proxies():
    """Chengdu (grid CN-Southwest): the diet factors are DESNZ/UK (GB) and the spend factors US EEIO (US), so every such
    line is a proxy; the page names the largest and counts the rest, adding up to the proxy share."""
    result = _sample("riverside-retrofit")
    e = result.emissions
    diet = [li for li in e.line_items if li.factor_id.startswith("consumption.diet_")]
    spend = [li for li in e.line_items if li.factor_id.startswith("consumption.") and li.factor_id.endswith("_spend.USD")]
    assert diet and spend
    assert all(li.proxy and li.factor_region == "GB" for li in diet)
    assert all(li.proxy and li.factor_region == "US" for li in spend)
    shown = proxy_views(result)
    names = {factor_label("consumption.diet_high_meat.person_year"), factor_label("consumption.goods_spend.USD")}
    assert {p["factor"] for p in shown} >= names
    rest = proxy_rest(result, PROXY_LINES_SHOWN)
    assert rest is not None and rest["label"].endswith("more proxy factors (marked in the factor table)")
    total = sum(li.tco2e_per_year for li in e.line_items if li.proxy and li.tco2e_per_year > 0)
    assert total / e.gross_tco2e_per_year * 100 == pytest.approx(e.proxy_share_pct, abs=1e-6)
    # every diet and spend factor is marked proxy in the factor table of the annex
    ctx = build_context(ReportInput(result=result, method=load_method(), input_name="x.xlsx", assessment_date="2026-01-01"))
    marked = {f["f"].id for f in ctx["factors"] if f["f"].proxy}
    assert {li.factor_id for li in diet + spend} <= marked


def test_a_uk_neighbourhood_has_uk_diet_factors_as_local_and_us_spend_as_proxies():
    e = _sample("harbourside-newbuild").emissions
    assert all(not li.proxy for li in e.line_items if li.factor_id.startswith("consumption.diet_"))
    spend = [li for li in e.line_items if li.factor_id.endswith("_spend.USD")]
    assert spend and all(li.proxy for li in spend)
    assert proxy_rest(_sample("harbourside-newbuild"), PROXY_LINES_SHOWN) is None  # four proxy factors: all shown
