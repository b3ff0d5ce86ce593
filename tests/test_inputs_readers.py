"""Tests for communique.inputs.readers: formats, bad input, order, stdin."""
from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, Union

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from communique.inputs import Failure, InputError, count_inputs, read_inputs
from communique.inputs.readers import BINARY
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
        (b"GIF89a\x00\x01\x02\x00\x00", BINARY),
        (bytes(range(1, 9)) * 20, BINARY),
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

    monkeypatch.setattr("communique.inputs.readers.open", refuse_open, raising=False)
    assert isinstance(read_one(path, max_bytes=10), Failure)


def test_readers_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", BODY)

    def deny(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("communique.inputs.readers.open", deny, raising=False)
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


def encodable(item: Union[Article, Failure]) -> bool:
    """Whether every text field of ``item`` encodes as UTF-8 (no lone surrogates)."""
    return all(value.encode("utf-8") is not None for value in vars(item).values() if isinstance(value, str))


def test_readers_jsonl_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    body = json.dumps(BODY)
    lines = [json.dumps({"text": BODY}), '{"text": "Talks \\ud800 began. ' + body[1:] + '}',
             '{"text": ' + body + ', "title": "Talks \\udfff"}', '{"text": ' + body + ', "id": "x\\ud800"}',
             '{"text": ' + body + ', "url": "https://example.org/\\ud800"}',
             '{"text": ' + body + ', "title": "A pair split in two: \\ud83d\\ude00"}', json.dumps({"text": BODY})]
    results = read_all(write(tmp_path / "odd.jsonl", "\n".join(lines) + "\n"))
    assert [type(r) for r in results] == [Article] * 7 and all(encodable(r) for r in results)
    assert [r.id for r in results] == ["odd:1", "odd:2", "odd:3", "x\ufffd", "odd:5", "odd:6", "odd:7"]
    assert results[1].text.startswith("Talks \ufffd began.") and results[2].title == "Talks \ufffd"
    assert results[4].url == "https://example.org/\ufffd" and results[5].title == "A pair split in two: \U0001f600"


def test_readers_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "good.txt", BODY)
    write(root / os.fsdecode(b"caf\xe9.txt"), BODY)  # the name holds a lone surrogate: "caf\udce9.txt"
    write(root / os.fsdecode(b"caf\xe9.bin"), b"\0\1")
    results = read_all(root)
    assert [type(r) for r in results] == [Failure, Article, Article] and all(encodable(r) for r in results)
    assert results[1].id == "caf\ufffd"


def test_readers_stdin_text_stream_with_a_lone_surrogate() -> None:
    article = read_one("-", stdin=io.StringIO("Talks \ud800 began. " + BODY))
    assert isinstance(article, Article) and article.text.startswith("Talks \ufffd began.")


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


@pytest.mark.parametrize("damage", ["truncated", "bad CRC", "corrupt stream"])
@pytest.mark.parametrize("name", ["batch.jsonl.gz", "rows.csv.gz", "note.txt.gz"])
def test_readers_damaged_gz(tmp_path: Path, name: str, damage: str) -> None:
    data = gzip.compress(csv_text(["text"], *[[f"Row {i} of the talks in the capital."] for i in range(300)]).encode())
    data = {"truncated": data[: len(data) // 2], "bad CRC": data[:-8] + bytes(4) + data[-4:],
            "corrupt stream": data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:]}[damage]
    path = write(tmp_path / name, data)
    failure = read_one(path)
    assert isinstance(failure, Failure) and failure.input == str(path) and failure.reason.startswith("not valid gzip")


def test_readers_gz_bomb_refused_early(tmp_path: Path) -> None:
    bomb = gzip_of_zeros(tmp_path / "bomb.jsonl.gz", 30_000_000)
    assert read_one(bomb, max_bytes=100_000) == Failure(str(bomb), "file too large: over 100000 bytes when decompressed")


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
    assert results[2] == Failure(str(root / "c.bin"), BINARY)


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


# --- CSV and TSV ---------------------------------------------------------------------


