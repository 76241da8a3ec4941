"""Embodied emissions of construction projects (EN 15978 life-cycle modules).

Per project, from its bill of materials:

* A1-A3 product stage: quantity x material factor (cradle to gate);
* A4 transport to site: tonnes x km x freight factor [kgCO2e/tkm];
* A5 construction: site energy (diesel, grid electricity) plus material
  wastage. Wasted material is bought, made and carried too, so with wastage
  rate WR the extra product and transport emissions are
  (A1-A3 + A4) x WR / (1 - WR) (RICS, Whole life carbon assessment for the
  built environment, 2nd ed. 2023, A5w; the same waste-factor form as the
  RICS 1st ed. 2017 "WF = 1/(1 - WR) - 1");
* B4 replacement: replacements x (A1-A3 + A4) of the replaced material.

Upfront carbon is A1-A5. The annual account spreads upfront plus B4 over the
reference study period (60 years for buildings by default, EN 15978 / RICS).
"""

from __future__ import annotations

from assessment.emissions.factors import FactorSet
from assessment.emissions.lookup import MissingFactor, require, require_param
from assessment.emissions.operational import factor_fields, grid_factor_id, tco2e
from assessment.model.inputs import ConstructionMaterial, NeighbourhoodInput
from assessment.model.results import LineItem, traced
from assessment.units import factor_to

DEFAULT_RSP_PARAM = "rsp.building.years"


def material_tonnes(mat: ConstructionMaterial, factors: FactorSet, path: tuple) -> float:
    """Mass of a material [t]; volumes need a cited density ``density.<code>.kg_per_m3``."""
    if mat.unit.value == "m3":
        density = factors.param(f"density.{mat.material}.kg_per_m3") or factors.param(f"density.{mat.material.split('_')[0]}.kg_per_m3")
        if density is None:
            raise MissingFactor(path, f"density.{mat.material}.kg_per_m3")
        return mat.quantity * density.value / 1000.0
    return mat.quantity * factor_to(mat.unit.value, "tonne")


def material_amount_in(mat: ConstructionMaterial, unit: str, factors: FactorSet, path: tuple) -> tuple[float, str | None]:
    """Quantity expressed in the material factor's unit (kg, tonne or m3)."""
    if unit == mat.unit.value:
        return mat.quantity, None
    if unit in ("kg", "tonne") and mat.unit.value in ("kg", "tonne"):
        q = mat.quantity * factor_to(mat.unit.value, unit)
        return q, f"{mat.quantity:g} {mat.unit.value} = {q:g} {unit}"
    tonnes = material_tonnes(mat, factors, path)
    if unit in ("kg", "tonne"):
        q = tonnes * factor_to("tonne", unit)
        return q, f"{mat.quantity:g} m3 x density = {q:g} {unit}"
    density = factors.param(f"density.{mat.material}.kg_per_m3") or factors.param(f"density.{mat.material.split('_')[0]}.kg_per_m3")
    if density is None:
        raise MissingFactor(path, f"density.{mat.material}.kg_per_m3")
    q = tonnes * 1000.0 / density.value
    return q, f"{mat.quantity:g} {mat.unit.value} / {density.value:g} kg/m3 ({density.id}) = {q:g} m3"


def study_period_years(proj, factors: FactorSet) -> float:
    """Reference study period [years]: the project's own, else the library default (60, EN 15978 / RICS 2023)."""
    if proj.reference_study_period_years:
        return float(proj.reference_study_period_years)
    return require_param(factors, DEFAULT_RSP_PARAM, ("construction_projects",))


def wastage_rate(project_rate_pct: float | None, material: str, factors: FactorSet) -> tuple[float, str | None]:
    """Wastage rate [fraction]: the project's stated rate, else the library default for the material (else 0)."""
    if project_rate_pct is not None:
        return project_rate_pct / 100.0, None
    for key in (material, material.split("_")[0]):
        p = factors.param(f"a5.wastage_rate.{key}")
        if p is not None:
            return p.value, p.id
    return 0.0, None


