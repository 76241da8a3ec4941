"""The history store (assessment/store, docs/store.md) on SQLite and on a real PostgreSQL server.

PostgreSQL: ``NZN_TEST_PG_URL`` names a server database the tests may create databases on (.ci/run starts one). When
it is absent the PostgreSQL cases are skipped (shown as skipped, never passed), and with ``NZN_REQUIRE_PG=1`` (as CI
sets) they fail instead.

Expected figures are read from the results JSON the same run wrote (the store must hand back exactly what it was
given); changes between years are the differences of those documents' own figures (docs/results.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.checks import validate_input
from assessment.cli.app import app, bare_store_flag
from assessment.emissions.factors import load_factors
from assessment.model.method import load_method
from assessment.paths import modules_dir
from assessment.pipeline import assess, results_json
from assessment.store import AlreadyRecorded, Store, StoreError, default_store_path, resolve_url
from assessment.store.history import history_entry, portfolio_rows, version_changes
from assessment.store.schema import HEAD_REVISION
from tests.conftest import SAMPLES

runner = CliRunner()
PG_ENV, REQUIRE_PG_ENV = "NZN_TEST_PG_URL", "NZN_REQUIRE_PG"
YEARS = (2022, 2023, 2024)


def year_input(folder: Path, year: int, grid_mwh: float, nid: str = "cn-cd-riverside") -> Path:
    """The Riverside sample (JSON twin) as reported in ``year``, with its first energy row (residential grid electricity,
    9,800 MWh in the sample) set to ``grid_mwh``."""
    doc = json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8"))
    doc["profile"]["reporting_year"] = year
    doc["profile"]["neighbourhood_id"] = nid
    doc["energy_use"][0]["amount"] = grid_mwh
    path = folder / f"{nid}-{year}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def results_of(path: Path, method_dir: Path | None = None) -> str:
    method, factors = load_method(method_dir), load_factors()
    return results_json(assess(validate_input(path, method, factors=factors), method, factors))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("years")
    # electricity falls year by year (9,800 -> 9,000 -> 8,200 MWh): net emissions fall with it
    return {y: year_input(folder, y, mwh) for y, mwh in zip(YEARS, (9800.0, 9000.0, 8200.0))}


@pytest.fixture(scope="module")
def texts(inputs) -> dict[int, str]:
    return {y: results_of(p) for y, p in inputs.items()}


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get(REQUIRE_PG_ENV) == "1":
            pytest.fail(f"{PG_ENV} is not set but {REQUIRE_PG_ENV}=1: the PostgreSQL store tests must run (see .ci/run)")
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (postgresql+psycopg://user@host:port/db) to run these cases")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store: a new SQLite file, or a new database on the PostgreSQL server (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.sqlite'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url())
    name = f"nzn_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def test_three_years_recorded_and_read_back_identical(store_url, texts):
    with Store(store_url) as st:
        for y in YEARS:
            st.record([texts[y]])
        got = st.years("cn-cd-riverside")
    assert [r.reporting_year for r in got] == list(YEARS)
    assert [r.results_json for r in got] == [texts[y] for y in YEARS]  # byte for byte what was recorded
    result = runner.invoke(app, ["history", "cn-cd-riverside", "--store", store_url, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    for entry, y in zip(shown, YEARS):
        doc = json.loads(texts[y])
        assert entry["reporting_year"] == y
        assert entry["net_tco2e_per_year"] == doc["emissions"]["net_tco2e_per_year"]
        assert entry["overall"]["score"] == doc["overall"]["score"]
        assert entry["overall"]["rating"] == doc["overall"]["rating"]
        assert entry["method_version"] == doc["method"]["version"] == "1.0.0"
        assert entry["factors_version"] == doc["factors_version"]
    # less grid electricity each year: each year's net is below the year before (same method, same factors)
    nets = [e["net_tco2e_per_year"] for e in shown]
    assert nets[0] > nets[1] > nets[2]


def test_same_year_refused_unless_replace(store_url, inputs, tmp_path):
    first = runner.invoke(app, ["assess", str(inputs[2023]), "--store", store_url, "-q"])
    assert first.exit_code == 0, first.output
    again_json = tmp_path / "again.json"
    again = runner.invoke(app, ["assess", str(inputs[2023]), "--store", store_url, "--json", str(again_json), "-q"])
    assert again.exit_code == 2
    assert "cn-cd-riverside 2023 is already in the store" in again.output and "--replace" in again.output
    assert not again_json.exists()  # refused before anything was written
    changed = year_input(tmp_path, 2023, 5000.0)  # the same place and year, with a corrected electricity figure
    replaced = runner.invoke(app, ["assess", str(changed), "--store", store_url, "--replace", "--json", str(again_json), "-q"])
    assert replaced.exit_code == 0, replaced.output
    with Store(store_url) as st:
        rows = st.years("cn-cd-riverside")
        assert len(rows) == 1 and rows[0].results_json == again_json.read_text(encoding="utf-8")
        with pytest.raises(AlreadyRecorded):
            st.record([rows[0].results_json])


def test_method_version_change_flagged_in_trend(store_url, inputs, texts, tmp_path):
    custom = tmp_path / "method"
    shutil.copytree(modules_dir(), custom)
    toml = custom / "method.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('version = "1.0.0"', 'version = "1.1.0"', 1), encoding="utf-8")
    text_2024 = results_of(inputs[2024], custom)
    with Store(store_url) as st:
        st.record([texts[2022], texts[2023], text_2024])
        entries = [history_entry(r.results) for r in st.years("cn-cd-riverside")]
    changes = version_changes(entries)
    assert changes == [{"year": 2024, "previous_year": 2023, "note": "method gtn-default 1.0.0 → gtn-default 1.1.0"}]
    shown = runner.invoke(app, ["history", "cn-cd-riverside", "--store", store_url])
    assert shown.exit_code == 0 and "not like for like" in shown.output
    html = tmp_path / "trend.html"
    assert runner.invoke(app, ["history", "cn-cd-riverside", "--store", store_url, "-o", str(html)]).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "2023 → 2024: method gtn-default 1.0.0 → gtn-default 1.1.0" in page
    assert page.count('class="changed"') == 1  # only the 2024 row of the table


def test_trend_pdf_draws_each_year(tmp_path, texts):
    import pypdf

    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    with Store(url) as st:
        st.record(list(texts.values()))
    pdf = tmp_path / "trend.pdf"
    result = runner.invoke(app, ["history", "cn-cd-riverside", "--store", url, "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    for y in YEARS:
        assert str(y) in text
    assert "Gross and net emissions against the target path" in text and "Data quality" in text


WRITER = """
import json, sys
from assessment.store import Store
url, tag, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
doc = json.loads(open(sys.argv[5], encoding="utf-8").read())
import os, time
while not os.path.exists(go):
    time.sleep(0.01)
