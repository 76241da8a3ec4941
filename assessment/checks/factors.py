"""Checks that need the factor library: material codes, override ids and units, and that the engine finds a
factor for every activity of the input (so that what validates also assesses)."""

from __future__ import annotations

import difflib
from typing import Iterator

from assessment.emissions.account import MissingFactors, emissions_account
from assessment.emissions.factors import FactorSet, override_multiplier
from assessment.i18n import N_
from assessment.io.rules import Check
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.method import Method
from assessment.scenarios.plan import plan


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
    materials = {o.factor_id.split(".", 1)[1] for o in m.factor_overrides if o.factor_id.startswith("material.")}
    for i, o in enumerate(m.factor_overrides):
        kind = catalogue.override_kind(o.factor_id, materials)
        base = catalogue.get(o.factor_id) if kind == "factor" else catalogue.param(o.factor_id)
        if kind is None:
            yield (
                ("factor_overrides", i, "factor_id"),
                "unknown-factor",
                N_("'{value}' is not a factor or parameter id of the library (see `nzn factors list`)"),
                {"value": o.factor_id},
            )
        elif base is not None:
            try:
                override_multiplier(o.unit, base.unit, kind)
            except ValueError:
                yield (
                    ("factor_overrides", i, "unit"),
                    "override-unit",
                    N_(
                        "{factor} is per {expected} in the library and '{found}' cannot be converted to it; "
                        "give the value in {expected} or a unit of the same dimension"
                    )
                    if kind == "factor"
                    else N_(
                        "{factor} is in {expected} in the library and '{found}' cannot be converted to it; "
                        "give the value in {expected} or a unit of the same dimension"
                    ),
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


def _footprint(m: NeighbourhoodInput, method: Method, catalogue: FactorSet) -> tuple | None:
    """What the overrides of ``m`` can change: every emission line, removal and embodied target, and the scenarios'
    yearly nets when the input lists measures (None when a factor is missing without an override)."""
    try:
        a = emissions_account(m, catalogue)
    except MissingFactors:
        return None
    lines = tuple(
        (li.factor_id, li.factor_kgco2e_per_unit, li.activity_amount, li.tco2e_per_year, li.energy_kwh, li.upfront_tco2e)
        for li in a.line_items
    )
    removals = tuple((r.factor_id, r.tco2e_per_year) for r in a.removal_items)
    targets = tuple((b.id, b.kgco2e_per_m2) for p in a.embodied_projects for b in p.benchmarks)
    scenarios = ()
    if m.scenario_measures:
        projection, results = plan(m, method, catalogue)
        scenarios = (tuple(y.net_tco2e for y in projection.bau), tuple(y.net_tco2e for s in results for y in s.years))
    return lines, removals, targets, scenarios


def unused_overrides(m: NeighbourhoodInput, method: Method, catalogue: FactorSet) -> list[Check]:
    """Overrides that would change nothing (no line of this input uses the id): refused at their cell, so that no
    override is silently ignored. Found by assessing the input with and without each override."""
    if not m.factor_overrides:
        return []
    full = _footprint(m, method, catalogue)
    out = []
    for i, o in enumerate(m.factor_overrides):
        others = [x for j, x in enumerate(m.factor_overrides) if j != i]
        if _footprint(m.model_copy(update={"factor_overrides": others}), method, catalogue) == full:
            out.append(
                (
                    ("factor_overrides", i, "factor_id"),
                    "override-unused",
                    N_(
                        "no line of this input uses {factor}, so this override would change nothing; "
                        "remove it or override the factor the line uses (see the factors table of the report)"
                    ),
                    {"factor": o.factor_id},
                )
            )
    return out


def missing_factors(m: NeighbourhoodInput, catalogue: FactorSet) -> list[Check]:
    """Activities for which neither the library nor an override gives a factor, found by running the engine once."""
    try:
        emissions_account(m, catalogue)
    except MissingFactors as exc:
        return [(f.path, "missing-factor", f.template, {"factor": f.factor_id}) for f in exc.missing]
    return []
