"""Tests for communique.ingest.readers: formats, bad input, order, stdin."""
from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Union

import pytest

from communique.ingest import Failure, InputError, read_inputs
from communique.model import Article

BODY = "Officials from both countries met on Monday.\n\nThey agreed to meet again in May."
PARAGRAPHS = [
    "The foreign ministers of Valdoria and Ostrana met on Thursday in the capital to discuss "
    "a new trade agreement between the two countries, officials said.",
    "The talks lasted four hours and covered tariffs, border crossings and the shared river "
    "basin, according to a statement released after the meeting.",
    "Both sides said they expected to sign the agreement before the end of the year, though "
    "several details remain to be settled by their negotiators.",
]
PAGE = """<!DOCTYPE html>
<html><head><title>Ministers meet in Valdoria | Northwind Gazette</title>
<meta property="og:site_name" content="Northwind Gazette">
<meta property="article:published_time" content="2021-05-06T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home page</a></li><li><a href="/world">World desk</a></li></ul></nav>
<article><h1>Ministers meet in Valdoria</h1>
{paragraphs}
</article>
<footer><p>Copyright 2021 Northwind Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy and cookie settings</a></footer>
</body></html>
"""


def html_page() -> str:
    return PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in PARAGRAPHS))


def read_all(*paths: Union[str, Path], **options: Any) -> list[Union[Article, Failure]]:
    return list(read_inputs([str(p) for p in paths], **options))


def read_one(path: Union[str, Path], **options: Any) -> Union[Article, Failure]:
    (result,) = read_all(path, **options)
    return result


def write(path: Path, content: Union[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: Any) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# --- plain text ----------------------------------------------------------------


def test_readers_plain_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "valdoria-talks.txt", "WASHINGTON (Reuters) - " + BODY + "\n\nShare this article\n")
    article = read_one(path)
    assert isinstance(article, Article)
    assert (article.id, article.input, article.text) == ("valdoria-talks", str(path), BODY)
    assert (article.place, article.source) == ("Washington", "Reuters")


def test_readers_unknown_extension_is_plain_text(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "note.md", BODY))
    assert isinstance(article, Article)
    assert (article.id, article.text) == ("note", BODY)


def test_readers_utf8_bom_is_accepted(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "bom.txt", codecs.BOM_UTF8 + BODY.encode()))
    assert isinstance(article, Article) and article.text == BODY


def test_readers_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "wide.txt", BODY.encode("utf-16")))
    assert isinstance(article, Article) and article.text == BODY


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "empty file (only whitespace)"),
        (b"GIF89a\x00\x01\x02\x00\x00", "binary file, not text"),
        (bytes(range(1, 9)) * 20, "binary file, not text"),
        (b"Hello \xff world", "not valid UTF-8: invalid start byte 0xff at offset 6"),
        (b"caf\xc3(", "not valid UTF-8: invalid continuation byte 0xc3 at offset 3"),
        (codecs.BOM_UTF8 + b"ab\x80", "not valid UTF-8: invalid start byte 0x80 at offset 5"),
    ],
)
def test_readers_bad_file_gives_failure(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", content)
    assert read_one(path) == Failure(str(path), reason)


def test_readers_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    assert read_one(path) == Failure(str(path), "no such file or directory")


def test_readers_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 100)
    assert read_one(path, max_bytes=10) == Failure(str(path), "file too large: 100 bytes > limit 10 bytes")


def test_readers_too_large_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "big.txt", "x" * 100)

    def refuse_open(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("communique.ingest.readers.open", refuse_open, raising=False)
    assert isinstance(read_one(path, max_bytes=10), Failure)


def test_readers_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", BODY)

    def deny(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("communique.ingest.readers.open", deny, raising=False)
    assert read_one(path) == Failure(str(path), "permission denied")


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/w'>World news</a></nav></body></html>",
        "<html><head><title>Loading</title><script>start();</script></head><body></body></html>",
    ],
)
def test_readers_html_without_article_text(tmp_path: Path, page: str) -> None:
    path = write(tmp_path / "empty.html", page)
    assert read_one(path) == Failure(str(path), "no article text could be extracted from the HTML")


