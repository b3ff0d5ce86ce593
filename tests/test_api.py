"""The API over a store coded from the example article: filters, evidence, errors, offline assets, report."""
import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from communique.api import create_app, plotly_js, serve_hosts
from communique.api.cache import ResponseCache
from communique.api.event_index import ORDER, EventIndex
from communique.api.params import DATE
from communique.cli import build_parser, main
from communique.store import Store
from conftest import ROOT, coded_store

SEED = ROOT / "examples" / "iran-cuba-tehran.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return coded_store(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def test_events_filter_by_country_dyad_type_and_text(client):
    everything = client.get("/api/events", params={"limit": 1000}).json()
    assert everything["total"] == len(everything["rows"]) > 5
    dyad = client.get("/api/events", params={"source": "irn", "target": "CUB"}).json()
    assert dyad["rows"] and all((r["source_country"], r["target_country"]) == ("IRN", "CUB") for r in dyad["rows"])
    assert dyad["total"] == sum(1 for r in everything["rows"]
                                if (r["source_country"], r["target_country"]) == ("IRN", "CUB"))
    accuse = client.get("/api/events", params={"type": "ACCUSE", "country": "USA"}).json()["rows"]
    assert accuse and all(r["type"] == "ACCUSE" and "USA" in (r["source_country"], r["target_country"])
                          for r in accuse)
    text = client.get("/api/events", params={"q": "coalition"}).json()["rows"]
    assert text and all("coalition" in r["sentence"].lower() for r in text)


def test_events_paginate_without_gaps_or_repeats(client):
    total = client.get("/api/events").json()["total"]
    seen = []
    for offset in range(0, total, 5):
        seen += [(r["article_id"], r["event_no"]) for r in
                 client.get("/api/events", params={"limit": 5, "offset": offset}).json()["rows"]]
    assert len(seen) == len(set(seen)) == total


def test_event_detail_carries_its_evidence(client):
    row = client.get("/api/events", params={"source": "IRN", "target": "USA"}).json()["rows"][0]
    detail = client.get(f"/api/events/{row['article_id']}/{row['event_no']}").json()
    event, text = detail["event"], SEED.read_text()
    assert event["sentence"] in text or event["sentence"].strip() in text
    assert event["span_start"] <= event["trigger_start"] < event["trigger_end"] <= event["span_end"]
    roles = {m["role"] for m in detail["mentions"]}
    assert roles == {"source", "target"}
    for m in detail["mentions"]:
        assert event["span_start"] <= m["start"] < m["end"] <= event["span_end"]
    assert detail["article"]["id"] == row["article_id"]


def test_analysis_endpoints(client):
    blocs = client.get("/api/coalitions").json()
    assert any({"IRN", "CUB"} <= set(b["members"]) and "USA" not in b["members"] for b in blocs)
    pairs = {(p["a"], p["b"]): p for p in client.get("/api/alignment").json()}
    assert pairs[("CUB", "IRN")]["score"] > 0 > pairs[("IRN", "USA")]["score"]
    place = {p["country"]: p["position"] for p in client.get("/api/positions").json()}
    assert place["IRN"] == place["CUB"] != place["USA"]
    items = client.get("/api/alignment/IRN/CUB").json()
    assert items and all(i["kind"] in ("direct", "shared") for i in items)
    series = client.get("/api/dyads", params={"source": "IRN", "target": "CUB"}).json()
    assert {(r["source"], r["target"]) for r in series} == {("IRN", "CUB"), ("CUB", "IRN")}
    figure = client.get("/api/charts/alignment").json()
    assert figure["data"][0]["type"] == "heatmap" and "IRN" in figure["data"][0]["x"]
    assert client.get("/api/charts/dyad", params={"source": "IRN", "target": "CUB"}).json()["data"]
    quotes = client.get("/api/quotes", params={"country": "IRN"}).json()["rows"]
    assert quotes and all(q["speaker_country"] == "IRN" for q in quotes)
    stances = client.get("/api/stances", params={"holder": "CUB", "target": "USA"}).json()["rows"]
    assert stances and all(s["polarity"] == -1 for s in stances)


