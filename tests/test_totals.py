"""The memo of line totals (assessment.emissions.totals.LineMemo): keyed by the content a line function read.

Reference behaviour: a memoised total equals the engine run afresh
(``emissions_account``'s own line functions) for every input, whichever
fields changed; the memo never needs a hand-kept list of what each function reads.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.emissions import totals as T
from assessment.emissions.account import emissions_account
from assessment.model.inputs import NeighbourhoodInput
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def sample() -> NeighbourhoodInput:
    return NeighbourhoodInput.model_validate(json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8")))


def test_totals_equal_the_account(sample, factors):
    """Gross by category and removals are the account's own totals (same line functions)."""
    acc = emissions_account(sample, factors)
    t = T.totals(sample, factors)
    for c in T.CATEGORIES:
        assert t.by_category[c] == pytest.approx(acc.by_category[c].tco2e_per_year, rel=1e-12)
    assert t.removals == pytest.approx(acc.removals_tco2e_per_year, rel=1e-12)
    assert t.net == pytest.approx(acc.net_tco2e_per_year, rel=1e-12)


TABLES = ("energy_use", "transport_activity", "waste", "consumption", "green_space")


@settings(max_examples=25, deadline=None)
@given(table=st.sampled_from(TABLES), scale=st.floats(0.0, 3.0))
def test_memo_equals_a_fresh_run_whatever_changed(sample, factors, table, scale):
    """A memo that has seen the sample gives, for a copy with one table scaled, exactly the fresh total."""
    memo = T.LineMemo()
    T.totals(sample, factors, memo)
    rows = getattr(sample, table)
    field = {
        "energy_use": "amount",
        "transport_activity": "annual_amount",
        "waste": "tonnes_per_year",
        "consumption": "amount",
        "green_space": "area_m2",
    }[table]
    changed = sample.model_copy(
        update={table: [r.model_copy(update={field: getattr(r, field) * scale}) if getattr(r, field) is not None else r for r in rows]}
    )
    assert T.totals(changed, factors, memo) == T.totals(changed, factors)


def test_equal_content_in_a_new_object_is_a_hit(sample, factors, monkeypatch):
    """Content, not identity, decides: a deep copy of the input computes no line function again."""
    memo = T.LineMemo()
    first = T.totals(sample, factors, memo)
    calls = []
    real = T.part_tco2e
    monkeypatch.setattr(T, "part_tco2e", lambda fn, m, f: calls.append(fn) or real(fn, m, f))
    copy = NeighbourhoodInput.model_validate(sample.model_dump())
    assert copy is not sample and copy.energy_use is not sample.energy_use
    assert T.totals(copy, factors, memo) == first
    assert calls == []


def test_a_changed_field_recomputes_only_the_functions_that_read_it(sample, factors, monkeypatch):
    """Waste rows changed: only the waste lines are computed again (the read sets were recorded, not listed)."""
    memo = T.LineMemo()
    T.totals(sample, factors, memo)
    calls = []
    real = T.part_tco2e
    monkeypatch.setattr(T, "part_tco2e", lambda fn, m, f: calls.append(fn.__name__) or real(fn, m, f))
    fewer = sample.model_copy(update={"waste": sample.waste[1:]})
    T.totals(fewer, factors, memo)
    assert calls == ["waste_lines"]
