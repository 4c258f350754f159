"""The query page in a real headless browser (Debian chromium driven by
Playwright): it loads nothing from outside 127.0.0.1, a click on a named query
shows its result table, and values are shown as text, never as HTML."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import REPO
from conftest_browser import ARTIFACTS, launch, playwright_api
from conftest_servers import anze_kg_server

HOSTILE = '<img src=x onerror="window.__pwned=1"><b>粗体</b> & "quotes"'


@pytest.fixture(scope="module")
def endpoint(built):
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(built[1]), "--timeout", "20") as base:
        yield base


@pytest.fixture
def page(endpoint):
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with playwright_api.sync_playwright() as pw:
        browser = launch(pw)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", route)
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not
               msg.text.startswith("Failed to load resource: the server responded with a status of 4") else None)
        tab.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
        tab.goto(endpoint + "/")
        yield tab
        browser.close()
    assert outside == [], "the page asked for something outside 127.0.0.1"
    assert errors == []


def test_a_click_on_a_named_query_shows_its_table(page):
    buttons = page.locator("button.named")
    buttons.first.wait_for(timeout=30_000)
    names = [b.get_attribute("data-name") for b in buttons.all()]
    assert sorted(names) == sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    assert "indicators-2023" in names
    page.locator('button.named[data-name="indicators-2023"]').click()
    page.locator("#results tbody tr").first.wait_for(timeout=60_000)
    assert page.locator("#results tbody tr").count() > 0
    assert page.locator("#results thead th").count() > 0
    assert "121.6" in page.locator("#results").inner_text()  # 全县地区生产总值完成121.6亿元
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-page.png"))
    assert "rows in" in page.locator("#status").inner_text()


def test_values_are_escaped(page):
    literal = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    page.locator("#editor").fill(f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}')
    page.locator("#run").click()
    cell = page.locator("#results tbody td").first
    cell.wait_for(timeout=60_000)
    assert cell.inner_text() == HOSTILE
    assert page.locator("#results img, #results b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_an_error_is_shown_with_its_status(page):
    page.locator("#editor").fill("SELECT ?s WHERE { ?s ?p }")
    page.locator("#run").click()
    error = page.locator("#error")
    error.wait_for(state="visible", timeout=60_000)
    assert error.inner_text().startswith("400")
