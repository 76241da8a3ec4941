"""Cost of measures: annualised cost and cost per tonne abated (the marginal abatement cost curve).

Annualised cost = capital x CRF + annual cost, with the capital recovery factor
CRF = r (1 + r)^n / ((1 + r)^n - 1) for discount rate r and lifetime n years
(CRF = 1/n when r = 0): the standard equivalent-annual-cost (annuity) formula
of engineering economics, as used for levelised costs in IPCC AR5 WGIII,
Annex II (Metrics and Methodology), section A.II.3.1. Cost per tCO2e = annualised cost / mean
yearly abatement at full effect (the measure's own, as attributed in the
projection); negative when the measure saves money.
"""

from __future__ import annotations


def capital_recovery_factor(rate_pct: float, years: int) -> float:
    """CRF = r (1 + r)^n / ((1 + r)^n - 1); 1/n at r = 0."""
    r = rate_pct / 100.0
    if r == 0:
        return 1.0 / years
    grown = (1 + r) ** years
    return r * grown / (grown - 1)


def annualised_cost(capital: float | None, annual: float | None, lifetime_years: int | None, rate_pct: float) -> float | None:
    """Equivalent yearly cost [currency/yr]; None when the measure states no cost."""
    if capital is None and annual is None:
        return None
    yearly = annual or 0.0
    if capital:
        yearly += capital * capital_recovery_factor(rate_pct, lifetime_years or 1)
    return yearly


def cost_per_tco2e(annualised: float | None, mean_abatement_tco2e: float | None) -> float | None:
    """Annualised cost / mean yearly abatement [currency/tCO2e]; None without a cost or a positive abatement."""
    if annualised is None or not mean_abatement_tco2e or mean_abatement_tco2e <= 0:
        return None
    return annualised / mean_abatement_tco2e
