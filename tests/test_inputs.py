"""The input side: template, reader, JSON/YAML twins, schema and the generated docs."""

from __future__ import annotations

import json

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from assessment.checks import validate_input
from assessment.cli import app
from assessment.docgen import DOCS
from assessment.errors import InputInvalid
from assessment.io.load import load_input
from assessment.io.template import write_template
from assessment.model.inputs import SCALAR_SECTIONS, NeighbourhoodInput, table_fields
from tests.conftest import ROOT, SAMPLE_NAMES, SAMPLES

runner = CliRunner()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_xlsx_and_json_twins_give_equal_models(name, method, factors):
    xlsx = validate_input(SAMPLES / f"{name}.xlsx", method, factors=factors)
    js = validate_input(SAMPLES / f"{name}.json", method, factors=factors)
    assert xlsx.model == js.model
    assert xlsx.format == "xlsx" and js.format == "json"


@pytest.mark.parametrize("suffix", ["xlsx", "json"])
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_validate_samples_exit_0(name, suffix):
    result = runner.invoke(app, ["validate", str(SAMPLES / f"{name}.{suffix}")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_yaml_input_equals_json(tmp_path, method, factors):
    data = json.loads((SAMPLES / "harbourside-newbuild.json").read_text())
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert (
        validate_input(path, method, factors=factors).model
        == validate_input(SAMPLES / "harbourside-newbuild.json", method, factors=factors).model
    )


def test_template_structure(tmp_path, method, factors):
    path = tmp_path / "t.xlsx"
    write_template(path, method, factors)
    wb = load_workbook(path)
    names = set(wb.defined_names)
    for _attr, model, _sheet in SCALAR_SECTIONS:
        assert set(model.model_fields) <= names, "every scalar is a defined name equal to its field name"
    assert {"template_version", "template_language"} <= names
    tables = {t for ws in wb.worksheets for t in ws.tables}
    assert set(table_fields()) <= tables
    assert {f"{m.id}_actions" for m in method.modules} <= tables
    energy = wb["Energy"]
    assert energy.freeze_panes, "header rows are frozen"
    lists = [dv for dv in energy.data_validations.dataValidation if dv.type == "list"]
    assert lists, "enumerations have drop-downs"
    ranges = [dv for ws in wb.worksheets for dv in ws.data_validations.dataValidation if dv.type in ("decimal", "whole")]
    assert ranges, "numbers have range validation"
    headers = [c.value for c in energy[5]]
    assert any(h and "[kWh]" not in h and "Annual amount" in h for h in headers)
    assert any(h and h.startswith("Data quality") for h in headers)


def _set_name(wb, name, value):
    dn = wb.defined_names[name]
    ((sheet, ref),) = list(dn.destinations)
    wb[sheet][ref.replace("$", "")] = value


def _append(wb, table_name, row: dict):
    for ws in wb.worksheets:
        if table_name in ws.tables:
            t = ws.tables[table_name]
            first, last = t.ref.split(":")
            from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

            col0, hrow = coordinate_from_string(first)
            c0 = column_index_from_string(col0)
            headers = [ws.cell(row=hrow, column=c0 + j).value for j in range(len(t.tableColumns))]
            r = hrow + 1
            while any(ws.cell(row=r, column=c0 + j).value not in (None, "") for j in range(len(headers))):
                r += 1
            for j, h in enumerate(headers):
                for key, value in row.items():
                    if h.split(" [")[0] == key:
                        ws.cell(row=r, column=c0 + j, value=value)
            return
    raise KeyError(table_name)


def test_fill_blank_template_by_names_then_validate(tmp_path, method, factors):
    """Filling the template with openpyxl by defined names and table names gives a valid input."""
    path = tmp_path / "t.xlsx"
    write_template(path, method, factors)
    wb = load_workbook(path)
    for name, value in dict(
        neighbourhood_id="test-1",
        name="Test",
        city="Leeds",
        country="UK",
        grid_region="GB",
        reporting_year=2024,
        target_net_zero_year=2040,
        population=1200,
        site_area_ha=8,
        gfa_residential_m2=50000,
    ).items():
        _set_name(wb, name, value)
    _append(
        wb,
        "energy_use",
        {
            "Building or use group": "Block 1",
            "Use": "residential",
            "Energy carrier": "grid electricity",
            "Annual amount": 1500,
            "Unit": "MWh",
            "Data quality": "measured",
        },
    )
    wb.save(path)
    loaded = validate_input(path, method, factors=factors)
    assert loaded.model.profile.population == 1200
    assert loaded.model.energy_use[0].carrier.value == "grid_electricity"  # label from the drop-down -> code
    assert loaded.where(("energy_use", 0, "amount")).startswith("Energy!")


def test_json_errors_use_json_paths(tmp_path, method):
    data = json.loads((SAMPLES / "riverside-retrofit.json").read_text())
    data["energy_use"][2]["amount"] = "lots"
    data["profile"]["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputInvalid) as exc:
        load_input(path, method)
    wheres = {i.where for i in exc.value.issues}
    assert "$.energy_use[2].amount" in wheres
    assert "$.profile.colour" in wheres


def test_schema_command_prints_the_model_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == json.loads(json.dumps(NeighbourhoodInput.model_json_schema()))
    assert "energy_use" in schema["properties"]


@pytest.mark.parametrize("rel", sorted(DOCS))
def test_generated_docs_are_up_to_date(rel):
    assert (ROOT / rel).read_text(encoding="utf-8") == DOCS[rel](), "run: python -m assessment.docgen"


def test_blank_means_not_reported(method, factors):
    """An optional field left blank is None, never 0 (DESIGN.md: blank is not zero)."""
    m = validate_input(SAMPLES / "harbourside-newbuild.xlsx", method, factors=factors).model
    assert m.profile.baseline_year is None
    assert m.profile.gfa_industrial_m2 is None
