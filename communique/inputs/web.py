"""Articles from the web: page URLs, lists of URLs, and RSS/Atom feeds.

``fetch`` gets one URL politely: a user agent that names the tool, a timeout, retries with
a growing pause on network errors and 5xx answers (never on 4xx), and at least
``POLITENESS_DELAY`` seconds between two requests to the same host. Only ``http`` and ``https``
URLs are fetched, redirects included; a download gets at most ``max_bytes`` and ``DEADLINE``
seconds in all, however slowly the server sends. A feed (RSS 2.0 or Atom) lists items; each
item's link is resolved against the feed's URL, its page fetched and read as HTML, its date
taken from the feed's metadata first, then from the page, then from the text. Every problem
is a Failure naming the URL with a generic reason; nothing stops the rest of the run.
"""
from __future__ import annotations

import hashlib
import http.client
import socket
import string
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Iterator, Optional, Union
from urllib.parse import quote, urljoin, urlparse
from xml.etree import ElementTree

from ..version import __version__
from ..model import Article
from .clean import to_iso_date

USER_AGENT = f"communique/{__version__} (political event coding; +https://github.com/communique)"
TIMEOUT = 20.0
RETRIES = 2
POLITENESS_DELAY = 1.0
DEADLINE = 60.0  # seconds for one whole download (connection, headers and body)
SCHEMES = ("http", "https")  # the only URLs ever fetched
ATOM = "{http://www.w3.org/2005/Atom}"
_last_request: dict[str, float] = {}


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` says why."""


@dataclass
class Page:
    url: str
    data: bytes
    content_type: str


@dataclass
class FeedItem:
    url: str
    title: Optional[str]
    date: Optional[str]
    id: Optional[str]


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


def fetch(url: str, max_bytes: int, timeout: float = TIMEOUT, retries: int = RETRIES,
          delay: Optional[float] = None, sleep: Callable[[float], None] = time.sleep,
          deadline: Optional[float] = None) -> Page:
    """The page at ``url`` (see the module docstring); raises FetchError. ``delay`` and ``deadline``
    default to ``POLITENESS_DELAY`` and ``DEADLINE``."""
    try:
        parts = urlparse(url)
    except ValueError:
        raise FetchError("not a valid URL") from None
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"URL {scheme_refused(url)}")
    delay = POLITENESS_DELAY if delay is None else delay
    host = parts.netloc
    for attempt in range(retries + 1):
        wait = _last_request.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            sleep(wait)
        _last_request[host] = time.monotonic()
        try:
            return download(url, max_bytes, timeout, DEADLINE if deadline is None else deadline)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code < 500 or attempt == retries:
                raise FetchError(f"HTTP {error.code} {error.reason}") from None
        except ValueError:  # urllib and http.client on a malformed URL
            raise FetchError("not a valid URL") from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", None) or error or type(error).__name__
                raise FetchError(f"could not fetch ({reason})") from None
        sleep(delay * (attempt + 1))
    raise FetchError("could not fetch")  # not reached


def scheme_refused(url: str) -> Optional[str]:
    """Why ``url`` is not fetched ("scheme 'file:' is not allowed ..."), or None for http(s) (and for a
    URL too malformed to tell, which urllib refuses as such)."""
    try:
        scheme = urlparse(url).scheme.lower()
    except ValueError:
        return None
    if scheme in SCHEMES:
        return None
    named = f"scheme '{scheme}:'" if scheme else "without a scheme"
    return f"{named} is not allowed (only http and https URLs are fetched)"


def download(url: str, max_bytes: int, timeout: float, seconds: float) -> Page:
    """One GET of ``url``: at most ``max_bytes`` of body, all within ``seconds``; raises FetchError for
    a body too large or too slow, urllib's and http.client's errors for the rest. Characters that
    may not appear in a request (spaces, non-ASCII) are percent-encoded."""
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    request = urllib.request.Request(quote(url, safe=string.punctuation), headers=headers)
    with Deadline(seconds) as deadline:
        try:
            with opener(deadline).open(request, timeout=timeout) as response:
                declared = response.headers.get("Content-Length", "").strip()
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"larger than {max_bytes} bytes")
                data = response.read(max_bytes + 1)
                if deadline.expired:
                    raise FetchError(f"took longer than {seconds:g} s: stopped")
                if len(data) > max_bytes:
                    raise FetchError(f"larger than {max_bytes} bytes")
                return Page(response.geturl(), data, response.headers.get("Content-Type", ""))
        except (OSError, http.client.HTTPException):
            if deadline.expired:  # the timer cut the connection
                raise FetchError(f"took longer than {seconds:g} s: stopped") from None
            raise


class Deadline:
    """The time limit of one download: when it is up, a timer shuts the sockets of the download's
    connections, so that no read outlasts it however slowly a server sends (a socket timeout only
    bounds each read)."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self) -> "Deadline":
        self.timer.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` when time is up (at once if it is)."""
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                shut(sock)


def shut(sock: socket.socket) -> None:
    """Shut a socket down from another thread: its pending and later reads end at once."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also for an SSL socket
    except OSError:
        pass  # closed already


