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
