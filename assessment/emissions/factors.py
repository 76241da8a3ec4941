"""The emission-factor library: CSV files of cited factors, loaded once.

Factors are data, not code (DESIGN.md). Each row of
``assessment/data/factors/*.csv`` carries its value, unit, data year, full
citation, URL and licence; ``parameters*.csv`` hold the non-emission constants
the engine needs (calorific values, occupancies, densities, wastage rates,
exchange rates); ``targets*.csv`` say which building type and project type each
published target parameter applies to. A :class:`FactorSet` is immutable; workbook overrides make a
new set and are recorded so the report can list them.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Iterable

from assessment.emissions.gwp import GWP_FILE, has_gas_split, recombined
from assessment.errors import FactorError
from assessment.model.enums import BuildingType, ProjectType
from assessment.paths import factors_dir
from assessment.units import rate_factor

FACTOR_COLUMNS = (
    "id",
    "category",
    "activity",
    "unit",
    "kgco2e_per_unit",
    "kgco2e_co2",
    "kgco2e_ch4",
    "kgco2e_n2o",
    "gwp_set",
    "region",
    "year",
    "source",
    "table_ref",
    "url",
    "licence",
    "notes",
)
PARAMETER_COLUMNS = ("id", "value", "unit", "source", "table_ref", "url", "licence", "notes")
#: Columns of ``targets*.csv``: which building type and project type a published target (a parameter) applies to.
TARGET_COLUMNS = ("parameter_id", "scheme", "target_year", "building_type", "project_type", "lifecycle_modules", "notes")
#: Version of the shipped library; bump when any value changes.
FACTORS_VERSION_FILE = "VERSION"


@dataclass(frozen=True)
class Factor:
    id: str
    category: str
    activity: str
    unit: str
    kgco2e_per_unit: float
    kgco2e_co2: float | None
    kgco2e_ch4: float | None
    kgco2e_n2o: float | None
    gwp_set: str
    region: str
    year: int
    source: str
    table_ref: str
    url: str
    licence: str
    notes: str
    file: str
    overridden: bool = False
    library_value: float | None = None


@dataclass(frozen=True)
class Parameter:
    id: str
    value: float
    unit: str
    source: str
    table_ref: str
    url: str
    licence: str
    notes: str
    file: str
    overridden: bool = False
    library_value: float | None = None


@dataclass(frozen=True)
class OverrideApplied:
    """One workbook override as the engine uses it: the user's value and unit, and the value in the library's unit."""

    row: int
    id: str
    kind: str  # "factor" or "parameter"
    value: float
    unit: str
    library_unit: str
    value_in_library_unit: float
    library_value: float | None
    source: str
    year: int | None


def supplied_factor(
    factor_id: str,
    unit: str,
    value: float,
    source: str,
    *,
    year: int = 0,
    activity: str | None = None,
    gwp_set: str = "as stated by the user",
) -> Factor:
    """A factor the workbook supplies rather than the library: an override of an id the library lacks, or the identity
    factor of a footprint reported in kgCO2e. It has no gas split, no region and no URL; ``source`` cites it."""
    return Factor(
        id=factor_id,
        category=factor_id.split(".")[0],
        activity=activity or factor_id.split(".", 1)[-1].replace("_", " "),
        unit=unit,
        kgco2e_per_unit=value,
        kgco2e_co2=None,
        kgco2e_ch4=None,
        kgco2e_n2o=None,
        gwp_set=gwp_set,
        region="",
        year=year,
        source=source,
        table_ref="",
        url="",
        licence="supplied by the user",
        notes="",
        file="workbook",
    )


def override_multiplier(user_unit: str, library_unit: str, kind: str) -> float:
    """Multiplier taking an override's value to the library's unit (pint): a factor is kgCO2e per its activity unit
    (the unit may be given as "tonne" or as "kgCO2e/tonne"), a parameter is in its own unit. Raises ValueError when
    the dimensions differ."""
    if kind == "factor":
        user = user_unit if "/" in user_unit else f"kgCO2e/{user_unit}"
        return rate_factor(user, f"kgCO2e/{library_unit}")
    return rate_factor(user_unit, library_unit)


def new_material_parameter(param_id: str, overridden_materials: set[str]) -> bool:
    """A density of a material the workbook itself adds (``material.<code>`` overridden): a new parameter id it may give."""
    parts = param_id.split(".")
    return len(parts) == 3 and parts[0] == "density" and parts[2] == "kg_per_m3" and parts[1] in overridden_materials


@dataclass(frozen=True)
class Target:
    """Where a published target applies: its value and citation are the parameter ``parameter_id``."""

    parameter_id: str
    scheme: str
    target_year: int
    building_type: str
    project_type: str
    lifecycle_modules: str
    notes: str
    file: str


@dataclass(frozen=True)
class FactorSet:
    factors: dict[str, Factor]
    parameters: dict[str, Parameter]
    version: str
    digest: str
    #: Published targets with their applicability (``targets*.csv``), in file order.
    targets: tuple[Target, ...] = ()

    def get(self, factor_id: str) -> Factor | None:
        return self.factors.get(factor_id)

    def param(self, param_id: str) -> Parameter | None:
        return self.parameters.get(param_id)

    @cached_property
    def _groups(self) -> dict[str, list[Factor]]:
        """Factors grouped by their id without its last part ('fuel.natural_gas.m3' -> 'fuel.natural_gas.')."""
        groups: dict[str, list[Factor]] = {}
        for k, f in self.factors.items():
            groups.setdefault(k.rsplit(".", 1)[0] + ".", []).append(f)
        return groups

    def with_prefix(self, prefix: str) -> list[Factor]:
        """Factors whose id starts with ``prefix`` (a whole group, looked up at once, when the prefix ends a group)."""
        if prefix.endswith(".") and prefix in self._groups:
            return list(self._groups[prefix])
        return [f for k, f in self.factors.items() if k.startswith(prefix)]

    def targets_for(self, building_type: str, project_type: str) -> list[tuple[Target, Parameter]]:
        """The published targets that apply to exactly this building type and project type (no fallback to another type)."""
        return [
            (t, self.parameters[t.parameter_id])
            for t in self.targets
            if t.building_type == building_type and t.project_type == project_type and t.parameter_id in self.parameters
        ]

    def grid_trajectory(self, region: str) -> list[tuple[int, Parameter]]:
        """The published grid-factor trajectory of a region, by year (parameters ``grid_trajectory.<region>.<year>``)."""
        prefix = f"grid_trajectory.{region}."
        return sorted((int(pid.removeprefix(prefix)), p) for pid, p in self.parameters.items() if pid.startswith(prefix))

    def material_codes(self) -> list[str]:
        return sorted(k.split(".", 1)[1] for k in self.factors if k.startswith("material."))

    def categories(self) -> list[str]:
        return sorted({f.category for f in self.factors.values()})

    def override_kind(self, override_id: str, overridden_materials: set[str] = frozenset()) -> str | None:
        """'factor' or 'parameter' for an override id this set can take (a new material factor or its density
        included), or None."""
        if override_id in self.parameters or new_material_parameter(override_id, set(overridden_materials)):
            return "parameter"
        if override_id in self.factors or override_id.startswith("material."):
            return "factor"
        return None

    def applied_overrides(self, overrides: Iterable) -> list[OverrideApplied]:
        """Each override converted to the library's unit (validated inputs only: unknown ids and units are refused
        before, in ``assessment.checks.factors``)."""
        rows = list(overrides)
        materials = {o.factor_id.split(".", 1)[1] for o in rows if o.factor_id.startswith("material.")}
        out = []
        for i, o in enumerate(rows):
            kind = self.override_kind(o.factor_id, materials)
            if kind is None:  # refused by validation (e.g. the density of a material no row adds)
                continue
            base = self.factors.get(o.factor_id) if kind == "factor" else self.parameters.get(o.factor_id)
            library_unit = base.unit if base is not None else o.unit
            value = o.kgco2e_per_unit * override_multiplier(o.unit, library_unit, kind)
            library_value = None if base is None else (base.kgco2e_per_unit if kind == "factor" else base.value)
            out.append(
                OverrideApplied(
                    i, o.factor_id, kind or "factor", o.kgco2e_per_unit, o.unit, library_unit, value, library_value, o.source, o.year
                )
            )
        return out

    def for_input(self, m) -> "FactorSet":
        """The set one input is computed with: its workbook overrides applied, then its profile's GWP set."""
        fs = self.with_overrides(m.factor_overrides) if m.factor_overrides else self
        return fs.with_gwp(m.profile.gwp_set.value)

    def with_overrides(self, overrides: Iterable) -> "FactorSet":
        """A new set where each override (factor_id, kgco2e_per_unit, unit, source, year) replaces a library factor or
        parameter, its value converted to the library's unit."""
        factors, parameters = dict(self.factors), dict(self.parameters)
        for o in self.applied_overrides(overrides):
            if o.kind == "parameter":
                base = parameters.get(o.id) or Parameter(
                    o.id, o.value_in_library_unit, o.library_unit, o.source, "", "", "", "", "workbook"
                )
                parameters[o.id] = replace(
                    base,
                    value=o.value_in_library_unit,
                    source=o.source,
                    table_ref="workbook override",
                    url="",
                    licence="supplied by the user",
                    notes="",
                    overridden=True,
                    library_value=o.library_value,
                )
                continue
            base = factors.get(o.id) or supplied_factor(o.id, o.library_unit, o.value_in_library_unit, o.source, year=o.year or 0)
            factors[o.id] = replace(
                base,
                kgco2e_per_unit=o.value_in_library_unit,
                kgco2e_co2=None,
                kgco2e_ch4=None,
                kgco2e_n2o=None,
                gwp_set="as stated by the user",
                year=o.year if o.year is not None else base.year,
                source=o.source,
                table_ref="workbook override",
                url="",
                licence="supplied by the user",
                notes="",
                overridden=True,
                library_value=o.library_value,
            )
        return replace(self, factors=factors, parameters=parameters)

    def overrides(self) -> list[Factor]:
        return [f for f in self.factors.values() if f.overridden]

    def with_gwp(self, gwp_set: str) -> "FactorSet":
        """The set with every factor that keeps its gases recombined with the GWP-100 values of ``gwp_set`` (AR5 or
        AR6, ``gwp-100.toml``); factors without a gas split are kept as published (see :meth:`gas_split`). The same
        set when nothing changes, so applying a set twice is applying it once."""
        changed = {fid: replace(f, **new) for fid, f in self.factors.items() if (new := recombined(f, gwp_set)) is not None}
        return replace(self, factors={**self.factors, **changed}) if changed else self

    def gas_split(self, factor_id: str) -> bool:
        """True when the factor keeps its CO2, CH4 and N2O parts (recomputed for the chosen GWP set), False when it is
        used as published (total CO2e only, CO2 only, or a workbook override)."""
        f = self.factors.get(factor_id)
        return f is not None and has_gas_split(f)


