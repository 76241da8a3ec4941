"""In-boundary removals (trees, canopy, green space), kept apart from purchased offsets.

Order of preference, so nothing is counted twice:
1. a measured sequestration figure from the workbook, when given;
2. else tree canopy area (canopy % x site area) x the urban canopy rate
   (Nowak et al. 2013, Environ. Pollut. 178:229-236: 0.28 kgC/m2/yr);
3. else tree count x the per-tree rate (US EPA GHG Equivalencies Calculator).
Young trees planted since the canopy or tree survey add the same EPA per-seedling
rate on top (they are not in the canopy or the count yet).
Woodland green space adds its own rate only when canopy was not used (the
canopy already covers the trees in it). All are estimates and are labelled so.
"""

from __future__ import annotations

from assessment.emissions.factors import FactorSet
from assessment.emissions.lookup import MissingFactor, require
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import OffsetItem, RemovalItem, traced

M2_PER_HA = 10_000


def _removal(kind, description, amount, unit, f, path) -> RemovalItem:
    return RemovalItem(
        kind=kind,
        description=description,
        activity_amount=amount,
        activity_unit=unit,
        factor_id=f.id,
        factor_kgco2_per_unit=f.kgco2e_per_unit,
        factor_source=f.source,
        factor_year=f.year,
        tco2e_per_year=amount * f.kgco2e_per_unit / 1000.0,
        **traced(path),
    )


def removal_items(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[RemovalItem]:
    n = m.nature
    if n.measured_sequestration_tco2e is not None:
        return [
            RemovalItem(
                kind="measured",
                description="measured in-boundary sequestration",
                activity_amount=n.measured_sequestration_tco2e,
                activity_unit="tCO2e",
                factor_id="measured",
                factor_kgco2_per_unit=1000.0,
                factor_source="workbook (measured study)",
                factor_year=m.profile.reporting_year,
                tco2e_per_year=n.measured_sequestration_tco2e,
                **traced(("nature", "measured_sequestration_tco2e")),
            )
        ]
    out: list[RemovalItem] = []
    try:
        if n.canopy_cover_pct is not None:
            path = ("nature", "canopy_cover_pct")
            area = n.canopy_cover_pct / 100.0 * m.profile.site_area_ha * M2_PER_HA
            out.append(
                _removal(
                    "tree_canopy",
                    f"tree canopy {n.canopy_cover_pct:g}% of {m.profile.site_area_ha:g} ha",
                    area,
                    "m2_year",
                    require(factors, "removal.tree_canopy.m2_year", path),
                    path,
                )
            )
        elif n.tree_count is not None:
            path = ("nature", "tree_count")
            out.append(
                _removal(
                    "urban_trees",
                    f"{n.tree_count} trees",
                    n.tree_count,
                    "tree_year",
                    require(factors, "removal.urban_tree.tree_year", path),
                    path,
                )
            )
        if n.young_trees_planted:
            path = ("nature", "young_trees_planted")
            out.append(
                _removal(
                    "young_trees",
                    f"{n.young_trees_planted} young trees planted",
                    n.young_trees_planted,
                    "tree_year",
                    require(factors, "removal.urban_tree.tree_year", path),
                    path,
                )
            )
        if n.canopy_cover_pct is None:
            for i, g in enumerate(m.green_space):
                f = factors.get(f"removal.{g.space_type.value}.m2_year")
                if f is not None:
                    out.append(
                        _removal(
                            g.space_type.value, f"{g.name} ({g.space_type.value})", g.area_m2, "m2_year", f, ("green_space", i, "area_m2")
                        )
                    )
    except MissingFactor as exc:
        missing.append(exc)
    return out


def offset_items(m: NeighbourhoodInput) -> list[OffsetItem]:
    return [
        OffsetItem(
            project=o.project, standard=o.standard.value, vintage_year=o.vintage_year, tco2e=o.tco2e, **traced(("offsets", i, "tco2e"))
        )
        for i, o in enumerate(m.offsets)
    ]
