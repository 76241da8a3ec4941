"""Units at the boundary: one pint registry and the spellings planners type.

Inside the engine everything is kWh, km, tonnes and kgCO2e per unit (DESIGN.md);
inputs are converted here. Energy conversions are exact definitions
(1 kWh = 3.6 MJ; 1 therm = 100,000 Btu(IT) = 105.505585 MJ, the EC/UK therm used
on UK gas bills). Conversions that depend on a fuel (m3 of gas to kWh, litres of
oil to tonnes) are not done here but with cited calorific values and densities
from the factor library's parameters.
"""

from __future__ import annotations

from functools import cache

import pint

#: The spellings used in inputs and factor files -> pint expressions.
SPELLINGS = {
    "kWh": "kilowatt_hour",
    "MWh": "megawatt_hour",
    "GWh": "gigawatt_hour",
    "GJ": "gigajoule",
    "MJ": "megajoule",
    "therm": "therm",
    "m3": "meter**3",
    "litre": "liter",
    "tonne": "metric_ton",
    "kg": "kilogram",
    "km": "kilometer",
}


@cache
def registry() -> pint.UnitRegistry:
    """pint's default registry, using pint's on-disk definitions cache when the user cache folder is writable."""
    try:
        return pint.UnitRegistry(cache_folder=":auto:")
    except OSError:  # read-only home or cache folder: parse the definitions every time
        return pint.UnitRegistry()


@cache
def dimension(unit: str) -> str | None:
    """'energy', 'volume', 'mass', 'length' or None for a unit spelling pint does not know (pkm, item ...)."""
    expr = SPELLINGS.get(unit)
    if expr is None:
        return None
    dims = registry()(expr).dimensionality
    for name, ref in (("energy", "kilowatt_hour"), ("volume", "liter"), ("mass", "kilogram"), ("length", "kilometer")):
        if dims == registry()(ref).dimensionality:
            return name
    return None


def convert(amount: float, from_unit: str, to_unit: str) -> float:
    """Convert ``amount`` between two spellings of the same dimension (energy, volume, mass, length)."""
    if from_unit == to_unit:
        return float(amount)
    ureg = registry()
    return float(ureg.Quantity(amount, SPELLINGS[from_unit]).to(SPELLINGS[to_unit]).magnitude)


@cache
def factor_to(from_unit: str, to_unit: str) -> float:
    """Multiplier from ``from_unit`` to ``to_unit`` (cached, for the hot path)."""
    return convert(1.0, from_unit, to_unit)