def csv_text(*rows: list[str], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def test_readers_csv_default_columns(tmp_path: Path) -> None:
    content = csv_text(
        ["id", "title", "date", "url", "source", "text", "extra"],
        ["a1", "Talks", "2023-03-03", "https://example.org/a1", "Northwind Gazette", BODY, "ignored"],
        ["", "", "", "", "", "LONDON (AP) - " + BODY, ""],
    )
    path = write(tmp_path / "batch.csv", codecs.BOM_UTF8 + content.encode())
    first, second = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.input, first.text) == ("a1", f"{path}:line 2", BODY)
    assert (first.title, first.date, first.url, first.source) == (
        "Talks", "2023-03-03", "https://example.org/a1", "Northwind Gazette")
    # the text spans three lines (quoted), so the second row starts on line 5; no id gives stem:line
    assert (second.id, second.input, second.place, second.source) == (
        "batch:5", f"{path}:line 5", "London", "Associated Press")


def test_readers_csv_row_without_text_among_good(tmp_path: Path) -> None:
    content = csv_text(["id", "text"], ["a", BODY], ["b", "   "], ["c"], ["d", BODY])
    path = write(tmp_path / "rows.csv", content)
    results = read_all(path)
    lines = [2, 5, 6, 7]  # BODY holds two newlines, so each row with it spans three lines
    assert [r.input for r in results] == [f"{path}:line {n}" for n in lines]
    assert [type(r) for r in results] == [Article, Failure, Failure, Article]
    assert results[1] == Failure(f"{path}:line 5", '"text" is empty')
    assert results[2] == Failure(f"{path}:line 6", '"text" is empty')
    assert isinstance(results[3], Article) and results[3].id == "d"


def test_readers_csv_mapped_columns(tmp_path: Path) -> None:
    content = csv_text(["uuid", "Headline", "body", "published"], ["u-1", "Talks", BODY, "March 3, 2023"])
    path = write(tmp_path / "export.csv", content)
    article = read_one(path, fields={"text": "body", "id": "uuid", "title": "headline", "date": "published"})
    assert isinstance(article, Article)
    assert (article.id, article.text, article.title, article.date) == ("u-1", BODY, "Talks", "2023-03-03")


