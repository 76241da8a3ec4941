"""What an input holds: sections filled and data gaps (for `nzn validate`)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model.inputs import SCALAR_SECTIONS, NeighbourhoodInput, table_fields
from assessment.model.method import Method


@dataclass(frozen=True)
class InputSummary:
    tables: dict[str, int]  # table -> rows
    blank_scalars: list[str]  # optional scalar fields left blank
    indicators_reported: int
    indicators_expected: int
    actions_reported: int
    actions_expected: int


def summarise(model: NeighbourhoodInput, method: Method) -> InputSummary:
    tables = {name: len(getattr(model, name)) for name in table_fields()}
    blanks = [f for attr, sect, _s in SCALAR_SECTIONS for f in sect.model_fields if getattr(getattr(model, attr), f) is None]
    reported_ids = {r.indicator_id for r in model.module_indicators if r.value is not None}
    expected = [i.id for m in method.modules for i in m.indicators if i.reported]
    actions = {r.action_id for r in model.module_actions if r.status is not None}
    n_actions = sum(len(m.actions) for m in method.modules)
    return InputSummary(tables, blanks, len(reported_ids & set(expected)), len(expected), len(actions), n_actions)
