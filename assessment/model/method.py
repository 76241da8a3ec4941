"""The scoring method as data: modules/method.toml plus one TOML file per module.

Loaded into pydantic models with cross-reference checks, so a malformed method
folder fails on load with a message naming the file and the field.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assessment.errors import MethodError
from assessment.model.enums import ConsumptionItem
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.lever_catalogue import LeverCatalogue, check_catalogue, parse_catalogue
from assessment.model.text import Text
from assessment.model.uncertainty_table import UncertaintyTable
from assessment.paths import modules_dir

#: Largest weight a method may give an item: weights are relative, and sums of larger ones overflow to infinity.
MAX_WEIGHT = 1e6
#: Deepest nesting of tables a method TOML file may have (the default method needs 3).
MAX_TOML_DEPTH = 10


class _Frozen(BaseModel):
    # every number of a method is finite: NaN and infinities are refused at their key
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Threshold(_Frozen):
    """Linear scoring between a 0-point and a 100-point value, with optional bands."""

    direction: Literal["lower_is_better", "higher_is_better"]
    zero_points_at: float
    full_points_at: float
    bands: tuple[tuple[float, float], ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "Threshold":
        lo, hi = self.zero_points_at, self.full_points_at
        if lo == hi:
            raise ValueError("zero_points_at and full_points_at must differ")
        if (self.direction == "higher_is_better") != (hi > lo):
            raise ValueError(f"direction {self.direction} does not match zero_points_at={lo}, full_points_at={hi}")
        prev_v, prev_p = lo, 0.0
        for value, points in self.bands:
            between = (lo < value < hi) if hi > lo else (hi < value < lo)
            if not between or not 0 < points < 100:
                raise ValueError(f"band [{value}, {points}] must lie strictly between the two ends with 0 < points < 100")
            if (value - prev_v) * (hi - lo) <= 0 or points <= prev_p:
                raise ValueError("bands must be monotone from the 0-point end to the 100-point end")
            prev_v, prev_p = value, points
        return self


class Indicator(Threshold):
    id: str = Field(pattern=r"^m\d\d_[a-z0-9_]+$")
    name: Text
    unit: str
    formula: str
    weight: float = Field(default=1.0, gt=0, le=MAX_WEIGHT)
    rationale: Text
    source: str = Field(min_length=5)
    url: str | None = None
    help: Text | None = None
    action: str | None = None

    @model_validator(mode="after")
    def _help_for_reported(self) -> "Indicator":
        if self.formula == "reported" and self.help is None:
            raise ValueError(f"indicator {self.id}: a reported indicator needs a 'help' text")
        return self

    @property
    def reported(self) -> bool:
        return self.formula == "reported"


class Action(_Frozen):
    id: str = Field(pattern=r"^m\d\d_a\d\d$")
    strategy: Text
    text: Text
    weight: float = Field(default=1.0, gt=0, le=MAX_WEIGHT)


#: Codes babel lists as territories that are not ISO 3166-1 countries (EU, euro area, UN, outlying Oceania, unknown,
#: pseudo-locales, Kosovo's user-assigned code): a case study names a country.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK"})


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code of a country or territory (``GB``, ``CN``), as listed by CLDR (babel)."""
    return len(code) == 2 and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES and code in Locale("en").territories


class CaseStudy(_Frozen):
    """A project that shows a module's idea at work, told in the toolkit's words from the source it names."""

    city: Text
    #: ISO 3166-1 alpha-2 code of the case's country (GB, not UK): the report shows the cases nearest the neighbourhood first
    country: str
    project: Text
    summary: Text
    #: the published source the case is told from (title and publisher)
    source: str = Field(min_length=5)
    url: str | None = Field(default=None, pattern=r"^https?://")
    #: publication year of the source, when the source states one
    year: int | None = Field(default=None, ge=1900, le=2100)

    @field_validator("country")
    @classmethod
    def _iso_country(cls, code: str) -> str:
        if not is_country_code(code):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (GB, CN, FR ...)")
        return code


