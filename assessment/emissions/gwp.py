"""GWP-100 sets: recombine a factor's gases with the values an assessment chooses (AR5 or AR6).

The library keeps the gases where the source does (DESNZ gives kgCO2e of CO2, CH4 and N2O per unit, combined
with IPCC AR5 values). An assessment picks a set (``Profile.gwp_set``, ``--gwp``); a factor with a gas split is
recomputed part by part, ``part(target) = part(own set) / GWP(own set) x GWP(target)``, CO2 unchanged. A factor
without a split (total CO2e only, or CO2 only) is used as published and flagged. The values and the rule for
fossil or non-fossil methane are data: ``assessment/data/factors/gwp-100.toml``, each set with its source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assessment.errors import FactorError
from assessment.paths import factors_dir

GWP_FILE = "gwp-100.toml"
ORIGINS = ("fossil", "non_fossil")


@dataclass(frozen=True)
class GwpSet:
    """GWP-100 values of one set (kgCO2e per kg of gas) and where they come from."""

    name: str
    label: str
    ch4_fossil: float
    ch4_non_fossil: float
    n2o: float
    source: str
    url: str
    licence: str
    notes: str

    def ch4(self, origin: str) -> float:
        return self.ch4_fossil if origin == "fossil" else self.ch4_non_fossil


@dataclass(frozen=True)
class GwpTable:
    sets: dict[str, GwpSet]
    origin_by_category: dict[str, str]
    origin_by_prefix: dict[str, str]

    def ch4_origin(self, factor_id: str, category: str) -> str | None:
        """'fossil' or 'non_fossil' for a factor's methane: its id prefix (longest first), else its category; None
        when neither is listed."""
        for prefix in sorted(self.origin_by_prefix, key=len, reverse=True):
            if factor_id == prefix or factor_id.startswith(prefix + "."):
                return self.origin_by_prefix[prefix]
        return self.origin_by_category.get(category)


@cache
def load_gwp(folder: str | None = None) -> GwpTable:
    """The GWP table of the library (``gwp-100.toml``); every value is checked to be cited and positive."""
    path = Path(folder) if folder else factors_dir()
    data = tomllib.loads((path / GWP_FILE).read_text(encoding="utf-8"))
    sets = {}
    for name, s in data.get("sets", {}).items():
        for key in ("label", "ch4_fossil", "ch4_non_fossil", "n2o", "source", "url", "licence"):
            if key not in s or s[key] in ("", None):
                raise FactorError(f"{GWP_FILE}: set {name} has no {key} (every GWP value needs a source, URL and licence)")
        for key in ("ch4_fossil", "ch4_non_fossil", "n2o"):
            if not isinstance(s[key], (int, float)) or s[key] <= 0:
                raise FactorError(f"{GWP_FILE}: set {name}: {key} must be a number > 0, got {s[key]!r}")
        sets[name] = GwpSet(
            name=name,
            label=s["label"],
            ch4_fossil=float(s["ch4_fossil"]),
            ch4_non_fossil=float(s["ch4_non_fossil"]),
            n2o=float(s["n2o"]),
            source=s["source"],
            url=s["url"],
            licence=s["licence"],
            notes=s.get("notes", ""),
        )
    origin = data.get("ch4_origin", {})
    by_category, by_prefix = dict(origin.get("by_category", {})), dict(origin.get("by_id_prefix", {}))
    for where, table in (("by_category", by_category), ("by_id_prefix", by_prefix)):
        for key, value in table.items():
            if value not in ORIGINS:
                raise FactorError(f"{GWP_FILE}: ch4_origin.{where}.{key} must be one of {', '.join(ORIGINS)}, got {value!r}")
    return GwpTable(sets=sets, origin_by_category=by_category, origin_by_prefix=by_prefix)


def has_gas_split(factor, table: GwpTable | None = None) -> bool:
    """True when the factor keeps its CO2, CH4 and N2O parts, combined with a set of the table (so it can be
    recomputed for another set)."""
    table = table or load_gwp()
    return (
        factor.kgco2e_co2 is not None
        and factor.kgco2e_ch4 is not None
        and factor.kgco2e_n2o is not None
        and factor.gwp_set in table.sets
        and table.ch4_origin(factor.id, factor.category) is not None
    )


def recombined(factor, target: str, table: GwpTable | None = None) -> dict | None:
    """The fields of ``factor`` under the set ``target`` (kgco2e_per_unit and the three parts), or None when the
    factor is used as published: no gas split, or already on ``target``."""
    table = table or load_gwp()
    if target not in table.sets:
        raise FactorError(f"unknown GWP set {target!r}; the library has {', '.join(sorted(table.sets))}")
    if factor.gwp_set == target or not has_gas_split(factor, table):
        return None
    own, new = table.sets[factor.gwp_set], table.sets[target]
    origin = table.ch4_origin(factor.id, factor.category)
    ch4 = factor.kgco2e_ch4 / own.ch4(origin) * new.ch4(origin)
    n2o = factor.kgco2e_n2o / own.n2o * new.n2o
    return {
        "kgco2e_per_unit": factor.kgco2e_co2 + ch4 + n2o,
        "kgco2e_co2": factor.kgco2e_co2,
        "kgco2e_ch4": ch4,
        "kgco2e_n2o": n2o,
        "gwp_set": target,
    }
