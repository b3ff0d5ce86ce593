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
from datetime import date
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
    dyadic = get(server, "/api/events", dyadic="true")["total"]  # "dyadic only" is on by default
    assert 0 < dyadic < summary["events"]
    expect(page.locator("#filter-dyadic")).to_be_checked()
    expect(page.locator("#page-info")).to_contain_text(f"of {dyadic}")
    expect(page.locator("#dyad-chart .plot-container")).to_have_count(1)
    expect(page.locator("#alignment-chart .plot-container svg").first).to_be_attached()
    expect(page.locator("#coalitions li").first).to_be_visible()
    shots.append(shoot(page, "dashboard-loaded"))

    # one dyad: every row IRN -> CUB, and the timeline of that dyad
    dyad = get(server, "/api/events", source="IRN", target="CUB", dyadic="true", limit=25)
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
    actor = get(server, "/api/actors/IRN", dyadic="true")
    expect(page.locator("#actor-name")).to_have_text("Iran")
    expect(page.locator("#actor-counts")).to_contain_text(f"{actor['events']['total']} events")
    expect(page.locator("#actor-partners tr td a.country").first).to_have_text(actor["partners"][0]["code"])
    expect(page.locator("#actor-partners tr")).to_have_count(len(actor["partners"]) + 1)
    if actor["timeline"]:
        expect(page.locator("#actor-timeline .plot-container")).to_have_count(1)
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

    page.click("#reset")
    expect(page.locator("#page-info")).to_contain_text("rows 1–")
    page.goto(server + "/#actor/cub")
    expect(page.locator("#actor-code")).to_have_text("CUB")
    expect(page.locator("#actor-name")).to_have_text("Cuba")
    # the browser reports the failed (400) request itself; anything else is an error of ours
    assert not [e for e in tab.errors if not e.startswith("Failed to load resource")], tab.errors
    assert not tab.outside(), f"requests outside 127.0.0.1: {tab.outside()}"


def api_requests(tab, path: str, since: int = 0) -> list[dict]:
    """The query parameters of the requests the page made to ``path`` (after the first ``since`` requests)."""
    found = []
    for url in tab.requests[since:]:
        parts = urllib.parse.urlsplit(url)
        if parts.path == path:
            found.append(dict(urllib.parse.parse_qsl(parts.query)))
    return found


def plotted(page, selector: str):
    """The data of the Plotly chart in ``selector`` (None if none is drawn)."""
    return page.evaluate(f"() => {{ const el = document.querySelector({json.dumps(selector)}); "
                         "return el && el.data ? el.data.map(t => ({x: t.x || null, locations: t.locations || null, "
                         "z: t.z || null, lat: t.lat || null})) : null; }")


