"""The store's file shared with other processes: a writer waits for a reader to let go."""
import subprocess
import sys
import time

import pytest

from communique.store import Store

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
