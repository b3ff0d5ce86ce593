"""Read articles from files, directories, standard input and the web.

``read_inputs`` turns each input into cleaned :class:`~communique.model.Article`
records, or into a :class:`Failure` that says why the input was unusable. It
writes ``id``, ``text``, ``title``, ``source``, ``place``, ``date``, ``url`` and
``input`` and never raises for bad input. Formats, chosen by file suffix:

- plain text (any other suffix) and HTML (``.html``, ``.htm``, ``.xhtml``, or text that starts like an
  HTML document; extracted with trafilatura, offline): one article per file, id = the file's stem;
- JSON Lines (``.jsonl``, ``.ndjson``): one article per line, input ``PATH:LINE``;
- CSV and TSV (``.csv``, ``.tsv``): one article per row below a required header row, input
  ``PATH:line N`` (the line the row starts on);
- WARC (``.warc``, via warcio): one article per ``response`` record with an HTML content type and a 2xx
  status, input ``PATH:record N``; id from ``WARC-Record-ID``, url from ``WARC-Target-URI``, date from
  ``WARC-Date`` when the page gives none; other records are skipped; a damaged or truncated file gives
  a Failure saying where it stops, after the records before;
- ZIP archives (``.zip``): every member (sorted by name, directories and hidden members skipped) read
  as a file of that name, named ``PATH:MEMBER``; nested archives are not opened; a member named outside
  the archive (absolute, with a drive or with ``..``) is a Failure;
- any of these gzipped (``.gz`` after the suffix);
- directories (recursively, sorted, hidden entries skipped) and ``-`` for standard input (text, HTML or
  JSON Lines, told apart by content);
- ``http(s)://`` URLs of pages or RSS/Atom feeds, and ``.urls`` files listing such URLs one per line,
  fetched politely (:mod:`communique.inputs.web`): a page is one article, a feed one per item.

Text is UTF-8 (a BOM allowed) or UTF-16 with a BOM. ``fields`` maps article fields (``text``, ``id``,
``title``, ``date``, ``url``, ``source``) to the column or key that holds them in CSV rows and JSON
records. ``max_bytes`` limits every file, every decompressed file, ZIP member and WARC record, and the
decompressed members of a ZIP archive together (the members past it are Failures); a gzipped WARC may
decompress to ``WARC_EXPANSION`` times ``max_bytes``. Decompression stops at these limits, it never runs
to the end of an oversized stream.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional, TextIO, Union

import trafilatura
import trafilatura.utils
from warcio.archiveiterator import ArchiveIterator

from communique.inputs.clean import clean_article, replace_surrogates, to_iso_date, without_surrogates
from communique.inputs.web import is_url, read_url
from communique.model import Article, Failure

STDIN_NAME = "<stdin>"
URL_LIST_SUFFIX = ".urls"  # a file of URLs (pages or feeds), one per line
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
WARC_SUFFIX = ".warc"
ZIP_SUFFIX = ".zip"
HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b"
ARTICLE_FIELDS = ("text", "id", "title", "date", "url", "source")
DEFAULT_FIELDS = {name: name for name in ARTICLE_FIELDS}
MAX_CSV_FIELD = 2**31 - 1  # csv.field_size_limit takes a C long
MAX_COLUMNS_SHOWN = 8
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_STARTS = ("<!doctype", "<html")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Control bytes that do not occur in text (everything below 0x20 except \t \n \f \r, and DEL).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
BINARY_SAMPLE = 8192
BINARY_CONTROL_SHARE = 0.3
WARC_SKIP_CHUNK = 1 << 16
WARC_EXPANSION = 20  # a gzipped WARC may decompress to this many times max_bytes (web pages: 3-10 times)
MIN_PROSE_WORDS = 4  # extracted HTML needs one line this long; menus and link lists have none

Stream = Union[TextIO, BinaryIO]


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
    # article field -> the CSV column or JSON key that holds it (every field present)
    fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    seen: Optional[Callable[[str], bool]] = None  # feed items known already (not fetched)


def read_inputs(
    paths: Iterable[str],
    stdin: Optional[Stream] = None,
    max_bytes: int = 50_000_000,
    fields: Optional[dict[str, str]] = None,
    seen: Optional[Callable[[str], bool]] = None,
) -> Iterator[Union[Article, Failure]]:
    """Yield one cleaned Article per article, or one Failure per bad input, in input order.

    ``fields`` maps article fields to the CSV columns / JSON keys holding them, e.g.
    ``{"text": "body", "id": "uuid"}``; fields not given keep their own name. ``seen(url)``
    tells which items of a feed are known already: they are not fetched."""
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    context = ReadContext(stdin, max_bytes, fields=field_map(fields), seen=seen)
    for path in paths:
        for item in read_one(os.fspath(path), context):
            yield without_surrogates(item)  # the failures too: a path that is not UTF-8 names them


def read_one(path: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read one path (file, directory or "-"), turning bad input into Failures."""
    try:
        if path == "-":
            yield from read_stdin(context)
        elif is_url(path):
            yield from read_web(path, context)
        elif path.endswith(URL_LIST_SUFFIX):
            for line in read_bytes(path, context.max_bytes).decode("utf-8", errors="replace").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    yield from read_web(line.strip(), context)
        elif os.path.isdir(path):
            yield from read_directory(path, context)
        else:
            yield from read_file(path, context)
    except InputError as error:
        yield error.to_failure()
    except OSError as error:
        yield Failure(path, describe_os_error(error))


