"""The lever catalogue (modules/levers.toml) as data: what each scenario lever changes and how it is sized.

Checked on load with the method it sits beside: families are known and
ordered, the input quantities it names exist, its choice sets are known and the
actions it implements belong to the method. That every lever has its function is
checked by the scenarios layer (:func:`assessment.scenarios.levers.check_lever_functions`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assessment.errors import MethodError
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.text import Text

#: Code sets the Applies to / Switch to columns may name (the codes themselves are resolved by the scenarios package).
CHOICE_SETS = (
    "building_use",
    "car_mode",
    "fuel_car_mode",
    "shift_mode",
    "waste_stream",
    "waste_treatment",
    "diet",
    "flight",
    "spend_item",
    "project",
    "concrete_material",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Quantity(_Frozen):
    """What a column means for a lever, with its unit and accepted range."""

    unit: str
    min: float = 0.0
    max: float
    required: bool = True
    meaning: Text

    @model_validator(mode="after")
    def _range(self) -> "Quantity":
        if self.max <= self.min:
            raise ValueError("max must be above min")
        return self


class LeverParameter(_Frozen):
    """A constant a lever function needs: a parameter id of the factor library (cited there, overridable per input)."""

    parameter: str = Field(min_length=3)


class StandardDose(_Frozen):
    """The dose a recommendation's abatement is computed at: the same step for every lever it can be given for, so
    recommendations compare like with like (the figure is what this step would abate on the neighbourhood's own input)."""

    size: float = Field(gt=0)
    performance: float | None = None
    applies_to: str | None = None
    switch_to: str | None = None
    rationale: Text


class Lever(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    family: str
    name: Text
    description: Text
    changes: tuple[str, ...] = Field(min_length=1)
    size: Quantity
    performance: Quantity | None = None
    applies_to: str | None = None
    switch_to: str | None = None
    switch_to_required: bool = False
    actions: tuple[str, ...] = ()
    parameters: dict[str, LeverParameter] = {}
    sphere: Literal["controls", "influences"] = "controls"
    standard: StandardDose | None = None
    no_standard_reason: Text | None = None

    @model_validator(mode="after")
    def _standard(self) -> "Lever":
        if (self.standard is None) == (self.no_standard_reason is None):
            raise ValueError(f"lever {self.id}: give either a standard dose or no_standard_reason")
        sd = self.standard
        if sd is not None:
            if self.switch_to_required and sd.switch_to is None:
                raise ValueError(f"lever {self.id}: the standard dose needs switch_to")
            if self.performance is not None and self.performance.required and sd.performance is None:
                raise ValueError(f"lever {self.id}: the standard dose needs performance")
            if sd.size > self.size.max:
                raise ValueError(f"lever {self.id}: the standard size exceeds the lever's maximum {self.size.max}")
        return self

    @model_validator(mode="after")
    def _choices(self) -> "Lever":
        for name in (self.applies_to, self.switch_to):
            if name is not None and name not in CHOICE_SETS:
                raise ValueError(f"lever {self.id}: unknown choice set '{name}' (known: {', '.join(CHOICE_SETS)})")
        if self.switch_to_required and self.switch_to is None:
            raise ValueError(f"lever {self.id}: switch_to_required needs a switch_to choice set")
        return self


class LeverCatalogue(_Frozen):
    families: tuple[str, ...] = Field(min_length=1)
    family_names: dict[str, Text]
    levers: tuple[Lever, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "LeverCatalogue":
        if len(set(self.families)) != len(self.families):
            raise ValueError("families must not repeat")
        missing = set(self.families) - set(self.family_names)
        if missing:
            raise ValueError(f"family_names lacks {sorted(missing)}")
        ids = [lv.id for lv in self.levers]
        if len(set(ids)) != len(ids):
            raise ValueError("lever ids must be unique")
        mapped = [a for lv in self.levers for a in lv.actions]
        if len(set(mapped)) != len(mapped):
            raise ValueError(f"an action maps to two levers: {sorted({a for a in mapped if mapped.count(a) > 1})}")
        for lv in self.levers:
            if lv.family not in self.families:
                raise ValueError(f"lever {lv.id}: unknown family '{lv.family}'")
        return self

    def get(self, lever_id: str) -> Lever | None:
        return next((lv for lv in self.levers if lv.id == lever_id), None)

    def for_action(self, action_id: str) -> str | None:
        """The lever a method action maps to (a completed measure of it implements the action), or None."""
        return next((lv.id for lv in self.levers if action_id in lv.actions), None)

    def rank(self, lever_id: str) -> int:
        """Position of the lever's family in the application order."""
        lv = self.get(lever_id)
        return self.families.index(lv.family) if lv else len(self.families)


def _input_quantity_exists(path: str) -> bool:
    """'energy_use.amount' -> is there such a table/section and field in the input model?"""
    head, _sep, field = path.partition(".")
    info = NeighbourhoodInput.model_fields.get(head)
    if info is None:
        return False
    if not field:
        return True
    ann = info.annotation
    model = ann.__args__[0] if getattr(ann, "__args__", None) else ann
    return field in getattr(model, "model_fields", {})


def check_catalogue(cat: LeverCatalogue, action_ids: set[str], where: str) -> None:
    """Cross-checks against the method and the code; raises MethodError naming the file."""
    problems = []
    for lv in cat.levers:
        for a in lv.actions:
            if a not in action_ids:
                problems.append(f"lever {lv.id}: action {a} is not in the method")
        for c in lv.changes:
            if not _input_quantity_exists(c):
                problems.append(f"lever {lv.id}: '{c}' is not an input table and field")
    if problems:
        raise MethodError("\n".join(f"{where}: {p}" for p in problems))


def parse_catalogue(raw: dict, path: Path) -> LeverCatalogue:
    try:
        return LeverCatalogue.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path.name}: {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise MethodError("\n".join(lines)) from None
