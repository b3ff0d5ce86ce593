"""Pages, URL lists and RSS/Atom feeds from a local HTTP server (127.0.0.1), and `watch`."""
import threading
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


@pytest.fixture
def server():
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            requests.append((self.path, self.headers.get("User-Agent")))
            base = f"http://127.0.0.1:{self.server.server_port}"
            body, kind = {"/page": (PAGE, "text/html; charset=utf-8"), "/other": (OTHER, "text/html"),
                          "/feed": (feed(base), "application/rss+xml")}.get(self.path, (None, None))
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
