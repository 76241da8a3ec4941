"""The uncertainty table of a method (modules/uncertainty.toml): pedigree factors by data quality and factor quality.

Each factor is a contribution to the square of the geometric standard deviation (GSD^2) of a lognormal line
item, as in the ecoinvent pedigree approach; :mod:`assessment.emissions.uncertainty` combines and propagates them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Quality = Literal["measured", "calculated", "estimated", "default"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class PedigreeFactor(_Frozen):
    """One pedigree score and its uncertainty factor (a contribution to GSD^2; 1 = no added uncertainty)."""

    score: int = Field(ge=1, le=5)
    gsd2: float = Field(ge=1.0, le=100.0)
    mapping: str = ""


class BasicUncertainty(_Frozen):
    gsd2: float = Field(ge=1.0, le=100.0)
    source: str = Field(min_length=5)


class ActivityRules(_Frozen):
    not_stated: Quality
    removals: Quality
    measured_removals: Quality


class FactorRegion(_Frozen):
    match: PedigreeFactor
    larger_area: PedigreeFactor
    proxy: PedigreeFactor


class AgeBand(PedigreeFactor):
    max_years: int = Field(ge=0)


class UncertaintyTable(_Frozen):
    draws: int = Field(ge=100, le=1_000_000)
    contributors_shown: int = Field(default=5, ge=1, le=50)
    #: estimated and default inputs for which the range if measured is computed (results JSON and data-quality page)
    if_measured_shown: int = Field(default=5, ge=1, le=50)
    basic: BasicUncertainty
    activity: dict[Quality, PedigreeFactor]
    activity_rules: ActivityRules
    factor_region: FactorRegion
    factor_age: tuple[AgeBand, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> "UncertaintyTable":
        missing = {"measured", "calculated", "estimated", "default"} - set(self.activity)
        if missing:
            raise ValueError(f"activity: no factor for {', '.join(sorted(missing))}")
        years = [b.max_years for b in self.factor_age]
        if years != sorted(years) or len(set(years)) != len(years):
            raise ValueError("factor_age: bands must be listed with rising max_years")
        return self

    def age_factor(self, years: int) -> AgeBand:
        """The band of a factor ``years`` old (the last band for anything older)."""
        for band in self.factor_age:
            if years <= band.max_years:
                return band
        return self.factor_age[-1]
