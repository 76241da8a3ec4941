"""The access method as data: modules/osm_access.toml loaded into pydantic models with cross-reference checks.

Pure (tomllib and pydantic only), so the rules load and validate without the ``geo`` extra. A custom method
folder (``--method DIR``) may hold its own ``osm_access.toml``; without one the toolkit's own is used.
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assessment.errors import MethodError
from assessment.model.method import Method
from assessment.model.text import Text
from assessment.paths import modules_dir

RULES_FILE = "osm_access.toml"
#: The unit each measure kind produces; an indicator a measure fills must have the same unit.
KIND_UNITS = {
    "share_within": "%",
    "median_count": "count",
    "street_density": "km/km²",
    "intersection_density": "per km²",
    "green_per_resident": "m²/person",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class TagRule(_Frozen):
    """``key=value`` (that value) or ``key=*`` (any value)."""

    key: str
    value: str | None  # None: any value

    def matches(self, tags) -> bool:
        v = tags.get(self.key)
        return v is not None and (self.value is None or v == self.value)


def parse_rule(text: str) -> TagRule:
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key or not value:
        raise ValueError(f"tag rule '{text}' must be key=value or key=*")
    return TagRule(key=key, value=None if value == "*" else value)


class _Tagged(_Frozen):
    tags: tuple[str, ...] = Field(min_length=1)

    @field_validator("tags")
    @classmethod
    def _rules_parse(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            parse_rule(t)
        return v

    @property
    def rules(self) -> tuple[TagRule, ...]:
        return tuple(parse_rule(t) for t in self.tags)

    def matches(self, tags) -> bool:
        return any(r.matches(tags) for r in self.rules)


class Walking(_Frozen):
    speed_m_per_s: float = Field(gt=0, le=5)
    speed_source: str = Field(min_length=5)
    access_radius_m: float = Field(gt=0, le=1000)


class Network(_Frozen):
    walkable: tuple[str, ...] = Field(min_length=1)
    needs_foot_yes: tuple[str, ...] = ()
    closed_access: tuple[str, ...] = ()
    foot_open: tuple[str, ...] = ()
    street_length_exclude: tuple[str, ...] = ()
    intersection_highways: tuple[str, ...] = Field(min_length=1)

    @field_validator("street_length_exclude")
    @classmethod
    def _rules_parse(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            parse_rule(t)
        return v


class Residents(_Frozen):
    residential_buildings: tuple[str, ...] = Field(min_length=1)
    default_levels: float = Field(gt=0, le=200)
    address_points: tuple[str, ...] = Field(min_length=1)

    @field_validator("residential_buildings", "address_points")
    @classmethod
    def _rules_parse(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for t in v:
            parse_rule(t)
        return v


class Green(_Tagged):
    closed_access: tuple[str, ...] = ()


class Category(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Use(_Tagged):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: str
    name: Text


class LifeCircle(_Frozen):
    id: str
    minutes: float = Field(gt=0, le=120)
    distance_m: float = Field(gt=0, le=20_000)


class Target(_Frozen):
    """One thing to reach: a use, a category, or a green space of at least ``green_min_ha``."""

    use: str | None = None
    category: str | None = None
    green_min_ha: float | None = Field(default=None, ge=0, le=100_000)
    distance_m: float = Field(gt=0, le=20_000)

    @model_validator(mode="after")
    def _one(self) -> "Target":
        given = [x for x in (self.use, self.category, self.green_min_ha) if x is not None]
        if len(given) != 1:
            raise ValueError("a target names exactly one of use, category or green_min_ha")
        return self

    @property
    def key(self) -> str:
        """The destination set this target reaches: ``use:<id>``, ``category:<id>`` or ``green:<ha>``."""
        if self.use is not None:
            return f"use:{self.use}"
        if self.category is not None:
            return f"category:{self.category}"
        return f"green:{self.green_min_ha:g}"


class Measure(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    indicator: str | None = None
    kind: Literal["share_within", "median_count", "street_density", "intersection_density", "green_per_resident"]
    name: Text
    source: str = Field(min_length=5)
    targets: tuple[Target, ...] = ()
    all: bool = False
    count: Literal["uses", "categories"] | None = None
    distance_m: float | None = Field(default=None, gt=0, le=20_000)

    @model_validator(mode="after")
    def _shape(self) -> "Measure":
        if self.kind == "share_within" and not self.targets:
            raise ValueError(f"measure {self.id}: share_within needs targets")
        if self.kind == "median_count" and (self.count is None or self.distance_m is None):
            raise ValueError(f"measure {self.id}: median_count needs count (uses or categories) and distance_m")
        return self

    @property
    def unit(self) -> str:
        return KIND_UNITS[self.kind]


class MapSettings(_Frozen):
    life_circle: str


class AccessRules(_Frozen):
    """The whole osm_access.toml, checked: every category, use, life circle and indicator a rule names exists."""

    version: str
    walking: Walking
    network: Network
    residents: Residents
    green: Green
    categories: tuple[Category, ...] = Field(min_length=1)
    uses: tuple[Use, ...] = Field(min_length=1)
    life_circles: tuple[LifeCircle, ...] = Field(min_length=1)
    map: MapSettings
    measures: tuple[Measure, ...] = Field(min_length=1)
    #: sha256 of the file (set by the loader)
    digest: str = ""
    file: str = ""

    @model_validator(mode="after")
    def _references(self) -> "AccessRules":
        cats = [c.id for c in self.categories]
        uses = [u.id for u in self.uses]
        for ids, what in ((cats, "category"), (uses, "use"), ([m.id for m in self.measures], "measure")):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} ids: {dupes}")
        for u in self.uses:
            if u.category not in cats:
                raise ValueError(f"use {u.id} names unknown category {u.category}")
        for m in self.measures:
            for t in m.targets:
                if t.use is not None and t.use not in uses:
                    raise ValueError(f"measure {m.id} names unknown use {t.use}")
                if t.category is not None and t.category not in cats:
                    raise ValueError(f"measure {m.id} names unknown category {t.category}")
        if self.map.life_circle not in {lc.id for lc in self.life_circles}:
            raise ValueError(f"map.life_circle names unknown life circle {self.map.life_circle}")
        filled = [m.indicator for m in self.measures if m.indicator]
        dupes = sorted({i for i in filled if filled.count(i) > 1})
        if dupes:
            raise ValueError(f"indicators filled by more than one measure: {dupes}")
        return self

    def use(self, use_id: str) -> Use:
        return next(u for u in self.uses if u.id == use_id)

    def category(self, cat_id: str) -> Category:
        return next(c for c in self.categories if c.id == cat_id)

    def life_circle(self, lc_id: str) -> LifeCircle:
        return next(lc for lc in self.life_circles if lc.id == lc_id)

    def minutes(self, distance_m: float) -> float:
        """Walking time of a distance at the stated speed [min]."""
        return distance_m / self.walking.speed_m_per_s / 60.0


def check_against_method(rules: AccessRules, method: Method) -> None:
    """Each indicator a measure fills exists in the method, is a reported indicator and has the measure's unit."""
    index = method.indicator_index()
    for m in rules.measures:
        if m.indicator is None:
            continue
        where = f"{rules.file or RULES_FILE}: measure {m.id}"
        if m.indicator not in index:
            raise MethodError(f"{where} fills unknown indicator {m.indicator}")
        ind = index[m.indicator][1]
        if not ind.reported:
            raise MethodError(
                f"{where}: indicator {m.indicator} is computed by the formula {ind.formula}, not reported; it cannot be filled"
            )
        if ind.unit != m.unit:
            raise MethodError(f"{where}: indicator {m.indicator} is in {ind.unit}, the measure gives {m.unit}")


def rules_path(method_dir: str | Path | None = None) -> Path:
    """The method folder's osm_access.toml, else the toolkit's own."""
    if method_dir is not None:
        own = Path(method_dir) / RULES_FILE
        if own.is_file():
            return own
    return modules_dir() / RULES_FILE


def load_rules(method_dir: str | Path | None = None) -> AccessRules:
    """Load and check the access rules of a method folder (default: the toolkit's own)."""
    return _load(str(rules_path(method_dir).resolve()))


@cache
def _load(path: str) -> AccessRules:
    p = Path(path)
    data = p.read_bytes()
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MethodError(f"{p.name}: not valid TOML: {exc}") from None
    raw.update(digest=hashlib.sha256(data).hexdigest(), file=p.name)
    try:
        return AccessRules.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{p.name}: {'.'.join(str(x) for x in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise MethodError("\n".join(lines)) from None
