"""The analyst's commands: events filters and exports with context, series against SQL, the codes,
and every mistake a user makes answered with one line (exit status 2, no traceback)."""
import gzip
import json
import random

import duckdb
import pytest

from communique.cli import main
from communique.store import Store

from conftest import coded_store, shared_path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return coded_store(tmp_path_factory.mktemp("analysis"))


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def one_clear_line(capsys, argv, *words):
    """``argv`` fails with status 2 and one line on standard error holding ``words``, no traceback."""
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        rc = exc.code
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert rc == 2, (rc, err)
    assert len(lines) == 1, err
    assert "Traceback" not in err and all(w in lines[0] for w in words), lines[0]
    return lines[0]


@pytest.mark.parametrize("argv, words", [
    (["events", "--type", "ATTACKS"], ["unknown event type 'ATTACKS'", "ASSAULT"]),
    (["events", "--country", "XYZ"], ["unknown country 'XYZ'", "nearest"]),
    (["events", "--country", "Irna"], ["unknown country 'Irna'", "IRN (Iran)"]),
    (["events", "--dyad", "IRN"], ["--dyad", "two countries"]),
    (["events", "--min-confidence", "2"], ["between 0 and 1"]),
    (["events", "--since", "2024-06-01", "--until", "2024-05-01"], ["after --until"]),
    (["series", "--by", "fortnight"], ["--by", "fortnight"]),
    (["quotes", "--country", "Atlantis"], ["unknown country 'Atlantis'"]),
    (["stances", "--holder", "Neverland"], ["unknown country 'Neverland'"]),
])
def test_a_filter_that_means_nothing_is_refused_with_the_valid_values(db, capsys, argv, words):
    one_clear_line(capsys, argv + ["--db", db], *words)


def test_an_impossible_date_is_refused(capsys, tmp_path):
    one_clear_line(capsys, ["ingest", "x.txt", "--date", "2024-02-30", "--db", str(tmp_path / "x.duckdb")],
                   "not a date: '2024-02-30'")
    assert not (tmp_path / "x.duckdb").exists()


@pytest.mark.parametrize("name, content, words", [
    ("ev.parquet", None, ["ev.parquet is not a communique database", "DuckDB or pandas"]),
    ("ev.csv", b"a,b\n1,2\n", ["ev.csv is not a communique database"]),
    ("notes.duckdb", b"just some text, not a database\n", ["notes.duckdb is not a communique database"]),
])
def test_a_file_that_is_not_a_store_is_named(db, capsys, tmp_path, name, content, words):
    path = tmp_path / name
    if content is None:  # a real Parquet export of the events
        assert main(["events", "--db", db, "--format", "parquet", "--out", str(path)]) == 0
    else:
        path.write_bytes(content)
    for command in (["events"], ["coalitions"], ["series"], ["serve"]):
        one_clear_line(capsys, command + ["--db", str(path)], *words)


def test_names_are_accepted_where_codes_are(db, capsys):
    by_code = run(["events", "--db", db, "--country", "USA", "--format", "jsonl"], capsys)[1]
    assert by_code.strip()
    for name in ("United States", "usa", "U.S.", "American"):
        assert run(["events", "--db", db, "--country", name, "--format", "jsonl"], capsys)[1] == by_code
    rows = [json.loads(line) for line in run(["events", "--db", db, "--dyad", "Russia,United Kingdom",
                                              "--format", "jsonl"], capsys)[1].splitlines()]
    assert rows and all({r["source_country"], r["target_country"]} == {"RUS", "GBR"} for r in rows)