class Module(_Frozen):
    id: str = Field(pattern=r"^m\d\d$")
    order: int = Field(ge=1)
    slug: str
    name: Text
    key_concept: Text
    colour: str | None = None
    # "influences" when the module's items are residents' choices the neighbourhood can only influence
    sphere: Literal["controls", "influences"] = "controls"
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    actions: tuple[Action, ...] = Field(min_length=1)
    case_studies: tuple[CaseStudy, ...] = ()

    @model_validator(mode="after")
    def _ids(self) -> "Module":
        for item in (*self.indicators, *self.actions):
            if not item.id.startswith(self.id + "_"):
                raise ValueError(f"{item.id} does not belong to module {self.id}")
        ids = [i.id for i in self.indicators] + [a.id for a in self.actions]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate ids: {sorted(dupes)}")
        action_ids = {a.id for a in self.actions}
        for ind in self.indicators:
            if ind.action and ind.action not in action_ids:
                raise ValueError(f"indicator {ind.id} names unknown action {ind.action}")
        return self

    @property
    def sheet_name(self) -> str:
        return self.id.upper()


class Pillars(_Frozen):
    green_weight: float = Field(ge=0, le=1)
    thriving_weight: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum(self) -> "Pillars":
        if abs(self.green_weight + self.thriving_weight - 1) > 1e-9:
            raise ValueError("green_weight + thriving_weight must equal 1")
        return self


class ModuleScoreRule(_Frozen):
    indicator_weight: float = Field(ge=0, le=1)
    action_weight: float = Field(ge=0, le=1)
    min_coverage_pct: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _sum(self) -> "ModuleScoreRule":
        if abs(self.indicator_weight + self.action_weight - 1) > 1e-9:
            raise ValueError("indicator_weight + action_weight must equal 1")
        return self


class ActionPoints(_Frozen):
    not_started: float = Field(ge=0, le=100)
    planned: float = Field(ge=0, le=100)
    in_progress: float = Field(ge=0, le=100)
    implemented: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _monotone(self) -> "ActionPoints":
        if not self.not_started <= self.planned <= self.in_progress <= self.implemented:
            raise ValueError("action points must not fall as status advances")
        return self


class GreenComponent(Threshold):
    id: str
    name: Text
    formula: str
    unit: str
    weight: float = Field(gt=0, le=MAX_WEIGHT)
    rationale: Text
    source: str = Field(min_length=5)
    url: str | None = None


class InventorySection(_Frozen):
    """An inventory section the Green pillar needs: reported when any of its input tables has a row, or a
    Consumption row has one of its ``consumption_items``."""

    id: str
    name: Text
    tables: tuple[str, ...] = ()
    consumption_items: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _reported_somewhere(self) -> "InventorySection":
        if not self.tables and not self.consumption_items:
            raise ValueError(f"section {self.id}: give tables or consumption_items")
        unknown = set(self.consumption_items) - {i.value for i in ConsumptionItem}
        if unknown:
            raise ValueError(f"section {self.id}: unknown consumption items {sorted(unknown)}")
        return self

    #: needed only when this input table has a row (embodied: when construction projects are listed)
    only_when: str | None = None
    notation: Literal["NE"] = "NE"


class Green(_Frozen):
    components: tuple[GreenComponent, ...] = Field(min_length=1)
    #: every section must be reported for a Green score; otherwise the pillar is not rated
    required_sections: tuple[InventorySection, ...] = ()
    #: the highest rating while the Green pillar is not rated (a level id)
    not_rated_caps_rating_at: str | None = None


class Level(_Frozen):
    id: str
    name: Text
    min_score: float = Field(ge=0, le=100)
    description: Text


class Prerequisite(_Frozen):
    id: str
    level: str
    rule: Literal["complete_inventory", "net_zero_target_by", "interim_target_set", "min_thriving_coverage"]
    parameter: float | None = None
    text: Text
    #: a few words for the rating ladder on page 1 (the full text is in the method annex)
    short: Text | None = None