class WatchedConnection:
    """A connection (mixed into http.client's) whose socket a Deadline watches."""

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.deadline.watch(self.sock)  # type: ignore[attr-defined]


class WatchedHTTPConnection(WatchedConnection, http.client.HTTPConnection):
    pass


class WatchedHTTPSConnection(WatchedConnection, http.client.HTTPSConnection):
    pass


class WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(WatchedHTTPConnection, deadline=self.deadline), req)


class WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(WatchedHTTPSConnection, deadline=self.deadline), req, context=self._context)


class SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https URLs only (urllib's own handler also follows ftp:)."""

    def http_error_302(self, req, fp, code, msg, headers):  # noqa: ANN001, ANN201 (urllib's signature)
        target = headers.get("location") or headers.get("uri")
        refused = target and scheme_refused(urljoin(req.full_url, target.strip()))
        if refused:
            fp.close()
            raise FetchError(f"redirected to a URL whose {refused}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """An opener for http and https only (no file:, ftp: or data: handler; proxies from the environment
    for http and https), whose redirects stay on http(s) and whose connections ``deadline`` cuts."""
    proxies = {scheme: url for scheme, url in urllib.request.getproxies().items() if scheme in SCHEMES}
    director = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(proxies), urllib.request.UnknownHandler(),
                    WatchedHTTPHandler(deadline), WatchedHTTPSHandler(deadline),
                    urllib.request.HTTPDefaultErrorHandler(), SafeRedirects(), urllib.request.HTTPErrorProcessor()):
        director.add_handler(handler)
    return director


def looks_feed(page: Page) -> bool:
    head = page.data[:600].lstrip().lower()
    return any(t in page.content_type for t in ("rss", "atom")) or \
        (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")) and \
        (b"<rss" in head or b"<feed" in head)


def feed_items(data: bytes, url: str) -> list[FeedItem]:
    """The items of an RSS 2.0 or Atom feed at ``url``, their links resolved against it; raises
    FetchError for a feed that does not parse."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FetchError(f"not a readable feed: {error}") from None
    items = []
    for item in root.iter("item"):  # RSS
        link = (item.findtext("link") or "").strip()
        if link:
            items.append(FeedItem(resolve(url, link), clean(item.findtext("title")), feed_date(item.findtext("pubDate")),
                                  clean(item.findtext("guid"))))
    for entry in root.iter(f"{ATOM}entry"):  # Atom
        links = entry.findall(f"{ATOM}link")
        href = next((x.get("href") for x in links if x.get("rel", "alternate") == "alternate"), None)
        if href:
            date = entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")
            items.append(FeedItem(resolve(url, href.strip()), clean(entry.findtext(f"{ATOM}title")), feed_date(date),
                                  clean(entry.findtext(f"{ATOM}id"))))
    if not items and root.tag not in ("rss", f"{ATOM}feed"):
        raise FetchError("not an RSS or Atom feed")
    return items


def resolve(base: str, link: str) -> str:
    """``link`` made absolute against ``base`` (a relative link stays as it is when it cannot be)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def clean(text: Optional[str]) -> Optional[str]:
    return " ".join(text.split()) if text and text.strip() else None


def feed_date(text: Optional[str]) -> Optional[str]:
    if not text:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date().isoformat()  # RSS: RFC 822
    except (TypeError, ValueError):
        return to_iso_date(text)  # Atom: ISO 8601


def url_id(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def read_url(url: str, max_bytes: int, read_html: Callable[[Article], Article],
             seen: Optional[Callable[[str], bool]] = None) -> Iterator[Union[Article, tuple[str, str]]]:
    """Articles of a page or feed URL; problems come out as (input, reason) pairs. ``seen(url)``
    says which feed items are known already (they are not fetched)."""
    try:
        page = fetch(url, max_bytes)
    except FetchError as error:
        yield (url, str(error))
        return
    if not looks_feed(page):
        yield from page_article(page, url, read_html)
        return
    try:
        items = feed_items(page.data, page.url)
    except FetchError as error:
        yield (url, str(error))
        return
    for item in items:
        if seen is not None and seen(item.url):
            continue
        try:
            item_page = fetch(item.url, max_bytes)
        except FetchError as error:
            yield (item.url, str(error))
            continue
        for found in page_article(item_page, item.url, read_html):
            if isinstance(found, Article):  # the feed's metadata first
                found = replace(found, date=item.date or found.date, title=item.title or found.title)
            yield found


def page_article(page: Page, url: str, read_html: Callable[[Article], Article]):
    charset = "utf-8"
    if "charset=" in page.content_type:
        charset = page.content_type.split("charset=")[-1].split(";")[0].strip() or "utf-8"
    try:
        text = page.data.decode(charset, errors="replace")
    except LookupError:
        text = page.data.decode("utf-8", errors="replace")
    article = Article(id=url_id(url), text=text, url=url, input=url)
    try:
        yield read_html(article)
    except Exception as error:  # an InputError from the HTML reader
        yield (url, getattr(error, "reason", str(error)))