def test_a_pdf_is_named_as_unsupported_with_a_hint(capsys, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n")
    rc, out, err = run(["code", str(pdf)], capsys)
    assert rc == 1 and out == ""
    assert err.count("\n") == 1 and "report.pdf: a PDF file" in err and "pdftotext" in err


def test_unreadable_dates_are_counted_per_input(capsys, tmp_path):
    news = tmp_path / "news.csv"
    news.write_text("id,text,date\n"
                    "a,\"Russia accused Ukraine of shelling a dam.\",sometime last spring\n"
                    "b,\"China praised Pakistan.\",2021-04-05\n"
                    "c,\"Iran criticised France.\",31/31/2020\n")
    rc, out, err = run(["ingest", str(news), "--db", str(tmp_path / "n.duckdb")], capsys)
    assert rc == 0
    assert "date field not understood (undated), by input: " + str(news) + " 2" in out
    with Store(str(tmp_path / "n.duckdb"), read_only=True) as store:
        assert store.sql("SELECT id FROM articles WHERE date IS NULL ORDER BY id").fetchall() == [("a",), ("c",)]


def test_exports_carry_the_article_and_the_code_names(db, capsys, tmp_path):
    rows = [json.loads(line) for line in run(["events", "--db", db, "--format", "jsonl"], capsys)[1].splitlines()]
    assert rows
    with duckdb.connect(db, read_only=True) as con:
        articles = {r[0]: r[1:] for r in con.sql("SELECT id, title, source, url, date FROM articles").fetchall()}
    for row in rows:
        assert (row["article_title"], row["article_source"], row["article_url"]) == articles[row["article_id"]][:3]
        assert row["article_date"] == (str(articles[row["article_id"]][3]) if articles[row["article_id"]][3] else None)
        assert row["cameo_name"] and row["date_precision"] in ("day", "month", "year", None)
    assert [r["date"] for r in rows if r["date"]] == sorted(r["date"] for r in rows if r["date"])  # dates as dates


def test_dyadic_confidence_and_dedup_filters(db, capsys):
    def rows(*flags):
        out = run(["events", "--db", db, "--format", "jsonl", *flags], capsys)[1]
        return [json.loads(line) for line in out.splitlines()]

    everything = rows()
    dyadic = rows("--dyadic")
    assert dyadic and len(dyadic) < len(everything)  # the example article has parties with no country
    assert all(r["source_country"] and r["target_country"] and r["source_country"] != r["target_country"]
               for r in dyadic)
    threshold = sorted(r["confidence"] for r in everything)[len(everything) // 2]
    assert {(r["article_id"], r["event_no"]) for r in rows("--min-confidence", str(threshold))} == \
        {(r["article_id"], r["event_no"]) for r in everything if r["confidence"] >= threshold}
    clusters = {(r["date"], r["type"], r["source_country"], r["target_country"]) for r in everything if r["date"]}
    dedup = rows("--dedup")
    assert len([r for r in dedup if r["date"]]) == len(clusters)
    assert sum(r["cluster_events"] for r in dedup) == len(everything)


def test_gdelt_layout_keeps_gdelt_column_order(db, capsys, tmp_path):
    from communique.store.layouts import GDELT_COLUMNS

    out = tmp_path / "gdelt.csv"
    assert main(["events", "--db", db, "--format", "csv", "--layout", "gdelt", "--dyadic", "--out", str(out)]) == 0
    table = duckdb.read_csv(str(out), all_varchar=True)
    assert tuple(table.columns) == GDELT_COLUMNS and len(GDELT_COLUMNS) == 61
    first = dict(zip(table.columns, table.limit(1).fetchall()[0], strict=True))
    assert first["EventRootCode"] == first["EventCode"][:2] and first["SQLDATE"].isdigit()
    assert first["Actor1CountryCode"] and first["Actor2CountryCode"] != first["Actor1CountryCode"]


def test_codes_lists_what_the_filters_take(capsys):
    types = run(["codes", "types"], capsys)[1].split()
    assert "CONSULT" in types and "ASSAULT" in types and len(types) == 16
    countries = dict(line.split("\t") for line in run(["codes", "countries"], capsys)[1].splitlines())
    assert countries["IRN"] == "Iran" and countries["UNO"] == "United Nations"
    assert "Express intent to meet or negotiate" in run(["codes", "cameo"], capsys)[1]


def test_python_readers_open_the_store_beside_a_writer(db):
    writer = Store(db)  # the README's snippets in one process: a Store, then SQL on the same file
    try:
        with Store(db, read_only=True) as reader:
            assert reader.sql("SELECT count(*) FROM events").fetchall()[0][0] == writer.count_events() > 0
    finally:
        writer.close()
    with Store(db, read_only=True) as reader, pytest.raises(RuntimeError, match="open read-only in this process"):
        Store(db)


ALLSIDES_ARTICLES = 40


@pytest.fixture(scope="module")
def allsides_store(tmp_path_factory):
    """A store coded from AllSides world articles that name Iran (seed 17, none of the held-out ones)."""
    corpus = shared_path("data", "corpora", "allsides-world.jsonl.gz")
    heldout = set(shared_path("data", "heldout-articles.txt").read_text().split())
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    iran = [r for r in records if "Iran" in r["text"] and str(r.get("id")) not in heldout
            and r.get("date") and len(r["text"]) < 6000]
    sample = random.Random(17).sample(iran, ALLSIDES_ARTICLES)
    folder = tmp_path_factory.mktemp("allsides")
    path = folder / "iran.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in sample))
    db = str(folder / "iran.duckdb")
    assert main(["ingest", str(path), "--db", db]) == 0
    return db


def test_series_matches_a_sql_count_of_the_same_events(allsides_store, capsys, tmp_path):
    out = tmp_path / "irn.csv"
    assert main(["series", "--db", allsides_store, "--country", "IRN", "--by", "month", "--format", "csv",
                 "--out", str(out)]) == 0
    table = duckdb.read_csv(str(out))
    got = {str(r[0]): (r[1], r[2], round(r[3], 6)) for r in
           table.select("period, events, quad3, goldstein_sum").fetchall()}
    with duckdb.connect(allsides_store, read_only=True) as con:
        expected = {str(r[0]): (r[1], r[2], round(r[3], 6)) for r in con.sql("""
            SELECT CAST(date_trunc('month', date) AS DATE) AS month, count(*), count(*) FILTER (WHERE quad_class = 3),
                   sum(coalesce(goldstein, 0))
            FROM events WHERE (source_country = 'IRN' OR target_country = 'IRN')
              AND date_precision IN ('day', 'month') GROUP BY 1""").fetchall()}
    assert sum(events for events, _, _ in expected.values()) >= 20  # the sample has Iran's events to count
    assert {month: v for month, v in got.items() if v[0]} == expected
    months = sorted(got)
    assert months[0] == min(expected) and months[-1] == max(expected)
    assert len(months) > len(expected)  # months with no event are there, as zeros
    assert all(v == (0, 0, 0.0) for month, v in got.items() if month not in expected)


def test_an_internal_error_is_one_line_and_its_traceback_on_request(db, capsys, monkeypatch):
    from communique.store import Store as StoreClass

    def broken(self, **filters):
        raise KeyError("a fault of ours")

    monkeypatch.setattr(StoreClass, "event_export", broken)
    rc = main(["events", "--db", db, "--format", "csv"])
    err = capsys.readouterr().err
    assert rc == 3 and err.count("\n") == 1 and "internal error: KeyError" in err and "Traceback" not in err
    monkeypatch.setenv("COMMUNIQUE_TRACEBACK", "1")
    with pytest.raises(KeyError):
        main(["events", "--db", db, "--format", "csv"])
