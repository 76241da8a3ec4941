"""The words a reader sees for codes: one function, :func:`label`, for every code in a report.

Enumerations carry their own label (assessment.model.enums); where the report
uses a shorter word, or the code is a plain string of the result (category,
subcategory, sector, data quality), the table below gives it. Every label is
marked for translation.
"""

from __future__ import annotations

import functools
import re

from assessment.i18n import N_, _, each_language, get_language, symbol
from assessment.model.enums import (
    BuildingUse,
    Carrier,
    CodeEnum,
    ConsumptionItem,
    Diet,
    FreightMode,
    GridRegion,
    RenewableTechnology,
    TransportMode,
    WasteStream,
    WasteTreatment,
)
from assessment.numbers import BABEL_LOCALES, UNIT_LABELS

#: Short report labels by enumeration name, and labels of the result's plain-string codes by kind.
LABELS: dict[str, dict[str, str]] = {
    "category": {"operational": N_("Operational"), "embodied": N_("Embodied"), "consumption": N_("Consumption-based")},
    "subcategory": {
        "energy": N_("Energy in buildings"),
        "transport": N_("Transport"),
        "waste": N_("Waste"),
        "new_build": N_("New build"),
        "retrofit": N_("Retrofit"),
        "maintenance": N_("Maintenance"),
        "infrastructure": N_("Infrastructure"),
        "food": N_("Food"),
        "clothing": N_("Clothing"),
        "technology": N_("Technology"),
        "goods": N_("Other goods"),
        "services": N_("Services"),
        "travel": N_("Flights"),
    },
    "sector": {
        "stationary_energy": N_("I Stationary energy"),
        "transportation": N_("II Transportation"),
        "waste": N_("III Waste"),
        "other_scope3": N_("Other scope 3 (embodied and consumption)"),
    },
    "quality": {
        "measured": N_("measured"),
        "calculated": N_("calculated"),
        "estimated": N_("estimated"),
        "default": N_("default"),
        "not_stated": N_("not stated"),
    },
    "ProjectType": {
        "new_build": N_("new build"),
        "retrofit": N_("retrofit"),
        "maintenance": N_("maintenance"),
        "infrastructure": N_("infrastructure"),
    },
    "BuildingType": {
        "residential": N_("residential"),
        "office": N_("office"),
        "retail": N_("retail"),
        "education": N_("education"),
        "public": N_("public"),
        "industrial": N_("industrial"),
        "mixed": N_("mixed use"),
        "infrastructure": N_("infrastructure"),
    },
    "ActionStatus": {
        "not_started": N_("not started"),
        "planned": N_("planned"),
        "in_progress": N_("in progress"),
        "implemented": N_("implemented"),
    },
}
LABELS["unit"] = UNIT_LABELS  # assessment.numbers: the scoring layer labels units in its advice too
NOT_REPORTED = N_("not reported")


def label(code: str | CodeEnum | None, kind: str | None = None) -> str:
    """The label of a code in the current language: an enumeration member by its type, a plain code by ``kind``; None is 'not reported'."""
    if code is None:
        return _(NOT_REPORTED)
    if isinstance(code, CodeEnum):
        return _(LABELS.get(type(code).__name__, {}).get(code.value, code.label))
    return _(LABELS.get(kind or "", {}).get(code, code))