class Confidence(_Frozen):
    """Page 1's data-confidence badge: high, medium or low, from inventory completeness and the share of gross
    emissions on measured or calculated data (the bands are the method's stated choice)."""

    high_min_measured_pct: float = Field(default=50.0, ge=0, le=100)
    medium_min_measured_pct: float = Field(default=20.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> "Confidence":
        if self.medium_min_measured_pct > self.high_min_measured_pct:
            raise ValueError("confidence: medium_min_measured_pct must not exceed high_min_measured_pct")
        return self


class RecommendationCaps(_Frozen):
    """How many recommendations the result keeps and the report shows (a method may leave the section out)."""

    per_module: int = Field(default=5, ge=1, le=50)
    overall: int = Field(default=10, ge=1, le=100)
    shown: int = Field(default=3, ge=1, le=10)


class CaseRegion(_Frozen):
    """A group of countries whose case studies a neighbourhood in one of them sees before the rest."""

    name: Text
    countries: tuple[str, ...] = Field(min_length=1)

    @field_validator("countries")
    @classmethod
    def _codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in codes if not is_country_code(c)]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(bad)}")
        return codes


class CaseStudyRules(_Frozen):
    """How the report shows case studies (method.toml ``[case_studies]``; a method may leave the section out)."""

    #: case studies in each module's body, nearest the neighbourhood first; the annex lists them all
    shown: int = Field(default=2, ge=1, le=20)
    regions: dict[str, CaseRegion] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_region_each(self) -> "CaseStudyRules":
        seen: dict[str, str] = {}
        for rid, region in self.regions.items():
            for code in region.countries:
                if code in seen:
                    raise ValueError(f"country {code} is in two regions: {seen[code]} and {rid}")
                seen[code] = rid
        return self

    def region_of(self, country: str | None) -> str | None:
        """The id of the region ``country`` belongs to, or None."""
        return next((rid for rid, r in self.regions.items() if country in r.countries), None)

    def nearness(self, case_country: str, country: str | None) -> int:
        """0 for a case in the neighbourhood's ``country``, 1 for one in the same region, 2 for any other (or no country)."""
        if country is None:
            return 2
        if case_country == country:
            return 0
        region = self.region_of(country)
        return 1 if region is not None and self.region_of(case_country) == region else 2

    def nearest(self, cases: tuple[CaseStudy, ...], country: str | None) -> list[CaseStudy]:
        """The cases, nearest the neighbourhood's ``country`` (ISO 3166-1 alpha-2, or None) first; stable within a group,
        so the module file's order decides among cases equally near."""
        return sorted(cases, key=lambda c: self.nearness(c.country, country))