st = Store(url)
for i in range(n):
    doc["profile"]["neighbourhood_id"] = f"{tag}-{i}"
    st.record([json.dumps(doc)])
"""


def test_two_processes_recording_at_once_lose_nothing(store_url, texts, tmp_path):
    """Two writer processes, started together (a go file), each record 25 neighbourhoods one transaction at a time."""
    source = tmp_path / "doc.json"
    source.write_text(texts[2024], encoding="utf-8")
    go = tmp_path / "go"
    Store(store_url).close()  # the schema exists before the race (its creation is tested below)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, store_url, tag, "25", str(go), str(source)], stderr=subprocess.PIPE)
        for tag in ("a", "b")
    ]
    go.touch()
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Store(store_url) as st:
        ids = sorted(n["neighbourhood_id"] for n in st.neighbourhoods())
    assert ids == sorted(f"{t}-{i}" for t in "ab" for i in range(25))


def test_two_stores_opening_an_empty_database_at_once(store_url, tmp_path):
    """Two processes opening the same empty store at once: one creates the schema, the other waits and finds it made."""
    go = tmp_path / "go"
    code = (
        "import os,sys,time\nwhile not os.path.exists(sys.argv[2]): time.sleep(0.01)\n"
        "from assessment.store import Store\nStore(sys.argv[1]).close()"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url, str(go)], stderr=subprocess.PIPE) for _ in range(2)]
    go.touch()
    for p in procs:
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()
    with Store(store_url) as st:
        assert st.revision() == HEAD_REVISION


def test_migration_from_an_empty_store(store_url):
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, inspect

    import assessment.store as store_pkg

    engine = create_engine(store_url)
    assert inspect(engine).get_table_names() == []  # a new, empty database
    engine.dispose()
    with Store(store_url) as st:
        assert st.revision() == HEAD_REVISION
        assert st.neighbourhoods() == []
    engine = create_engine(store_url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version", "nzn_assessments"}
    engine.dispose()
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_pkg.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION  # the constant follows the migrations


def test_batch_records_every_neighbourhood(store_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for nid in ("p-one", "p-two"):
        year_input(folder, 2024, 9000.0, nid)
    result = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "out"), "--no-pdf", "-j", "1", "-q", "--store", store_url])
    assert result.exit_code == 0, result.output
    with Store(store_url) as st:
        assert [n["neighbourhood_id"] for n in st.neighbourhoods()] == ["p-one", "p-two"]
        for nid in ("p-one", "p-two"):
            [row] = st.years(nid)
            assert row.results_json == (tmp_path / "out" / f"{nid}-2024.json").read_text(encoding="utf-8")
    again = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "out2"), "--no-pdf", "-j", "1", "-q", "--store", store_url])
    assert again.exit_code == 2 and "p-one 2024" in again.output and "nothing was recorded" in again.output


def test_scorecard_since_last_year(tmp_path, inputs, texts):
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    with Store(url) as st:
        st.record([texts[2022]])
    html = tmp_path / "r.html"
    result = runner.invoke(app, ["assess", str(inputs[2023]), "--store", url, "-o", str(html), "-q"])
    assert result.exit_code == 0, result.output
    before, after = json.loads(texts[2022]), json.loads(texts[2023])
    # the change is the difference of the two recorded documents' own figures
    net_change = round(after["emissions"]["net_tco2e_per_year"] - before["emissions"]["net_tco2e_per_year"])
    assert net_change < 0
    page = html.read_text(encoding="utf-8")
    assert f'<p class="small since-last-year">Since 2022: net emissions −{abs(net_change):,} tCO2e a year' in page
    # without a store, or with no earlier year, the block is absent
    html2 = tmp_path / "r2.html"
    assert runner.invoke(app, ["assess", str(inputs[2022]), "-o", str(html2), "-q"]).exit_code == 0
    assert "since-last-year" not in html2.read_text(encoding="utf-8")


def test_portfolio_view_names_who_is_off_track(store_url, texts, tmp_path):
    other = year_input(tmp_path, 2024, 30000.0, "cn-cd-other")  # three times the electricity: above its path
    with Store(store_url) as st:
        st.record([texts[2023], texts[2024], results_of(other)])
    result = runner.invoke(app, ["history", "--portfolio", "--store", store_url, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["neighbourhood_id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"cn-cd-riverside", "cn-cd-other"}
    river = rows["cn-cd-riverside"]
    assert river["latest"]["reporting_year"] == 2024 and river["change"]["previous_year"] == 2023
    a, b = json.loads(texts[2023]), json.loads(texts[2024])
    assert river["change"]["net_tco2e_per_year"] == pytest.approx(
        b["emissions"]["net_tco2e_per_year"] - a["emissions"]["net_tco2e_per_year"]
    )
    # off track: the latest year's net above its own target path (trajectory.gap_tco2e > 0, docs/results.md)
    for r in rows.values():
        assert r["off_track"] == (r["latest"]["gap_tco2e"] > 0)
    assert rows["cn-cd-other"]["off_track"] and not river["off_track"]
    assert portfolio_rows({"x": [history_entry(b)]})[0]["change"]["previous_year"] is None


def test_store_urls_and_the_bare_flag(tmp_path, monkeypatch):
    monkeypatch.delenv("NZN_STORE", raising=False)
    assert resolve_url(None) == f"sqlite:///{default_store_path()}"
    assert default_store_path().name == "history.sqlite" and "nzn" in default_store_path().parts
    monkeypatch.setenv("NZN_STORE", "postgresql+psycopg://u@h/db")
    assert resolve_url("default") == "postgresql+psycopg://u@h/db"
    assert resolve_url(str(tmp_path / "x.sqlite")) == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert bare_store_flag(["assess", "a.xlsx", "--store"]) == ["assess", "a.xlsx", "--store", "default"]
    assert bare_store_flag(["assess", "--store", "a.xlsx"]) == ["assess", "--store", "default", "a.xlsx"]
    assert bare_store_flag(["assess", "a.xlsx", "--store", "-q"]) == ["assess", "a.xlsx", "--store", "default", "-q"]
    assert bare_store_flag(["assess", "a.xlsx", "--store", "h.sqlite"]) == ["assess", "a.xlsx", "--store", "h.sqlite"]
    assert bare_store_flag(["assess", "--store", "sqlite:///x"]) == ["assess", "--store", "sqlite:///x"]


def test_store_problems_are_messages(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"sqlite:///{tmp_path / 'missing' / 'h.sqlite'}")
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        Store("mysql://u@h/db")
    with pytest.raises(StoreError, match="cannot use the store"):
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    folder = tmp_path / "in"
    folder.mkdir()
    year_input(folder, 2024, 9000.0)
    bad = f"sqlite:///{tmp_path / 'missing' / 'h.sqlite'}"
    batch = runner.invoke(app, ["batch", str(folder), "-o", str(tmp_path / "out"), "--no-pdf", "-j", "1", "-q", "--store", bad])
    assert batch.exit_code == 2 and "does not exist" in batch.output
    assert not list((tmp_path / "out").glob("*.json"))  # refused before any neighbourhood was assessed
    result = runner.invoke(app, ["history", "x", "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "there is no store at" in result.output
    assert not (tmp_path / "none.sqlite").exists()


class _OneAtATime:
    """Results JSON texts handed out one by one: records how many the reader had taken when each was handed out, and
    how many times it was read (a list would hand the store every document at once)."""

    def __init__(self, texts: list[str]):
        self.texts, self.passes, self.handed = texts, 0, 0

    def __iter__(self):
        self.passes += 1
        for t in self.texts:
            self.handed += 1
            yield t


def test_record_reads_documents_one_at_a_time_and_keeps_all_or_none(tmp_path, texts):
    """Issue #21 (batch --store at national scale): the store takes any re-readable iterable, reads it once, and
    records every year of it; a year given twice in the stream is refused and nothing of the call is kept."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    stream = _OneAtATime([texts[y] for y in YEARS])
    with Store(url) as st:
        recorded = st.record(stream)
        assert [r.reporting_year for r in recorded] == list(YEARS) and stream.passes == 1 and stream.handed == 3
        assert [r.reporting_year for r in st.years("cn-cd-riverside")] == list(YEARS)
    other = f"sqlite:///{tmp_path / 't.sqlite'}"
    with Store(other) as st:
        with pytest.raises(AlreadyRecorded, match="more than once"):
            st.record(_OneAtATime([texts[2022], texts[2023], texts[2022]]))
        assert st.years("cn-cd-riverside") == [], "all or none: the first two were rolled back"