#: Base names of the library's materials (factor ids material.<code>); strength, cement replacement and
#: circularity suffixes are worded by :func:`material_label`.
MATERIAL_NAMES: dict[str, str] = {
    "concrete": N_("concrete"),
    "glulam": N_("glulam timber"),
    "sawn_softwood": N_("sawn softwood"),
    "brick_facing_clay": N_("clay facing brick"),
    "glass_window_single": N_("single-pane window glass"),
    "plasterboard_impregnated": N_("moisture-resistant plasterboard"),
    "clt": N_("cross-laminated timber (CLT)"),
    "steel_rebar": N_("reinforcing steel"),
    "steel_section": N_("structural steel section"),
    "insulation_xps": N_("XPS insulation board"),
    "insulation_mineral_wool_blown": N_("blown mineral wool insulation"),
    "insulation_eps_loose_fill": N_("loose-fill EPS insulation"),
    "aggregates": N_("aggregates"),
    "asphalt": N_("asphalt"),
    "brick": N_("brick"),
    "insulation": N_("insulation"),
    "metals_construction": N_("construction metals"),
    "plasterboard": N_("plasterboard"),
    "wood": N_("wood"),
    "average_construction": N_("average construction material"),
    "glass": N_("glass"),
    "aluminium_cans_foil": N_("aluminium cans and foil"),
    "plastics_average": N_("plastics (average)"),
    "pvc": N_("PVC"),
    "hdpe": N_("HDPE"),
    "ldpe": N_("LDPE"),
    "polypropylene": N_("polypropylene"),
    "polystyrene": N_("polystyrene"),
}
MATERIAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    (r"_(?P<n>\d+)mpa", N_("{n} MPa")),
    (r"_slag(?P<n>\d+)", N_("{n}% slag cement")),
    (r"_flyash(?P<n>\d+)", N_("{n}% fly ash")),
    (r"_closed_loop", N_("closed-loop recycled")),
    (r"_reused", N_("reused")),
)


def material_label(code: str) -> str:
    """A library material in words: 'concrete_30mpa_slag35' → 'concrete, 30 MPa, 35% slag cement' (translated).

    A code with no known base name prints as given (a workbook-supplied material is the user's own word)."""
    return _material_words(code) or code


def _material_words(code: str) -> str | None:
    base, rest = code, ""
    for key in sorted(MATERIAL_NAMES, key=len, reverse=True):
        if code == key or code.startswith(key + "_"):
            base, rest = key, code[len(key) :]
            break
    else:
        return None
    parts = [_(MATERIAL_NAMES[base])]
    for pattern, words in MATERIAL_SUFFIXES:
        m = re.search(pattern, rest)
        if m:
            parts.append(_(words).format(**m.groupdict()))
            rest = rest.replace(m.group(0), "", 1)
    if rest:  # an unknown suffix: keep the code rather than drop a distinction
        return None
    return list_sep().join(parts)


#: A label and its value, and a list's separator, as one translatable pattern each: the Chinese catalogue gives the
#: full-width forms (“{label}：{value}”, “；”), so a Chinese sentence never carries ASCII punctuation. The bilingual edition
#: keeps the English pattern (its labels already carry both languages); hence ``symbol``, not ``_``.
LABELLED = N_("{label}: {value}")


def labelled(label: str, value: str) -> str:
    """'Level: Advancing' / '等级：进阶': a label and its value joined by the reader's colon."""
    return symbol(LABELLED).format(label=label, value=value)


PARENTHESISED = N_("({text})")
CLAUSE_SEP = N_("; ")
SENTENCE_END = N_(". ")


def parenthesised(text: str) -> str:
    """'(text)' / '（text）': a remark in the reader's brackets."""
    return symbol(PARENTHESISED).format(text=text)


def clause_sep() -> str:
    """The separator of a list of clauses: '; ' in English, '；' in Chinese."""
    return symbol(CLAUSE_SEP)


def list_sep() -> str:
    """The separator of a label's parts: ', ' in English, '，' in Chinese."""
    return "，" if get_language() == "zh" else ", "


#: What each named part of an engine line description is (assessment/emissions: the descriptions they compose).
_PART_KIND = {
    "carrier": Carrier,
    "use": BuildingUse,
    "tech": RenewableTechnology,
    "mode": TransportMode,
    "stream": WasteStream,
    "treatment": WasteTreatment,
    "freight": FreightMode,
    "diet": Diet,
    "item": ConsumptionItem,
}