def embodied_lines(m: NeighbourhoodInput, factors: FactorSet, missing: list[MissingFactor]) -> list[LineItem]:
    """Line items A1-A3, A4, A5 and B4 of every construction project, annualised over its study period."""
    out: list[LineItem] = []
    for pi, proj in enumerate(m.construction_projects):
        try:
            rsp = study_period_years(proj, factors)
        except MissingFactor as exc:
            missing.append(exc)
            continue
        sub = proj.project_type.value
        for i, mat in enumerate(m.construction_materials):
            if mat.project_id != proj.project_id:
                continue
            path = ("construction_materials", i, "quantity")
            try:
                f = require(factors, f"material.{mat.material}", path)
                qty, note = material_amount_in(mat, f.unit, factors, path)
                a13 = tco2e(qty, f.kgco2e_per_unit)
                out.append(
                    _embodied(
                        sub,
                        f"{proj.name}: {mat.material}",
                        qty,
                        f.unit,
                        f,
                        path,
                        mat,
                        a13,
                        rsp,
                        "A1-A3",
                        proj.project_id,
                        note,
                        material=mat.material,
                    )
                )
                a4 = 0.0
                if mat.transport_km:
                    mode = mat.transport_mode.value if mat.transport_mode else "truck"
                    ff = require(factors, f"freight.{mode}.tkm", ("construction_materials", i, "transport_km"))
                    tkm = material_tonnes(mat, factors, path) * mat.transport_km
                    a4 = tco2e(tkm, ff.kgco2e_per_unit)
                    out.append(
                        _embodied(
                            sub,
                            f"{proj.name}: {mat.material} to site by {mode}",
                            tkm,
                            "tkm",
                            ff,
                            ("construction_materials", i, "transport_km"),
                            mat,
                            a4,
                            rsp,
                            "A4",
                            proj.project_id,
                            f"{material_tonnes(mat, factors, path):g} t x {mat.transport_km:g} km",
                        )
                    )
                wr, wr_param = wastage_rate(proj.wastage_rate_pct, mat.material, factors)
                if wr > 0:
                    extra = (a13 + a4) * wr / (1 - wr)
                    out.append(
                        _derived(
                            sub,
                            f"{proj.name}: {mat.material} wastage ({wr:.0%})",
                            a13 + a4,
                            f,
                            path,
                            mat,
                            extra,
                            rsp,
                            "A5",
                            proj.project_id,
                            f"(A1-A3 + A4) x {wr:g}/(1-{wr:g})" + (f" ({wr_param})" if wr_param else " (project rate)"),
                            material=mat.material,
                        )
                    )
                if mat.replacements:
                    b4 = (a13 + a4) * mat.replacements
                    out.append(
                        _derived(
                            sub,
                            f"{proj.name}: {mat.material} replacement x{mat.replacements:g}",
                            a13 + a4,
                            f,
                            ("construction_materials", i, "replacements"),
                            mat,
                            b4,
                            rsp,
                            "B4",
                            proj.project_id,
                            f"(A1-A3 + A4) x {mat.replacements:g} replacements",
                            upfront=False,
                            material=mat.material,
                        )
                    )
            except MissingFactor as exc:
                missing.append(exc)
        try:
            if proj.site_diesel_litres:
                f = require(factors, "fuel.diesel.litre", ("construction_projects", pi, "site_diesel_litres"))
                t = tco2e(proj.site_diesel_litres, f.kgco2e_per_unit)
                out.append(
                    _embodied(
                        sub,
                        f"{proj.name}: site diesel",
                        proj.site_diesel_litres,
                        "litre",
                        f,
                        ("construction_projects", pi, "site_diesel_litres"),
                        proj,
                        t,
                        rsp,
                        "A5",
                        proj.project_id,
                        None,
                    )
                )
            if proj.site_electricity_kwh:
                f = require(factors, grid_factor_id(m), ("construction_projects", pi, "site_electricity_kwh"))
                t = tco2e(proj.site_electricity_kwh, f.kgco2e_per_unit)
                out.append(
                    _embodied(
                        sub,
                        f"{proj.name}: site electricity",
                        proj.site_electricity_kwh,
                        "kWh",
                        f,
                        ("construction_projects", pi, "site_electricity_kwh"),
                        proj,
                        t,
                        rsp,
                        "A5",
                        proj.project_id,
                        None,
                    )
                )
        except MissingFactor as exc:
            missing.append(exc)
    return out


def _embodied(
    sub, description, amount, unit, f, path, row, upfront, rsp, module, project_id, note, material: str | None = None
) -> LineItem:
    return LineItem(
        category="embodied",
        subcategory=sub,
        sector="other_scope3",
        scope=3,
        description=description,
        activity_amount=amount,
        activity_unit=unit,
        **factor_fields(f),
        tco2e_per_year=upfront / rsp,
        **traced(path),
        data_quality=row.data_quality,
        upfront_tco2e=upfront,
        lifecycle_module=module,
        project_id=project_id,
        conversion=((note + "; ") if note else "") + f"annualised over {rsp:g} years",
        material=material,
    )


def _derived(
    sub, description, base_tco2e, f, path, row, value, rsp, module, project_id, note, upfront: bool = True, material: str | None = None
) -> LineItem:
    """A line computed from other lines of the same material (A5 wastage, B4 replacement)."""
    return LineItem(
        category="embodied",
        subcategory=sub,
        sector="other_scope3",
        scope=3,
        description=description,
        activity_amount=base_tco2e,
        activity_unit="tCO2e (A1-A4 of the material)",
        **factor_fields(f),
        tco2e_per_year=value / rsp,
        **traced(path),
        data_quality=row.data_quality,
        upfront_tco2e=value if upfront else 0.0,
        lifecycle_module=module,
        project_id=project_id,
        conversion=f"{note}; annualised over {rsp:g} years",
        material=material,
    )
