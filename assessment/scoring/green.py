"""Formulas of the Green pillar's components (named in modules/method.toml)."""

from __future__ import annotations

from typing import Callable

from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import EmissionsAccount

GreenFormula = Callable[[NeighbourhoodInput, EmissionsAccount], float | None]


def net_tco2e_per_capita(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Net emissions per resident [tCO2e/person/yr] = (gross - removals) / population; offsets not deducted."""
    return a.net_per_capita_tco2e_per_year


def gap_to_path_pct(m: NeighbourhoodInput, a: EmissionsAccount) -> float | None:
    """Distance above the linear target path in the reporting year [%]; 0 when on or below the path.

    None when the baseline is the reporting year itself (there is no path yet to be behind).
    """
    t = a.trajectory
    if t.baseline_is_reporting_year or t.gap_pct is None:
        return None
    return max(t.gap_pct, 0.0)


GREEN_FORMULAS: dict[str, GreenFormula] = {"net_tco2e_per_capita": net_tco2e_per_capita, "gap_to_path_pct": gap_to_path_pct}