#: The engine's line descriptions (after 'name: ' for lines of a named building group or project), worded for a
#: reader. Each pattern matches one f-string of assessment/emissions (operational, embodied, consumption).
LINE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?P<carrier>[a-z_]+) \((?P<use>[a-z_]+)\)", N_("{carrier} ({use})")),
    (r"on-site (?P<tech>[a-z_]+), self-consumed", N_("on-site {tech}, used on site")),
    (r"(?P<mode>[a-z_]+) \(grid electricity\)", N_("{mode} (grid electricity)")),
    (r"(?P<stream>[a-z_]+) to (?P<treatment>[a-z_]+)", N_("{stream} to {treatment}")),
    (r"(?P<material>[a-z0-9_]+) to site by (?P<freight>[a-z_]+)", N_("{material}: transport to site by {freight}")),
    (r"(?P<material>[a-z0-9_]+) wastage \((?P<pct>[0-9.]+%)\)", N_("{material}: site wastage ({pct})")),
    (r"(?P<material>[a-z0-9_]+) replacement x(?P<n>[0-9.]+)", N_("{material}: replacements (×{n})")),
    (r"site diesel", N_("site diesel")),
    (r"site electricity", N_("site electricity")),
    (r"diet: (?P<diet>[a-z_]+)", N_("diet: {diet}")),
    (r"(?P<item>[a-z_]+) \(reported footprint\)", N_("{item} (reported footprint)")),
    (r"measured in-boundary sequestration", N_("measured in-boundary sequestration")),
    # removals (assessment/emissions/removals.py)
    (r"tree canopy (?P<pct>[0-9.]+)% of (?P<ha>[0-9.]+) ha", N_("tree canopy {pct}% of {ha} ha")),
    (r"(?P<n>[0-9]+) trees", N_("{n} trees")),
)
#: Parts of a line description that are numbers, printed as they are.
_NUMBER_PARTS = ("pct", "n", "ha")


def _part(kind: str, code: str) -> str:
    if kind == "material":
        return material_label(code)
    enum = _PART_KIND.get(kind)
    if enum is not None and code in enum._value2member_map_:
        return label(enum(code))
    return code


def _part_text(kind: str, value: str):
    """A matched part of a line description as a function of the current language (numbers stay as matched)."""
    return (lambda: value) if kind in _NUMBER_PARTS else (lambda: _part(kind, value))


def code_label(code: str) -> str:
    """Any one code of an input (a transport mode, consumption item, carrier, technology, stream, treatment, use or
    diet, or a library material) in words; also a line description that is one code."""
    for enum in (TransportMode, ConsumptionItem, Carrier, RenewableTechnology, WasteStream, WasteTreatment, BuildingUse, Diet):
        if code in enum._value2member_map_:
            return label(enum(code))
    return material_label(code)


def composed(words: str, **parts) -> str:
    """``_(words).format(...)`` where each part is a function giving its text in the current language. The bilingual
    edition composes each language apart and joins the two, so a pattern never wraps parts that are bilingual already
    ('diet: high meat / 高肉类', never 'diet: high meat / 高肉类 / 膳食：high meat / 高肉类')."""
    return each_language(lambda: _(words).format(**{k: v() for k, v in parts.items()}))


def line_label(description: str) -> str:
    """An engine line description in the reader's words: codes become labels, the fixed phrases are translated,
    and a building group's or project's name (text from the workbook, before ': ') is kept as typed."""
    name, sep, rest = (
        description.rpartition(": ") if ": " in description and not description.startswith("diet: ") else ("", "", description)
    )
    for pattern, words in LINE_PATTERNS:
        m = re.fullmatch(pattern, rest)
        if m:
            text = composed(words, **{k: _part_text(k, v) for k, v in m.groupdict().items()})
            break
    else:
        text = code_label(rest) if re.fullmatch(r"[a-z0-9_]+", rest) else rest
    return labelled(name, text) if sep else text


