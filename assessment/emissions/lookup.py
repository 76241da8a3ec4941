"""Resolve the factor for an activity and convert the activity into the factor's unit.

A missing factor is not a crash: it is collected as :class:`MissingFactor`
(with the input location) and reported as a validation problem naming the
cell, with the factor id the user can supply as an override.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.emissions.factors import Factor, FactorSet
from assessment.i18n import N_
from assessment.units import dimension, factor_to

#: Factor-file unit spellings -> unit keys used in factor ids (fuel.natural_gas.m3 ...).
UNIT_KEYS = {"kWh": "kwh", "m3": "m3", "litre": "litre", "tonne": "tonne", "kg": "kg"}


@dataclass(frozen=True)
class MissingFactor(Exception):
    """No library factor (or parameter) for an activity at ``path``."""

    path: tuple
    factor_id: str
    template: str = N_("no emission factor '{factor}' in the library for this activity; add it on the Factors sheet as an override")


@dataclass(frozen=True)
class Converted:
    """An activity amount expressed in a factor's unit, and how it got there."""

    amount: float
    factor: Factor
    note: str | None
    via: str | None = None  # the parameter used (a calorific value), if any


def gross_kwh_per_unit(factors: FactorSet, carrier: str, unit: str) -> tuple[float, str | None] | None:
    """Delivered energy per one input unit [kWh] on a gross calorific-value basis, and the parameter used.

    Energy units convert by definition; volumes and masses use the carrier's cited
    ``cv.<carrier>.gross_kwh_per_m3`` / ``_per_litre`` / ``_per_kg`` (``kwh_per_kg`` where only one basis is
    published). None when no parameter covers the unit.
    """
    dim = dimension(unit)
    if dim == "energy":
        return factor_to(unit, "kWh"), None
    if dim == "volume":
        for base in ("m3", "litre"):
            cv = factors.param(f"cv.{carrier}.gross_kwh_per_{base}")
            if cv is not None:
                return factor_to(unit, base) * cv.value, cv.id
    if dim == "mass":
        cv = factors.param(f"cv.{carrier}.gross_kwh_per_kg") or factors.param(f"cv.{carrier}.kwh_per_kg")
        if cv is not None:
            return factor_to(unit, "kg") * cv.value, cv.id
    return None


def require(factors: FactorSet, factor_id: str, path: tuple) -> Factor:
    f = factors.get(factor_id)
    if f is None:
        raise MissingFactor(path, factor_id)
    return f


def require_param(factors: FactorSet, param_id: str, path: tuple) -> float:
    p = factors.param(param_id)
    if p is None:
        raise MissingFactor(
            path, param_id, N_("no parameter '{factor}' in the library to convert this amount; give the amount in another unit")
        )
    return p.value


def to_factor_unit(f: Factor, amount: float, unit: str, path: tuple) -> Converted:
    """Express an amount in the unit of ``f`` when both are of one dimension (energy, volume, mass)."""
    if unit == f.unit:
        return Converted(amount, f, None)
    if dimension(unit) is None or dimension(unit) != dimension(f.unit):
        raise MissingFactor(path, f"{f.id} (per {unit})")
    converted = amount * factor_to(unit, f.unit)
    return Converted(converted, f, f"{amount:g} {unit} = {converted:g} {f.unit}")


def by_unit(factors: FactorSet, prefix: str, amount: float, unit: str, path: tuple, cv_carrier: str | None = None) -> Converted:
    """Find ``<prefix>.<unitkey>`` in the input's own unit, else in another unit of the same dimension.

    For fuels, if no factor shares the input's dimension, convert with the
    carrier's calorific value or density parameters (``cv.<carrier>.*``,
    ``density.<carrier>.*``) to a unit that has one.
    """
    key = UNIT_KEYS.get(unit)
    if key and (f := factors.get(f"{prefix}.{key}")):
        return Converted(amount, f, None)
    dim = dimension(unit)
    # only the plain unit variants (fuel.x.kwh, not fuel.x.kwh_net): kWh inputs are on a gross CV basis
    candidates = [f for f in factors.with_prefix(prefix + ".") if f.id.rsplit(".", 1)[1] in UNIT_KEYS.values()]
    for f in candidates:
        if dimension(f.unit) == dim:
            return Converted(amount * factor_to(unit, f.unit), f, f"{amount:g} {unit} = {amount * factor_to(unit, f.unit):g} {f.unit}")
    energy = factors.get(f"{prefix}.kwh") if cv_carrier and dim in ("volume", "mass") else None
    per_unit = gross_kwh_per_unit(factors, cv_carrier, unit) if energy else None
    if per_unit is not None:
        kwh = amount * per_unit[0]
        return Converted(kwh, energy, f"{amount:g} {unit} x {per_unit[0]:g} kWh/{unit} ({per_unit[1]}) = {kwh:g} kWh", via=per_unit[1])
    raise MissingFactor(path, f"{prefix}.{key or unit}")
