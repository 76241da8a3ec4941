"""`nzn serve` at the HTTP level (FastAPI's TestClient): the same messages as `nzn validate`, the CLI's limits,
4xx (never 500) for bad uploads, no upload left on disk, strict security headers, and renders off the event loop.
Expected texts come from the CLI run on the same file (the page must say exactly what `nzn validate` says)."""

from __future__ import annotations

import html
import json
import re
import tempfile
import threading
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assessment.cli.app import app as cli
from assessment.io.limits import Limits
from assessment.numbers import number
from assessment.serve import create_app
from assessment.serve.app import CSP
from tests.serve_helpers import broken_workbook, example_workbook

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    broken, cells = broken_workbook(folder)
    return {"good": example_workbook(folder), "broken": broken, "cells": cells}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def upload(client, path_or_bytes, name="riverside.xlsx", **data):
    body = path_or_bytes.read_bytes() if hasattr(path_or_bytes, "read_bytes") else path_or_bytes
    return client.post("/assess", files={"workbook": (name, body, "application/octet-stream")}, data=data, follow_redirects=False)


def wait_ready(client, location: str, timeout_s: float = 120) -> str:
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        page = client.get(location).text
        if "The scorecard is ready." in page or "could not be rendered" in page:
            return page
        time.sleep(0.3)
    raise AssertionError("the report was not rendered in time")


