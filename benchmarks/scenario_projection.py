"""Benchmark: the scenario projection on top of the assessment (issue 9).

Builds a 30-year projection (reporting year to net-zero year) with three
scenarios of 20 measures each on a bundled sample, times ``plan()`` (the
projection, costs and the scores after each plan; the scorecard itself is not
included) and shows how the time grows with measures per scenario and with
years. Goal: under 0.5 s for 30 years x 3 scenarios x 20 measures.

    python benchmarks/scenario_projection.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assessment.checks import validate_input
from assessment.emissions.factors import load_factors
from assessment.model.inputs import ProjectionSettings, ScenarioMeasure
from assessment.model.method import load_method
from assessment.scenarios.plan import plan

ROOT = Path(__file__).resolve().parent.parent
#: (lever, applies_to, switch_to, performance) cycled to make measures of every family
MEASURES = [
    ("mode_shift", None, "metro_tram", None),
    ("diet_shift", None, "low_meat", None),
    ("flight_reduction", None, None, None),
    ("spending_reduction", None, None, None),
    ("waste_reduction", None, None, None),
    ("building_retrofit", "residential", None, 25.0),
    ("heat_pump", "residential", None, 2.8),
    ("ev_switch", None, None, None),
    ("waste_diversion", "mixed", "anaerobic_digestion", None),
    ("rooftop_pv", None, None, 900.0),
    ("tree_planting", None, None, None),
]


def measures(scenarios: int, per_scenario: int, start: int, span: int) -> list[ScenarioMeasure]:
    out = []
    for s in range(scenarios):
        for k in range(per_scenario):
            lever, applies, switch, perf = MEASURES[k % len(MEASURES)]
            size = 500.0 if lever == "rooftop_pv" else 200.0 if lever == "tree_planting" else 5.0 + s
            first = start + k % 5
            out.append(
                ScenarioMeasure(
                    scenario=f"S{s + 1}",
                    measure_id=f"M{k + 1}",
                    lever=lever,
                    applies_to=applies,
                    switch_to=switch,
                    size=size,
                    performance=perf,
                    start_year=first,
                    full_effect_year=min(first + 5, start + span - 1),
                    capital_cost=1e6,
                    lifetime_years=20,
                )
            )
    return out


def time_plan(base, method, factors, scenarios: int, per_scenario: int, years: int, runs: int) -> float:
    p = base.profile
    m = base.model_copy(
        update={
            "profile": p.model_copy(update={"target_net_zero_year": p.reporting_year + years - 1}),
            "projection": ProjectionSettings(
                population_growth_pct_per_year=0.5, floor_area_growth_pct_per_year=0.5, grid_factor_change_pct_per_year=-2.0
            ),
            "scenario_measures": measures(scenarios, per_scenario, p.reporting_year + 1, years - 1),
        }
    )
    plan(m, method, factors)  # warm caches (imports, factor groups)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        plan(m, method, factors)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    method, factors = load_method(), load_factors()
    base = validate_input(ROOT / "sample_inputs" / "riverside-retrofit.json", method, factors=factors).model
    goal = time_plan(base, method, factors, 3, 20, 30, args.runs)
    print(f"30 years x 3 scenarios x 20 measures: {goal:.3f} s median of {args.runs} (goal < 0.5 s) {'OK' if goal < 0.5 else 'OVER'}")
    print("growth with measures (30 years, 3 scenarios):")
    for n in (5, 10, 20, 40):
        print(f"  {n:3d} measures: {time_plan(base, method, factors, 3, n, 30, args.runs):.3f} s")
    print("growth with years (3 scenarios x 20 measures):")
    for y in (10, 20, 30, 50):
        print(f"  {y:3d} years:    {time_plan(base, method, factors, 3, 20, y, args.runs):.3f} s")


if __name__ == "__main__":
    main()