def test_batch_scorecards_compare_with_the_previous_recorded_year(tmp_path, inputs, texts, monkeypatch):
    """Issue #21: with --store, each batch scorecard gets the "since last year" block nzn assess --store gives it: the
    history entry of the neighbourhood's latest year recorded before its own (2023 for a 2024 input, with 2022 and
    2023 recorded), and none for a neighbourhood the store does not hold."""
    from assessment.portfolio import batch

    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    with Store(url) as st:
        st.record([texts[2022], texts[2023]])
    given: list = []

    def write_reports(result, method, outputs, *args, previous=None, **kw):
        given.append(previous)
        outputs[0].write_bytes(b"%PDF-")  # the rendering itself is not what this test is about

    monkeypatch.setattr(batch, "write_reports", write_reports)
    out = tmp_path / "out"
    out.mkdir()
    item = batch.assess_one(str(inputs[2024]), str(out), "r2024", assessment_date="2026-01-01", store=url)
    assert item.ok, item.messages
    assert given[-1] == history_entry(json.loads(texts[2023]))
    elsewhere = year_input(tmp_path, 2024, 9000, nid="cn-cd-elsewhere")
    assert batch.assess_one(str(elsewhere), str(out), "e2024", assessment_date="2026-01-01", store=url).ok
    assert given[-1] is None
