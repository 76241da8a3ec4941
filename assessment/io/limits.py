"""Limits that keep a hostile or broken input from exhausting the machine.

Each has a documented default (docs/security.md) and can be raised for big real
cases with ``nzn validate/assess --max-...`` flags.

The bounds on a workbook's sheets are checked on the sheet XML before the cell
reader (python-calamine) sees it: the reader allocates a sheet's whole grid, from
cell A1 to the last used row and column (32 bytes a cell), and one string per
shared-string reference.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Rows a sheet may use beyond ``max_table_rows``: titles, headers and the small tables above or below a big one.
SHEET_ROW_MARGIN = 1_000
#: Columns a sheet may use (the template's widest sheet uses 27, A:AA).
MAX_SHEET_COLUMNS = 200
#: A sheet's used range may hold ``max_sheet_rows`` times this many cells (about 320 MB in the reader's grid by default).
SHEET_AREA_COLUMNS = 50
#: The text that the shared-string references of all sheets expand to may be at most
#: ``max_uncompressed_bytes`` divided by this, in characters (100 million by default).
SHARED_TEXT_DIVISOR = 5


@dataclass(frozen=True)
class Limits:
    #: Largest input file accepted [bytes]: 50 MB, as ``--max-file-mb`` (decimal megabytes) shows and docs/security.md says.
    max_file_bytes: int = 50_000_000
    #: Largest total uncompressed size of an .xlsx archive [bytes] (zip-bomb guard): 500 MB.
    max_uncompressed_bytes: int = 500_000_000
    #: Largest number of data rows in one table.
    max_table_rows: int = 200_000
    #: Longest text accepted in one cell or JSON string [characters].
    max_text_chars: int = 10_000
    #: Deepest nesting accepted in JSON/YAML input.
    max_json_depth: int = 20
    #: Columns one sheet of a workbook may use (A to GR by default).
    max_sheet_columns: int = MAX_SHEET_COLUMNS

    @property
    def max_sheet_rows(self) -> int:
        """Rows one sheet may use: the table limit plus a margin for titles, headers and small tables."""
        return self.max_table_rows + SHEET_ROW_MARGIN

    @property
    def max_sheet_cells(self) -> int:
        """Cells one sheet's used range (rows x columns from A1) may hold."""
        return self.max_sheet_rows * SHEET_AREA_COLUMNS

    @property
    def max_shared_text_chars(self) -> int:
        """Characters the shared-string references of a workbook's sheets may expand to."""
        return self.max_uncompressed_bytes // SHARED_TEXT_DIVISOR


DEFAULT_LIMITS = Limits()
