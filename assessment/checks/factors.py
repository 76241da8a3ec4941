"""Checks that need the factor library: material codes, override ids and units, and that the engine finds a
factor for every activity of the input (so that what validates also assesses)."""

from __future__ import annotations

import difflib
from typing import Iterator

from assessment.emissions.account import MissingFactors, emissions_account
from assessment.emissions.factors import FactorSet
from assessment.i18n import N_
from assessment.io.rules import Check
from assessment.model.inputs import NeighbourhoodInput


def factor_checks(m: NeighbourhoodInput, catalogue: FactorSet) -> Iterator[Check]:
    """Materials the library lacks (with the nearest code), unknown override ids, override units, duplicates."""
    codes = set(catalogue.material_codes())
    override_ids = {o.factor_id for o in m.factor_overrides}
    for i, mat in enumerate(m.construction_materials):
        if mat.material not in codes and f"material.{mat.material}" not in override_ids:
            guess = difflib.get_close_matches(mat.material, sorted(codes), n=1)
            if guess:
                yield (
                    ("construction_materials", i, "material"),
                    "unknown-material",
                    N_("'{value}' is not a material code of the factor library; did you mean '{suggestion}'?"),
                    {"value": mat.material, "suggestion": guess[0]},
                )
            else:
                yield (
                    ("construction_materials", i, "material"),
                    "unknown-material",
                    N_("'{value}' is not a material code of the factor library (see `nzn factors list --category material`)"),
                    {"value": mat.material},
                )
    seen: set[str] = set()
    for i, o in enumerate(m.factor_overrides):
        base = catalogue.get(o.factor_id)
        if base is None and not o.factor_id.startswith("material."):
            yield (
                ("factor_overrides", i, "factor_id"),
                "unknown-factor",
                N_("'{value}' is not a factor id of the library (see `nzn factors list`)"),
                {"value": o.factor_id},
            )
        elif base is not None and o.unit != base.unit:
            yield (
                ("factor_overrides", i, "unit"),
                "override-unit",
                N_("the library factor {factor} is per {expected}; give the override per {expected}, not per {found}"),
                {"factor": o.factor_id, "expected": base.unit, "found": o.unit},
            )
        if o.factor_id in seen:
            yield (
                ("factor_overrides", i, "factor_id"),
                "duplicate",
                N_("'{value}' appears more than once; give one row each"),
                {"value": o.factor_id},
            )
        seen.add(o.factor_id)


def missing_factors(m: NeighbourhoodInput, catalogue: FactorSet) -> list[Check]:
    """Activities for which neither the library nor an override gives a factor, found by running the engine once."""
    try:
        emissions_account(m, catalogue)
    except MissingFactors as exc:
        return [(f.path, "missing-factor", f.template, {"factor": f.factor_id}) for f in exc.missing]
    return []
