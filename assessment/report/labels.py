"""The words a reader sees for codes: one function, :func:`label`, for every code in a report.

Enumerations carry their own label (assessment.model.enums); where the report
uses a shorter word, or the code is a plain string of the result (category,
subcategory, sector, data quality), the table below gives it. Every label is
marked for translation.
"""

from __future__ import annotations

from assessment.i18n import N_, _
from assessment.model.enums import CodeEnum

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
NOT_REPORTED = N_("not reported")


def label(code: str | CodeEnum | None, kind: str | None = None) -> str:
    """The label of a code in the current language: an enumeration member by its type, a plain code by ``kind``; None is 'not reported'."""
    if code is None:
        return _(NOT_REPORTED)
    if isinstance(code, CodeEnum):
        return _(LABELS.get(type(code).__name__, {}).get(code.value, code.label))
    return _(LABELS.get(kind or "", {}).get(code, code))
