"""Numbers as a reader sees them, in the reader's language (one formatting for the report and the result texts)."""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

from assessment.i18n import N_, _, catalogue, get_language

BABEL_LOCALES = {"en": "en_GB", "zh": "zh_CN", "en+zh": "en_GB"}


def number(value: float | None, digits: int = 0) -> str:
    """A number in the reader's locale ('-' when missing)."""
    if value is None:
        return "–"
    if not math.isfinite(value) or abs(value) >= 1e15:  # beyond what a decimal pattern can show: scientific notation
        return f"{value:.3g}"
    if round(value, digits) == 0:  # never "−0": a value that rounds to zero has no sign
        value = 0.0
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return true_minus(format_decimal(value, format=fmt, locale=BABEL_LOCALES.get(get_language(), "en_GB")))


def true_minus(text: str) -> str:
    """A formatted number with the minus sign (U+2212) the charts and the subtracted amounts use, not a hyphen."""
    return "\u2212" + text[1:] if text.startswith("-") else text


def significant(value: float | None, figures: int = 7) -> str:
    """A published factor as printed: up to ``figures`` significant figures (the precision factor tables publish), no
    trailing zeros, thousands separators ('2,624.35', '0.22928')."""
    if value is None or value == 0 or not math.isfinite(value):
        return number(value)
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return format_decimal(round(value, digits), format="#,##0." + "#" * max(digits, 1), locale=BABEL_LOCALES.get(get_language(), "en_GB"))


def score_text(score: float | None) -> str:
    """A 0-100 score as printed: whole points, rounded down, so a printed score never reaches a level the score does not
    (a module at 79.6 prints 79 beside the level Advanced; rounded, it would print 80 under "Green and Thriving >= 80")."""
    return number(None if score is None else math.floor(score))


def negative(value: float, digits: int = 0) -> str:
    """A subtracted amount: '−1,234' (a true minus sign), and '0' rather than '−0' when it rounds to nothing."""
    shown = number(value, digits)
    return shown if round(value, digits) == 0 else f"−{shown}"


def smart(value: float | None) -> str:
    """A number with sensible precision for an indicator value."""
    if value is None:
        return "–"
    a = abs(value)
    return number(value, 0 if a >= 100 else 1 if a >= 10 else 2)


#: Decimals shown per unit, so one unit always reads with the same precision in every table of a report
#: (issue #18 item 4). A unit not listed falls back to :func:`smart`.
UNIT_DECIMALS: dict[str, int] = {
    "%": 1,
    "count": 0,
    "index": 2,
    "jobs/household": 2,
    "kWh/m²/yr": 0,
    "kg/person/day": 2,
    "kgCO2e/m²": 0,
    "kgCO2e/m²/yr": 0,
    "km/km²": 1,
    "km/person/yr": 0,
    "m²/person": 1,
    "people/ha": 0,
    "tCO2e/person/yr": 2,
    "trips/day": 1,
    "L/person/day": 0,
    "tCO2e": 0,
    "tCO2e/yr": 0,
    "kWh": 0,
    "points": 0,
}


def quantity(value: float | None, unit: str | None) -> str:
    """A value in ``unit`` with that unit's fixed decimals (:data:`UNIT_DECIMALS`); '–' when missing."""
    if unit in UNIT_DECIMALS:
        return number(value, UNIT_DECIMALS[unit])
    return smart(value)


def year_span(first: int, last: int) -> str:
    """A span of years as printed ("2026–2030"); one year alone when the span has one ("2025", never "2025–2025")."""
    return str(first) if first == last else f"{first}–{last}"


def percent(value: float | None, digits: int = 0) -> str:
    """A percentage in the reader's locale, with ``digits`` decimals; never '−0%'."""
    if value is None:
        return "–"
    if not math.isfinite(value) or abs(value) >= 1e13:  # beyond what a percent pattern can show
        return f"{value:.3g}%"
    if round(value, digits) == 0:
        value = 0.0
    fmt = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return true_minus(format_percent(value / 100.0, format=fmt, locale=BABEL_LOCALES.get(get_language(), "en_GB")))


