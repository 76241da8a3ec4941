"""Numbers as a reader sees them, in the reader's language (one formatting for the report and the result texts)."""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

from assessment.i18n import get_language

BABEL_LOCALES = {"en": "en_GB", "zh": "zh_CN", "en+zh": "en_GB"}


def number(value: float | None, digits: int = 0) -> str:
    """A number in the reader's locale ('-' when missing)."""
    if value is None:
        return "–"
    if not math.isfinite(value) or abs(value) >= 1e15:  # beyond what a decimal pattern can show: scientific notation
        return f"{value:.3g}"
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=fmt, locale=BABEL_LOCALES.get(get_language(), "en_GB"))


def smart(value: float | None) -> str:
    """A number with sensible precision for an indicator value."""
    if value is None:
        return "–"
    a = abs(value)
    return number(value, 0 if a >= 100 else 1 if a >= 10 else 2)


def percent(value: float | None) -> str:
    if value is None:
        return "–"
    if not math.isfinite(value) or abs(value) >= 1e13:  # beyond what a percent pattern can show
        return f"{value:.3g}%"
    return format_percent(value / 100.0, locale=BABEL_LOCALES.get(get_language(), "en_GB"))