def test_filters_reach_every_panel_and_the_map_draws_offline(server, tab):
    page = tab.page
    page.goto(server + "/")
    expect(page.locator("#events tbody tr[data-event]").first).to_be_visible()
    world = page.locator("#map-chart path.choroplethlocation")
    expect(world.first).to_be_attached()
    assert world.count() > 150, "the base map draws every country of the GeoJSON"
    everywhere = get(server, "/api/map", dyadic="true")
    expect(page.locator("#map-chart .scattergeo path.point")).to_have_count(len(everywhere["places"]))
    expect(page.locator("#map-chart")).to_have_attribute("data-places", str(len(everywhere["places"])))
    shoot(page.locator("#map-chart"), "dashboard-map")

    # a date range with dated events: every panel asks for it and shows what the API gives for it
    dated = sorted(r["date"] for r in get(server, "/api/events", dyadic="true", limit=1000)["rows"] if r["date"])
    assert dated, "the dashboard's store has dated events"
    since, until = dated[len(dated) // 2], dated[-1]
    before = len(tab.requests)
    page.fill("#filter-since", since)
    page.fill("#filter-until", until)
    page.click("#apply")
    expected = get(server, "/api/map", since=since, until=until, dyadic="true")
    codes = {c["code"] for c in expected["countries"]}
    expect(page.locator("#map-chart")).to_have_attribute("data-places", str(len(expected["places"])))
    expect(page.locator("#map-chart .scattergeo path.point")).to_have_count(len(expected["places"]))
    busiest = get(server, "/api/dyads/busiest", since=since, until=until, n=1)[0]
    expect(page.locator("#dyad-chart")).to_have_attribute("data-pair", f"{busiest['a']},{busiest['b']}")
    heat = get(server, "/api/charts/alignment", since=since, until=until)["data"]
    page.wait_for_function("n => !document.querySelector('#alignment-chart').data || "
                           "document.querySelector('#alignment-chart').data[0].x.length === n",
                           arg=len(heat[0]["x"]) if heat and heat[0]["x"] else 0)
    for path in ("/api/events", "/api/dyads/busiest", "/api/series", "/api/map", "/api/charts/alignment",
                 "/api/coalitions"):
        asked = api_requests(tab, path, before)
        assert asked and all(q.get("since") == since and q.get("until") == until for q in asked), (path, asked)
    series = api_requests(tab, "/api/series", before)[-1]
    assert series["dyad"] == f"{busiest['a']},{busiest['b']}" and series["by"] == "dyad"
    drawn = plotted(page, "#map-chart")
    assert set(drawn[1]["locations"]) <= codes and len(drawn[2]["lat"]) == len(expected["places"])
    dyad_x = {x for trace in plotted(page, "#dyad-chart") for x in (trace["x"] or [])}
    assert all(since[:7] <= x[:7] <= until for x in dyad_x), dyad_x  # the chart's periods lie in the range

    # per day: every day of the range present (zero-filled), the Goldstein line broken (null) where none
    page.select_option("#dyad-freq", "day")
    page.wait_for_function("() => { const d = document.querySelector('#dyad-chart').data; "
                           "return d && d[0].x.length && d[0].x[0].length === 10 && d[0].x.length > 0; }")
    traces = page.evaluate("() => document.querySelector('#dyad-chart').data.map(t => ({type: t.type, x: t.x, y: t.y}))")
    for bars, line in ((traces[0], traces[1]), (traces[2], traces[3])):
        assert bars["type"] == "bar" and line["type"] == "scatter" and bars["x"] == line["x"]
        days = [date.fromisoformat(x) for x in bars["x"]]
        assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False)), "no day missing"
        assert all((n == 0) == (y is None) for n, y in zip(bars["y"], line["y"], strict=True)), "gaps, not joins"

    # a country: the heat map narrows to it and its partners, the coalitions to its blocs
    code = busiest["a"]
    before = len(tab.requests)
    page.fill("#filter-since", "")
    page.fill("#filter-until", "")
    page.fill("#filter-country", code)
    page.click("#apply")
    heat = get(server, "/api/charts/alignment", country=code)["data"]
    blocs = [b for b in get(server, "/api/coalitions") if code in b["members"] and b["evidence"] >= 3]
    if heat and heat[0]["x"]:
        page.wait_for_function("n => document.querySelector('#alignment-chart').data && "
                               "document.querySelector('#alignment-chart').data[0].x.length === n",
                               arg=len(heat[0]["x"]))
        labels = page.locator("#alignment-chart .yaxislayer-above .ytick text")
        expect(labels).to_have_count(len(heat[0]["y"]))  # every row labelled, with its name
        assert all("(" in text for text in labels.all_text_contents())
    if blocs:
        expect(page.locator("#coalitions li:not(.below-floor)")).to_have_count(len(blocs))
    mapped = get(server, "/api/map", country=code, dyadic="true")
    expect(page.locator("#map-chart")).to_have_attribute("data-places", str(len(mapped["places"])))
    for path in ("/api/events", "/api/map", "/api/charts/alignment", "/api/dyads/busiest"):
        assert any(q.get("country") == code for q in api_requests(tab, path, before)), path
    shoot(page, "dashboard-country-filter")
    assert not tab.outside(), f"requests outside 127.0.0.1: {tab.outside()}"
    assert not tab.errors, f"console errors: {tab.errors}"


def test_country_names_filter_the_table_and_bad_ones_say_so(server, tab):
    page = tab.page
    page.goto(server + "/")
    rows = page.locator("#events tbody tr[data-event]")
    expect(rows.first).to_be_visible()
    box = page.locator("#filter-country")
    assert box.get_attribute("maxlength") is None and box.get_attribute("list") == "country-list"
    expect(page.locator('#country-list option[value="Iran (IRN)"]')).to_have_count(1)
    for typed, code in (("Iran", "IRN"), ("Iran (IRN)", "IRN"), ("United States", "USA"), ("US", "USA")):
        total = get(server, "/api/events", country=code, dyadic="true")["total"]
        assert total > 0, code
        page.fill("#filter-country", typed)
        page.click("#apply")
        expect(page.locator("#page-info")).to_contain_text(f"of {total}")
        shown = rows.evaluate_all("rows => rows.map(r => [r.dataset.source, r.dataset.target])")
        assert shown and all(code in pair for pair in shown), (typed, shown)

    page.fill("#filter-country", "Narnia")
    page.click("#apply")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("unknown country 'Narnia'")
    message = error.locator(".message").text_content()
    assert "\n" not in message and "loc" not in message and "[object" not in message and message.count("Error") == 1
    expect(rows).to_have_count(0)  # not the rows of the previous filters, nor all rows
    expect(page.locator("#events tbody")).to_contain_text("No events shown")
    expect(page.locator("#page-info")).to_have_text("filters not applied")
    shoot(page, "dashboard-bad-country")
    assert not [e for e in tab.errors if not e.startswith("Failed to load resource")], tab.errors
    assert not tab.outside(), f"requests outside 127.0.0.1: {tab.outside()}"


