"""The command line on good and bad inputs: one clear line per bad input, the rest still coded."""
import json
import subprocess
import sys

import duckdb
import pytest

from communique.cli import main

GOOD = ("Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Monday. "
        "The two leaders agreed to expand trade.")
GOOD2 = "Israeli troops attacked Hamas positions in Gaza, the army said on Tuesday."


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_good.txt").write_text(GOOD)
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    (d / "d_latin1.txt").write_bytes("Caf\xe9 owners protested in Paris.".encode("latin-1"))
    (d / "e_good.txt").write_text(GOOD2)
    return d


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("name, reason", [
    ("b_empty.txt", "empty"),
    ("c_binary.txt", "binary"),
    ("d_latin1.txt", "UTF-8"),
])
def test_cli_bad_file_alone_fails_with_one_clear_line(inputs, capsys, name, reason):
    rc, out, err = run(["code", str(inputs / name), "--format", "jsonl"], capsys)
    assert rc == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and reason in lines[0]


def test_cli_code_directory_with_bad_files_codes_the_good_ones_in_order(inputs, capsys):
    rc, out, err = run(["code", str(inputs), "--format", "jsonl"], capsys)
    assert rc == 1
    docs = [json.loads(line) for line in out.splitlines()]
    assert [d["article"]["id"] for d in docs] == ["a_good", "e_good"]
    assert any(e["type"] == "CONSULT" for e in docs[0]["events"])
    failed = [line for line in err.splitlines() if line.startswith("communique: ")]
    assert len(failed) == 3
    for name in ("b_empty.txt", "c_binary.txt", "d_latin1.txt"):
        assert sum(name in line for line in failed) == 1


def test_cli_ingest_stores_good_articles_and_records_failures(inputs, tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    rc, out, err = run(["ingest", str(inputs), "--db", str(db)], capsys)
    assert rc == 1
    assert "stored 2 articles" in out and "3 inputs failed" in out
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT id FROM articles").fetchall()) == ["a_good", "e_good"]
    failures = con.execute("SELECT input, reason FROM failures ORDER BY input").fetchall()
    assert [f[0].rsplit("/", 1)[-1] for f in failures] == ["b_empty.txt", "c_binary.txt", "d_latin1.txt"]
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] >= 2
    con.close()


