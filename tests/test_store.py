"""The store's file shared with other processes (a writer waits for a reader to let go), and its
schema: created whole or not at all, and read only when complete."""
import subprocess
import sys
import time

import duckdb
import pytest

from communique.store import SCHEMA_VERSION, IncompleteStore, Store

HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); "
        "time.sleep(float(sys.argv[2]))")


def hold(db, seconds):
    reader = subprocess.Popen([sys.executable, "-c", HOLD, db, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "open"
    return reader


def test_writer_waits_for_a_reader_then_writes(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    Store(db).close()
    reader = hold(db, 2)
    start = time.monotonic()
    with Store(db, wait=30) as store:
        store.con.execute("INSERT INTO failures (input, reason) VALUES ('x', 'y')")
    assert time.monotonic() - start >= 1
    assert "in use by another process" in capsys.readouterr().err
    reader.wait()


def test_writer_gives_up_with_a_clear_error(tmp_path):
    db = str(tmp_path / "s.duckdb")
    Store(db).close()
    reader = hold(db, 5)
    with pytest.raises(RuntimeError, match="cannot open the database .*lock"):
        Store(db, wait=0.5)
    reader.kill()


def article(n: int, words: int = 60):
    from communique.model import Article

    text = " ".join(f"word{n}x{k}" for k in range(words))
    return Article(id=f"a{n}", text=text, input="t")


def test_known_articles_keep_a_bounded_window_of_the_run(tmp_path):
    from dataclasses import replace

    from communique.store.known import KnownArticles

    db = str(tmp_path / "s.duckdb")
    Store(db).close()
    known = KnownArticles(db, window=3)
    assert known.verdicts([article(n) for n in range(10)]) == [None] * 10
    assert [r[0] for r in known.recent] == ["a7", "a8", "a9"]
    assert sorted(known.hashes.values()) == ["a7", "a8", "a9"]
    assert {entry[0] for entries in known.bands.values() for entry in entries} == {"a7", "a8", "a9"}
    # copies of articles in the window are still found, exact and near
    copy = replace(article(9), id="copy")
    near = replace(article(8), id="near", text=article(8).text + " one more")
    verdicts = known.verdicts([copy, near])
    assert verdicts[0] == ("a9", 1.0)
    assert verdicts[1][0] == "a8" and verdicts[1][1] >= 0.8


def test_known_articles_forget_what_the_ingest_stored(tmp_path):
    from communique.store.known import KnownArticles

    db = str(tmp_path / "s.duckdb")
    Store(db).close()
    known = KnownArticles(db)
    known.verdicts([article(n) for n in range(5)])
    known.forget(3)  # a0..a2 written: the database answers for them now
    assert [r[0] for r in known.recent] == ["a3", "a4"]
    assert sorted(known.hashes.values()) == ["a3", "a4"]
    known.forget(10)
    assert not known.recent and not known.hashes and not known.bands


def tables(db) -> set[str]:
    con = duckdb.connect(db, read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()


def assert_refused_clearly(db, capsys, words):
    """Every reader of ``db`` stops with a message saying ``words``: no traceback, no crash."""
    from communique.api import create_app
    from communique.cli import main

    with pytest.raises(IncompleteStore, match=words):
        Store(db, read_only=True)
    with pytest.raises(IncompleteStore, match=words):
        create_app(db)
    for command in (["events"], ["quotes"], ["coalitions"], ["report", "--out", str(tmp_folder(db) / "r.html")],
                    ["serve", "--port", "1"]):
        assert main([*command, "--db", db]) != 0, command
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err


def tmp_folder(db):
    from pathlib import Path

    return Path(db).parent


def test_reading_a_store_whose_creation_was_cut_short_says_so(tmp_path, capsys):
    db = str(tmp_path / "cut.duckdb")
    con = duckdb.connect(db)  # what a creation killed half-way through left before it was one transaction
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR); CREATE TABLE articles (id VARCHAR)")
    con.close()
    assert_refused_clearly(db, capsys, "not a complete communique store")
    Store(db).close()  # a writer completes it
    with Store(db, read_only=True) as store:
        assert store.counts()["events"] == 0 and store.schema_version() == SCHEMA_VERSION


KILLED = ("import os, signal, sys; from communique.store import Store; "
          "Store.migrate = lambda self: os.kill(os.getpid(), signal.SIGKILL); Store(sys.argv[1])")


def test_schema_creation_killed_midway_leaves_nothing_half_made(tmp_path, capsys):
    db = str(tmp_path / "killed.duckdb")
    killed = subprocess.run([sys.executable, "-c", KILLED, db], capture_output=True)
    assert killed.returncode == -9
    assert not tables(db)  # the tables created before the kill went with its transaction
    assert_refused_clearly(db, capsys, "not a complete communique store")
    Store(db).close()
    assert "events" in tables(db)
    with Store(db, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_a_store_of_an_earlier_schema_is_read_after_its_migration(tmp_path, capsys):
    db = str(tmp_path / "old.duckdb")  # made by another process (this one would know it as its own)
    subprocess.run([sys.executable, "-c", "import sys; from communique.store import Store; Store(sys.argv[1]).close()",
                    db], check=True)
    con = duckdb.connect(db)
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    assert_refused_clearly(db, capsys, "open it for writing once to migrate it")
    Store(db).close()
    Store(db, read_only=True).close()


TO_V5 = """
ALTER TABLE articles ALTER date TYPE VARCHAR; ALTER TABLE articles DROP COLUMN date_precision;
ALTER TABLE events ALTER date TYPE VARCHAR; ALTER TABLE events DROP COLUMN date_precision;
ALTER TABLE quotes DROP COLUMN date; ALTER TABLE quotes DROP COLUMN date_precision;
UPDATE meta SET value = '5' WHERE key = 'schema_version';
INSERT INTO articles (id, date, text) VALUES ('a', '2020-05-03', 'x'), ('b', NULL, 'y');
INSERT INTO events (article_id, event_no, type, date) VALUES ('a', 0, 'CONSULT', '2021'), ('a', 1, 'ACCUSE', '2020-04'),
    ('a', 2, 'AID', '2020-05-02'), ('b', 0, 'AID', NULL);
INSERT INTO quotes (article_id, quote_no, text) VALUES ('a', 0, 'we stand together'), ('b', 0, 'no');
"""


def test_version_5_text_dates_become_dates_with_their_precision(tmp_path):
    db = str(tmp_path / "v5.duckdb")  # a store of schema 5, made by another process, its dates text
    subprocess.run([sys.executable, "-c", "import sys; from communique.store import Store; Store(sys.argv[1]).close()",
                    db], check=True)
    con = duckdb.connect(db)
    con.execute(TO_V5)
    con.close()
    Store(db).close()
    with Store(db, read_only=True) as store:
        events = store.con.execute("SELECT CAST(date AS VARCHAR), date_precision FROM events ORDER BY article_id, "
                                   "event_no").fetchall()
        assert events == [("2021-01-01", "year"), ("2020-04-01", "month"), ("2020-05-02", "day"), (None, None)]
        assert store.con.execute("SELECT typeof(date) FROM articles LIMIT 1").fetchone() == ("DATE",)
        quotes = store.con.execute("SELECT article_id, CAST(date AS VARCHAR), date_precision FROM quotes "
                                   "ORDER BY article_id").fetchall()
        assert quotes == [("a", "2020-05-03", "day"), ("b", None, None)]
        # sorted as dates: the year-2021 event after the 2020 ones, not between them as the text "2021" sorted
        assert [r[0] for r in store.con.execute("SELECT event_no FROM events WHERE date IS NOT NULL ORDER BY date")
                .fetchall()] == [1, 2, 0]


def test_version_6_stances_become_of_the_reported_kind(tmp_path):
    db = str(tmp_path / "v6.duckdb")  # a store of schema 6, made by another process: stances without a kind
    subprocess.run([sys.executable, "-c", "import sys; from communique.store import Store; Store(sys.argv[1]).close()",
                    db], check=True)
    con = duckdb.connect(db)
    con.execute("ALTER TABLE stances DROP COLUMN kind; UPDATE meta SET value = '6' WHERE key = 'schema_version'; "
                "INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity) "
                "VALUES ('a', 0, 'IRN', 'USA', -1)")
    con.close()
    Store(db).close()
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT kind, polarity FROM stances").fetchall() == [("reported", -1)]