def test_pair_evidence_sentences_open_their_events(server, tab):
    page = tab.page
    page.goto(server + "/")
    expect(page.locator("#alignment-chart .plot-container")).to_have_count(1)
    items = get(server, "/api/alignment/IRN/CUB")
    assert items and any(e["event_no"] is not None for i in items for e in i["evidence"])
    page.evaluate("document.querySelector('#alignment-chart').emit('plotly_click', {points: [{x: 'CUB', y: 'IRN'}]})")
    sentences = page.locator("#pair-evidence li.sentence")
    expect(sentences).to_have_count(sum(len(i["evidence"]) for i in items))
    expected = [e["sentence"] for i in items for e in i["evidence"]]
    assert sentences.all_text_contents() == [s for s in expected]  # sentences, not article ids
    opens = page.locator("#pair-evidence li.opens").first
    article_id, event_no = opens.get_attribute("data-article"), opens.get_attribute("data-event")
    event = get(server, f"/api/events/{urllib.parse.quote(article_id, safe='')}/{event_no}")["event"]
    opens.click()
    expect(page.locator("#evidence .sentence")).to_have_text(event["sentence"])
    shoot(page.locator("#pair-evidence"), "dashboard-pair-evidence")
    assert not tab.outside() and not tab.errors, (tab.outside(), tab.errors)


def test_csv_download_and_the_bloc_floor(server, tab):
    import csv
    import io

    page = tab.page
    page.goto(server + "/")
    expect(page.locator("#events tbody tr[data-event]").first).to_be_visible()
    page.fill("#filter-country", "Iran")
    page.click("#apply")
    total = get(server, "/api/events", country="IRN", dyadic="true")["total"]
    expect(page.locator("#page-info")).to_contain_text(f"of {total}")
    href = page.locator("#download").get_attribute("href")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))
    assert href.startswith("/api/events.csv?") and query["country"] in ("Iran", "IRN") and query["dyadic"] == "true"
    with urllib.request.urlopen(server + href, timeout=10) as response:
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert len(rows) == total and all("IRN" in (r["source_country"], r["target_country"]) for r in rows)
    assert all(r["source_country"] and r["target_country"] for r in rows)  # dyadic, as the table

    page.uncheck("#filter-dyadic")  # the events without a country on one side, labelled so
    page.click("#apply")
    every = get(server, "/api/events", country="IRN")["total"]
    assert every > total
    expect(page.locator("#page-info")).to_contain_text(f"of {every}")
    expect(page.locator("#events tbody td .muted", has_text="no country").first).to_be_attached()
    page.check("#filter-dyadic")

    blocs = get(server, "/api/coalitions")
    page.fill("#filter-country", "")
    page.click("#apply")
    floor = page.locator("#bloc-floor")
    expect(floor).to_have_value("3")
    expect(page.locator("#coalitions li:not(.below-floor):not(.hint)")).to_have_count(
        sum(b["evidence"] >= 3 for b in blocs))
    # each member with the share of resamples in which it lands in its bloc; the unsettled ones greyed
    shown = [b for b in get(server, "/api/coalitions", bootstrap=50) if b["evidence"] >= 3]
    assert shown and all(set(b["membership"]) == set(b["members"]) for b in shown)
    first = page.locator("#coalitions li:not(.below-floor):not(.hint)").first
    expect(first.locator(".share")).to_have_text([f" {shown[0]['membership'][m]:.2f}" for m in shown[0]["members"]])
    unsettled = sum(share < 0.5 for b in shown for share in b["membership"].values())
    expect(page.locator("#coalitions li:not(.below-floor) .member.unsettled")).to_have_count(unsettled)
    hover = page.evaluate("document.querySelector('#alignment-chart').data[0].text.flat().filter(t => t).join('|')")
    resampled = any(p["interval"] for p in get(server, "/api/alignment", bootstrap=50))
    assert ("95% interval" if resampled else "too few articles for an interval") in hover, hover[:300]
    floor.fill(str(max(b["evidence"] for b in blocs) + 1))
    expect(page.locator("#coalitions li:not(.hint)")).to_have_count(0)
    expect(page.locator("#coalitions-note")).to_contain_text("hidden")
    page.click("#toggle-below")
    expect(page.locator("#coalitions li.below-floor")).to_have_count(len(blocs))
    assert not tab.outside() and not tab.errors, (tab.outside(), tab.errors)
