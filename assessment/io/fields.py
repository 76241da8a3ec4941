"""Field-level helpers shared by the readers and the template writer.

* header text of a column, and the map from any accepted header spelling back
  to the field (English or Chinese label, with or without the unit, or the
  snake_case field name itself);
* normalisation of a raw cell value to the field's type, with a clear problem
  (code, message template, parameters) when it cannot be done. Error cells are
  never coerced: a date in a number cell is an error, not a serial number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
import typing
import unicodedata
from functools import cache
from typing import Any

from pydantic import BaseModel

from assessment.i18n import N_, _, language
from assessment.io.limits import Limits
from assessment.model.enums import CodeEnum

#: The languages a workbook can be written in (labels of either are read back).
WORKBOOK_LANGUAGES = ("en", "zh")

#: Columns the template adds for the reader's information only (ignored on reading).
INFO_COLUMNS = (N_("Module"), N_("Indicator"), N_("Indicator unit"), N_("Target"), N_("How to measure"), N_("Strategy"), N_("Action"))

Problem = tuple[str, str, dict[str, Any]]


def base_type(annotation: Any) -> Any:
    """``float | None`` -> ``float``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


#: Columns every table row shares, shown after the row's own columns.
TRAILING_FIELDS = ("data_quality", "notes")


def ordered_fields(model: type[BaseModel]) -> list[str]:
    """Field names in display order: the row's own fields, then data quality and notes."""
    names = list(model.model_fields)
    return [n for n in names if n not in TRAILING_FIELDS] + [n for n in TRAILING_FIELDS if n in names]


def norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\[.*?\]|\(.*?\)|（.*?）", "", str(text))).strip().casefold()


def field_unit(model: type[BaseModel], fname: str) -> str | None:
    extra = model.model_fields[fname].json_schema_extra or {}
    return extra.get("unit") if isinstance(extra, dict) else None


def header_text(model: type[BaseModel], fname: str) -> str:
    """Column header in the active language: ``Title [unit]``."""
    title = _(model.model_fields[fname].title or fname)
    unit = field_unit(model, fname)
    return f"{title} [{unit}]" if unit else title


@cache
def header_index(model: type[BaseModel]) -> dict[str, str]:
    """Every accepted spelling of a header (normalised) -> field name ('' = info column)."""
    index: dict[str, str] = {}
    for lang in WORKBOOK_LANGUAGES:
        with language(lang):
            for info in INFO_COLUMNS:
                index[norm_header(_(info))] = ""
            for fname, finfo in model.model_fields.items():
                index[norm_header(_(finfo.title or fname))] = fname
    for fname in model.model_fields:
        index[norm_header(fname)] = fname
    return index


@cache
def enum_lookup(enum: type[CodeEnum]) -> dict[str, CodeEnum]:
    """Normalised code or label (any language) -> member."""
    out: dict[str, CodeEnum] = {}
    for member in enum:
        out[_enum_key(member.value)] = member
        for lang in WORKBOOK_LANGUAGES:
            with language(lang):
                out[_enum_key(_(member.label))] = member
    return out


def _enum_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", str(text)).strip().casefold())


def normalise_enum(value: Any, enum: type[CodeEnum]) -> tuple[Any, Problem | None]:
    if isinstance(value, enum):
        return value, None
    key = _enum_key(str(value))
    lookup = enum_lookup(enum)
    if key in lookup:
        return lookup[key].value, None
    codes = [m.value for m in enum]
    guess = difflib.get_close_matches(key, [_enum_key(c) for c in codes], n=1, cutoff=0.6)
    suggestion = next((c for c in codes if _enum_key(c) == guess[0]), None) if guess else None
    shown = _shorten(str(value))
    if suggestion:
        return None, (
            "unknown-choice",
            N_("'{value}' is not one of the allowed choices; did you mean '{suggestion}'?"),
            {"value": shown, "suggestion": suggestion},
        )
    return None, (
        "unknown-choice",
        N_("'{value}' is not one of the allowed choices: {choices}"),
        {"value": shown, "choices": ", ".join(codes)},
    )


