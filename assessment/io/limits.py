"""Limits that keep a hostile or broken input from exhausting the machine.

Each has a documented default (docs/security.md) and can be raised for big real
cases with ``nzn validate/assess --max-...`` flags.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    #: Largest input file accepted [bytes].
    max_file_bytes: int = 50 * 1024 * 1024
    #: Largest total uncompressed size of an .xlsx archive [bytes] (zip-bomb guard).
    max_uncompressed_bytes: int = 500 * 1024 * 1024
    #: Largest number of data rows in one table.
    max_table_rows: int = 200_000
    #: Longest text accepted in one cell or JSON string [characters].
    max_text_chars: int = 10_000
    #: Deepest nesting accepted in JSON/YAML input.
    max_json_depth: int = 20


DEFAULT_LIMITS = Limits()