def test_readers_text_that_is_only_boilerplate(tmp_path: Path) -> None:
    path = write(tmp_path / "junk.txt", "Share this article\nFollow us on Twitter\n")
    assert read_one(path) == Failure(str(path), "no article text left after cleaning")


def test_readers_never_raise_and_keep_order(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", BODY)
    paths = [tmp_path / "missing.txt", write(tmp_path / "e.txt", b""), good, write(tmp_path / "b.bin", b"\0\0")]
    results = read_all(*paths)
    assert [type(r) for r in results] == [Failure, Failure, Article, Failure]
    assert [r.input for r in results] == [str(p) for p in paths]


def test_readers_input_error_str() -> None:
    error = InputError("a.txt", "empty file")
    assert (str(error), error.input, error.reason) == ("a.txt: empty file", "a.txt", "empty file")


def test_readers_reject_nonpositive_max_bytes() -> None:
    with pytest.raises(ValueError):
        read_all("-", max_bytes=0)


# --- JSON Lines --------------------------------------------------------------------


def test_readers_jsonl_fields(tmp_path: Path) -> None:
    record = {"id": 42, "text": BODY, "title": "Talks", "date": "March 3, 2023",
              "url": "https://example.org/talks", "source": "Northwind Gazette"}
    path = write(tmp_path / "batch.jsonl", jsonl(record, {"text": "LONDON (AP) - " + BODY}))
    first, second = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.input, first.text) == ("42", f"{path}:1", BODY)
    assert (first.title, first.date, first.url, first.source) == (
        "Talks", "2023-03-03", "https://example.org/talks", "Northwind Gazette")
    assert (second.id, second.input, second.place, second.source) == (
        "batch:2", f"{path}:2", "London", "Associated Press")


def test_readers_jsonl_unparsable_date_is_none(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "d.jsonl", jsonl({"text": BODY, "date": "sometime"})))
    assert isinstance(article, Article) and article.date is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "unterminated', "malformed JSON at column 10: Unterminated string starting at"),
        ('{"text": "a",}', "malformed JSON at column 14: Expecting property name enclosed in double quotes"),
        ('{"id": "x"}', 'missing "text" field'),
        ('{"text": 7}', '"text" is not a string but int'),
        ('{"text": "   "}', '"text" is empty'),
        ('["text"]', "expected a JSON object, got list"),
    ],
)
def test_readers_jsonl_bad_line_among_good(tmp_path: Path, line: str, reason: str) -> None:
    path = write(tmp_path / "mixed.jsonl", jsonl({"id": "a", "text": BODY}, line, {"id": "c", "text": BODY}))
    first, bad, last = read_all(path)
    assert isinstance(first, Article) and first.id == "a"
    assert bad == Failure(f"{path}:2", reason)
    assert isinstance(last, Article) and last.id == "c"


def test_readers_jsonl_invalid_utf8_line_among_good(tmp_path: Path) -> None:
    good = jsonl({"id": "a", "text": BODY}).encode()
    path = write(tmp_path / "mixed.jsonl", good + b'{"text": "\xff"}\n' + good)
    first, bad, last = read_all(path)
    offset = len(good) + len('{"text": "')
    assert bad == Failure(f"{path}:2", f"not valid UTF-8: invalid start byte 0xff at offset {offset}")
    assert isinstance(first, Article) and isinstance(last, Article)


def test_readers_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.jsonl", "\n" + jsonl({"text": BODY}) + "\n\n" + jsonl({"text": BODY}))
    assert [r.input for r in read_all(path)] == [f"{path}:2", f"{path}:5"]


def test_readers_jsonl_gz(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl.gz", gzip.compress(jsonl({"text": BODY}).encode()))
    article = read_one(path)
    assert isinstance(article, Article)
    assert (article.id, article.text) == ("batch:1", BODY)


def test_readers_corrupt_gz(tmp_path: Path) -> None:
    failure = read_one(write(tmp_path / "batch.jsonl.gz", b"not gzip at all"))
    assert isinstance(failure, Failure) and failure.reason.startswith("not valid gzip")


def test_readers_empty_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path / "none.jsonl", b"")
    assert read_one(path) == Failure(str(path), "empty file")


