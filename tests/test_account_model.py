"""The engine builds line items without re-validation (speed); their values must still satisfy the result model."""

from __future__ import annotations

import json

import pytest

from assessment.emissions.account import emissions_account
from assessment.model.inputs import NeighbourhoodInput
from assessment.model.results import EmissionsAccount, LineItem
from tests.conftest import SAMPLE_NAMES, SAMPLES


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_line_item_validates_against_the_model(name, factors):
    model = NeighbourhoodInput.model_validate(json.loads((SAMPLES / f"{name}.json").read_text()))
    account = emissions_account(model, factors)
    for li in account.line_items:
        # the JSON form round-trips (source_loc, the in-memory location, is not serialised)
        assert LineItem.model_validate(li.model_dump()).model_dump() == li.model_dump()
        assert li.source_path and li.source_loc
    assert EmissionsAccount.model_validate(json.loads(account.model_dump_json())).model_dump() == account.model_dump()