def test_index_is_self_contained_with_strict_headers(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP and "default-src 'none'" in CSP and "script-src" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    # every link and resource is on this server: no scheme or protocol-relative URL in any src/href/action
    refs = re.findall(r'(?:src|href|action)="([^"]*)"', r.text)
    assert refs and all(ref.startswith(("/", "?")) for ref in refs), refs
    assert '<form method="post" action="/assess" enctype="multipart/form-data">' in r.text
    assert "<script" not in r.text
    assert client.get("/static/serve.css").headers["content-type"].startswith("text/css")


def test_templates_download(client):
    blank = client.get("/template.xlsx")
    assert blank.status_code == 200 and blank.content[:2] == b"PK"
    example = client.get("/template.xlsx?example=riverside-retrofit&lang=zh")
    assert example.status_code == 200 and example.content[:2] == b"PK" and example.content != blank.content
    assert client.get("/template.xlsx?example=../../etc/passwd").status_code == 404


def test_upload_sample_summary_and_every_download(client, files):
    r = upload(client, files["good"])
    assert r.status_code == 303
    location = r.headers["location"]
    page = wait_ready(client, location)
    # the figures the CLI computes for the same file
    out = files["good"].parent / "cli.json"
    assert runner.invoke(cli, ["assess", str(files["good"]), "--json", str(out), "-q"]).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "Riverside Community (illustrative)" in page
    assert number(doc["emissions"]["net_tco2e_per_year"]) in page and number(doc["overall"]["score"], 1) in page
    job = location.split("/")[2].split("?")[0]
    got = {n: client.get(f"/jobs/{job}/{n}") for n in ("report.pdf", "report.html", "results.json", "results.xlsx")}
    assert all(g.status_code == 200 for g in got.values())
    assert got["report.pdf"].content.startswith(b"%PDF-")
    assert got["report.html"].content.startswith(b"<!DOCTYPE html>")
    assert got["results.xlsx"].content[:2] == b"PK"
    served = json.loads(got["results.json"].content)
    # the same engine as the CLI: identical results apart from the input's file name
    served["input"]["file_name"] = doc["input"]["file_name"]
    assert served == doc
    assert got["report.pdf"].headers["content-disposition"] == 'attachment; filename="cn-cd-riverside-report.pdf"'
    assert client.get(f"/jobs/{job}/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_broken_workbook_lists_what_nzn_validate_lists(client, files):
    r = upload(client, files["broken"], name="broken.xlsx")
    assert r.status_code == 422
    cli_run = runner.invoke(cli, ["validate", str(files["broken"])])
    assert cli_run.exit_code == 2
    lines = [ln.strip() for ln in cli_run.stderr.splitlines()[1:] if ln.strip()]
    assert lines and all(any(ln.startswith(c) for ln in lines) for c in files["cells"])  # cell-addressed, both cells
    shown = [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", r.text)]
    assert shown == lines  # every problem, in the same order and words as the CLI


def test_non_workbook_too_large_and_hostile_uploads_get_4xx(files, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the upload folders go here: none may be left
    big_file = tmp_path / "big.xlsx"
    big_file.write_bytes(b"PK" + b"\0" * 1_048_000)
    cli_big = runner.invoke(cli, ["validate", str(big_file), "--max-file-mb", "1"])
    assert cli_big.exit_code == 2
    cli_message = cli_big.stderr.splitlines()[1].strip()  # "big.xlsx: the file is 1 MB, more than the limit of 1 MB (...)"
    with TestClient(create_app(limits=Limits(max_file_bytes=1_000_000))) as c:
        text = upload(c, b"just some text, not a workbook", name="notes.xlsx")
        assert text.status_code == 422 and "notes.xlsx: this file is not an .xlsx workbook" in html.unescape(text.text)
        big = upload(c, big_file, name="big.xlsx")  # over the limit, within the form's margin: refused on reading
        assert big.status_code == 413 and cli_message.split(": ", 1)[1] in html.unescape(big.text)
        huge = upload(c, b"PK" + b"\0" * 3_000_000, name="huge.xlsx")  # refused on its Content-Length, before parsing
        assert huge.status_code == 413 and "more than the limit of 1 MB (use --max-file-mb for big real cases)" in huge.text
        evil = upload(c, b"PK\x03\x04garbage", name="../../../../tmp/evil.xlsx")
        assert 400 <= evil.status_code < 500 and "evil.xlsx" in evil.text and "Traceback" not in evil.text
        assert c.post("/assess", data={"lang": "en"}).status_code == 400  # no file
        assert c.post("/assess", content=b"\xff" * 100, headers={"content-type": "multipart/form-data; boundary=x"}).status_code in (
            400,
            422,
        )
    assert not list(tmp_path.glob("nzn-upload-*"))
    assert not (tmp_path / "evil.xlsx").exists()


def test_a_slow_render_does_not_hold_up_other_requests(files):
    with TestClient(create_app()) as c:
        desk = c.app.state.desk
        release, started = threading.Event(), threading.Event()

        def slow(job):  # a render held until released (the real one is tested above): then the job is marked ready
            started.set()
            release.wait(60)
            job.html, job.pdf, job.state = b"<!DOCTYPE html>", b"%PDF-", "ready"
            job.done.set()

        desk._render = slow
        try:
            location = upload(c, files["good"]).headers["location"]
            assert started.wait(30)
            # the render is held: the page, another page and the job's state all answer meanwhile
            assert c.get("/").status_code == 200
            waiting = c.get(location)
            assert waiting.status_code == 200 and "Preparing the scorecard…" in waiting.text and 'http-equiv="refresh"' in waiting.text
            job = location.split("/")[2].split("?")[0]
            assert c.get(f"/jobs/{job}/report.pdf").status_code == 409
            assert c.get(f"/jobs/{job}/results.json").status_code == 200
        finally:
            release.set()
        assert "The scorecard is ready." in wait_ready(c, location)
        assert c.get(f"/jobs/{job}/report.pdf").status_code == 200


def test_with_a_store_records_lists_and_draws_the_trend(files, tmp_path):
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    with TestClient(create_app(store=url)) as c:
        c.app.state.desk._render = lambda job: job.done.set()  # the scorecard's render is tested above; here the store
        first = upload(c, files["good"], record="on")
        assert first.status_code == 303
        again = upload(c, files["good"], record="on")
        assert again.status_code == 409 and "cn-cd-riverside 2024" in again.text and "--replace" in again.text
        assert upload(c, files["good"], record="on", replace="on").status_code == 303
        chinese = c.get(upload(c, files["good"], lang="zh").headers["location"])  # the language chosen on the form
        assert chinese.status_code == 200 and "净排放" in chinese.text and "下载" in chinese.text and "Net emissions" not in chinese.text
        listing = c.get("/history")
        assert listing.status_code == 200 and "/history/cn-cd-riverside" in listing.text
        trend = c.get("/history/cn-cd-riverside")
        assert trend.status_code == 200 and "2024" in trend.text and 'src="/history/cn-cd-riverside/emissions.svg' in trend.text
        assert c.get("/history/cn-cd-riverside/emissions.svg").text.startswith("<svg")
        assert c.get("/history/cn-cd-riverside/trend.pdf").content.startswith(b"%PDF-")
        assert c.get("/history/nobody").status_code == 404