#: Factor-id families (the library's id prefix) and how their middle part is worded.
_FACTOR_FAMILIES: dict[str, tuple[str | None, type[CodeEnum]]] = {
    "fuel": (None, Carrier),
    "heat": (None, Carrier),
    "transport": (None, TransportMode),
    "freight": (N_("freight: {x}"), FreightMode),
    "consumption": (None, ConsumptionItem),
}
_FACTOR_WORDS = {
    "elec.grid": N_("grid electricity ({x})"),
    "elec.td_losses": N_("grid losses ({x})"),
    "onsite.renewable": N_("on-site renewable electricity"),
    "removal.tree_canopy": N_("removals by tree canopy"),
    "removal.urban_tree": N_("removals by urban trees"),
    "removal.woodland": N_("removals by woodland"),
    "flight.domestic": N_("domestic flights"),
    "flight.short_haul": N_("short-haul flights"),
    "flight.long_haul": N_("long-haul flights"),
    "flight.international": N_("international flights"),
}


def factor_label(factor_id: str, activity: str | None = None) -> str:
    """A library factor in words ('transport.car_petrol.vkm' → 'car, petrol'); the library's activity name (or the
    id) where the id has no wording here."""
    parts = factor_id.split(".")
    key = ".".join(parts[:2])
    if key in _FACTOR_WORDS:  # the grid's region in words: 'grid electricity (United Kingdom)', never '(GB)'
        return composed(_FACTOR_WORDS[key], x=lambda: region_label(parts[2]) if len(parts) > 2 else "")
    family, code = parts[0], parts[1] if len(parts) > 1 else ""
    if family == "material":
        return _material_words(code) or activity or factor_id
    if family == "waste" and len(parts) == 3 and code in WasteStream._value2member_map_:
        if parts[2] in WasteTreatment._value2member_map_:
            return composed(
                "{stream} to {treatment}", stream=lambda: label(WasteStream(code)), treatment=lambda: label(WasteTreatment(parts[2]))
            )
    if family == "consumption" and code.startswith("diet_") and code[5:] in Diet._value2member_map_:
        return composed("diet: {diet}", diet=lambda: label(Diet(code[5:])))
    if family in _FACTOR_FAMILIES:
        words, enum = _FACTOR_FAMILIES[family]
        if code in enum._value2member_map_:
            return composed(words, x=lambda: label(enum(code))) if words else label(enum(code))
    return activity or factor_id


#: Factor regions that are no country: a world average, the EU, the neighbourhood's own site and the workbook's own.
REGION_WORDS: dict[str, str] = {"GLOBAL": N_("world average"), "EU27": N_("EU-27"), "site": N_("on site"), "workbook": N_("this workbook")}


def region_label(region: str) -> str:
    """A factor's region in the reader's words: a country by its name in the reader's language (the Unicode CLDR
    territory names that Babel ships: ``GB`` is "United Kingdom" / "英国"), a grid region by its grid's label, a
    subdivision as country and code ("Canada ON"), several regions joined ("United States + Canada")."""
    code = region.strip()
    if "+" in code:
        return " + ".join(region_label(part) for part in code.split("+"))
    if code in REGION_WORDS:
        return _(REGION_WORDS[code])
    if "-" in code and code in GridRegion._value2member_map_:
        return label(GridRegion(code))
    country, _sep, sub = code.partition("-")
    name = each_language(lambda: _territory(country, get_language()))
    return f"{name} {sub}" if sub else name


def currency_label(code: str) -> str:
    """A currency as a reader of the report's language writes it after an amount: the ISO 4217 code in English and in
    the bilingual edition (shown once, as a unit symbol is), the CLDR name in Chinese (CNY is "人民币", GBP "英镑")."""
    if get_language() != "zh":
        return code
    from babel.numbers import get_currency_name  # the CLDR data, as for regions

    return get_currency_name(code, locale=BABEL_LOCALES["zh"])


@functools.cache
def _territory(code: str, lang: str) -> str:
    from babel import Locale  # the CLDR data, loaded on the first region printed

    return Locale.parse(BABEL_LOCALES.get(lang, "en_GB")).territories.get(code, code)


def breakable_id(factor_id: str) -> str:
    """An id that may wrap after its dots and underscores only (a zero-width space there), never mid-word."""
    return factor_id.replace(".", ".\u200b").replace("_", "_\u200b")
