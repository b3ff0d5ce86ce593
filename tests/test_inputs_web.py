"""Pages, URL lists and RSS/Atom feeds from a local HTTP server (127.0.0.1), and `watch`."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from communique.cli import main
from communique.inputs import read_inputs
from communique.inputs import web
from communique.model import Article

PARAGRAPHS = "".join(f"<p>Paragraph {i}: Chile and Peru signed a fishing agreement in Lima, officials said "
                     f"on day {i}.</p>" for i in range(5))
PAGE = f"<html><head><title>Fishing deal</title></head><body><article>{PARAGRAPHS}</article></body></html>"
OTHER = PAGE.replace("Chile and Peru signed a fishing", "Kenya and Uganda signed a trade")


def feed(base):
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Fishing deal</title><link>{base}/page</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Trade deal</title><link>{base}/other</link><pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Gone</title><link>{base}/missing</link></item>
</channel></rss>"""


def unsafe_feed(local_file):
    """Relative links (to /page and, from /feeds/unsafe, to /feeds/other), and links of other schemes."""
    links = ["/page", "other", f"file://{local_file}", "file:///no/such/file", "data:,hello",
             "ftp://127.0.0.1/x", "javascript:alert(1)"]
    items = "".join(f"<item><title>Item {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'


def trickle(handler, count=100, pause=0.1):
    """Send a page one byte at a time (no Content-Length), until the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    for _ in range(count):
        try:
            handler.wfile.write(b"<")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(pause)


LOCAL_FILE = __file__  # a local file that exists: a feed must not get it read
REDIRECTS = {"/to-file": f"file://{LOCAL_FILE}", "/to-ftp": "ftp://127.0.0.1/x", "/to-data": "data:,hello",
             "/to-page": "/page"}


@pytest.fixture
def server():
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            requests.append((self.path, self.headers.get("User-Agent")))
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path in REDIRECTS:
                self.send_response(302)
                self.send_header("Location", REDIRECTS[self.path])
                self.end_headers()
                return
            if self.path == "/slow":
                trickle(self)
                return
            if self.path == "/sized":
                self.send_response(200)
                self.send_header("Content-Length", str(len(PAGE.encode())))
                self.end_headers()
                self.wfile.write(PAGE.encode())
                return
            body, kind = {"/page": (PAGE, "text/html; charset=utf-8"), "/other": (OTHER, "text/html"),
                          "/feeds/other": (OTHER, "text/html"), "/feed": (feed(base), "application/rss+xml"),
                          "/feeds/unsafe": (unsafe_feed(LOCAL_FILE), "application/rss+xml"),
                          }.get(self.path.split("?")[0], (None, None))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body.encode("utf-8"))

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    old_delay = web.POLITENESS_DELAY
    web.POLITENESS_DELAY = 0.01
    yield f"http://127.0.0.1:{httpd.server_port}", requests
    web.POLITENESS_DELAY = old_delay
    httpd.shutdown()


def test_a_page_url_is_one_article_fetched_with_our_user_agent(server):
    base, requests = server
    [article] = read_inputs([f"{base}/page"])
    assert isinstance(article, Article) and "fishing agreement" in article.text and article.url == f"{base}/page"
    assert requests[0][1].startswith("communique/")


def test_a_feed_gives_its_items_dated_by_the_feed_and_a_failure_for_the_missing_page(server):
    base, _ = server
    items = list(read_inputs([f"{base}/feed"]))
    articles = [i for i in items if isinstance(i, Article)]
    assert [(a.title, a.date) for a in articles] == [("Fishing deal", "2024-03-05"), ("Trade deal", "2024-03-06")]
    [failure] = [i for i in items if not isinstance(i, Article)]
    assert failure.input == f"{base}/missing" and "404" in failure.reason


def test_a_url_list_and_an_unreachable_host(server, tmp_path):
    base, _ = server
    urls = tmp_path / "list.urls"
    urls.write_text(f"# pages\n{base}/page\nhttp://127.0.0.1:9/nothing-listens-here\n")
    items = list(read_inputs([str(urls)]))
    assert isinstance(items[0], Article)
    assert items[1].input.startswith("http://127.0.0.1:9") and "could not fetch" in items[1].reason


def test_watch_ingests_new_items_once_and_survives_errors(server, tmp_path, capsys):
    base, requests = server
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{base}/feed\n{base}/not-a-feed\n")
    db = str(tmp_path / "w.duckdb")
    assert main(["watch", str(feeds), "--db", db, "--once"]) == 1  # exit 1: some inputs failed (404s)
    assert main(["watch", str(feeds), "--db", db, "--once"]) == 1  # a restart: nothing coded again
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM failures").fetchone()[0] >= 1
    con.close()
    assert sum(1 for path, _ in requests if path == "/page") == 1  # not fetched again


def test_feed_links_are_resolved_and_only_http_links_are_fetched(server):
    base, requests = server
    items = list(read_inputs([f"{base}/feeds/unsafe"]))
    assert [(type(i).__name__, i.input) for i in items] == [
        ("Article", f"{base}/page"), ("Article", f"{base}/feeds/other"), ("Failure", f"file://{LOCAL_FILE}"),
        ("Failure", "file:///no/such/file"), ("Failure", "data:,hello"),
        ("Failure", "ftp://127.0.0.1/x"), ("Failure", "javascript:alert(1)")]
    assert items[0].url == f"{base}/page" and "fishing agreement" in items[0].text
    file_failure, missing_failure = items[2:4]
    assert file_failure.reason == missing_failure.reason  # nothing says whether a local file exists
    assert file_failure.reason == "URL scheme 'file:' is not allowed (only http and https URLs are fetched)"
    assert "scheme 'data:' is not allowed" in items[4].reason and "scheme 'ftp:' is not allowed" in items[5].reason
    assert sorted(path for path, _ in requests) == ["/feeds/other", "/feeds/unsafe", "/page"]


def test_read_url_refuses_other_schemes():
    [failure] = web.read_url(f"file://{LOCAL_FILE}", 10_000, lambda article: article)
    assert failure == (f"file://{LOCAL_FILE}", "URL scheme 'file:' is not allowed (only http and https URLs are fetched)")


@pytest.mark.parametrize("path", ["/to-file", "/to-ftp", "/to-data"])
def test_redirects_to_other_schemes_are_refused(server, path):
    base, _ = server
    [failure] = read_inputs([f"{base}{path}"])
    scheme = REDIRECTS[path].split(":")[0]
    assert failure.input == f"{base}{path}"
    assert failure.reason == f"redirected to a URL whose scheme '{scheme}:' is not allowed (only http and https URLs are fetched)"


def test_a_relative_redirect_is_followed(server):
    base, _ = server
    [article] = read_inputs([f"{base}/to-page"])
    assert isinstance(article, Article) and "fishing agreement" in article.text


def test_a_malformed_url_is_a_failure(server):
    base, requests = server
    [failure] = read_inputs(["http://[::1/page"])
    assert failure.reason == "not a valid URL"
    [article] = read_inputs([f"{base}/page?q=caf\u00e9 au lait"])  # non-ASCII and a space: percent-encoded
    assert isinstance(article, Article) and requests[-1][0] == "/page?q=caf%C3%A9%20au%20lait"


def test_a_download_has_an_overall_deadline(server, monkeypatch):
    base, _ = server
    monkeypatch.setattr(web, "DEADLINE", 1.0, raising=False)
    start = time.monotonic()
    [failure] = read_inputs([f"{base}/slow"])  # one byte every 0.1 s: each read is quick, the whole is not
    assert time.monotonic() - start < 4
    assert failure.input == f"{base}/slow" and failure.reason == "took longer than 1 s: stopped"


@pytest.mark.parametrize("path", ["/page", "/sized"])  # without and with a Content-Length
def test_a_download_has_a_size_cap(server, path):
    base, _ = server
    [failure] = read_inputs([f"{base}{path}"], max_bytes=50)
    assert failure.reason == "larger than 50 bytes"