def test_readers_csv_missing_text_column(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", csv_text(["uuid", "body"], ["u-1", BODY]))
    assert read_one(path) == Failure(
        str(path), "no \"text\" column for the text in the header row (columns: 'uuid', 'body')")
    failure = read_one(path, fields={"text": "body", "url": "link"})
    assert isinstance(failure, Failure) and failure.reason.startswith('no "link" column for the url')


def test_readers_csv_malformed_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", f'id,text\na,"{BODY}"\nb,"quoted"tail\nc,{BODY.split(chr(10))[0]},x\n')
    first, bad_quote, too_many = read_all(path)
    assert isinstance(first, Article)
    assert bad_quote == Failure(f"{path}:line 5", "malformed CSV: ',' expected after '\"'")
    assert too_many == Failure(f"{path}:line 6", "row has 3 fields but the header has 2")


def test_readers_csv_header_only(tmp_path: Path) -> None:
    path = write(tmp_path / "head.csv", "id,text\n")
    assert read_one(path) == Failure(str(path), "no rows below the header row")


def test_readers_csv_large_field(tmp_path: Path) -> None:
    long_text = " ".join([PARAGRAPHS[0]] * 2000)  # ~300 kB, over csv's default field limit of 128 kB
    path = write(tmp_path / "long.csv", csv_text(["text"], [long_text]))
    article = read_one(path)
    assert isinstance(article, Article) and len(article.text) > 131072


def test_readers_tsv_gz(tmp_path: Path) -> None:
    content = csv_text(["id", "text"], ["t1", BODY], delimiter="\t")
    path = write(tmp_path / "batch.tsv.gz", gzip.compress(content.encode()))
    article = read_one(path)
    assert isinstance(article, Article)
    assert (article.id, article.text, article.input) == ("t1", BODY, f"{path}:line 2")


def test_readers_csv_gz(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.csv.gz", gzip.compress(csv_text(["text"], [BODY]).encode()))
    article = read_one(path)
    assert isinstance(article, Article) and (article.id, article.text) == ("batch:2", BODY)


# --- field mapping for JSON Lines ----------------------------------------------------------


def test_readers_jsonl_mapped_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "mapped.jsonl", jsonl({"uuid": "u-7", "body": BODY, "headline": "Talks"},
                                                  {"uuid": "u-8", "text": BODY}))
    first, second = read_all(path, fields={"text": "body", "id": "uuid", "title": "headline"})
    assert isinstance(first, Article)
    assert (first.id, first.text, first.title) == ("u-7", BODY, "Talks")
    assert second == Failure(f"{path}:2", 'missing "body" field')


def test_readers_stdin_jsonl_mapped_fields() -> None:
    article = read_one("-", stdin=io.BytesIO(jsonl({"body": BODY}).encode()), fields={"text": "body"})
    assert isinstance(article, Article) and article.text == BODY


@pytest.mark.parametrize("fields", [{"body": "text"}, {"text": ""}, {"text": 3}])
def test_readers_reject_bad_field_mapping(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        read_all("-", fields=fields)


# --- WARC ------------------------------------------------------------------------------------


NAV_PAGE = "<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/w'>World news</a></nav></body></html>"
GOOD_ID = "11111111-2222-3333-4444-555555555555"


def warc_bytes(gzipped: bool = False) -> bytes:
    """warcinfo, a good article page, a request, an image, a page without prose, a redirect."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))

    def response(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK",
                 **warc_headers: str) -> None:
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                           warc_headers_dict=warc_headers or None)
        writer.write_record(record)

    response("https://gazette.example/valdoria", html_page().encode(),
             **{"WARC-Record-ID": f"<urn:uuid:{GOOD_ID}>", "WARC-Date": "2024-02-03T04:05:06Z"})
    request = StatusAndHeaders("GET /menu HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://gazette.example/menu", "request", http_headers=request))
    response("https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n\0\0", content_type="image/png")
    response("https://gazette.example/menu", NAV_PAGE.encode())
    response("https://gazette.example/old", b"<html><body>Moved</body></html>", status="301 Moved Permanently")
    return buffer.getvalue()


def test_readers_warc(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc", warc_bytes())
    article, failure = read_all(path)
    assert isinstance(article, Article)
    assert article.text == "\n\n".join(PARAGRAPHS)
    assert (article.id, article.url, article.input) == (GOOD_ID, "https://gazette.example/valdoria", f"{path}:record 2")
    assert (article.title, article.source, article.date) == (
        "Ministers meet in Valdoria", "Northwind Gazette", "2021-05-06")  # the page's own date wins
    assert failure == Failure(f"{path}:record 5 (https://gazette.example/menu)",
                              "no article text could be extracted from the HTML")


def test_readers_warc_date_when_page_has_none(tmp_path: Path) -> None:
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://example.org/p", "response", payload=io.BytesIO(page.encode()), http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-02-03T04:05:06Z"}))
    article = read_one(write(tmp_path / "one.warc", buffer.getvalue()))
    assert isinstance(article, Article) and article.date == "2024-02-03"


def test_readers_warc_gz(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.warc.gz", warc_bytes(gzipped=True))
    article, failure = read_all(path)
    assert isinstance(article, Article) and (article.id, article.input) == (GOOD_ID, f"{path}:record 2")
    assert isinstance(failure, Failure) and failure.input == f"{path}:record 5 (https://gazette.example/menu)"


def test_readers_warc_whole_file_gzipped(tmp_path: Path) -> None:
    article, failure = read_all(write(tmp_path / "crawl.warc.gz", gzip.compress(warc_bytes())))
    assert isinstance(article, Article) and isinstance(failure, Failure)


def test_readers_corrupt_warc_keeps_what_was_read(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.warc", warc_bytes() + b"this is not a WARC record\r\n\r\n")
    results = read_all(path)
    assert [type(r) for r in results] == [Article, Failure, Failure]
    assert results[2].input == str(path)
    assert results[2].reason.startswith("not a valid WARC file (at record 7): Invalid WARC record")


@pytest.mark.parametrize(
    ("marker", "offset", "read", "where"),
    [(NAV_PAGE.encode(), 10, [Article], "record 5 (in its content)"),
     (b"WARC-Type: request", 5, [Article], "record 3 (in its headers)"),
     (b"Content-Length: 45", 16, [Article], "record 3 (in its headers)"),
     (PARAGRAPHS[1].encode(), 0, [], "record 2 (in its content)")],  # half a page is no article
    ids=["in a page", "in headers", "in a Content-Length", "in the article's page"],
)
def test_readers_truncated_warc_keeps_the_records_before_the_cut(
        tmp_path: Path, marker: bytes, offset: int, read: list[type], where: str) -> None:
    data = warc_bytes()
    cut = data.index(marker) + offset
    path = write(tmp_path / "cut.warc", data[:cut])
    *results, last = read_all(path)
    assert [type(r) for r in results] == read
    assert last == Failure(str(path), f"truncated WARC file: it ends inside {where}, after {cut} bytes")


def test_readers_truncated_warc_gz(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.warc.gz", warc_bytes(gzipped=True)[:-40])
    results = read_all(path)
    assert isinstance(results[0], Article)
    assert isinstance(results[-1], Failure) and results[-1].input == str(path)
    assert results[-1].reason.startswith("not a valid WARC file")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"just some text\n", "not a valid WARC file (at record 1): Unknown archive format")],
)
def test_readers_not_a_warc(tmp_path: Path, content: bytes, reason: str) -> None:
    failure = read_one(write(tmp_path / "fake.warc", content))
    assert isinstance(failure, Failure) and failure.input == str(tmp_path / "fake.warc")
    assert failure.reason.startswith(reason)


def test_readers_warc_without_html(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
    path = write(tmp_path / "x.warc", buffer.getvalue())
    assert read_one(path) == Failure(str(path), "no HTML response records in the WARC file")


def test_readers_warc_record_too_large(tmp_path: Path) -> None:
    page = PAGE.format(paragraphs="\n".join(f"<p>{p}</p>" for p in PARAGRAPHS * 100)).encode()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/long", "response",
                                                  payload=io.BytesIO(page), http_headers=http))
    path = write(tmp_path / "long.warc.gz", buffer.getvalue())
    limit = len(page) // 2
    assert path.stat().st_size < limit  # the file is within the limit, its record is not
    assert read_one(path, max_bytes=limit) == Failure(f"{path}:record 1 (https://example.org/long)",
                                                      f"record too large: over the limit of {limit} bytes")
    assert isinstance(read_one(path, max_bytes=len(page)), Article)


def test_readers_warc_gz_decompresses_to_a_limit(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, kind in [("https://example.org/p", html_page().encode(), "text/html"),
                            ("https://example.org/zeros.bin", bytes(3_000_000), "application/octet-stream")]:
        http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    path = write(tmp_path / "bomb.warc.gz", buffer.getvalue())
    assert path.stat().st_size < 100_000
    article, failure = read_all(path, max_bytes=100_000)  # 20 times: 2 MB decompressed
    assert isinstance(article, Article)
    assert failure == Failure(str(path), "WARC file too large: over 2000000 bytes when decompressed (stopped in record 2)")
    assert [type(r) for r in read_all(path, max_bytes=200_000)] == [Article]


# --- ZIP -------------------------------------------------------------------------------------


def zip_bytes(members: dict[str, Union[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_readers_zip(tmp_path: Path) -> None:
    path = write(tmp_path / "bundle.zip", zip_bytes({
        "b/records.jsonl": jsonl({"text": BODY}, {"id": "r2", "text": BODY}),
        "a-note.txt": BODY,
        "c/logo.bin": b"\x89PNG\x00\x01\x02\x00",
        "c/": "",
        ".hidden.txt": BODY,
        "__MACOSX/._a-note.txt": b"\x00\x05\x16\x07",
        "d/page.html": html_page(),
        "e/rows.csv": csv_text(["text"], [BODY]),
    }))
    results = read_all(path)
    assert [r.input for r in results] == [
        f"{path}:a-note.txt", f"{path}:b/records.jsonl:1", f"{path}:b/records.jsonl:2", f"{path}:c/logo.bin",
        f"{path}:d/page.html", f"{path}:e/rows.csv:line 2",
    ]
    note, first, second, binary, page, row = results
    assert isinstance(note, Article) and (note.id, note.text) == ("a-note", BODY)
    assert isinstance(first, Article) and first.id == "records:1"
    assert isinstance(second, Article) and second.id == "r2"
    assert binary == Failure(f"{path}:c/logo.bin", BINARY)
    assert isinstance(page, Article) and (page.id, page.text) == ("page", "\n\n".join(PARAGRAPHS))
    assert isinstance(row, Article) and row.id == "rows:2"


def test_readers_zip_with_warc_and_gz_members(tmp_path: Path) -> None:
    path = write(tmp_path / "bundle.zip", zip_bytes({
        "crawl.warc.gz": warc_bytes(gzipped=True),
        "note.txt.gz": gzip.compress(BODY.encode()),
        "inner.zip": zip_bytes({"x.txt": BODY}),
    }))
    article, failure, nested, note = read_all(path)
    assert isinstance(article, Article) and article.input == f"{path}:crawl.warc.gz:record 2"
    assert isinstance(failure, Failure) and failure.input.startswith(f"{path}:crawl.warc.gz:record 5 ")
    assert nested == Failure(f"{path}:inner.zip", "nested ZIP archive: not read (unpack it first)")
    assert isinstance(note, Article) and (note.id, note.text) == ("note", BODY)


def test_readers_zip_member_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "bundle.zip", zip_bytes({"big.txt": "word " * 1000, "small.txt": BODY}))
    big, small = read_all(path, max_bytes=1000)
    assert big == Failure(f"{path}:big.txt", "member too large: 5000 bytes > limit 1000 bytes")
    assert isinstance(small, Article) and small.text == BODY


def test_readers_zip_bomb_refused_by_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "bomb.zip", zip_bytes({"bomb.txt": "0" * 5_000_000}))
    assert path.stat().st_size < 10_000

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    assert read_one(path, max_bytes=100_000) == Failure(
        f"{path}:bomb.txt", "member too large: 5000000 bytes > limit 100000 bytes")


def test_readers_zip_member_lying_about_its_size(tmp_path: Path) -> None:
    data = bytearray(zip_bytes({"liar.txt": BODY}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # shrink the declared size in both headers
        at = data.index(header)
        offset = at + (22 if header == b"PK\x03\x04" else 24)
        data[offset:offset + 4] = (10).to_bytes(4, "little")
    path = write(tmp_path / "liar.zip", bytes(data))
    failure = read_one(path)
    assert isinstance(failure, Failure) and failure.input == f"{path}:liar.txt"


def test_readers_zip_unsafe_member_names_are_failures(tmp_path: Path) -> None:
    names = ["../../x.txt", "/etc/x.txt", "C:/x.txt", "d:\\x.txt", "a/../../b.txt", "..\\c.txt", "../"]
    path = write(tmp_path / "bundle.zip", zip_bytes({**{name: BODY for name in names}, "good.txt": BODY}))
    results = read_all(path)
    reason = "unsafe member name (absolute, with a drive or with ..): not read"
    assert results[:-1] == [Failure(f"{path}:{name}", reason) for name in sorted(names)]
    assert isinstance(results[-1], Article) and results[-1].input == f"{path}:good.txt"


def test_readers_zip_members_together_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    member = "Talks went on in the capital. " * 3000  # 90 kB, compressed to a few hundred bytes
    path = write(tmp_path / "bundle.zip", zip_bytes({f"{i:02}.txt": member for i in range(20)}))
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info, *a, **k: opened.append(info) or real_open(
        self, info, *a, **k))
    results = read_all(path, max_bytes=100_000)
    assert isinstance(results[0], Article) and len(opened) == 1  # the others are not decompressed
    over = "not read: the archive's members together are over the limit of 100000 bytes decompressed"
    assert results[1:] == [Failure(f"{path}:{i:02}.txt", over) for i in range(1, 20)]


def test_readers_zip_gz_members_count_their_decompressed_size(tmp_path: Path) -> None:
    path = write(tmp_path / "bundle.zip", zip_bytes({
        "a.txt": BODY, "b.txt.gz": gzip_of_zeros(tmp_path / "zeros.gz", 2_000_000).read_bytes(), "c.txt": BODY}))
    a, b, c = read_all(path, max_bytes=1_000_000)
    over = "not read: the archive's members together are over the limit of 1000000 bytes decompressed"
    assert isinstance(a, Article)  # b's million bytes decompressed are spent, and c has no share left
    assert (b, c) == (Failure(f"{path}:b.txt.gz", over), Failure(f"{path}:c.txt", over))


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"not a zip", "not a valid ZIP archive: File is not a zip file"),
     (zip_bytes({"dir/": "", ".x": BODY}), "empty ZIP archive: no files to read")],
)
def test_readers_bad_zip(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.zip", content)
    assert read_one(path) == Failure(str(path), reason)


def test_readers_directory_reads_new_formats(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.csv", csv_text(["text"], [BODY]))
    write(root / "b.warc", warc_bytes())
    write(root / "c.zip", zip_bytes({"n.txt": BODY}))
    results = read_all(root)
    assert [r.input for r in results] == [
        f"{root / 'a.csv'}:line 2", f"{root / 'b.warc'}:record 2",
        f"{root / 'b.warc'}:record 5 (https://gazette.example/menu)", f"{root / 'c.zip'}:n.txt",
    ]


# --- counting --------------------------------------------------------------------------------


def gzip_of_zeros(path: Path, size: int) -> Path:
    """A small gzip file of ``size`` NUL bytes (no line break), written without holding them."""
    with gzip.open(path, "wb") as handle:
        for _ in range(size // 1_000_000):
            handle.write(bytes(1_000_000))
    return path


def test_count_inputs_counts_like_the_readers(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "a.txt", BODY)
    write(root / "b.jsonl", jsonl({"text": BODY}, {"text": BODY}) + "\n  \n" + jsonl({"text": BODY}))
    write(root / "c.csv", csv_text(["text"], [BODY.replace("\n", " ")], [BODY.replace("\n", " ")]))
    write(root / "d.jsonl.gz", gzip.compress(jsonl({"text": BODY}, {"text": BODY}).encode()))
    write(root / "e.tsv.gz", gzip.compress(b"text\nThe ministers met in the capital, without a final line break"))
    write(root / ".hidden.txt", BODY)
    write(root / ".git" / "x.txt", BODY)
    assert count_inputs([str(root)]) == 1 + 3 + 2 + 2 + 1
    assert count_inputs([str(root)]) == sum(isinstance(r, Article) for r in read_all(root))
    assert count_inputs([root / "a.txt", str(tmp_path / "missing.txt")]) == 1


@pytest.mark.parametrize("name", ["list.urls", "crawl.warc.gz", "bundle.zip"])
def test_count_inputs_unknown_for_url_lists_warc_and_zip(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "corpus" / name, b"")
    assert count_inputs([str(path)]) is None and count_inputs([str(tmp_path / "corpus")]) is None


def test_count_inputs_unknown_for_stdin_and_the_web() -> None:
    assert count_inputs(["-"]) is None and count_inputs(["https://example.org/feed"]) is None


def test_count_inputs_damaged_gzip_counts_nothing(tmp_path: Path) -> None:
    data = gzip.compress(jsonl(*[{"text": f"{BODY} {i}"} for i in range(200)]).encode())
    truncated = write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    corrupt = write(tmp_path / "bad.csv.gz", data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:])
    not_gzip = write(tmp_path / "plain.jsonl.gz", jsonl({"text": BODY}))
    bad_crc = write(tmp_path / "crc.jsonl.gz", data[:-8] + bytes(4) + data[-4:])
    assert count_inputs([truncated, corrupt, not_gzip, bad_crc, write(tmp_path / "ok.txt", BODY)]) == 1


def test_count_inputs_stops_at_its_budget(tmp_path: Path) -> None:
    bomb = gzip_of_zeros(tmp_path / "bomb.jsonl.gz", 30_000_000)  # about 30 kB, one 30 MB line
    assert bomb.stat().st_size < 100_000
    assert count_inputs([bomb], max_bytes=3_000_000) is None
    assert count_inputs([bomb], max_bytes=40_000_000) == 1
    lines = write(tmp_path / "many.jsonl", jsonl(*[{"text": BODY}] * 1000))
    assert count_inputs([lines], max_bytes=1000) is None
    assert count_inputs([lines], max_seconds=0) is None
    assert count_inputs([lines]) == 1000
