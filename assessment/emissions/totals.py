"""Category totals of an input: sums of the engine's own line functions, remembered by the content they read.

The projection and the checks of scenario measures need only totals, thousands
of times, of inputs that differ from each other in one table. :class:`LineMemo`
computes each line function's total once per distinct content of the input
fields that function read: which fields those are is recorded while it runs
(never listed by hand), and a later call with the same content in those fields
gets the same total. This is sound because the line functions are pure: their
result and the fields they go on to read depend only on the values they read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from assessment.emissions.account import CATEGORIES, LINE_PARTS, MissingFactors
from assessment.emissions.factors import FactorSet
from assessment.emissions.lookup import MissingFactor
from assessment.emissions.removals import removal_items
from assessment.model.inputs import NeighbourhoodInput

#: (category, line function) of every total: the gross parts of the account, then removals.
TOTAL_PARTS: tuple[tuple[str, Callable], ...] = (*LINE_PARTS, ("removals", removal_items))
FIELDS = tuple(NeighbourhoodInput.model_fields)


@dataclass(frozen=True)
class Totals:
    by_category: dict[str, float]
    removals: float
    population: int

    @property
    def gross(self) -> float:
        return sum(self.by_category.values())

    @property
    def net(self) -> float:
        return self.gross - self.removals


class _Recorder:
    """Stands in for a NeighbourhoodInput and records the names of the fields read from it."""

    __slots__ = ("_m", "read")

    def __init__(self, m: NeighbourhoodInput):
        object.__setattr__(self, "_m", m)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._m, name)


class LineMemo:
    """Line totals by (function, factor set content, content of the fields the function read).

    Contents are interned to small integers once per distinct object (an
    object is kept while the memo lives, so its id stays its own); a new object
    with equal content gets the same integer, so identity only saves work and
    never decides a hit.
    """

    def __init__(self) -> None:
        self._by_object: dict[int, tuple[Any, int]] = {}
        self._content: dict[Any, int] = {}
        self._read: dict[Callable, dict[tuple[str, ...], None]] = {}  # the distinct field sets each function has read
        self._totals: dict[tuple, float] = {}

    def _content_id(self, obj: Any) -> int:
        seen = self._by_object.get(id(obj))
        if seen is not None and seen[0] is obj:
            return seen[1]
        if isinstance(obj, FactorSet):
            content: Any = (obj.version, tuple(sorted(obj.factors.items())), tuple(sorted(obj.parameters.items())))
        elif isinstance(obj, list):
            content = ("list", tuple(obj))
        else:
            content = obj
        cid = self._content.setdefault(content, len(self._content))
        self._by_object[id(obj)] = (obj, cid)
        return cid

    def total(self, fn: Callable, m: NeighbourhoodInput, factors: FactorSet, seen: dict[str, int] | None = None) -> float:
        """Sum of ``fn(m, factors)`` in tCO2e/yr; raises MissingFactors as the engine does.

        ``seen`` carries the content ids already looked up for ``m`` and ``factors`` (shared by the functions of one input).
        """
        seen = {} if seen is None else seen
        for names in self._read.get(fn, ()):
            hit = self._totals.get((fn, self._ids(m, factors, names, seen)))
            if hit is not None:
                return hit
        rec = _Recorder(m)
        value = part_tco2e(fn, rec, factors)  # type: ignore[arg-type]
        names = tuple(sorted(rec.read)) if rec.read <= set(FIELDS) else FIELDS  # a method or property read: key on every field
        self._read.setdefault(fn, {})[names] = None
        self._totals[(fn, self._ids(m, factors, names, seen))] = value
        return value

    def _ids(self, m: NeighbourhoodInput, factors: FactorSet, names: tuple[str, ...], seen: dict[str, int]) -> tuple:
        """(names, content id of the factor set, content id of each named field)."""
        out: list = [names]
        for n in ("", *names):
            cid = seen.get(n)
            if cid is None:
                cid = seen[n] = self._content_id(factors if n == "" else getattr(m, n))
            out.append(cid)
        return tuple(out)


def part_tco2e(fn: Callable, m: NeighbourhoodInput, factors: FactorSet) -> float:
    """Total of one line function's items [tCO2e/yr]; raises MissingFactors for activities without a factor."""
    missing: list[MissingFactor] = []
    items = fn(m, factors, missing)
    if missing:
        raise MissingFactors(missing)
    return sum(i.tco2e_per_year for i in items)


def totals(m: NeighbourhoodInput, factors: FactorSet, memo: LineMemo | None = None) -> Totals:
    """Gross by category and removals of an input, each the sum of the engine's line items (the account's own functions)."""
    sums = dict.fromkeys((*CATEGORIES, "removals"), 0.0)
    seen: dict[str, int] = {}  # content ids of this input's fields and factor set, shared by its line functions
    for category, fn in TOTAL_PARTS:
        sums[category] += memo.total(fn, m, factors, seen) if memo is not None else part_tco2e(fn, m, factors)
    return Totals(by_category={c: sums[c] for c in CATEGORIES}, removals=sums["removals"], population=m.profile.population)