class MethodSettings(_Frozen):
    method_id: str
    version: str
    name: Text
    pillars: Pillars
    module_score: ModuleScoreRule
    action_points: ActionPoints
    green: Green
    levels: tuple[Level, ...] = Field(min_length=2, max_length=10)
    prerequisites: tuple[Prerequisite, ...] = ()
    recommendations: RecommendationCaps = RecommendationCaps()
    case_studies: CaseStudyRules = CaseStudyRules()
    confidence: Confidence = Confidence()

    @field_validator("levels")
    @classmethod
    def _ascending(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        scores = [lv.min_score for lv in levels]
        if scores != sorted(scores) or len(set(scores)) != len(scores) or scores[0] != 0:
            raise ValueError("levels must be listed lowest first, with rising min_score starting at 0")
        return levels

    @model_validator(mode="after")
    def _prereq_levels(self) -> "MethodSettings":
        ids = {lv.id for lv in self.levels}
        for p in self.prerequisites:
            if p.level not in ids:
                raise ValueError(f"prerequisite {p.id} names unknown level {p.level}")
        cap = self.green.not_rated_caps_rating_at
        if cap is not None and cap not in ids:
            raise ValueError(f"green.not_rated_caps_rating_at names unknown level {cap}")
        tables = set(NeighbourhoodInput.model_fields)
        for sec in self.green.required_sections:
            unknown = [t for t in (*sec.tables, *([sec.only_when] if sec.only_when else [])) if t not in tables]
            if unknown:
                raise ValueError(f"green.required_sections {sec.id}: {', '.join(unknown)} is not an input table")
        return self


class Method(_Frozen):
    """A whole method: settings plus the ten modules in order."""

    settings: MethodSettings
    modules: tuple[Module, ...]
    folder: str
    is_default: bool
    digest: str
    levers: LeverCatalogue
    #: modules/uncertainty.toml: pedigree factors by data quality (the toolkit's own when a method folder has none)
    uncertainty: UncertaintyTable

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)

    def indicator_index(self) -> dict[str, tuple[Module, Indicator]]:
        return {i.id: (m, i) for m in self.modules for i in m.indicators}

    def action_index(self) -> dict[str, tuple[Module, Action]]:
        return {a.id: (m, a) for m in self.modules for a in m.actions}


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise MethodError(f"{path.name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise MethodError(f"{path.name}: nested deeper than {MAX_TOML_DEPTH} levels") from None
    deep = _deepest(data, (), MAX_TOML_DEPTH)
    if deep is not None:
        raise MethodError(f"{path.name}: {'.'.join(map(str, deep)) or '(file)'}: nested deeper than {MAX_TOML_DEPTH} levels")
    return data


def _deepest(node, key: tuple, limit: int) -> tuple | None:
    """The key of the first value nested deeper than ``limit`` tables and arrays, or None."""
    if len(key) > limit:
        return key
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        found = _deepest(v, (*key, k), limit)
        if found is not None:
            return found
    return None


def _validation_message(path: Path, exc: ValidationError) -> str:
    lines = [f"{path.name}: {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
    return "\n".join(lines)


def load_method(folder: str | Path | None = None) -> Method:
    """Load and check a method folder (default: the toolkit's own modules/)."""
    default = folder is None
    path = Path(folder) if folder is not None else modules_dir()
    return _load_method_cached(str(path.resolve()), default)


@cache
def _load_method_cached(folder: str, is_default: bool) -> Method:
    path = Path(folder)
    if not path.is_dir():
        raise MethodError(f"method folder not found: {path}")
    settings_file = path / "method.toml"
    if not settings_file.is_file():
        raise MethodError(f"{path}: missing method.toml")
    digest = hashlib.sha256()
    try:
        raw = _load_toml(settings_file)
        digest.update(settings_file.read_bytes())
        settings = MethodSettings.model_validate(raw)
    except ValidationError as exc:
        raise MethodError(_validation_message(settings_file, exc)) from None
    modules = []
    files = sorted(p for p in path.glob("[0-9][0-9]-*.toml"))
    if not files:
        raise MethodError(f"{path}: no module files (01-*.toml ... 10-*.toml)")
    for f in files:
        digest.update(f.read_bytes())
        try:
            modules.append(Module.model_validate(_load_toml(f)))
        except ValidationError as exc:
            raise MethodError(_validation_message(f, exc)) from None
    modules.sort(key=lambda m: m.order)
    ids = [m.id for m in modules]
    if len(set(ids)) != len(ids):
        raise MethodError(f"{path}: duplicate module ids {ids}")
    levers_file = path / "levers.toml"
    own = levers_file.is_file()
    if not own:  # a custom method folder may leave the lever catalogue to the toolkit's own
        levers_file = modules_dir() / "levers.toml"
    digest.update(levers_file.read_bytes())
    levers = parse_catalogue(_load_toml(levers_file), levers_file)
    action_ids = {a.id for m in modules for a in m.actions}
    if not own:  # the toolkit's catalogue names the default method's actions: keep those this method has
        levers = levers.model_copy(
            update={
                "levers": tuple(lv.model_copy(update={"actions": tuple(a for a in lv.actions if a in action_ids)}) for lv in levers.levers)
            }
        )
    check_catalogue(levers, action_ids, levers_file.name)
    uncertainty = _load_uncertainty(path, digest)
    return Method(
        settings=settings,
        modules=tuple(modules),
        folder=str(path),
        is_default=is_default,
        digest=digest.hexdigest(),
        levers=levers,
        uncertainty=uncertainty,
    )


def _load_uncertainty(path: Path, digest) -> UncertaintyTable:
    """The method's uncertainty.toml, or the toolkit's own when the folder has none."""
    f = path / "uncertainty.toml"
    if not f.is_file():
        f = modules_dir() / "uncertainty.toml"
    digest.update(f.read_bytes())
    try:
        return UncertaintyTable.model_validate(_load_toml(f))
    except ValidationError as exc:
        raise MethodError(_validation_message(f, exc)) from None
