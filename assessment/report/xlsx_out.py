"""The results workbook (``nzn assess --xlsx``): the key tables of the result, as data.

Text that begins with = + - @ is stored as text, never as a formula (Excel
formula injection: a neighbourhood named ``=HYPERLINK(...)`` stays a name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from assessment.i18n import _
from assessment.io.atomic import atomic_path
from assessment.model.results import AssessmentResult

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = PatternFill("solid", fgColor="1F4E5A")


def safe_cell(ws, row: int, col: int, value: Any) -> None:
    """Write a value; strings are always stored as text, even when they look like formulas."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value


#: Characters Excel refuses in a sheet name (the bilingual edition joins two names with " / ").
SHEET_NAME_FORBIDDEN = str.maketrans({c: "·" for c in "\\/?*[]:"})


def sheet_title(text: str) -> str:
    """A valid sheet name: no forbidden character, at most 31 characters (Excel's limits)."""
    return text.translate(SHEET_NAME_FORBIDDEN)[:31]


def _sheet(wb: Workbook, title: str, headers: list[str], rows: Iterable[list[Any]]) -> None:
    ws = wb.create_sheet(sheet_title(title))
    for j, h in enumerate(headers, start=1):
        safe_cell(ws, 1, j, h)
        ws.cell(row=1, column=j).font = Font(bold=True, color="FFFFFF")
        ws.cell(row=1, column=j).fill = HEADER
    for i, row in enumerate(rows, start=2):
        for j, v in enumerate(row, start=1):
            safe_cell(ws, i, j, v)
    ws.freeze_panes = "A2"
    for j, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = max(12, min(60, len(h) + 6))


def write_results_xlsx(result: AssessmentResult, target: str | Path) -> None:
    e = result.emissions
    wb = Workbook()
    wb.remove(wb.active)
    p = result.profile
    _sheet(
        wb,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Neighbourhood"), p.name],
            [_("City"), p.city],
            [_("Reporting year"), p.reporting_year],
            [_("Population"), p.population],
            [_("Overall score"), result.overall.score],
            [_("Rating"), result.overall.rating_name],
            [_("Green pillar (emissions)"), result.pillars["green"].score if result.pillars["green"].score is not None else _("not rated")],
            *(
                [[_("Why the Green pillar is not rated"), result.pillars["green"].not_rated_reason]]
                if result.pillars["green"].not_rated_reason
                else []
            ),
            [_("Thriving pillar"), result.pillars["thriving"].score],
            [_("Gross tCO2e/yr"), e.gross_tco2e_per_year],
            [_("Removals tCO2e/yr"), e.removals_tco2e_per_year],
            [_("Net tCO2e/yr"), e.net_tco2e_per_year],
            [_("Offsets tCO2e/yr"), e.offsets_tco2e_per_year],
            [_("Per resident tCO2e/yr"), e.per_capita_tco2e_per_year],
            [_("Input file"), result.input.file_name],
            ["SHA-256", result.input.sha256],
            [_("Method"), f"{result.method.method_id} {result.method.version}"],
            [_("Factor library"), result.factors_version],
            [_("GWP set"), e.gwp_set],
            [_("Share of gross on proxy factors %"), e.proxy_share_pct],
            [_("Toolkit"), result.toolkit_version],
        ],
    )
    _sheet(
        wb,
        _("Modules"),
        [_("Module"), _("Name"), _("Score"), _("Coverage %"), _("Provisional")],
        [[m.id, m.name, m.score, m.coverage, m.provisional] for m in result.modules],
    )
    _sheet(
        wb,
        _("Indicators"),
        [_("Module"), _("Indicator"), _("Name"), _("Value"), _("Unit"), _("Points"), _("Source cell")],
        [[m.id, i.id, i.name, i.value, i.unit, i.points, i.source_ref] for m in result.modules for i in m.indicators],
    )
    _sheet(
        wb,
        _("Actions"),
        [_("Module"), _("Action"), _("Text"), _("Status"), _("Points")],
        [[m.id, a.id, a.text, a.status, a.points] for m in result.modules for a in m.actions],
    )
    _sheet(
        wb,
        _("Line items"),
        [
            _("Category"),
            _("Subcategory"),
            _("Scope"),
            _("Description"),
            _("Activity"),
            _("Unit"),
            _("Factor"),
            _("kgCO2e per unit"),
            _("tCO2e/yr"),
            _("Upfront tCO2e"),
            _("Module"),
            _("Source cell"),
            _("Data quality"),
            _("Factor region"),
            _("Proxy"),
        ],
        [
            [
                li.category,
                li.subcategory,
                li.scope,
                li.description,
                li.activity_amount,
                li.activity_unit,
                li.factor_id,
                li.factor_kgco2e_per_unit,
                li.tco2e_per_year,
                li.upfront_tco2e,
                li.lifecycle_module,
                li.source_ref,
                li.data_quality,
                li.factor_region,
                li.proxy,
            ]
            for li in e.line_items
        ],
    )
    _sheet(
        wb,
        _("Factors"),
        [
            _("Factor"),
            _("Value"),
            _("Unit"),
            _("Region"),
            _("Year"),
            _("Source"),
            _("Licence"),
            _("Overridden"),
            _("GWP set"),
            _("Gas split"),
            _("Proxy"),
        ],
        [
            [f.id, f.kgco2e_per_unit, f.unit, f.region, f.year, f.source, f.licence, f.overridden, f.gwp_set, f.gas_split, f.proxy]
            for f in e.factors_used
        ],
    )
    if result.projection is not None:
        bau = result.projection.bau
        _sheet(
            wb,
            _("Pathways"),
            [_("Year"), _("Business as usual, net tCO2e"), *[f"{sc.name}, {_('net tCO2e')}" for sc in result.scenarios]],
            [[b.year, b.net_tco2e, *[sc.years[i].net_tco2e for sc in result.scenarios]] for i, b in enumerate(bau)],
        )
        _sheet(
            wb,
            _("Measures"),
            [
                _("Scenario"),
                _("Order"),
                _("Measure"),
                _("Lever"),
                _("Size"),
                _("Unit"),
                _("Start year"),
                _("Full-effect year"),
                _("Abated in the target year, tCO2e"),
                _("Cumulative abatement, tCO2e"),
                _("Annualised cost"),
                _("Cost per tCO2e"),
                _("Source cell"),
            ],
            [
                [
                    sc.name,
                    m.order,
                    m.id,
                    m.lever,
                    m.size,
                    m.size_unit,
                    m.start_year,
                    m.full_effect_year,
                    m.abatement_tco2e_at_target,
                    m.cumulative_abatement_tco2e,
                    m.annualised_cost,
                    m.cost_per_tco2e,
                    m.source_ref,
                ]
                for sc in result.scenarios
                for m in sc.measures
            ],
        )
    with atomic_path(target) as tmp:
        wb.save(tmp)
