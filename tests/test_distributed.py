"""Ingest on Dask (`--workers N`, `--scheduler ADDRESS`) stores what a single process stores."""
import duckdb
import pytest

import communique
from communique.cli import main
from test_cli import write_corpus

pytest.importorskip("distributed")


def tables(db):
    con = duckdb.connect(db, read_only=True)
    try:
        return {t: con.execute(f"SELECT * EXCLUDE ({key}) FROM {t} ORDER BY ALL").fetchall()
                for t, key in (("articles", "minhash"), ("events", "reason"), ("quotes", "quote_no"),
                               ("stances", "stance_no"))}
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask")
    write_corpus(folder / "corpus", 24, filler_n=6)
    (folder / "corpus" / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    reference = str(folder / "single.duckdb")
    summary = communique.ingest([str(folder / "corpus")], db=reference, default_date="2024-02-02")
    assert (summary.stored, summary.failed) == (24, 1)
    return folder / "corpus", tables(reference)


def test_ingest_on_a_local_cluster_matches_a_single_process(tmp_path, corpus_and_reference):
    corpus, reference = corpus_and_reference
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", str(corpus), "--db", db, "--date", "2024-02-02", "--workers", "2"]) == 1
    assert tables(db) == reference and len(reference["events"]) > 24


def test_ingest_on_an_existing_scheduler_matches_a_single_process(tmp_path, corpus_and_reference):
    from distributed import LocalCluster

    corpus, reference = corpus_and_reference
    db = str(tmp_path / "s.duckdb")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert main(["ingest", str(corpus), "--db", db, "--date", "2024-02-02",
                     "--scheduler", cluster.scheduler_address]) == 1
    assert tables(db) == reference
