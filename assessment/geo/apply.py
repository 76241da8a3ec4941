"""Put measured values where the assessment reads them: into a validated input (``nzn assess --osm``) or into a copy
of the input workbook (``nzn measure --into``).

A value the user typed is kept unless ``overwrite``; a measured value is written with data quality
``measured`` and the measurement's source note (extract, its date, toolkit version). The input file is never
modified: the workbook copy is written to a new file, atomically.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from assessment.i18n import _, language
from assessment.io.atomic import atomic_path
from assessment.io.fields import header_index, norm_header
from assessment.io.load import LoadedInput
from assessment.model.access import AccessMeasurement, FilledIndicator
from assessment.model.enums import DataQuality
from assessment.model.inputs import TEXT_MAX, ModuleIndicatorValue


@dataclass(frozen=True)
class MeasuredInput(LoadedInput):
    """A loaded input with measured indicator values filled in; ``where`` names the extract for those values."""

    measured_refs: dict[tuple, str] = field(default_factory=dict, repr=False)

    def where(self, loc: tuple) -> str:
        if len(loc) >= 2 and loc[:2] in self.measured_refs:
            return self.measured_refs[loc[:2]]
        return super().where(loc)


def _to_fill(measurement: AccessMeasurement) -> list[tuple[str, float]]:
    return [(m.indicator, m.value) for m in measurement.measures if m.indicator and m.value is not None]


def _decide(previous: float | None, overwrite: bool) -> str:
    if previous is None:
        return "filled"
    return "overwritten" if overwrite else "kept_reported"


def apply_to_input(loaded: LoadedInput, measurement: AccessMeasurement, overwrite: bool = False) -> tuple[LoadedInput, AccessMeasurement]:
    """The input with each measured indicator filled (blank ones, or all with ``overwrite``), and the measurement
    listing what was done with each."""
    rows = list(loaded.model.module_indicators)
    at = {r.indicator_id: i for i, r in enumerate(rows)}
    note = measurement.source_note[:TEXT_MAX]
    done: list[FilledIndicator] = []
    refs: dict[tuple, str] = {}
    for indicator, value in _to_fill(measurement):
        i = at.get(indicator)
        previous = rows[i].value if i is not None else None
        action = _decide(previous, overwrite)
        done.append(FilledIndicator(indicator=indicator, value=value, action=action, previous=previous))
        if action == "kept_reported":
            continue
        row = ModuleIndicatorValue(indicator_id=indicator, value=value, data_quality=DataQuality.measured, notes=note)
        if i is None:
            rows.append(row)
            i = len(rows) - 1
        else:
            rows[i] = row
        refs[("module_indicators", i)] = f"{measurement.extract.file_name} (measured)"
    model = loaded.model.model_copy(update={"module_indicators": rows})
    base = {f.name: getattr(loaded, f.name) for f in fields(LoadedInput)}
    base["model"] = model
    return MeasuredInput(**base, measured_refs=refs), measurement.model_copy(update={"filled": done})


def _workbook_language(wb) -> str:
    dn = wb.defined_names.get("template_language")
    if dn is not None:
        for sheet, ref in dn.destinations:
            value = wb[sheet][ref.replace("$", "")].value
            if value in ("en", "zh"):
                return value
    return "en"


def write_measured_workbook(
    source: Path, target: Path, measurement: AccessMeasurement, method, overwrite: bool = False, boundary_wkt: str | None = None
) -> AccessMeasurement:
    """Copy the workbook ``source`` to ``target`` with each measured indicator cell filled; ``boundary_wkt`` goes into a blank
    Profile boundary cell (template 1.3 and later). Returns the measurement listing what was done with each indicator."""
    from openpyxl import load_workbook  # start-up: openpyxl loads only when a workbook is written

    wb = load_workbook(source)
    lang = _workbook_language(wb)
    index = header_index(ModuleIndicatorValue)
    note = measurement.source_note[:TEXT_MAX]
    with language(lang):
        quality = _(DataQuality.measured.label)
    modules = {m.id: m for m in method.modules}
    done: list[FilledIndicator] = []
    for indicator, value in _to_fill(measurement):
        module = modules[indicator[:3]]
        ws, table = _table(wb, module.sheet_name, f"{module.id}_indicators")
        if table is None:
            continue
        (c0, r0), (c1, r1) = _bounds(table.ref)
        cols = {index.get(norm_header(str(ws.cell(row=r0, column=c).value or ""))): c for c in range(c0, c1 + 1)}
        row = next(
            (r for r in range(r0 + 1, r1 + 1) if str(ws.cell(row=r, column=cols["indicator_id"]).value or "").strip() == indicator), None
        )
        if row is None:
            continue
        cell = ws.cell(row=row, column=cols["value"])
        previous = cell.value if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) else None
        typed = cell.value not in (None, "") and previous is None  # text in a number cell: the user's, never replaced silently
        action = "kept_reported" if typed and not overwrite else _decide(previous, overwrite)
        done.append(FilledIndicator(indicator=indicator, value=value, action=action, previous=previous))
        if action == "kept_reported":
            continue
        cell.value = value
        if "data_quality" in cols:
            ws.cell(row=row, column=cols["data_quality"]).value = quality
        if "notes" in cols:
            ws.cell(row=row, column=cols["notes"]).value = note
    if boundary_wkt is not None:
        dn = wb.defined_names.get("boundary_wkt")
        if dn is not None:
            for sheet, ref in dn.destinations:
                c = wb[sheet][ref.replace("$", "")]
                if c.value in (None, ""):
                    c.value = boundary_wkt
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return measurement.model_copy(update={"filled": done})


def _table(wb, sheet: str, name: str):
    if sheet not in wb.sheetnames:
        return None, None
    ws = wb[sheet]
    return ws, ws.tables.get(name)


def _bounds(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    c0, r0, c1, r1 = range_boundaries(ref)
    return (c0, r0), (c1, r1)