def whole_shares_pct(shares: dict[str, float]) -> dict[str, int]:
    """Shares [%] rounded to whole percents that add up to their rounded total (largest-remainder, or Hamilton,
    apportionment: each share is rounded down and the points left over go to the largest remainders, ties in the
    order given), so that parts of one whole printed side by side sum to 100%, never 99% or 101%."""
    floors = {k: math.floor(v) for k, v in shares.items()}
    left = round(sum(shares.values())) - sum(floors.values())
    for k in sorted(shares, key=lambda k: floors[k] - shares[k])[: max(left, 0)]:
        floors[k] += 1
    return floors


def share_percent(value: float, whole: int | None = None) -> str:
    """A share [%] of a whole as printed beside the others: ``whole`` is its apportioned whole percent
    (whole_shares_pct) when given; a positive share that rounds to zero prints as '<1%', never '0%'."""
    shown = round(value) if whole is None else whole
    if value > 0 and shown == 0:
        return "<" + percent(1)
    return percent(shown)


def share_percents(shares: dict[str, float], groups: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Each share of one whole as printed (share_percent of its apportioned whole percent). ``groups`` adds sums of
    shares (a name -> the shares it adds up), each printed as the sum of its members' apportioned wholes, so that a
    sentence that groups them agrees with a legend that lists them (3% + 53% + 33% is 86%, whatever 85.6 rounds to)."""
    wholes = whole_shares_pct(shares)
    out = {k: share_percent(v, wholes[k]) for k, v in shares.items()}
    for name, members in (groups or {}).items():
        out[name] = share_percent(sum(shares.get(k, 0.0) for k in members), sum(wholes.get(k, 0) for k in members))
    return out


#: Units as a reader sees them: symbols stay symbols, word parts are translated.
UNIT_LABELS: dict[str, str] = {
    "count": N_("types"),
    "index": N_("index (0-1)"),
    "jobs/household": N_("jobs/household"),
    "trips/day": N_("trips/day"),
    "people/ha": N_("people/ha"),
    "km/person/yr": N_("km/person/yr"),
    "L/person/day": N_("L/person/day"),
    "kg/person/day": N_("kg/person/day"),
    "m²/person": N_("m²/person"),
    "tCO2e/person/yr": N_("tCO2e/person/yr"),
    "kWh/m²/yr": N_("kWh/m²/yr"),
    "kgCO2e/m²/yr": N_("kgCO2e/m²/yr"),
    "tCO2e/yr": N_("tCO2e/yr"),
    # activity units of the factor library and of scenario measures: the key is the English label, translated in zh
    "tonne": N_("tonne"),
    "litre": N_("litre"),
    "pkm": N_("pkm"),
    "tkm": N_("tkm"),
    "vkm": N_("vkm"),
    "person_year": N_("person-year"),
    "m2_year": N_("m²-year"),
    "tree_year": N_("tree-year"),
    "trees": N_("trees"),
    # the activity of a derived embodied line (A5 wastage, B4 replacement): the upfront tCO2e of its material
    "tCO2e (A1-A4 of the material)": N_("tCO2e (A1-A4 of the material)"),
}


def unit_label(unit: str) -> str:
    """A unit in the reader's language (:data:`UNIT_LABELS`); a unit not listed is a symbol and prints as given."""
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else unit


class Amount:
    """A value in its unit as a sentence prints it, in the language it is asked in (for translate_format): the unit's
    decimals (:data:`UNIT_DECIMALS`), and a percent sign that follows the number with no space, as :func:`percent`
    prints it everywhere else ('46.6%', never '46.6 %'); any other unit after a space ('586 kgCO2e/m²')."""

    def __init__(self, value: float | None, unit: str) -> None:
        self.value, self.unit = value, unit

    def get(self, lang: str) -> str:
        return amount_text(quantity(self.value, self.unit), self.unit, UnitText(self.unit).get(lang))


def amount(value: float | None, unit: str) -> str:
    """A value in its unit in the reader's language, joined as :func:`amount_text` joins them ('35.0%', '2.80 COP')."""
    return amount_text(quantity(value, unit), unit, unit_label(unit))


def amount_text(value: str, unit: str, label: str) -> str:
    """A printed value and its unit label joined: no space before a percent sign, one before any other unit."""
    if not label:
        return value
    return f"{value}{label}" if unit == "%" else f"{value} {label}"


class UnitText:
    """A unit whose label follows the language it is asked in (for translate_format's per-language sentences)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def get(self, lang: str) -> str:
        return catalogue(lang).gettext(UNIT_LABELS[self.unit]) if self.unit in UNIT_LABELS else self.unit
