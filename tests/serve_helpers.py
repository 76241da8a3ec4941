"""Workbooks for the page's tests (tests/test_serve.py, tests/test_serve_browser.py): the filled example and a
broken copy with two cell-addressed problems, made with openpyxl (nothing binary is committed)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.template import write_template
from assessment.model.method import load_method
from tests.test_malformed_workbooks import table_addr, table_cell


def example_workbook(folder: Path) -> Path:
    path = folder / "riverside.xlsx"
    write_template(path, load_method(), load_factors(), load_example("riverside-retrofit"))
    return path


def broken_workbook(folder: Path) -> tuple[Path, list[str]]:
    """The example with text in two number cells (first two energy amounts); returns the file and the cells broken."""
    src = example_workbook(folder)
    wb = load_workbook(src)
    cells = []
    for row, text in ((0, "twelve"), (1, "lots")):
        ws, coord = table_cell(wb, "energy_use", "amount", row)
        ws[coord] = text
        cells.append(table_addr(wb, "energy_use", "amount", row))
    path = folder / "broken.xlsx"
    wb.save(path)
    return path, cells