def _shorten(text: str, n: int = 60) -> str:
    text = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)
    return text if len(text) <= n else text[: n - 1] + "\N{HORIZONTAL ELLIPSIS}"


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return _("TRUE") if value else _("FALSE")
    if isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return _("a date or time ({value})").format(value=value)
    return f'"{_shorten(str(value))}"'


def clean_text(text: str, limits: Limits) -> tuple[str | None, Problem | None]:
    """Reject control characters and over-long text; keep everything else verbatim."""
    if len(text) > limits.max_text_chars:
        return None, (
            "text-too-long",
            N_("text of {length} characters is longer than the limit of {limit}"),
            {"length": len(text), "limit": limits.max_text_chars},
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        return None, ("control-character", N_("the text contains control characters (for example a null character); retype it"), {})
    if any(unicodedata.category(ch) == "Cf" and ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for ch in text):
        return None, ("bidi-override", N_("the text contains right-to-left override characters, which can disguise text; retype it"), {})
    return text.strip(), None


def normalise_cell(value: Any, annotation: Any, limits: Limits) -> tuple[Any, Problem | None]:
    """Turn a raw cell value into the field's type, or explain why not. Blank -> None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    target = base_type(annotation)
    if isinstance(target, type) and issubclass(target, CodeEnum):
        if not isinstance(value, str):
            return None, ("unknown-choice", N_("expected one of the listed choices, got {found}"), {"found": _found(value)})
        return normalise_enum(value, target)
    if target in (int, float):
        return _number(value, target)
    if target is bool:
        if isinstance(value, bool):
            return value, None
        key = str(value).strip().casefold()
        if key in ("true", "yes", "y", "1", "是", "1.0"):
            return True, None
        if key in ("false", "no", "n", "0", "否", "0.0"):
            return False, None
        return None, ("not-boolean", N_("expected TRUE or FALSE, got {found}"), {"found": _found(value)})
    if target is str:
        if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
            return None, ("not-text", N_("expected text, got {found}"), {"found": _found(value)})
        if isinstance(value, float):
            value = str(int(value)) if value.is_integer() else repr(value)
        return clean_text(str(value), limits)
    return value, None


def _number(value: Any, target: type) -> tuple[Any, Problem | None]:
    kind = N_("a whole number") if target is int else N_("a number")
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return None, ("not-number", N_("expected {kind}, got {found}"), {"kind": kind, "found": _found(value)})
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text.endswith("%"):
            return None, (
                "percent-sign",
                N_("type the percentage as a plain number without the percent sign (for example 35), got {found}"),
                {"found": _found(value)},
            )
        try:
            value = float(text)
        except ValueError:
            return None, ("not-number", N_("expected {kind}, got {found}"), {"kind": kind, "found": _found(value)})
    if not isinstance(value, (int, float)):
        return None, ("not-number", N_("expected {kind}, got {found}"), {"kind": kind, "found": _found(value)})
    value = float(value)
    if not math.isfinite(value):
        return None, ("not-finite", N_("expected a finite number, got {found}"), {"found": _found(value)})
    if target is int:
        if not value.is_integer():
            return None, ("not-integer", N_("expected a whole number, got {found}"), {"found": _found(value)})
        return int(value), None
    return value, None


def make_normaliser(annotation: Any, limits: Limits):
    """A per-column normaliser with fast paths for the common clean cases (same results as normalise_cell)."""
    target = base_type(annotation)
    slow = lambda v: normalise_cell(v, annotation, limits)  # noqa: E731
    if target is float:

        def number(v):
            if type(v) is float and math.isfinite(v):
                return v, None
            return slow(v)

        return number
    if target is int:

        def whole(v):
            if type(v) is float and v.is_integer():
                return int(v), None
            return slow(v)

        return whole
    if isinstance(target, type) and issubclass(target, CodeEnum):
        memo: dict[str, tuple[Any, Problem | None]] = {}

        def choice(v):
            if type(v) is str:
                hit = memo.get(v)
                if hit is None:
                    hit = memo[v] = slow(v)
                return hit
            return slow(v)

        return choice
    if target is str:

        def text(v):
            if type(v) is str and v.isprintable() and len(v) <= limits.max_text_chars:
                v = v.strip()
                return (v or None), None
            return slow(v)

        return text
    return slow