# --- directories -------------------------------------------------------------------


def test_readers_directory_sorted_recursive_with_bad_file(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", BODY)
    write(root / "a.txt", BODY)
    write(root / "c.bin", b"\x00\x01\x02")
    write(root / "sub" / "d.jsonl", jsonl({"text": BODY}, {"text": BODY}))
    write(root / ".hidden.txt", BODY)
    write(root / ".git" / "e.txt", BODY)
    results = read_all(root)
    assert [r.input for r in results] == [
        str(root / "a.txt"), str(root / "b.txt"), str(root / "c.bin"),
        f"{root / 'sub' / 'd.jsonl'}:1", f"{root / 'sub' / 'd.jsonl'}:2",
    ]
    assert [type(r) for r in results] == [Article, Article, Failure, Article, Article]
    assert results[2] == Failure(str(root / "c.bin"), "binary file, not text")


def test_readers_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "void").mkdir()
    failure = read_one(tmp_path / "void")
    assert isinstance(failure, Failure) and failure.reason.startswith("empty directory")


# --- standard input ------------------------------------------------------------------


def test_readers_stdin_plain_text() -> None:
    article = read_one("-", stdin=io.BytesIO(("TEHRAN (IRNA) - " + BODY).encode()))
    assert isinstance(article, Article)
    assert (article.input, article.text, article.source) == ("<stdin>", BODY, "Islamic Republic News Agency")
    assert article.id == hashlib.sha1(BODY.encode()).hexdigest()[:12]


def test_readers_stdin_text_stream() -> None:
    article = read_one("-", stdin=io.StringIO(BODY))
    assert isinstance(article, Article) and article.text == BODY


def test_readers_stdin_jsonl() -> None:
    data = ("\n" + jsonl({"id": "s1", "text": BODY}, "{broken")).encode()
    first, second = read_all("-", stdin=io.BytesIO(data))
    assert isinstance(first, Article) and (first.id, first.input) == ("s1", "<stdin>:2")
    assert isinstance(second, Failure) and second.input == "<stdin>:3"


def test_readers_stdin_html() -> None:
    article = read_one("-", stdin=io.BytesIO(html_page().encode()))
    assert isinstance(article, Article)
    assert article.text == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b"\xfe\xfe", "not valid UTF-8: invalid start byte 0xfe at offset 0")],
)
def test_readers_stdin_bad_input(data: bytes, reason: str) -> None:
    assert read_one("-", stdin=io.BytesIO(data)) == Failure("<stdin>", reason)


def test_readers_stdin_too_large() -> None:
    failure = read_one("-", stdin=io.BytesIO(b"x" * 100), max_bytes=10)
    assert isinstance(failure, Failure) and "too large" in failure.reason


def test_readers_stdin_read_once() -> None:
    first, second = read_all("-", "-", stdin=io.BytesIO(BODY.encode()))
    assert isinstance(first, Article)
    assert second == Failure("<stdin>", "standard input was already read")


# --- HTML ---------------------------------------------------------------------------


def test_readers_html_extracts_article_and_metadata(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "valdoria.html", html_page()))
    assert isinstance(article, Article)
    assert article.text == "\n\n".join(PARAGRAPHS)
    for junk in ("Home page", "World desk", "All rights reserved", "Privacy policy", "<p>"):
        assert junk not in article.text
    assert (article.id, article.title, article.date, article.source) == (
        "valdoria", "Ministers meet in Valdoria", "2021-05-06", "Northwind Gazette")


def test_readers_html_detected_by_content(tmp_path: Path) -> None:
    article = read_one(write(tmp_path / "page.txt", "\n  " + html_page()))
    assert isinstance(article, Article)
    assert article.text == "\n\n".join(PARAGRAPHS)