def read_web(url: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """A page or a feed's items (see :mod:`communique.inputs.web`)."""
    if not is_url(url):
        yield Failure(url, "not an http(s) URL")
        return
    for found in read_url(url, context.max_bytes, lambda a: finish_article(a, is_html=True), context.seen):
        yield found if isinstance(found, Article) else Failure(*found)


def field_map(fields: Optional[dict[str, str]]) -> dict[str, str]:
    """The full field mapping: the defaults updated by ``fields``; raise ValueError on a bad mapping."""
    mapping = dict(DEFAULT_FIELDS)
    for name, column in (fields or {}).items():
        if name not in DEFAULT_FIELDS:
            raise ValueError(f"unknown article field {name!r} in fields (known: {', '.join(ARTICLE_FIELDS)})")
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"fields[{name!r}] must be a non-empty column name, got {column!r}")
        mapping[name] = column.strip()
    return mapping


def describe_os_error(error: OSError) -> str:
    """A short lower-case reason for an operating-system error."""
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    return f"cannot read: {(error.strerror or str(error)).lower()}"


# --- files and directories -------------------------------------------------


def read_file(path: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read one file in the format its suffix names (see the module docstring)."""
    # warcio reads gzipped WARC itself, record by record, so a .warc.gz stays compressed here
    data = read_bytes(path, context.max_bytes, decompress=inner_suffix(path) != WARC_SUFFIX)
    yield from read_data(data, path, Path(path).name, context)


def read_data(data: bytes, name: str, filename: str, context: ReadContext,
              in_archive: bool = False) -> Iterator[Union[Article, Failure]]:
    """Read the (already gunzipped, except WARC) content of a file called ``filename``, named
    ``name`` in articles and failures, by its suffix: ZIP, WARC, CSV/TSV, JSON Lines, HTML or text."""
    suffix = inner_suffix(filename)
    stem = file_stem(filename)
    if suffix == ZIP_SUFFIX:
        if in_archive:
            raise InputError(name, "nested ZIP archive: not read (unpack it first)")
        yield from read_zip(data, name, context)
    elif suffix == WARC_SUFFIX:
        yield from read_warc(data, name, stem, context)
    elif suffix in CSV_DELIMITERS:
        yield from read_csv(data, name, stem, CSV_DELIMITERS[suffix], context)
    elif suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, name, stem, context.fields)
    else:
        text = decode_bytes(data, name)
        article = Article(id=stem, text=text, input=name)
        yield finish_article(article, is_html=suffix in HTML_SUFFIXES or looks_html(text))


def read_bytes(path: str, max_bytes: int, decompress: bool = True) -> bytes:
    """Read a regular file of at most ``max_bytes`` (checked before reading); gunzip .gz unless
    ``decompress`` is false."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if info.st_size > max_bytes:
        raise InputError(path, too_large(info.st_size, max_bytes))
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(path, too_large(len(data), max_bytes))
    return gunzip(data, path, max_bytes) if decompress and path.lower().endswith(".gz") else data


def too_large(size: int, max_bytes: int) -> str:
    return f"file too large: {size} bytes > limit {max_bytes} bytes"


def gunzip(data: bytes, path: str, max_bytes: int) -> bytes:
    """Decompress gzip data, refusing output larger than ``max_bytes`` (decompressing no further)."""
    out = gunzip_head(data, path, max_bytes + 1)
    if len(out) > max_bytes:
        raise InputError(path, f"file too large: over {max_bytes} bytes when decompressed")
    return out


def gunzip_head(data: bytes, path: str, size: int) -> bytes:
    """The first ``size`` bytes of decompressed gzip data (all of it when shorter)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            return handle.read(size)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(path, f"not valid gzip: {error}") from None


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
        yield from read_jsonl(data, STDIN_NAME, "stdin", context.fields)
        return
    text = decode_bytes(data, STDIN_NAME)
    article = finish_article(Article(id="", text=text, input=STDIN_NAME), looks_html(text))
    yield replace(article, id=content_id(article.text))


def read_stream(stream: Stream, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` from a text or binary stream, as bytes."""
    source = getattr(stream, "buffer", stream)
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        data = replace_surrogates(data).encode("utf-8")
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


# --- decoding ----------------------------------------------------------------


BINARY = "binary file, not text (communique reads text, HTML, JSON Lines, CSV/TSV and WARC files, also in .gz or .zip)"
PDF = ("a PDF file, which communique does not read: extract its text first (e.g. `pdftotext FILE.pdf`, from "
       "poppler-utils) and give the .txt")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text: UTF-8 (BOM allowed) or UTF-16 with a BOM; reject empty and binary data (a PDF by name)."""
    if not data:
        raise InputError(name, "empty file")
    if data.startswith(b"%PDF-"):
        raise InputError(name, PDF)
    if data.startswith(UTF16_BOMS):
        text = decode_utf16(data, name)
    elif looks_binary(data):
        raise InputError(name, BINARY)
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
        raise InputError(name, BINARY)
    return text


# --- JSON Lines --------------------------------------------------------------


def read_jsonl(data: bytes, name: str, stem: str,
               fields: Optional[dict[str, str]] = None) -> Iterator[Union[Article, Failure]]:
    """One Article per JSON line; a bad line gives a Failure and the rest continue. ``fields`` maps
    article fields to the record's keys (default: the keys of the same name)."""
    fields = fields or DEFAULT_FIELDS
    if not data.strip():
        raise InputError(name, "empty file" if not data else "empty file (only whitespace)")
    if data.startswith(UTF16_BOMS):
        data = decode_bytes(data, name).encode("utf-8")
    elif b"\0" in data:
        raise InputError(name, BINARY)
    offset = 0
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield read_jsonl_line(line, offset, f"{name}:{lineno}", f"{stem}:{lineno}", fields)
        offset += len(line) + 1


def read_jsonl_line(line: bytes, offset: int, where: str, default_id: str,
                    fields: Optional[dict[str, str]] = None) -> Union[Article, Failure]:
    """Turn one JSON line into a cleaned Article, or a Failure naming ``path:LINE``."""
    fields = fields or DEFAULT_FIELDS
    try:
        record = parse_record(line, offset, where, fields["text"])
        return finish_article(record_article(record, where, default_id, fields), is_html=False)
    except InputError as error:
        return error.to_failure()


def parse_record(line: bytes, offset: int, where: str, text_key: str = "text") -> dict[str, Any]:
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
    check_text_field(record, where, text_key)
    return record


def check_text_field(record: dict[str, Any], where: str, key: str = "text") -> None:
    """Raise unless ``record[key]`` (the text) is a non-empty string."""
    if key not in record:
        raise InputError(where, f'missing "{key}" field')
    if not isinstance(record[key], str):
        raise InputError(where, f'"{key}" is not a string but {type(record[key]).__name__}')
    if not record[key].strip():
        raise InputError(where, f'"{key}" is empty')


def record_article(record: dict[str, Any], where: str, default_id: str,
                   fields: Optional[dict[str, str]] = None) -> Article:
    """Build an Article from a parsed JSON record or CSV row, reading each field from the key
    ``fields`` maps it to."""
    fields = fields or DEFAULT_FIELDS
    given_id = record.get(fields["id"])
    has_id = given_id is not None and str(given_id).strip() != ""
    given_date = record.get(fields["date"])
    day = to_iso_date(given_date)
    unread = given_date is not None and day is None and str(given_date).strip() != ""
    return Article(
        id=str(given_id).strip() if has_id else default_id,
        text=record[fields["text"]],
        title=optional_str(record.get(fields["title"])),
        source=optional_str(record.get(fields["source"])),
        date=day,
        url=optional_str(record.get(fields["url"])),
        input=where,
        warnings=[f"{fields['date']} {given_date!r} is not a date this reader understands: stored undated"]
        if unread else [],
    )


def optional_str(value: object) -> Optional[str]:
    """A stripped non-empty string, or None."""
    return value.strip() if isinstance(value, str) and value.strip() else None


# --- CSV and TSV ----------------------------------------------------------------


def read_csv(data: bytes, name: str, stem: str, delimiter: str,
             context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """One Article per row below the header row; a bad row gives a Failure naming ``path:line N``
    (the line the row starts on) and the rest continue."""
    text = decode_bytes(data, name)
    # a field may be as large as the file; the limit is process-wide, so only ever raise it
    csv.field_size_limit(max(csv.field_size_limit(), min(context.max_bytes, MAX_CSV_FIELD)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: Optional[list[str]] = None
    columns: dict[str, int] = {}
    rows = 0
    while True:
        lineno = reader.line_num + 1
        where = f"{name}:line {lineno}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if header is None:
                raise InputError(where, f"malformed CSV header: {error}") from None
            rows += 1
            yield Failure(where, f"malformed CSV: {error}")
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank line or a row of empty cells
        if header is None:
            header = [cell.strip() for cell in row]
            columns = csv_columns(header, name, context.fields)
            continue
        rows += 1
        yield read_csv_row(row, header, columns, where, f"{stem}:{lineno}", context.fields)
    if header is None:
        raise InputError(name, "empty file (no header row)")
    if not rows:
        yield Failure(name, "no rows below the header row")


def csv_columns(header: list[str], name: str, fields: dict[str, str]) -> dict[str, int]:
    """Column index per column name used by ``fields``; the text column must exist, and so must every
    column mapped to another name than the field's own. Exact names first, then ignoring case."""
    exact: dict[str, int] = {}
    folded: dict[str, list[int]] = {}
    for index, column in enumerate(header):
        exact.setdefault(column, index)
        folded.setdefault(column.casefold(), []).append(index)
    columns: dict[str, int] = {}
    for article_field, column in fields.items():
        if column in exact:
            columns[column] = exact[column]
        elif len(folded.get(column.casefold(), [])) == 1:
            columns[column] = folded[column.casefold()][0]
        elif article_field == "text" or column != article_field:
            shown = ", ".join(repr(c[:40]) for c in header[:MAX_COLUMNS_SHOWN])
            more = f" and {len(header) - MAX_COLUMNS_SHOWN} more" if len(header) > MAX_COLUMNS_SHOWN else ""
            raise InputError(name, f'no "{column}" column for the {article_field} in the header row '
                                   f"(columns: {shown}{more})")
    return columns


def read_csv_row(row: list[str], header: list[str], columns: dict[str, int], where: str, default_id: str,
                 fields: dict[str, str]) -> Union[Article, Failure]:
    """Turn one CSV row into a cleaned Article, or a Failure naming ``path:line N``."""
    if len(row) > len(header):
        return Failure(where, f"row has {len(row)} fields but the header has {len(header)}")
    record = {column: row[index] if index < len(row) else "" for column, index in columns.items()}
    try:
        check_text_field(record, where, fields["text"])
        return finish_article(record_article(record, where, default_id, fields), is_html=False)
    except InputError as error:
        return error.to_failure()


# --- WARC ----------------------------------------------------------------------------


def read_warc(data: bytes, name: str, stem: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """One Article per HTML response record (2xx status); a record whose page yields no article gives a
    Failure naming ``path:record N (url)``. A corrupt or truncated WARC gives one Failure for the file
    (a truncated one: the record it ends in), after the articles read before the damage."""
    if not data:
        raise InputError(name, "empty file")
    # plain, record-by-record gzipped and whole-file gzipped WARC all read as one plain stream
    gzipped = data.startswith(GZIP_MAGIC)
    stream = GunzipStream(data, WARC_EXPANSION * context.max_bytes) if gzipped else io.BytesIO(data)
    archive = ArchiveIterator(stream)
    number = html_records = 0
    while True:
        number += 1
        try:
            record = next(archive, None)
            page = warc_page(record, context.max_bytes) if record else None
            cut = warc_record_cut(record) if record else warc_tail_cut(archive, data, gzipped)
        except ArchiveTooLarge as error:
            yield Failure(name, f"WARC file too large: {error} (stopped in record {number})")
            return
        except Exception as error:  # warcio, gzip and zlib errors on a damaged archive
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            yield Failure(name, f"not a valid WARC file (at record {number}): {reason}")
            return
        if cut:
            yield Failure(name, f"truncated WARC file: it ends inside record {number} ({cut}), after {len(data)} bytes")
            return
        if record is None:
            break
        if page is not None:
            html_records += 1
            yield warc_article(page, f"{name}:record {number}", f"{stem}:{number}", context.max_bytes)
    if not html_records:
        yield Failure(name, "no HTML response records in the WARC file" if number > 1 else "not a WARC file: no records")


def warc_record_cut(record: Any) -> Optional[str]:
    """Where the file ends inside ``record``, if it does: "in its headers" (a WARC record without a
    Content-Length, cut off before it or in it) or "in its content" (fewer bytes than its
    Content-Length). Reads the rest of the record, as warcio does before the next one."""
    raw = record.raw_stream
    while raw.read(WARC_SKIP_CHUNK):
        pass
    if record.format == "warc" and not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
        return "in its headers"
    return "in its content" if getattr(raw, "limit", 0) > 0 else None  # warcio's LimitReader: bytes missing


def warc_tail_cut(archive: ArchiveIterator, data: bytes, gzipped: bool) -> Optional[str]:
    """At the end of a plain WARC: "in its headers" when warcio stopped before the end of the data (it
    takes a record whose headers the file cuts off for the end of the archive), else None."""
    return "in its headers" if not gzipped and data[archive.offset:].strip() else None


class DamagedArchive(Exception):
    """A compressed stream that cannot be read to its end."""


class ArchiveTooLarge(Exception):
    """A compressed stream that decompresses to more than its limit."""


class GunzipStream:
    """Gzip data (one member or many) as a readable stream whose damage raises DamagedArchive (warcio
    takes the EOFError of a truncated gzip stream for the end of the archive) and which raises
    ArchiveTooLarge past ``limit`` bytes decompressed."""

    def __init__(self, data: bytes, limit: int) -> None:
        self.gzip = gzip.GzipFile(fileobj=io.BytesIO(data))
        self.limit = limit
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        try:
            # read1: one decompression step at a time, so the data before damage is returned first
            out = self.gzip.read1(size)
        except (OSError, EOFError, zlib.error) as error:
            raise DamagedArchive(f"not valid gzip: {error}") from None
        self.size += len(out)
        if self.size > self.limit:
            raise ArchiveTooLarge(f"over {self.limit} bytes when decompressed")
        return out

    def tell(self) -> int:
        return self.gzip.tell()


@dataclass
class WarcPage:
    """The parts of one WARC response record that make an article."""

    record_id: Optional[str]
    url: Optional[str]
    date: Optional[str]
    content: Optional[bytes]  # None: over max_bytes
    charset: Optional[str]


def warc_page(record: Any, max_bytes: int) -> Optional[WarcPage]:
    """The page of a 2xx HTML ``response`` record (read up to ``max_bytes``), or None to skip the record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not status.startswith("2") or content_type.split(";")[0].strip().lower() not in HTML_CONTENT_TYPES:
        return None
    content = record.content_stream().read(max_bytes + 1)
    headers = record.rec_headers
    return WarcPage(
        record_id=warc_record_id(headers.get_header("WARC-Record-ID")),
        url=optional_str(headers.get_header("WARC-Target-URI")),
        date=to_iso_date(headers.get_header("WARC-Date")),
        content=content if len(content) <= max_bytes else None,
        charset=content_charset(content_type),
    )


def warc_record_id(value: Optional[str]) -> Optional[str]:
    """``<urn:uuid:X>`` -> ``X`` (other ids keep all but the angle brackets)."""
    value = (value or "").strip().removeprefix("<").removesuffix(">").strip()
    return value.removeprefix("urn:uuid:") or None


def content_charset(content_type: str) -> Optional[str]:
    """The known charset named by a Content-Type header, or None."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def warc_article(page: WarcPage, where: str, default_id: str, max_bytes: int) -> Union[Article, Failure]:
    """Extract the article of one WARC page, or a Failure naming ``path:record N (url)``."""
    label = f"{where} ({page.url})" if page.url else where
    if page.content is None:
        return Failure(label, f"record too large: over the limit of {max_bytes} bytes")
    if not page.content.strip():
        return Failure(label, "empty page")
    try:
        html = decode_page(page.content, page.charset)
        article = Article(id=page.record_id or default_id, text=html, url=page.url, input=where)
        article = finish_article(article, is_html=True)
    except InputError as error:
        return Failure(label, error.reason)
    return article if article.date else replace(article, date=page.date)


def decode_page(content: bytes, charset: Optional[str]) -> str:
    """Decode a web page: UTF-8 with a BOM, else the charset its headers name, else UTF-8, else the
    encoding trafilatura guesses (undecodable bytes replaced)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if charset:
        return content.decode(charset, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for guess in trafilatura.utils.detect_encoding(content):
        try:
            return content.decode(guess)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace")


# --- ZIP -------------------------------------------------------------------------------


def read_zip(data: bytes, name: str, context: ReadContext) -> Iterator[Union[Article, Failure]]:
    """Read every member (sorted by name, directories and hidden members skipped) as a file of that name;
    a bad member gives a Failure naming ``path:member`` and the rest continue. A member named outside
    the archive (absolute, with a drive or with ``..``) is a Failure; so is each member past
    ``max_bytes`` decompressed for the members together (each one read a chunk at a time, capped)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted((info for info in archive.infolist() if not zip_member_skipped(info)),
                         key=lambda info: info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise InputError(name, f"not a valid ZIP archive: {error}") from None
    if not members:
        raise InputError(name, "empty ZIP archive: no files to read")
    budget = ArchiveBudget(context.max_bytes, context.max_bytes)
    with archive:
        for info in members:
            where = f"{name}:{info.filename}"
            try:
                if zip_member_unsafe(info.filename):
                    raise InputError(where, "unsafe member name (absolute, with a drive or with ..): not read")
                content = read_zip_member(archive, info, where, budget)
                yield from read_data(content, where, info.filename, context, in_archive=True)
            except InputError as error:
                yield error.to_failure()


def zip_member_skipped(info: zipfile.ZipInfo) -> bool:
    """Directories and members with a hidden part (``.git/x``, ``__MACOSX/._x``); not members with an
    unsafe name."""
    if zip_member_unsafe(info.filename):
        return False
    return info.is_dir() or any(part.startswith(".") for part in info.filename.split("/") if part)


def zip_member_unsafe(filename: str) -> bool:
    """Whether a member name points outside the archive: absolute, with a drive, or with a ``..`` part
    (``\\`` counts as a separator)."""
    parts = re.split(r"[/\\]", filename)
    return filename.startswith(("/", "\\")) or bool(re.match(r"[A-Za-z]:", filename)) or ".." in parts


@dataclass
class ArchiveBudget:
    """The decompressed bytes the members of one archive may still take, together; never more than
    ``max_bytes``, the limit of one member."""

    max_bytes: int
    left: int

    def take(self, read: Callable[[int], bytes], where: str) -> bytes:
        """``read(size)`` what is left plus one byte; the bytes read are spent, and one byte more than
        was left raises InputError."""
        limit = self.left
        data = read(limit + 1)
        self.left -= len(data)
        if len(data) > limit:
            raise self.too_large(where, limit)
        return data

    def too_large(self, where: str, limit: int) -> InputError:
        """The error for a member over ``limit``: the member limit, or less when others took a share."""
        if limit >= self.max_bytes:
            return InputError(where, f"member too large: over {self.max_bytes} bytes when decompressed")
        return InputError(where, f"not read: the archive's members together are over the limit of "
                                 f"{self.max_bytes} bytes decompressed")


def read_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: ArchiveBudget) -> bytes:
    """A member's bytes, refusing encrypted members and members over the budget (by the declared size
    before reading, and by the bytes actually read); gunzip ``.gz`` members except WARC, within the
    same budget."""
    if info.flag_bits & 0x1:
        raise InputError(where, "encrypted ZIP member: not read")
    if info.file_size > budget.max_bytes:
        raise InputError(where, f"member too large: {info.file_size} bytes > limit {budget.max_bytes} bytes")
    if info.file_size > budget.left:
        raise budget.too_large(where, budget.left)
    try:
        with archive.open(info) as handle:
            content = budget.take(handle.read, where)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error) as error:
        raise InputError(where, f"cannot read ZIP member: {error}") from None
    if info.filename.lower().endswith(".gz") and inner_suffix(info.filename) != WARC_SUFFIX:
        gzipped = content
        content = budget.take(lambda size: gunzip_head(gzipped, where, size), where)
    return content


# --- HTML and finishing --------------------------------------------------------


def looks_html(text: str) -> bool:
    """True when text starts like an HTML document."""
    return text.lstrip("\ufeff \t\r\n").lower().startswith(HTML_STARTS)


def finish_article(article: Article, is_html: bool) -> Article:
    """Extract HTML when needed, clean the article, and refuse an empty result."""
    article = without_surrogates(article)  # before extraction: trafilatura drops the text after one
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
