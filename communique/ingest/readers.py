"""Read articles from files, directories and standard input.

``read_inputs`` turns each input into cleaned :class:`~communique.model.Article`
records, or into a :class:`Failure` that says why the input was unusable. It
writes ``id``, ``text``, ``title``, ``source``, ``place``, ``date``, ``url`` and
``input`` and never raises for bad input. Formats: plain text, HTML (through
trafilatura, offline), JSON Lines (``.jsonl``, ``.ndjson``, optionally
gzipped), directories (recursively, sorted, hidden entries skipped) and ``-``
for standard input.
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Optional, TextIO, Union

import trafilatura

from communique.ingest.clean import clean_article, to_iso_date
from communique.model import Article

STDIN_NAME = "<stdin>"
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_STARTS = ("<!doctype", "<html")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control bytes that do not occur in text (everything below 0x20 except \t \n \f \r, and DEL).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
BINARY_SAMPLE = 8192
BINARY_CONTROL_SHARE = 0.3
MIN_PROSE_WORDS = 4  # extracted HTML needs one line this long; menus and link lists have none

Stream = Union[TextIO, BinaryIO]


@dataclass
class Failure:
    """One input that could not be read, and why."""

    input: str
    reason: str


class InputError(Exception):
    """A bad input; ``str()`` is ``"INPUT: REASON"``."""

    def __init__(self, input: str, reason: str) -> None:
        super().__init__(f"{input}: {reason}")
        self.input = input
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"

    def to_failure(self) -> Failure:
        return Failure(self.input, self.reason)


@dataclass
class ReadContext:
    """Settings and state shared by one ``read_inputs`` call."""

    stdin: Optional[Stream]
    max_bytes: int
    stdin_read: bool = False


def read_inputs(
    paths: Iterable[str],
    stdin: Optional[Stream] = None,
    max_bytes: int = 50_000_000,
) -> Iterator[Union[Article, Failure]]:
    """Yield one cleaned Article per article, or one Failure per bad input, in input order."""
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    context = ReadContext(stdin, max_bytes)
    for path in paths:
        yield from read_one(os.fspath(path), context)


def read_one(path: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read one path (file, directory or "-"), turning bad input into Failures."""
    try:
        if path == "-":
            yield from read_stdin(context)
        elif os.path.isdir(path):
            yield from read_directory(path, context)
        else:
            yield from read_file(path, context)
    except InputError as error:
        yield error.to_failure()
    except OSError as error:
        yield Failure(path, describe_os_error(error))


def describe_os_error(error: OSError) -> str:
    """A short lower-case reason for an operating-system error."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


# --- files and directories -------------------------------------------------


def read_file(path: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read one file as JSON Lines, HTML or plain text."""
    data = read_bytes(path, context.max_bytes)
    suffix = inner_suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, path, file_stem(path))
        return
    text = decode_bytes(data, path)
    article = Article(id=file_stem(path), text=text, input=path)
    yield finish_article(article, is_html=suffix in HTML_SUFFIXES or looks_html(text))


def read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a regular file of at most ``max_bytes`` (checked before reading); gunzip .gz."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if info.st_size > max_bytes:
        raise InputError(path, too_large(info.st_size, max_bytes))
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(path, too_large(len(data), max_bytes))
    return gunzip(data, path, max_bytes) if path.lower().endswith(".gz") else data


def too_large(size: int, max_bytes: int) -> str:
    return f"file too large: {size} bytes > limit {max_bytes} bytes"


