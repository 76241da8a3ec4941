"""Units at the boundary: one pint registry and the spellings planners type.

Inside the engine everything is kWh, km, tonnes and kgCO2e per unit (DESIGN.md);
inputs are converted here. Energy conversions are exact definitions
(1 kWh = 3.6 MJ; 1 therm = 100,000 Btu(IT) = 105.505585 MJ, the EC/UK therm used
on UK gas bills). Conversions that depend on a fuel (m3 of gas to kWh, litres of
oil to tonnes) are not done here but with cited calorific values and densities
from the factor library's parameters.
"""

from __future__ import annotations

import sys
from functools import cache

# start-up: pint imports dask.base whenever dask is installed (pint/compat.py: HAS_DASK = find_spec("dask")), 0.2 s of
# every command; the engine never puts dask arrays in quantities, so pint is imported with dask hidden from it (a None
# in sys.modules makes find_spec answer None), and dask stays importable for `nzn batch --scheduler` afterwards.
_HIDE_DASK = "dask" not in sys.modules
if _HIDE_DASK:
    sys.modules["dask"] = None  # type: ignore[assignment]
try:
    import pint
finally:
    if _HIDE_DASK:
        del sys.modules["dask"]

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


#: Spellings of a quantity of CO2e, as a mass (for rates such as kgCO2e/kWh).
CO2E_MASS = {"gCO2e": "gram", "kgCO2e": "kilogram", "tCO2e": "metric_ton"}


def _pint_expr(unit: str) -> str | None:
    return SPELLINGS.get(unit) or CO2E_MASS.get(unit)


def rate_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in ``from_unit`` to ``to_unit``, for plain units (kWh, tonne, m3) and rates
    ("kWh/m3", "kg/litre", "kgCO2e/kWh", "GJ/tonne"); identical spellings need no conversion.

    Raises ValueError when the units are of different dimensions or one is not a unit pint knows (e.g. "vkm",
    "persons per car"): those must be given exactly in the library's unit.
    """
    if from_unit.strip() == to_unit.strip():
        return 1.0
    parts_from, parts_to = from_unit.replace(" ", "").split("/"), to_unit.replace(" ", "").split("/")
    if len(parts_from) != len(parts_to) or len(parts_from) > 2:
        raise ValueError(f"{from_unit} -> {to_unit}")
    exprs = [(_pint_expr(a), _pint_expr(b)) for a, b in zip(parts_from, parts_to)]
    if any(a is None or b is None for a, b in exprs):
        raise ValueError(f"{from_unit} -> {to_unit}")
    ureg = registry()
    try:
        mults = [float(ureg.Quantity(1.0, a).to(b).magnitude) for a, b in exprs]
    except pint.DimensionalityError as exc:
        raise ValueError(f"{from_unit} -> {to_unit}") from exc
    return mults[0] / mults[1] if len(mults) == 2 else mults[0]