@pytest.mark.parametrize("path, params, status, words", [
    ("/api/events", {"country": "IRAN"}, 422, "pattern"),
    ("/api/events", {"type": "INVADE"}, 400, "unknown event type"),
    ("/api/events", {"since": "2024-13-45x"}, 422, "pattern"),
    ("/api/events", {"until": "2024-02-30"}, 400, "not a date"),
    ("/api/dyads", {"since": "2024-13-01"}, 422, "pattern"),  # no month 13: the published pattern refuses it
    ("/api/events", {"since": "0000-00-00"}, 422, "pattern"),
    ("/api/positions", {"until": "2023-02-29"}, 400, "not a date"),  # the pattern's shape, not a calendar date
    ("/api/events", {"contry": "IRN"}, 400, "unknown parameter 'contry'"),
    ("/api/summary", {"x": "1"}, 400, "unknown parameter"),
    ("/api/events", {"since": "2024-05-01", "until": "2024-01-01"}, 400, "after"),
    ("/api/events", {"limit": 0}, 422, "greater"),
    ("/api/events", {"country": "IRN' OR 1=1 --"}, 422, "pattern"),
    ("/api/events/none/3", {}, 404, "no event"),
    ("/api/dyads", {"freq": "fortnight"}, 422, "pattern"),
    ("/api/alignment/IRAN/CUB", {}, 400, "three-letter"),
])
def test_invalid_parameters_get_a_clear_4xx(client, path, params, status, words):
    response = client.get(path, params=params)
    assert response.status_code == status
    assert words in str(response.json()["detail"])


def test_text_search_is_a_parameter_not_sql(client):
    rows = client.get("/api/events", params={"q": "x' OR '1'='1"}).json()
    assert rows["total"] == 0


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/events", "/api/events/{article_id}/{event_no}", "/api/dyads", "/api/alignment",
            "/api/positions", "/api/coalitions", "/api/quotes", "/api/stances"} <= set(paths)


def test_dashboard_assets_are_served_offline(client):
    page = client.get("/")
    assert page.status_code == 200
    script = client.get("/vendor/plotly.min.js")
    assert script.status_code == 200 and script.content == plotly_js().read_bytes()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/vendor/plotly.min.js" in sources
    for src in sources:
        assert not src.startswith(("http:", "https:", "//")), f"the dashboard loads {src} from the network"
        if src.startswith("/"):
            assert client.get(src).status_code == 200, src


def test_report_is_one_self_contained_file(db, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", "--db", db, "--out", str(out)]) == 0
    page = out.read_text()
    ours = page.replace(plotly_js().read_text(), "")  # plotly.js, inline, names its website in strings
    assert not re.search(r'(?:src|href)="(?:https?:)?//', ours)
    assert "Plotly.newPlot" in page and "IRN" in page and "<mark>" in page
    assert len(page) > len(plotly_js().read_text())


@pytest.mark.parametrize("filters", [
    {}, {"country": "IRN"}, {"country": "usa"}, {"source": "CUB", "target": "IRN"}, {"target": "RUS"},
    {"type": "ACCUSE"}, {"since": "2024-06-01"}, {"until": "2024-06-05"}, {"since": "2024-05-01", "country": "RUS"},
    {"text": "Coalition"}, {"text": "%"}, {"country": "XXX"}, {"type": "accuse", "text": "the"},
])
def test_event_index_pages_as_the_store_lists(db, filters):
    store = Store(db, read_only=True)
    index = EventIndex.load(store)
    for offset in (0, 2):
        total, rows = index.page(**filters, limit=3, offset=offset)
        assert rows == store.events(**filters, limit=3, offset=offset, order=ORDER).to_arrow_table().to_pylist()
        assert total == store.events(**filters, order=None).aggregate("count(*)").fetchall()[0][0]


def get_endpoints(client) -> list[str]:
    """The GET paths of the API as its OpenAPI description lists them."""
    return [p for p, ops in client.get("/openapi.json").json()["paths"].items() if "get" in ops]


def test_host_header_must_name_this_server(db, client):
    for host in ("evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io", "", "[::1"):
        response = client.get("/api/summary", headers={"host": host})
        assert response.status_code == 400, host
        assert "Host" in response.json()["detail"]
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    for host in ("localhost:8000", "127.0.0.1", "LOCALHOST", "[::1]:8000"):
        assert client.get("/api/summary", headers={"host": host}).status_code == 200, host
    lan = TestClient(create_app(db, allowed_hosts=serve_hosts("192.0.2.7")))
    assert lan.get("/api/summary", headers={"host": "192.0.2.7:8000"}).status_code == 200
    assert lan.get("/api/summary", headers={"host": "evil.example"}).status_code == 400
    named = TestClient(create_app(db, allowed_hosts=["news.example"]))
    assert named.get("/api/summary", headers={"host": "news.example"}).status_code == 200
    assert named.get("/api/summary", headers={"host": "localhost"}).status_code == 400
    assert serve_hosts("0.0.0.0") == ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]


def test_answers_and_errors_show_no_local_paths(db, client):
    folder = str(Path(db).parent)
    assert client.get("/api/summary").json()["db"] == Path(db).name
    row = client.get("/api/events", params={"source": "IRN", "target": "USA"}).json()["rows"][0]
    detail = client.get(f"/api/events/{row['article_id']}/{row['event_no']}").json()
    assert detail["article"]["input"] == SEED.name
    answers = [client.get(path.replace("{article_id}", row["article_id"]).replace("{event_no}", str(row["event_no"]))
                          .replace("{a}", "IRN").replace("{b}", "CUB"), params=params)
               for path in get_endpoints(client) for params in ({}, {"since": "2024-02-30"}, {"junk": "1"})]
    answers += [client.get("/api/events/x/1"), client.get("/static/nothing.js"), client.get("/nowhere")]
    for answer in answers:
        assert folder not in answer.text and "/tmp/" not in answer.text, answer.url