def test_cli_ingest_twice_does_not_duplicate(inputs, tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    good = str(inputs / "a_good.txt")
    run(["ingest", good, "--db", str(db)], capsys)
    con = duckdb.connect(str(db), read_only=True)
    first = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    run(["ingest", good, "--db", str(db)], capsys)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == first
    con.close()


def test_cli_events_filters_and_exports(inputs, tmp_path, capsys):
    db = tmp_path / "t.duckdb"
    run(["ingest", str(inputs / "a_good.txt"), str(inputs / "e_good.txt"), "--db", str(db)], capsys)
    rc, out, _ = run(["events", "--db", str(db), "--country", "RUS", "--format", "jsonl"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert rc == 0 and rows
    assert all("RUS" in (r["source_country"], r["target_country"]) for r in rows)
    rc, out, _ = run(["events", "--db", str(db), "--type", "ASSAULT", "--format", "csv"], capsys)
    assert out.splitlines()[0].startswith("article_id,") and len(out.splitlines()) >= 2
    assert all(",ASSAULT," in line for line in out.splitlines()[1:])
    parquet = tmp_path / "e.parquet"
    assert run(["events", "--db", str(db), "--format", "parquet", "--out", str(parquet)], capsys)[0] == 0
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchall()[0][0] >= 2
    rc, out, _ = run(["events", "--db", str(db)], capsys)
    assert "CONSULT" in out


def test_cli_code_reads_standard_input(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "communique.cli", "code", "-", "--format", "jsonl",
                           "--date", "2024-05-08"], input=GOOD.encode(), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert doc["article"]["date"] == "2024-05-08"
    meeting = [e for e in doc["events"] if e["type"] == "CONSULT"][0]
    assert meeting["date"] == "2024-05-06"
    assert {meeting["source"]["country"], meeting["target"]["country"]} == {"RUS", "CHN"}
    assert meeting["location"]["country"] == "RUS"


def test_cli_events_without_database_is_a_usage_error(tmp_path, capsys):
    rc, _, err = run(["events", "--db", str(tmp_path / "missing.duckdb")], capsys)
    assert rc == 2 and "missing.duckdb" in err


@pytest.mark.parametrize("argv", [[], ["code"], ["ingest"], ["events"]])
def test_cli_help_is_there_for_every_command(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv + ["--help"])
    assert exc.value.code == 0
    assert "usage: communique" in capsys.readouterr().out


def test_cli_rejects_a_malformed_date(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["code", "x.txt", "--date", "May 6"])  # no year
    assert exc.value.code == 2
    assert "not a date: 'May 6'" in capsys.readouterr().err


def test_cli_table_shows_parties_without_a_country(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("Opposition groups demanded the resignation of the prime minister.")
    rc, out, _ = run(["code", str(path)], capsys)
    assert rc == 0
    assert "REQUEST" in out and "   ? -> " in out


def test_cli_quotes_and_stances_list_what_was_stored(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text('Indian Prime Minister Narendra Modi praised Japan. "Japan is a true friend of India," '
                       'Modi said. Pakistan condemned India over the border clashes.\n')
    db = str(tmp_path / "q.duckdb")
    assert main(["ingest", str(article), "--db", db, "--date", "2019-05-05"]) == 0
    capsys.readouterr()
    assert main(["quotes", "--db", db, "--country", "IND", "--format", "jsonl"]) == 0
    quotes = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(q["text"], q["cue"], q["direct"]) for q in quotes] == [
        ("Japan", "praised", False), ("Japan is a true friend of India,", "said", True)]  # as PolNeAR marks them
    assert main(["quotes", "--db", db, "--speaker", "modi"]) == 0
    assert "Narendra Modi" in capsys.readouterr().out
    assert main(["stances", "--db", db, "--holder", "PAK", "--format", "jsonl"]) == 0
    stances = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # "Pakistan condemned India ...": an event, and a reported content of Pakistan's that names India
    assert [(s["target_country"], s["polarity"], s["kind"]) for s in stances] == [("IND", -1, "reported"),
                                                                                  ("IND", -1, "quote")]
    assert main(["stances", "--db", db, "--holder", "PAK", "--kind", "quote", "--format", "jsonl"]) == 0
    assert [json.loads(x)["kind"] for x in capsys.readouterr().out.splitlines()] == ["quote"]
    assert main(["stances", "--db", db, "--holder", "IND", "--target", "JPN", "--format", "jsonl"]) == 0
    assert [json.loads(x)["polarity"] for x in capsys.readouterr().out.splitlines()] == [1, 1]  # reported, quote


COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Kenya", "Canada", "India", "Mexico", "Egypt", "Chile"]


def write_corpus(folder, n, filler_n=0):
    folder.mkdir()
    for i in range(n):
        a, b = COUNTRIES[i % 10], COUNTRIES[(i * 3 + 1) % 10]
        filler = " ".join(f"Officials in {COUNTRIES[(i + k) % 10]} met {i * 7 + k} farmers on day {k}."
                          for k in range(filler_n))
        (folder / f"a{i:03d}.txt").write_text(
            f"Story {i}. {a} accused {b} of violating the border agreement on day {i}. "
            f"{b} rejected the accusation and urged {a} to hold talks. {filler}\n")


def stored(db):
    con = duckdb.connect(db, read_only=True)
    try:
        return (con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone(),
                con.execute("SELECT count(*) FROM (SELECT DISTINCT article_id, event_no FROM events)").fetchone()[0],
                con.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        con.close()


def test_cli_ingest_killed_part_way_resumes_without_loss_or_duplicates(tmp_path):
    import re
    import signal

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 80, filler_n=40)  # some 400 words each: several seconds to code them all
    db, reference = str(tmp_path / "k.duckdb"), str(tmp_path / "ref.duckdb")
    command = [sys.executable, "-m", "communique.cli", "ingest", str(corpus), "--batch", "4"]
    proc = subprocess.Popen(command + ["--db", db], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:  # progress lines: "coded N/80 articles (R/s, ETA 0:00:09)"
        m = re.match(r"coded (\d+)/80 articles \(", line)
        if m and int(m.group(1)) >= 12:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    (count, _), _, _ = stored(db)
    assert 4 <= count < 80, f"killed after {count} stored articles"
    assert subprocess.run(command + ["--db", db], capture_output=True, text=True).returncode == 0
    assert subprocess.run(command + ["--db", reference], capture_output=True, text=True).returncode == 0
    (articles, distinct), event_keys, events = stored(db)
    assert articles == distinct == 80
    assert events == event_keys == stored(reference)[2]  # none lost, none twice


def test_cli_ingest_skips_stored_articles_and_records_duplicates(tmp_path, capsys):
    corpus = tmp_path / "c"
    write_corpus(corpus, 3)
    (corpus / "copy.txt").write_text((corpus / "a001.txt").read_text().upper())  # same text, other case
    db = str(tmp_path / "d.duckdb")
    assert main(["ingest", str(corpus), "--db", db]) == 0
    assert "1 duplicates of other articles" in capsys.readouterr().out
    assert main(["ingest", str(corpus), "--db", db]) == 0
    assert "stored 0 articles" in capsys.readouterr().out
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT id, duplicate_of FROM duplicates").fetchall() == [("copy", "a001")]
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    con.close()


@pytest.mark.parametrize("batch", ["200", "1"])  # with 1, each original is written before its copy is read
def test_cli_ingest_records_near_duplicates_and_clusters_events(tmp_path, capsys, batch):
    corpus = tmp_path / "n"
    write_corpus(corpus, 2, filler_n=30)
    original = (corpus / "a000.txt").read_text()
    (corpus / "reprint.txt").write_text("Reprinted from the wire. " + original.replace("day 7.", "day seven."))
    (corpus / "same-day.txt").write_text("France accused Germany of violating the border agreement, its "
                                         "foreign ministry said in a statement on Thursday.\n")
    db = str(tmp_path / "n.duckdb")
    assert main(["ingest", str(corpus), "--db", db, "--date", "2024-03-07", "--batch", batch]) == 0
    con = duckdb.connect(db, read_only=True)
    [(of, kind, similarity)] = con.execute("SELECT duplicate_of, kind, similarity FROM duplicates").fetchall()
    assert (of, kind) == ("a000", "near") and 0.8 <= similarity < 1
    clusters = con.execute("SELECT sources, len(sentences) FROM event_clusters WHERE type = 'ACCUSE' "
                           "AND source_country = 'FRA' AND target_country = 'DEU'").fetchall()
    assert clusters == [(2, 2)]  # one real-world accusation, two articles, both sentences kept
    con.close()


def test_progress_counts_the_articles_of_local_inputs(tmp_path):
    from communique.runner import format_seconds
    from communique.inputs import count_inputs

    (tmp_path / "a.txt").write_text("One article.\n")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n\n')
    (tmp_path / "c.csv").write_text("text\nx\ny\nz\n")
    assert count_inputs([str(tmp_path)]) == 6
    assert count_inputs([str(tmp_path), "https://example.org/feed"]) is None
    assert format_seconds(3725) == "1:02:05"