def gunzip(data: bytes, path: str, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing output larger than ``max_bytes``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(path, f"not valid gzip: {error}") from None
    if len(out) > max_bytes:
        raise InputError(path, f"file too large: over {max_bytes} bytes when decompressed")
    return out


def inner_suffix(path: str) -> str:
    """The lower-cased suffix, looking through a trailing ``.gz``."""
    name = Path(path).name.lower()
    return Path(name[:-3] if name.endswith(".gz") else name).suffix


def file_stem(path: str) -> str:
    """The file name without its extension (and without ``.gz``)."""
    name = Path(path).name
    name = name[:-3] if name.lower().endswith(".gz") else name
    return Path(name).stem or name


def read_directory(path: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read every non-hidden file below ``path``, in sorted order."""
    entries = list_directory(path)
    if not entries:
        raise InputError(path, "empty directory: no files to read")
    for entry, error in entries:
        if error:
            yield Failure(entry, error)
        else:
            yield from read_one(entry, context)


def list_directory(root: str) -> list[tuple[str, Optional[str]]]:
    """(path, error) pairs for the non-hidden files below ``root``, sorted by path."""
    found: list[tuple[str, Optional[str]]] = []

    def note_error(error: OSError) -> None:
        found.append((error.filename or root, describe_os_error(error)))

    for folder, folders, files in os.walk(root, onerror=note_error):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend((os.path.join(folder, name), None) for name in files if not name.startswith("."))
    return sorted(found, key=lambda entry: Path(entry[0]).relative_to(root).parts)


# --- standard input ----------------------------------------------------------


def read_stdin(context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read standard input once, as JSON Lines, HTML or plain text."""
    if context.stdin_read:
        raise InputError(STDIN_NAME, "standard input was already read")
    context.stdin_read = True
    data = read_stream(context.stdin or sys.stdin, context.max_bytes)
    if looks_jsonl(data):
        yield from read_jsonl(data, STDIN_NAME, "stdin")
        return
    text = decode_bytes(data, STDIN_NAME)
    article = finish_article(Article(id="", text=text, input=STDIN_NAME), looks_html(text))
    yield replace(article, id=content_id(article.text))


def read_stream(stream: Stream, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` from a text or binary stream, as bytes."""
    source = getattr(stream, "buffer", stream)
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    if len(data) > max_bytes:
        raise InputError(STDIN_NAME, f"input too large: over the limit of {max_bytes} bytes")
    return data


def looks_jsonl(data: bytes) -> bool:
    """True when the first non-blank line starts with ``{``."""
    if data.startswith(UTF16_BOMS):
        return False
    return data.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{")


def content_id(text: str) -> str:
    """A short, stable id for an article without a name: sha1 of its text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def text_hash(text: str) -> str:
    """The key of an article's content: sha1 of its text case-folded with whitespace collapsed, so
    that copies differing only in spacing or case are one article."""
    return hashlib.sha1(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:20]


# --- decoding ----------------------------------------------------------------


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text: UTF-8 (BOM allowed) or UTF-16 with a BOM; reject empty and binary data."""
    if not data:
        raise InputError(name, "empty file")
    if data.startswith(UTF16_BOMS):
        text = decode_utf16(data, name)
    elif looks_binary(data):
        raise InputError(name, "binary file, not text")
    else:
        text = decode_utf8(data, name)
    if not text.strip():
        raise InputError(name, "empty file (only whitespace)")
    return text


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or mostly non-text control bytes."""
    if b"\0" in data:
        return True
    sample = data[:BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(sample)


def decode_utf8(data: bytes, name: str, base: int = 0) -> str:
    """Decode UTF-8 strictly; the error names the bad byte and its offset (plus ``base``)."""
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + skip
        reason = f"not valid UTF-8: {error.reason} 0x{data[offset]:02x} at offset {base + offset}"
        raise InputError(name, reason) from None


def decode_utf16(data: bytes, name: str) -> str:
    """Decode UTF-16 that starts with a byte-order mark."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise InputError(name, f"not valid UTF-16: {error.reason} at offset {error.start}") from None
    if "\0" in text:
        raise InputError(name, "binary file, not text")
    return text


# --- JSON Lines --------------------------------------------------------------


def read_jsonl(data: bytes, name: str, stem: str) -> Iterator[Union[Article, Failure]]:
    """One Article per JSON line; a bad line gives a Failure and the rest continue."""
    if not data.strip():
        raise InputError(name, "empty file" if not data else "empty file (only whitespace)")
    if data.startswith(UTF16_BOMS):
        data = decode_bytes(data, name).encode("utf-8")
    elif b"\0" in data:
        raise InputError(name, "binary file, not text")
    offset = 0
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield read_jsonl_line(line, offset, f"{name}:{lineno}", f"{stem}:{lineno}")
        offset += len(line) + 1


def read_jsonl_line(line: bytes, offset: int, where: str, default_id: str) -> Union[Article, Failure]:
    """Turn one JSON line into a cleaned Article, or a Failure naming ``path:LINE``."""
    try:
        record = parse_record(line, offset, where)
        return finish_article(record_article(record, where, default_id), is_html=False)
    except InputError as error:
        return error.to_failure()


def parse_record(line: bytes, offset: int, where: str) -> dict[str, Any]:
    """Decode and parse one JSON line and check that it has a usable ``text``."""
    text = decode_utf8(line, where, base=offset)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(where, f"malformed JSON at column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise InputError(where, "malformed JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    check_text_field(record, where)
    return record


def check_text_field(record: dict[str, Any], where: str) -> None:
    """Raise unless ``record["text"]`` is a non-empty string."""
    if "text" not in record:
        raise InputError(where, 'missing "text" field')
    if not isinstance(record["text"], str):
        raise InputError(where, f'"text" is not a string but {type(record["text"]).__name__}')
    if not record["text"].strip():
        raise InputError(where, '"text" is empty')


def record_article(record: dict[str, Any], where: str, default_id: str) -> Article:
    """Build an Article from a parsed JSON record."""
    given_id = record.get("id")
    has_id = given_id is not None and str(given_id).strip() != ""
    return Article(
        id=str(given_id).strip() if has_id else default_id,
        text=record["text"],
        title=optional_str(record.get("title")),
        source=optional_str(record.get("source")),
        date=to_iso_date(record.get("date")),
        url=optional_str(record.get("url")),
        input=where,
    )


def optional_str(value: object) -> Optional[str]:
    """A stripped non-empty string, or None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- HTML and finishing --------------------------------------------------------


def looks_html(text: str) -> bool:
    """True when text starts like an HTML document."""
    return text.lstrip("\ufeff \t\r\n").lower().startswith(HTML_STARTS)


def finish_article(article: Article, is_html: bool) -> Article:
    """Extract HTML when needed, clean the article, and refuse an empty result."""
    if is_html:
        article = extract_html(article)
    cleaned = clean_article(article)
    if not cleaned.text:
        raise InputError(article.input or article.id, "no article text left after cleaning")
    return cleaned


def extract_html(article: Article) -> Article:
    """Replace HTML in ``article.text`` by the article body and metadata (trafilatura)."""
    name = article.input or article.id
    try:
        # precision over recall, tables kept, comments left out: the best of trafilatura's settings on
        # the article-extraction benchmark (`eval extraction`); where that finds no prose, recall first
        meta = trafilatura.extract_metadata(article.text)
        title = optional_str(meta.title) if meta else None
        text = ""
        for favor in ("favor_precision", "favor_recall"):
            body = trafilatura.extract(article.text, include_comments=False, include_tables=True,
                                       deduplicate=False, **{favor: True})
            text = html_paragraphs(body or "", title)
            if has_prose(text):
                break
    except Exception as error:  # trafilatura/lxml failures on malformed markup are bad input
        raise InputError(name, f"HTML could not be parsed: {error}") from None
    if not has_prose(text):
        raise InputError(name, "no article text could be extracted from the HTML")
    return replace(article, text=text, title=article.title or title,
                   source=article.source or (optional_str(meta.sitename) if meta else None),
                   date=article.date or (to_iso_date(meta.date) if meta else None),
                   url=article.url or (optional_str(meta.url) if meta else None))


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # scripts written without spaces
MIN_CJK_PROSE_CHARS = 12


def has_prose(text: str) -> bool:
    """Whether some line reads as prose: four words, or a dozen characters of a script written
    without spaces (Chinese, Japanese, Korean)."""
    return any(len(line.split()) >= MIN_PROSE_WORDS or len(CJK.findall(line)) >= MIN_CJK_PROSE_CHARS
               for line in text.split("\n"))


def html_paragraphs(body: str, title: Optional[str]) -> str:
    """One paragraph per extracted line, blank-line separated, without a repeated title."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)
