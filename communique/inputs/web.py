"""Articles from the web: page URLs, lists of URLs, and RSS/Atom feeds.

``fetch`` gets one URL politely: a user agent that names the tool, a timeout, retries with
a growing pause on network errors and 5xx answers (never on 4xx), and at least
``POLITENESS_DELAY`` seconds between two requests to the same host. A feed (RSS 2.0 or Atom)
lists items; each item's page is fetched and read as HTML, its date taken from the feed's
metadata first, then from the page, then from the text. Every problem is a Failure naming
the URL; nothing stops the rest of the run.
"""
from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Optional, Union
from urllib.parse import urlparse
from xml.etree import ElementTree

from ..version import __version__
from ..model import Article
from .clean import to_iso_date

USER_AGENT = f"communique/{__version__} (political event coding; +https://github.com/communique)"
TIMEOUT = 20.0
RETRIES = 2
POLITENESS_DELAY = 1.0
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
          delay: float = POLITENESS_DELAY, sleep: Callable[[float], None] = time.sleep) -> Page:
    """The page at ``url`` (see the module docstring); raises FetchError."""
    host = urlparse(url).netloc
    for attempt in range(retries + 1):
        wait = _last_request.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            sleep(wait)
        _last_request[host] = time.monotonic()
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise FetchError(f"larger than {max_bytes} bytes")
                return Page(response.geturl(), data, response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as error:
            if error.code < 500 or attempt == retries:
                raise FetchError(f"HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            if attempt == retries:
                reason = getattr(error, "reason", error)
                raise FetchError(f"could not fetch ({reason})") from None
        sleep(delay * (attempt + 1))
    raise FetchError("could not fetch")  # not reached


def looks_feed(page: Page) -> bool:
    head = page.data[:600].lstrip().lower()
    return any(t in page.content_type for t in ("rss", "atom")) or \
        (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")) and \
        (b"<rss" in head or b"<feed" in head)


def feed_items(data: bytes, url: str) -> list[FeedItem]:
    """The items of an RSS 2.0 or Atom feed; raises FetchError for a feed that does not parse."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FetchError(f"not a readable feed: {error}") from None
    items = []
    for item in root.iter("item"):  # RSS
        link = (item.findtext("link") or "").strip()
        if link:
            items.append(FeedItem(link, clean(item.findtext("title")), feed_date(item.findtext("pubDate")),
                                  clean(item.findtext("guid"))))
    for entry in root.iter(f"{ATOM}entry"):  # Atom
        links = entry.findall(f"{ATOM}link")
        href = next((x.get("href") for x in links if x.get("rel", "alternate") == "alternate"), None)
        if href:
            date = entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")
            items.append(FeedItem(href.strip(), clean(entry.findtext(f"{ATOM}title")), feed_date(date),
                                  clean(entry.findtext(f"{ATOM}id"))))
    if not items and root.tag not in ("rss", f"{ATOM}feed"):
        raise FetchError("not an RSS or Atom feed")
    return items


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
        items = feed_items(page.data, url)
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