def test_cache_keys_on_validated_parameters_and_stays_bounded(db):
    cache = ResponseCache(entries=50, max_bytes=400_000)
    client = TestClient(create_app(db, cache=cache))
    for k in range(2000):  # distinct junk parameters: refused, nothing kept
        assert client.get("/api/events", params={f"junk{k}": "x" * 100}).status_code == 400
    assert len(cache) == 0
    client.get("/api/events", params={"country": "IRN", "limit": 5})
    client.get("/api/events", params={"limit": "05", "country": "IRN"})  # the same validated values
    assert len(cache) == 1
    for k in range(2000):  # distinct valid values: the least recently used go
        assert client.get("/api/events", params={"q": f"no such text {k}"}).status_code == 200
    assert len(cache) == 50 and cache.bytes <= 400_000
    for k in range(30):  # large answers: bounded by bytes too
        client.get("/api/events", params={"limit": 1000, "offset": k % 3, "since": f"2000-01-{k + 1:02}"})
    assert len(cache) <= 50 and cache.bytes <= 400_000


def test_response_cache_bounds():
    cache = ResponseCache(entries=10, max_bytes=1000, max_entry=300)
    for k in range(100):
        cache.put(k, b"x" * (k * 7 % 400))
    assert len(cache) <= 10 and cache.bytes == sum(map(len, cache.entries.values())) <= 1000
    assert all(len(body) <= 300 for body in cache.entries.values())
    cache.put("a", b"1" * 200)
    cache.put("a", b"2" * 100)  # replaced, counted once
    assert cache.get("a") == b"2" * 100 and cache.bytes == sum(map(len, cache.entries.values()))


def test_openapi_declares_errors_and_real_dates(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["Problem"]["properties"]["detail"]["type"] == "string"
    for path, ops in spec["paths"].items():
        declared = ops["get"]["responses"]
        assert declared["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Problem"), path
        assert ("404" in declared) == (path == "/api/events/{article_id}/{event_no}"), path
        for param in ops["get"].get("parameters", []):
            if param["name"] in ("since", "until"):
                assert param["schema"]["format"] == "date"
                pattern = param["schema"]["anyOf"][0]["pattern"]
                assert pattern == DATE
                for value in ("0000-00-00", "2024-13-01", "2024-00-10", "2024-01-32", "2024-1-01", "99999-01-01"):
                    assert not re.match(pattern, value), value
                for value in ("2024-02-29", "2024-12-31", "0001-01-01", "1999-09-30"):
                    assert re.match(pattern, value), value
    assert client.get("/api/events", params={"since": "2024-02-29"}).status_code == 200


HOSTILE = ["'", "' OR 1=1 --", "%", "_", "\\", "\x00", "a" * 5000, "../../etc/passwd", "<script>", "NaN", "-1",
           "1e309", "9" * 40, "\u202e", "🙂", "null", "[]", "{}", " ", "2024-02-30"]


def test_hostile_values_on_every_endpoint_get_no_5xx(client):
    endpoints = get_endpoints(client)
    assert len(endpoints) == 12
    for path in endpoints:
        names = {p["name"] for p in client.get("/openapi.json").json()["paths"][path]["get"].get("parameters", [])}
        for value in HOSTILE:
            url = path.replace("{article_id}", quote(value, safe="")).replace("{event_no}", quote(value, safe=""))
            url = url.replace("{a}", quote(value, safe="")).replace("{b}", quote(value, safe=""))
            queries = [{}] + [{name: value} for name in names if "{" + name + "}" not in path]
            for params in queries:
                response = client.get(url, params=params)
                assert response.status_code < 500, (path, params, value)


def test_the_api_writes_nothing(db, client):
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    for path in get_endpoints(client) + ["/", "/static/app.js"]:
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(path).status_code == 405, (method, path)
    with pytest.raises(Exception, match="read-only"):
        client.app.state.store.con.execute("CREATE TABLE intruder (x INTEGER)")
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before


def test_serve_binds_to_loopback_by_default():
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


@pytest.mark.parametrize("path", ["/static/../__init__.py", "/static/%2e%2e/__init__.py", "/static/..%2f__init__.py",
                                  "/static/%2e%2e%2f%2e%2e%2fstore%2f__init__.py", "/static//etc/passwd",
                                  "/static/....//__init__.py", "/vendor/../api/__init__.py"])
def test_static_files_stay_in_their_folder(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), path
    assert "import" not in response.text and "root:" not in response.text
