"""Portfolio assessment: nzn batch locally and on a Dask LocalCluster."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from assessment.cli import app
from assessment.portfolio.batch import collect_inputs, output_names
from tests.conftest import SAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def batch_inputs(tmp_path_factory):
    """The two samples plus a workbook with a wrong cell (population typed as text)."""
    from assessment.emissions.factors import load_factors
    from assessment.io.examples import load_example
    from assessment.io.template import write_template
    from assessment.model.method import load_method

    folder = tmp_path_factory.mktemp("inputs")
    shutil.copy(SAMPLES / "riverside-retrofit.xlsx", folder)
    shutil.copy(SAMPLES / "harbourside-newbuild.json", folder)
    broken = folder / "broken.xlsx"
    write_template(broken, load_method(), load_factors(), load_example("riverside-retrofit"))
    wb = load_workbook(broken)
    sheet, ref = list(wb.defined_names["population"].destinations)[0]
    wb[sheet][ref.replace("$", "")] = "ten thousand"
    wb.save(broken)
    return folder, f"{sheet}!{ref.replace('$', '')}"


def _run(folder, out, *extra):
    return runner.invoke(app, ["batch", str(folder), "-o", str(out), "--date", "2026-01-01", "-q", *extra])


def test_batch_writes_reports_lists_the_broken_input_and_exits_1(batch_inputs, tmp_path):
    folder, broken_cell = batch_inputs
    out = tmp_path / "out"
    result = _run(folder, out, "--jobs", "2")
    assert result.exit_code == 1, result.output
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert sorted(p.name for p in (out / "manifest").glob("[!.]*.json")) == ["harbourside-newbuild.json", "riverside-retrofit.json"]
    assert names == [
        "harbourside-newbuild.json",
        "harbourside-newbuild.pdf",
        "portfolio.pdf",
        "portfolio.xlsx",
        "riverside-retrofit.json",
        "riverside-retrofit.pdf",
    ]
    assert "broken.xlsx" in result.output and broken_cell in result.output, result.output
    ws = load_workbook(out / "portfolio.xlsx")["Portfolio"]
    assert "portfolio" in ws.tables
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 2 and rows[0][0] == 1 and rows[0][11] >= rows[1][11], "ranked by overall score"
    assert ws.conditional_formatting, "scores are shaded"
    failed = load_workbook(out / "portfolio.xlsx")["Failed"]
    assert failed["A2"].value == "broken.xlsx" and broken_cell in failed["B2"].value
    text = " ".join(p.extract_text() for p in PdfReader(out / "portfolio.pdf").pages)
    assert "Riverside Community (illustrative)" in text and "broken.xlsx" in text


def test_jobs_1_and_2_give_the_same_results(batch_inputs, tmp_path):
    folder, _cell = batch_inputs
    a, b = tmp_path / "a", tmp_path / "b"
    assert _run(folder, a, "--jobs", "1", "--no-pdf").exit_code == 1  # the results JSON is what is compared
    assert _run(folder, b, "--jobs", "2", "--no-pdf").exit_code == 1
    for name in ("riverside-retrofit.json", "harbourside-newbuild.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_dask_local_cluster_gives_the_same_results_json(batch_inputs, tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is part of the test extras")
    folder, broken_cell = batch_inputs
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert _run(folder, local, "--jobs", "1", "--no-pdf").exit_code == 1
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = _run(folder, remote, "--dask-scheduler", cluster.scheduler_address, "--no-pdf")
    assert result.exit_code == 1, result.output
    assert broken_cell in result.output
    for name in ("riverside-retrofit.json", "harbourside-newbuild.json"):
        assert (local / name).read_bytes() == (remote / name).read_bytes(), name
    assert (remote / "portfolio.xlsx").exists() and (remote / "portfolio.pdf").exists()


def test_inputs_from_files_folders_and_globs(tmp_path):
    for name in ("a.xlsx", "b.json", "c.yaml", "notes.txt", "~$a.xlsx"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.xlsx").write_text("x")
    paths, unmatched = collect_inputs([str(tmp_path), str(tmp_path / "sub" / "*.xlsx"), str(tmp_path / "missing-*.xlsx")])
    assert [p.name for p in paths] == ["a.xlsx", "b.json", "c.yaml", "a.xlsx"]
    assert unmatched == [str(tmp_path / "missing-*.xlsx")]
    assert output_names(paths) == [f"{tmp_path.name}-a", "b", "c", "sub-a"]


def test_compare_before_and_after_a_plan(tmp_path):
    import json

    data = json.loads((SAMPLES / "riverside-retrofit.json").read_text())
    before = tmp_path / "before.json"
    before.write_text(json.dumps(data))
    # the plan: 350,000 m3 less gas in the residential blocks, and one action implemented
    data["energy_use"][1]["amount"] -= 350_000
    for a in data["module_actions"]:
        if a["action_id"] == "m01_a03":
            a["status"] = "implemented"
    after = tmp_path / "after.json"
    after.write_text(json.dumps(data))
    results_a = tmp_path / "a-results.json"
    assert runner.invoke(app, ["assess", str(before), "--json", str(results_a), "-q"]).exit_code == 0
    html = tmp_path / "cmp.html"
    # A as a results JSON, B as an input: both are accepted
    result = runner.invoke(app, ["compare", str(results_a), str(after), "-o", str(html), "-o", str(tmp_path / "cmp.pdf"), "-q"])
    assert result.exit_code == 0, result.output
    page = html.read_text()
    # 350,000 m3 x 2.06672 kgCO2e/m3 (DESNZ 2025, fuel.natural_gas.m3) / 1000 = 723.352 tCO2e less -> "−723" (a true minus)
    assert "\u2212723" in page
    assert "planned" in page and "implemented" in page, "the action's change of status is listed"
    assert (tmp_path / "cmp.pdf").read_bytes().startswith(b"%PDF-")


def test_dask_workers_are_restarted_between_windows(tmp_path, monkeypatch):
    """The Dask path restarts its workers after TASKS_PER_WORKER tasks per worker thread (issue #21, item 1). With one
    single-threaded worker and windows of 2, five inputs make three windows, so the client restarts the workers twice
    (ceil(5 / 2) - 1), and every input is still assessed once."""
    distributed = pytest.importorskip("dask.distributed", reason="the dask extra is part of the test extras")
    from assessment.portfolio import batch
    from tests.conftest import varied_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    inputs = varied_inputs(folder, 5)
    monkeypatch.setattr(batch, "TASKS_PER_WORKER", 2)
    restarts = []
    original = distributed.Client.restart

    def counted(self, *args, **kwargs):
        restarts.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(distributed.Client, "restart", counted)
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = _run(folder, out, "--dask-scheduler", cluster.scheduler_address, "--no-pdf")
    assert result.exit_code == 0, result.output
    assert len(restarts) == 2
    assert sorted(p.name for p in (out / "manifest").glob("[!.]*.json")) == sorted(f"{p.stem}.json" for p in inputs)
    assert all((out / f"{p.stem}.json").exists() for p in inputs)
