"""Write the input workbook, generated from the input model and the method.

Every sheet, header, help text, drop-down and range check comes from
:mod:`assessment.model.inputs` (field titles, descriptions, units, bounds and
enumerations) and from modules/*.toml (the module sheets). Scalars are workbook
defined names equal to their field names; tables are Excel tables named after
their field. With an example input the same workbook is written filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from pydantic import BaseModel

from assessment import __version__
from assessment.i18n import N_, _, get_language, language
from assessment.io.atomic import atomic_path
from assessment.io.fields import base_type, field_unit, header_text, ordered_fields
from assessment.model.enums import CodeEnum
from assessment.model.inputs import (
    SCALAR_SECTIONS,
    TEMPLATE_VERSION,
    ModuleActionStatus,
    ModuleIndicatorValue,
    NeighbourhoodInput,
    table_fields,
)
from assessment.model.method import Method


class MaterialCatalogue(Protocol):
    """What the template needs of the factor library: the material codes for the Construction drop-down."""

    def material_codes(self) -> list[str]: ...


HEADER_FILL = PatternFill("solid", fgColor="1F4E5A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFF4CC")
INFO_FILL = PatternFill("solid", fgColor="EEEEEE")
TITLE_FONT = Font(bold=True, size=14, color="1F4E5A")
THIN = Side(style="thin", color="BBBBBB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
FIRST_ROW = 5  # header row of tables and scalar blocks
BLANK_ROWS = {"construction_materials": 200, "energy_use": 60, "transport_activity": 30}
DEFAULT_BLANK_ROWS = 20
DV_ROWS = 5000  # data validation reaches this far below the header so grown tables keep it

SHEET_TITLES = {
    "Profile": N_("Profile: who, where, how big, and the targets"),
    "Energy": N_("Energy: operational energy, on-site renewables and green purchases"),
    "Transport": N_("Transport: travel by mode, and residents' mode shares"),
    "Waste": N_("Waste: tonnes by stream and treatment"),
    "Construction": N_("Construction: projects in the reporting period"),
    "Materials": N_("Materials: bill of materials of each construction project"),
    "Consumption": N_("Consumption: diets, goods, services and flights of residents"),
    "Nature": N_("Nature: trees, green and blue space, removals and offsets"),
    "Factors": N_("Factors: emission factors that replace library values"),
    "Scenario": N_("Scenario: measures of each named scenario, and business-as-usual assumptions"),
}


def _sheet_order(method: Method) -> list[str]:
    return [
        "Profile",
        "Energy",
        "Transport",
        "Waste",
        "Construction",
        "Materials",
        "Consumption",
        "Nature",
        *[m.sheet_name for m in method.modules],
        "Scenario",
        "Factors",
    ]


class TemplateWriter:
    def __init__(self, method: Method, factors: MaterialCatalogue, example: NeighbourhoodInput | None = None):
        self.method, self.factors, self.example = method, factors, example
        self.wb = Workbook()
        self.lists: dict[str, str] = {}  # list key -> defined name of its range
        self._lists_ws = None

    # ------------------------------------------------------------------ lists sheet
    def _list_name(self, key: str, values: list[str]) -> str:
        if key in self.lists:
            return self.lists[key]
        ws = self._lists_ws
        col = len(self.lists) + 1
        ws.cell(row=1, column=col, value=key).font = Font(bold=True)
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=v)
        letter = get_column_letter(col)
        name = f"list_{key}"
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}")
        ws.column_dimensions[letter].width = max(12, min(50, max(len(str(v)) for v in values) + 2))
        self.lists[key] = name
        return name

    def _choices(self, annotation: Any, fname: str) -> tuple[str, list[str]] | None:
        target = base_type(annotation)
        if isinstance(target, type) and issubclass(target, CodeEnum):
            return target.__name__, [_(m.label) for m in target]
        if target is bool:
            return "boolean", ["TRUE", "FALSE"]
        if fname == "material":
            return "material", self.factors.material_codes()
        if fname == "lever":
            return "lever", [lv.id for lv in self.method.levers.levers]
        return None

    def _cell_display(self, value: Any) -> Any:
        if isinstance(value, CodeEnum):
            return _(value.label)
        return value

    # ------------------------------------------------------------------ validation
    def _validate(self, ws, model: type[BaseModel], fname: str, ref: str) -> None:
        finfo = model.model_fields[fname]
        choices = self._choices(finfo.annotation, fname)
        if choices:
            key, values = choices
            dv = DataValidation(type="list", formula1=f"={self._list_name(key, values)}", allow_blank=True)
            dv.error, dv.errorTitle = _("Choose a value from the list."), _("Not in the list")
        else:
            target = base_type(finfo.annotation)
            if target not in (int, float):
                return
            lo = hi = None
            for meta in finfo.metadata:
                lo = (
                    getattr(meta, "ge", None)
                    if getattr(meta, "ge", None) is not None
                    else (getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lo)
                )
                hi = (
                    getattr(meta, "le", None)
                    if getattr(meta, "le", None) is not None
                    else (getattr(meta, "lt", None) if getattr(meta, "lt", None) is not None else hi)
                )
            kind = "whole" if target is int else "decimal"
            if lo is not None and hi is not None:
                dv = DataValidation(type=kind, operator="between", formula1=str(lo), formula2=str(hi), allow_blank=True)
            elif lo is not None:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(lo), allow_blank=True)
            else:
                return
            dv.error = _("Enter a number between {low} and {high}.").format(low=lo, high=hi if hi is not None else "∞")
            dv.errorTitle = _("Out of range")
        dv.showErrorMessage = True
        dv.add(ref)
        ws.add_data_validation(dv)

    # ------------------------------------------------------------------ sheets
    def _title(self, ws, title: str, intro: str | None = None) -> None:
        ws["A1"] = title
        ws["A1"].font = TITLE_FONT
        if intro:
            ws["A2"] = intro
            ws["A2"].alignment = Alignment(wrap_text=False)

    def _scalars(self, ws, attr: str, model: type[BaseModel], col: int = 1) -> int:
        heads = [_("Field"), _("Value"), _("Unit"), _("Help")]
        for j, h in enumerate(heads):
            c = ws.cell(row=FIRST_ROW - 1, column=col + j, value=h)
            c.fill, c.font = HEADER_FILL, HEADER_FONT
        values = getattr(self.example, attr) if self.example is not None else None
        row = FIRST_ROW
        for fname, finfo in model.model_fields.items():
            label = _(finfo.title or fname) + (" *" if finfo.is_required() else "")
            ws.cell(row=row, column=col, value=label).fill = INFO_FILL
            value_cell = ws.cell(row=row, column=col + 1)
            value_cell.fill, value_cell.border = INPUT_FILL, BOX
            if values is not None:
                value_cell.value = self._cell_display(getattr(values, fname))
            ws.cell(row=row, column=col + 2, value=field_unit(model, fname) or "").fill = INFO_FILL
            help_cell = ws.cell(row=row, column=col + 3, value=_(finfo.description or ""))
            help_cell.fill, help_cell.alignment = INFO_FILL, Alignment(wrap_text=True, vertical="top")
            ref = f"{get_column_letter(col + 1)}{row}"
            self.wb.defined_names[fname] = DefinedName(fname, attr_text=f"{quote_sheetname(ws.title)}!${get_column_letter(col + 1)}${row}")
            self._validate(ws, model, fname, ref)
            row += 1
        ws.column_dimensions[get_column_letter(col)].width = 30
        ws.column_dimensions[get_column_letter(col + 1)].width = 28
        ws.column_dimensions[get_column_letter(col + 2)].width = 12
        ws.column_dimensions[get_column_letter(col + 3)].width = 70
        return row

    def _table(
        self,
        ws,
        name: str,
        model: type[BaseModel],
        rows: list[dict[str, Any]],
        col: int,
        top: int,
        title: str,
        columns: list[tuple[str, str | None]],
    ) -> int:
        """Write one Excel table. ``columns`` is [(header, field or None for info)]; returns next free column."""
        ws.cell(row=top - 1, column=col, value=title).font = Font(bold=True, color="1F4E5A")
        for j, (head, fname) in enumerate(columns):
            c = ws.cell(row=top, column=col + j, value=head)
            c.fill, c.font, c.alignment = HEADER_FILL, HEADER_FONT, Alignment(wrap_text=True, vertical="center")
            if fname:
                c.comment = Comment(_(model.model_fields[fname].description or ""), "nzn")
            width = max(12, min(40, len(head) + 4))
            ws.column_dimensions[get_column_letter(col + j)].width = width
        n = max(len(rows), BLANK_ROWS.get(name, DEFAULT_BLANK_ROWS))
        for i in range(n):
            data = rows[i] if i < len(rows) else {}
            for j, (head, fname) in enumerate(columns):
                c = ws.cell(row=top + 1 + i, column=col + j)
                key = fname or head
                if key in data and data[key] is not None:
                    c.value = self._cell_display(data[key])
                c.fill = INPUT_FILL if fname else INFO_FILL
        ref = f"{get_column_letter(col)}{top}:{get_column_letter(col + len(columns) - 1)}{top + n}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)
        ws.add_table(table)
        for j, (_head, fname) in enumerate(columns):
            if fname:
                letter = get_column_letter(col + j)
                self._validate(ws, model, fname, f"{letter}{top + 1}:{letter}{top + DV_ROWS}")
        return col + len(columns) + 1

    def _model_columns(self, model: type[BaseModel]) -> list[tuple[str, str | None]]:
        return [(header_text(model, f), f) for f in ordered_fields(model)]

    def _rows_of(self, field: str) -> list[dict[str, Any]]:
        if self.example is None:
            return []
        return [{k: getattr(r, k) for k in type(r).model_fields} for r in getattr(self.example, field)]

    def _readme(self, ws) -> None:
        self._title(ws, _("Net-zero neighbourhood assessment: input workbook"))
        lines = [
            _(
                "Purpose: describe one neighbourhood in one reporting year; `nzn assess` turns this workbook into a scorecard (Green and "
                "Thriving Neighbourhoods method)."
            ),
            _("How to fill: type into the yellow cells only. Grey cells are labels and help. Choose listed values from the drop-downs."),
            _("Blank means 'not reported' and shows as a data gap; it is never read as zero. Type 0 only when the amount really is zero."),
            _(
                "Units: every header states its unit in brackets. Percentages are numbers from 0 to 100 (35 means 35 %). Energy can be "
                "given in kWh, MWh, GJ, therms, m3, litres or tonnes, as the carrier allows."
            ),
            _(
                "Tables: add rows inside each table (Excel grows a table when you type in the row just below it; otherwise use Table "
                "Design > Resize Table). Do not rename sheets, tables, headers or defined names."
            ),
            _("Data quality: each row has a flag (measured, calculated, estimated, default) that feeds the report's data-quality page."),
            _("Check your work with `nzn validate FILE`; every problem is reported with its sheet and cell."),
            _("Template version {version}; generated by nzn {tool}.").format(version=TEMPLATE_VERSION, tool=__version__),
        ]
        for i, text in enumerate(lines, start=3):
            ws.cell(row=i, column=1, value=text).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 120
        r = len(lines) + 4
        ws.cell(row=r, column=1, value=_("Template version")).font = Font(bold=True)
        ws.cell(row=r, column=2, value=TEMPLATE_VERSION)
        self.wb.defined_names["template_version"] = DefinedName("template_version", attr_text=f"{quote_sheetname(ws.title)}!$B${r}")
        ws.cell(row=r + 1, column=1, value=_("Template language")).font = Font(bold=True)

        ws.cell(row=r + 1, column=2, value=get_language())
        self.wb.defined_names["template_language"] = DefinedName("template_language", attr_text=f"{quote_sheetname(ws.title)}!$B${r + 1}")
        ws.column_dimensions["B"].width = 12

    def _module_sheet(self, ws, module) -> None:
        self._title(ws, f"{module.id.upper()} {module.name.get()}", module.key_concept.get())
        ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells("A2:H2")  # the key-concept paragraph only; no input cell is merged
        ws.row_dimensions[2].height = 75
        computed = [i for i in module.indicators if not i.reported]
        if computed:
            ws["A3"] = _("Computed from the other sheets: {names}").format(names="; ".join(i.name.get() for i in computed))
        values = {r.indicator_id: r for r in (self.example.module_indicators if self.example else [])}
        statuses = {r.action_id: r for r in (self.example.module_actions if self.example else [])}
        ind_rows = []
        for ind in module.indicators:
            if not ind.reported:
                continue
            v = values.get(ind.id)
            ind_rows.append(
                {
                    "indicator_id": ind.id,
                    N_("Indicator"): ind.name.get(),
                    N_("Indicator unit"): ind.unit,
                    N_("How to measure"): ind.help.get() if ind.help else "",
                    "value": v.value if v else None,
                    "data_quality": v.data_quality if v else None,
                    "notes": v.notes if v else None,
                }
            )
        ind_cols = [
            (header_text(ModuleIndicatorValue, "indicator_id"), "indicator_id"),
            (_("Indicator"), None),
            (_("Indicator unit"), None),
            (_("How to measure"), None),
            (header_text(ModuleIndicatorValue, "value"), "value"),
            (header_text(ModuleIndicatorValue, "data_quality"), "data_quality"),
            (header_text(ModuleIndicatorValue, "notes"), "notes"),
        ]
        ind_rows = [
            {(_(k) if k in (N_("Indicator"), N_("Indicator unit"), N_("How to measure")) else k): v for k, v in r.items()} for r in ind_rows
        ]
        top = 6
        if ind_rows:
            self._table_fixed(ws, f"{module.id}_indicators", ModuleIndicatorValue, ind_rows, 1, top, _("Indicators to report"), ind_cols)
            top += len(ind_rows) + 4
        act_rows = []
        for act in module.actions:
            s = statuses.get(act.id)
            act_rows.append(
                {
                    "action_id": act.id,
                    _("Strategy"): act.strategy.get(),
                    _("Action"): act.text.get(),
                    "status": s.status if s else None,
                    "data_quality": s.data_quality if s else None,
                    "notes": s.notes if s else None,
                }
            )
        act_cols = [
            (header_text(ModuleActionStatus, "action_id"), "action_id"),
            (_("Strategy"), None),
            (_("Action"), None),
            (header_text(ModuleActionStatus, "status"), "status"),
            (header_text(ModuleActionStatus, "data_quality"), "data_quality"),
            (header_text(ModuleActionStatus, "notes"), "notes"),
        ]
        self._table_fixed(ws, f"{module.id}_actions", ModuleActionStatus, act_rows, 1, top, _("Strategies and actions"), act_cols)
        for letter, width in zip("ABCDEFG", (12, 40, 40, 45, 16, 22, 30)):
            ws.column_dimensions[letter].width = width

    def _table_fixed(self, ws, name, model, rows, col, top, title, columns) -> None:
        """A table whose rows are fixed by the method (one per indicator or action)."""
        ws.cell(row=top - 1, column=col, value=title).font = Font(bold=True, color="1F4E5A")
        for j, (head, _fname) in enumerate(columns):
            c = ws.cell(row=top, column=col + j, value=head)
            c.fill, c.font, c.alignment = HEADER_FILL, HEADER_FONT, Alignment(wrap_text=True, vertical="center")
        for i, data in enumerate(rows):
            for j, (head, fname) in enumerate(columns):
                c = ws.cell(row=top + 1 + i, column=col + j, value=self._cell_display(data.get(fname or head)))
                editable = fname in ("value", "status", "data_quality", "notes")
                c.fill = INPUT_FILL if editable else INFO_FILL
                c.alignment = WRAP
        ref = f"{get_column_letter(col)}{top}:{get_column_letter(col + len(columns) - 1)}{top + len(rows)}"
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=False)
        ws.add_table(table)
        for j, (_head, fname) in enumerate(columns):
            if fname in ("value", "status", "data_quality"):
                letter = get_column_letter(col + j)
                self._validate(ws, model, fname, f"{letter}{top + 1}:{letter}{top + len(rows)}")

    def _lever_list(self, ws, top: int) -> None:
        """Read-only reference under the scalar block: what each lever's columns mean (from modules/levers.toml)."""
        ws.cell(row=top, column=1, value=_("Levers (see docs/methodology.md for what each one changes)")).font = Font(
            bold=True, color="1F4E5A"
        )
        heads = [_("Lever"), _("Family"), _("Size"), _("Performance"), _("Applies to / Switch to")]
        for j, h in enumerate(heads):
            c = ws.cell(row=top + 1, column=1 + j, value=h)
            c.fill, c.font = HEADER_FILL, HEADER_FONT
        cat = self.method.levers
        for i, lv in enumerate(cat.levers, start=top + 2):
            perf = f"{lv.performance.meaning.get()} ({lv.performance.unit})" if lv.performance else ""
            codes = " / ".join(x for x in (lv.applies_to, lv.switch_to) if x)
            values = [
                f"{lv.id}: {lv.name.get()}",
                cat.family_names[lv.family].get(),
                f"{lv.size.meaning.get()} ({lv.size.unit})",
                perf,
                codes,
            ]
            for j, v in enumerate(values):
                c = ws.cell(row=i, column=1 + j, value=v)
                c.fill, c.alignment = INFO_FILL, WRAP

    # ------------------------------------------------------------------ whole workbook
    def build(self) -> Workbook:
        wb = self.wb
        readme = wb.active
        readme.title = "README"
        self._readme(readme)
        sheets = {name: wb.create_sheet(name) for name in _sheet_order(self.method)}
        modules = {m.sheet_name: m for m in self.method.modules}
        self._lists_ws = wb.create_sheet("Lists")
        for name, title in SHEET_TITLES.items():
            self._title(sheets[name], _(title))
        scalar_end = {sheet: self._scalars(sheets[sheet], attr, model) for attr, model, sheet in SCALAR_SECTIONS}
        self._lever_list(sheets["Scenario"], scalar_end["Scenario"] + 2)
        placed: dict[str, int] = {}
        for name, (model, sheet) in table_fields().items():
            ws = sheets[sheet]
            # tables sit to the right of a sheet's scalar block
            start_col = placed.get(sheet, 6 if sheet in scalar_end and sheet != "Profile" else 1)
            placed[sheet] = self._table(
                ws,
                name,
                model,
                self._rows_of(name),
                start_col,
                FIRST_ROW,
                _(NeighbourhoodInput.model_fields[name].title or name),
                self._model_columns(model),
            )
        for sheet_name, module in modules.items():
            self._module_sheet(sheets[sheet_name], module)
        for ws in wb.worksheets:
            if ws.title not in ("README", "Lists"):
                ws.freeze_panes = "A7" if ws.title in modules else f"A{FIRST_ROW + 1}"
        self._lists_ws.sheet_state = "hidden"
        return wb


def write_template(
    path: str | Path, method: Method, factors: MaterialCatalogue, example: NeighbourhoodInput | None = None, lang: str = "en"
) -> None:
    """Write the (optionally filled) input workbook to ``path`` atomically."""
    with language(lang):
        wb = TemplateWriter(method, factors, example).build()
        with atomic_path(path) as tmp:
            wb.save(tmp)