def _require(row: dict[str, str], where: str, columns: tuple[str, ...], why: str) -> None:
    """Refuse a library row with an empty required column, saying why the column is needed."""
    for col in columns:
        if not (row.get(col) or "").strip():
            raise FactorError(f"{where}: column {col} is empty ({why})")


def _float(text: str, where: str, column: str, optional: bool = False) -> float | None:
    text = (text or "").strip()
    if not text:
        if optional:
            return None
        raise FactorError(f"{where}: column {column} is empty")
    try:
        return float(text)
    except ValueError:
        raise FactorError(f"{where}: column {column} is not a number: {text!r}") from None


def _rows(path: Path, columns: tuple[str, ...]) -> Iterable[tuple[str, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != columns:
            raise FactorError(f"{path.name}: header must be {','.join(columns)}; got {','.join(reader.fieldnames or [])}")
        for n, row in enumerate(reader, start=2):
            yield f"{path.name}:{n}", row


def read_factor_file(path: Path) -> list[Factor]:
    """Read one factor CSV, checking that every row is complete and cited."""
    out = []
    for where, row in _rows(path, FACTOR_COLUMNS):
        _require(
            row,
            where,
            ("id", "category", "unit", "region", "year", "source", "url", "licence"),
            "every factor needs a source, year, URL and licence",
        )
        out.append(
            Factor(
                id=row["id"].strip(),
                category=row["category"].strip(),
                activity=row["activity"].strip(),
                unit=row["unit"].strip(),
                kgco2e_per_unit=_float(row["kgco2e_per_unit"], where, "kgco2e_per_unit"),
                kgco2e_co2=_float(row["kgco2e_co2"], where, "kgco2e_co2", True),
                kgco2e_ch4=_float(row["kgco2e_ch4"], where, "kgco2e_ch4", True),
                kgco2e_n2o=_float(row["kgco2e_n2o"], where, "kgco2e_n2o", True),
                gwp_set=row["gwp_set"].strip(),
                region=row["region"].strip(),
                year=int(_float(row["year"], where, "year")),
                source=row["source"].strip(),
                table_ref=row["table_ref"].strip(),
                url=row["url"].strip(),
                licence=row["licence"].strip(),
                notes=row["notes"].strip(),
                file=path.name,
            )
        )
    return out


def read_parameter_file(path: Path) -> list[Parameter]:
    out = []
    for where, row in _rows(path, PARAMETER_COLUMNS):
        _require(row, where, ("id", "value", "unit", "source", "url", "licence"), "every parameter needs a source, URL and licence")
        out.append(
            Parameter(
                id=row["id"].strip(),
                value=_float(row["value"], where, "value"),
                unit=row["unit"].strip(),
                source=row["source"].strip(),
                table_ref=row["table_ref"].strip(),
                url=row["url"].strip(),
                licence=row["licence"].strip(),
                notes=row["notes"].strip(),
                file=path.name,
            )
        )
    return out


def read_target_file(path: Path) -> list[Target]:
    """Read one ``targets*.csv``: each row says which building type and project type a target parameter applies to."""
    out = []
    for where, row in _rows(path, TARGET_COLUMNS):
        _require(
            row,
            where,
            ("parameter_id", "scheme", "target_year", "building_type", "project_type", "lifecycle_modules"),
            "every target says what it applies to",
        )
        building_type, project_type = row["building_type"].strip(), row["project_type"].strip()
        for column, value, enum in (("building_type", building_type, BuildingType), ("project_type", project_type, ProjectType)):
            codes = [e.value for e in enum]
            if value not in codes:
                raise FactorError(f"{where}: {column} {value!r} is not one of {', '.join(codes)}")
        out.append(
            Target(
                parameter_id=row["parameter_id"].strip(),
                scheme=row["scheme"].strip(),
                target_year=int(_float(row["target_year"], where, "target_year")),
                building_type=building_type,
                project_type=project_type,
                lifecycle_modules=row["lifecycle_modules"].strip(),
                notes=row["notes"].strip(),
                file=path.name,
            )
        )
    return out


def load_factors(folder: str | Path | None = None, extra_files: tuple[str, ...] = ()) -> FactorSet:
    """Load the shipped library (and optional imported CSVs in the same columns)."""
    return _load_cached(str(Path(folder) if folder else factors_dir()), tuple(extra_files))


@cache
def _load_cached(folder: str, extra_files: tuple[str, ...]) -> FactorSet:
    path = Path(folder)
    digest = hashlib.sha256()
    factors: dict[str, Factor] = {}
    parameters: dict[str, Parameter] = {}
    targets: list[Target] = []
    files = sorted(path.glob("*.csv")) + [Path(f) for f in extra_files]
    for f in files:
        digest.update(f.name.encode() + f.read_bytes())
        if f.name.startswith("parameters"):
            for p in read_parameter_file(f):
                if p.id in parameters:
                    raise FactorError(f"{f.name}: duplicate parameter id {p.id}")
                parameters[p.id] = p
        elif f.name.startswith("targets"):
            targets += read_target_file(f)
        else:
            for fac in read_factor_file(f):
                if fac.id in factors and f.parent == path:
                    raise FactorError(f"{f.name}: duplicate factor id {fac.id} (also in {factors[fac.id].file})")
                factors[fac.id] = fac
    for t in targets:
        if t.parameter_id not in parameters:
            raise FactorError(f"{t.file}: target {t.parameter_id} names no parameter (its value and source live in parameters*.csv)")
    seen: set[tuple[str, str, str]] = set()
    for t in targets:
        if (t.parameter_id, t.building_type, t.project_type) in seen:
            raise FactorError(f"{t.file}: target {t.parameter_id} is listed twice for {t.building_type} {t.project_type}")
        seen.add((t.parameter_id, t.building_type, t.project_type))
    if (path / GWP_FILE).is_file():  # the GWP-100 sets recombine the factors' gases: part of what the digest names
        digest.update(GWP_FILE.encode() + (path / GWP_FILE).read_bytes())
    version_file = path / FACTORS_VERSION_FILE
    version = version_file.read_text().strip() if version_file.is_file() else "unversioned"
    return FactorSet(factors=factors, parameters=parameters, version=version, digest=digest.hexdigest()[:16], targets=tuple(targets))
