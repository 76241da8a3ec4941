"""`nzn serve` driven in a real headless browser: Debian's chromium (/usr/bin/chromium) through Playwright's Python
package, the system browser only (nothing downloaded). JavaScript is off, as the plain HTML form must work without
it; every request the page makes is recorded, and any that leaves 127.0.0.1 fails the test (and is aborted).

Without chromium the cases are skipped, and with ``NZN_REQUIRE_BROWSER=1`` (as .ci/run sets) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest

from assessment.serve import create_app
from tests.serve_helpers import broken_workbook, example_workbook

CHROMIUM = os.environ.get("NZN_CHROMIUM", "/usr/bin/chromium")


def _need_browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("NZN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing but NZN_REQUIRE_BROWSER=1 (see .ci/run)")
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium to run the browser tests")
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server():
    """The page served by uvicorn on a free loopback port, in a thread of this process."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not srv.started and time.monotonic() < end:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    api = _need_browser()
    with api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    seen: list[str] = []
    outside: list[str] = []

    def check(route):
        url = route.request.url
        seen.append(url)
        if urlsplit(url).hostname != "127.0.0.1":
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", check)
    pg = context.new_page()
    pg.on("request", lambda req: seen.append(req.url))
    yield pg
    context.close()
    assert seen, "the page made no request at all"
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in seen if not u.startswith(("data:", "about:")))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    broken, cells = broken_workbook(folder)
    return {"good": example_workbook(folder), "broken": broken, "cells": cells, "text": folder / "notes.xlsx"}


def submit(page, server, path):
    page.goto(server + "/")
    page.set_input_files("#workbook", str(path))
    page.click("button[type=submit]")


def test_upload_sample_see_summary_download_pdf(page, server, files, tmp_path):
    submit(page, server, files["good"])
    page.wait_for_selector("#summary h2")
    assert "Riverside Community (illustrative)" in page.inner_text("#summary h2")
    assert "Net emissions" in page.inner_text("#summary")
    # the page refreshes itself (a meta refresh: no script) until the scorecard is rendered
    page.wait_for_selector("text=The scorecard is ready.", timeout=120_000)
    with page.expect_download() as info:
        page.click("text=Scorecard (PDF)")
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert info.value.suggested_filename == "cn-cd-riverside-report.pdf"


def test_broken_workbook_shows_cell_addressed_messages(page, server, files):
    submit(page, server, files["broken"])
    page.wait_for_selector(".refused")
    items = page.locator(".problems li").all_inner_texts()
    for cell in files["cells"]:  # e.g. "Energy!E12: ..." for each of the two broken cells
        assert any(item.startswith(cell + ":") for item in items), (cell, items)


def test_non_workbook_is_refused(page, server, files):
    files["text"].write_text("a shopping list, not a workbook", encoding="utf-8")
    submit(page, server, files["text"])
    page.wait_for_selector(".refused")
    assert "notes.xlsx: this file is not an .xlsx workbook" in page.inner_text(".refused")
