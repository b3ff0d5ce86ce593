"""The dashboard end to end: a database coded from real articles, the server started as
``python -m communique.cli serve``, and the page driven in headless Chromium by Playwright.

Skipped when Playwright or /usr/bin/chromium is missing (no browser is ever downloaded).
Screenshots go to tests/screenshots/.
"""
from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, serving

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: the dashboard test needs it", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    pytest.skip("the playwright package is not installed: the dashboard test needs it", allow_module_level=True)

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLE = ROOT / "examples" / "iran-cuba-tehran.txt"
WIKINEWS = SHARED / "data" / "corpora" / "wikinews.jsonl.gz"
SCREENSHOTS = ROOT / "tests" / "screenshots"
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A database coded from the example article and, when present, 30 Wikinews articles."""
    import communique

    folder = tmp_path_factory.mktemp("dashboard")
    inputs = [str(EXAMPLE)]
    if WIKINEWS.exists():
        with gzip.open(WIKINEWS, "rt", encoding="utf-8") as f:
            lines = [line for _, line in zip(range(30), f, strict=False)]
        (folder / "wikinews.jsonl").write_text("".join(lines), encoding="utf-8")
        inputs.append(str(folder / "wikinews.jsonl"))
    path = str(folder / "dashboard.duckdb")
    assert not communique.ingest(inputs, db=path).failed
    return path


def get(base: str, path: str, **params):
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    with urllib.request.urlopen(f"{base}{path}" + (f"?{query}" if query else ""), timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(db, tmp_path_factory):
    """The base URL of ``communique serve`` over the database, running in a subprocess."""
    with serving(db, tmp_path_factory.mktemp("server") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


class Page:
    """A fresh 1280x900 page recording its requests and console errors; requests that would
    leave 127.0.0.1 are recorded and aborted."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.context.route("**/*", lambda route: route.continue_() if self.local(route.request.url) else route.abort())

    @staticmethod
    def local(url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in LOCAL_SCHEMES or parts.hostname == "127.0.0.1"

    def outside(self) -> list[str]:
        return [u for u in self.requests if not self.local(u)]


@pytest.fixture
def tab(browser):
    tab = Page(browser)
    yield tab
    tab.context.close()


def shoot(target, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if hasattr(target, "goto"):
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    return path


def test_dashboard(server, tab):
    page = tab.page
    summary = get(server, "/api/summary")
    shots = []

    page.goto(server + "/")
    expect(page.locator("#summary")).to_contain_text(f"{summary['events']} events")
    expect(page.locator("#filter-type option")).to_have_count(len(summary["types"]) + 1)
    rows = page.locator("#events tbody tr[data-event]")
    expect(rows.first).to_be_visible()
    expect(page.locator("#page-info")).to_contain_text(f"of {summary['events']}")
    expect(page.locator("#dyad-chart .plot-container")).to_have_count(1)
    expect(page.locator("#alignment-chart .plot-container svg").first).to_be_attached()
    expect(page.locator("#coalitions li").first).to_be_visible()
    shots.append(shoot(page, "dashboard-loaded"))

    # one dyad: every row IRN -> CUB, and the timeline of that dyad
    dyad = get(server, "/api/events", source="IRN", target="CUB", limit=25)
    assert dyad["total"] > 0, "the example article has IRN -> CUB events"
    page.fill("#filter-source", "irn")
    page.fill("#filter-target", "CUB")
    page.click("#apply")
    expect(page.locator("#page-info")).to_have_text(f"rows 1–{len(dyad['rows'])} of {dyad['total']}")
    expect(rows).to_have_count(len(dyad["rows"]))
    shown = rows.evaluate_all("rows => rows.map(r => [r.dataset.source, r.dataset.target])")
    assert shown and all(pair == ["IRN", "CUB"] for pair in shown), shown
    expect(page.locator("#dyad-chart .gtitle")).to_contain_text("IRN and CUB")
    shots.append(shoot(page, "dashboard-filtered"))

    # the evidence of one event: its sentence with the trigger highlighted
    first = rows.first
    article_id, event_no = first.get_attribute("data-article"), first.get_attribute("data-event")
    detail = get(server, f"/api/events/{urllib.parse.quote(article_id, safe='')}/{event_no}")
    event = detail["event"]
    first.locator("td.type").click()
    sentence = page.locator("#evidence .sentence")
    expect(sentence).to_have_text(event["sentence"])
    trigger = "".join(sentence.locator("mark.trigger").all_text_contents())
    start = event["trigger_start"] - event["span_start"]
    assert trigger == event["sentence"][start:start + event["trigger_end"] - event["trigger_start"]] == event["trigger"]
    for mention in detail["mentions"]:
        expect(sentence.locator(f"mark.{mention['role']}").first).to_be_attached()
    expect(page.locator("#evidence")).to_contain_text(event["cameo"])
    if detail["quote"]:
        expect(page.locator("#evidence blockquote")).to_contain_text(detail["quote"]["text"])
    shots.append(shoot(page.locator("#evidence"), "dashboard-evidence"))

    # the actor page of IRN, reached by its link, and back
    page.locator("#events tbody a.country", has_text="IRN").first.click()
    expect(page).to_have_url(server + "/#actor/IRN")
    expect(page.locator("#actor")).to_be_visible()
    expect(page.locator("#main")).to_be_hidden()
    expect(page.locator("#actor-quotes li blockquote").first).to_be_visible()
    shots.append(shoot(page, "dashboard-actor"))
    page.click("#back")
    expect(page.locator("#main")).to_be_visible()
    expect(page.locator("#actor")).to_be_hidden()

    assert not tab.outside(), f"requests outside 127.0.0.1: {tab.outside()}"
    assert not tab.errors, f"console errors: {tab.errors}"
    for path in shots:
        assert path.exists() and path.stat().st_size > 0, path


def test_dashboard_shows_api_errors(server, tab):
    page = tab.page
    page.goto(server + "/")
    expect(page.locator("#events tbody tr[data-event]").first).to_be_visible()
    page.fill("#filter-since", "2019-03-01")
    page.fill("#filter-until", "2019-01-01")
    page.click("#apply")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error")).to_contain_text("since (2019-03-01) is after until (2019-01-01)")
    page.click("#error .close")
    expect(page.locator("#error")).to_be_hidden()

    page.goto(server + "/#actor/cub")
    expect(page.locator("#actor-code")).to_have_text("CUB")
    # the browser reports the failed (400) request itself; anything else is an error of ours
    assert not [e for e in tab.errors if not e.startswith("Failed to load resource")], tab.errors
    assert not tab.outside(), f"requests outside 127.0.0.1: {tab.outside()}"
