"""The pipeline's contract: declared hand-offs checked when it is built, faults contained to their
article, the one run loop keeping input order, and the Python API of an ingest."""
from __future__ import annotations

import json
from types import SimpleNamespace

import duckdb
import pytest

import communique
from communique.model import Article, Failure
from communique.pipeline import INPUT_FIELDS, Pipeline, check_stages
from communique.quotes import QuoteFinder

GOOD = "Cuban President Miguel Diaz-Canel met Iran's Supreme Leader Ali Khamenei in Tehran on Saturday."
OTHER = "Russia accused Ukraine of shelling the city of Donetsk, the Russian defence ministry said."


def stage(name: str, reads: set[str], writes: set[str]) -> SimpleNamespace:
    return SimpleNamespace(name=name, reads=frozenset(reads), writes=frozenset(writes))


def test_pipeline_check_stages_refuses_a_read_no_earlier_stage_writes():
    first = stage("language", {"text"}, {"parse.doc"})
    actors = stage("actors", {"parse.doc"}, {"actors", "parse.actor_at"})
    events = stage("events", {"parse.doc", "parse.actor_at", "parse.speakers"}, {"events"})
    with pytest.raises(ValueError, match=r"stage 'events' reads parse.speakers, which no earlier stage writes"):
        check_stages(first, [actors, events])
    check_stages(first, [actors, stage("quotes", {"parse.actor_at"}, {"parse.speakers"}), events])


def test_pipeline_stages_out_of_order_are_refused_when_built(pipeline):
    quotes_first = [pipeline.stages[1], pipeline.stages[0], *pipeline.stages[2:]]
    with pytest.raises(ValueError, match="stage 'quotes' reads parse.actor_at"):
        check_stages(pipeline.language, quotes_first)
    check_stages(pipeline.language, pipeline.stages, INPUT_FIELDS)  # the real order holds


def test_pipeline_clears_the_working_state_and_links_quotes_to_actors(pipeline):
    text = 'Iran\'s foreign minister said: "We will not negotiate with the United States."'
    article = pipeline.code_text(text, date="2024-05-06")
    assert article.parse is None
    assert article.quotes and article.quotes[0].speaker is not None
    assert article.quotes[0].speaker.country == "IRN"


def failing_on(marker: str):
    """QuoteFinder.__call__ that raises on articles whose text holds ``marker``."""
    original = QuoteFinder.__call__

    def call(self, article: Article) -> Article:
        if marker in article.text:
            raise IndexError("list index out of range (planted)")
        return original(self, article)

    return call


def test_pipeline_contains_an_exception_to_its_article(pipeline, monkeypatch):
    monkeypatch.setattr(QuoteFinder, "__call__", failing_on("BOOM"))
    articles = [Article(id=str(n), text=t, input=f"in:{n}") for n, t in enumerate([GOOD, "BOOM " + GOOD, OTHER])]
    out = list(pipeline.code_articles(articles))
    assert [type(a).__name__ for a in out] == ["Article", "Failure", "Article"]
    assert out[1] == Failure("in:1", "IndexError: list index out of range (planted)", "quotes")
    assert out[0].events and out[2].events and out[0].parse is None and out[2].parse is None


def test_pipeline_run_keeps_input_order_and_asks_keep_only_for_articles(pipeline, tmp_path):
    lines = [json.dumps({"id": "a", "text": GOOD}), "{not json", json.dumps({"id": "b", "text": OTHER}), "[]"]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    asked = []

    def keep(articles):
        asked.append([a.id for a in articles])
        return [None] * len(articles)

    out = list(pipeline.run([str(tmp_path / "in.jsonl")], keep=keep))
    kinds = [a.id if isinstance(a, Article) else "failure" for a in out]
    assert kinds == ["a", "failure", "b", "failure"]
    assert all(ids for ids in asked) and sum(asked, []) == ["a", "b"]


def test_ingest_records_a_failed_article_and_stores_the_rest(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(QuoteFinder, "__call__", failing_on("BOOM"))
    (tmp_path / "in").mkdir()
    for n, text in enumerate([GOOD, "BOOM. The Israeli army struck Gaza.", OTHER]):
        (tmp_path / "in" / f"{n}.txt").write_text(text)
    db = str(tmp_path / "s.duckdb")
    summary = communique.ingest([str(tmp_path / "in")], db=db)
    assert (summary.stored, summary.failed, dict(summary.failed_stages)) == (2, 1, {"quotes": 1})
    assert "1.txt: quotes: IndexError: list index out of range (planted)" in capsys.readouterr().err
    again = communique.ingest([str(tmp_path / "in")], db=db)  # a rerun codes what failed again, stores nothing twice
    assert (again.stored, again.already, again.failed) == (0, 2, 1)
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert con.execute("SELECT input LIKE '%1.txt', stage FROM failures").fetchall() == [(True, "quotes")]


def test_ingest_of_many_bad_inputs_opens_the_database_a_few_times(tmp_path, monkeypatch):
    import communique.store as store

    opened = []
    real = store.connect
    monkeypatch.setattr(store, "connect", lambda *a, **k: opened.append(1) or real(*a, **k))
    lines = ["{broken"] * 3000 + [json.dumps({"id": "a", "text": GOOD})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    summary = communique.ingest([str(tmp_path / "in.jsonl")], db=str(tmp_path / "s.duckdb"), batch=1000,
                                on_failure=lambda failure: None)
    assert (summary.stored, summary.failed) == (1, 3000)
    assert len(opened) <= 8  # schema, the article's verdicts, one write per 1,000 failures


def test_api_refuses_an_unknown_setting():
    with pytest.raises(ValueError, match="unknown setting.*bacth"):
        communique.ingest(["x.txt"], db=":memory:", bacth=10)
    with pytest.raises(ValueError, match="unknown setting.*colour"):
        communique.code(GOOD, colour="red")


def test_no_stage_hands_state_through_user_data():
    from pathlib import Path

    package = Path(communique.__file__).parent
    users = sorted(str(p.relative_to(package)) for p in package.rglob("*.py") if "user_data" in p.read_text())
    assert users in ([], ["language/__init__.py"])


def test_pipeline_refuses_an_article_over_the_length_limit_and_codes_the_rest():
    from communique.settings import Settings

    short = Pipeline(Settings(max_chars=200))
    articles = [Article(id="a", text=GOOD, input="a"), Article(id="long", text=OTHER * 5, input="long"),
                Article(id="b", text=OTHER, input="b")]
    out = list(short.code_articles(articles))
    assert [a.id for a in out if isinstance(a, Article)] == ["a", "b"]
    assert out[1].stage == "language" and "more than the 200 coded (setting max_chars)" in out[1].reason
