"""The attitude set (annotations/attitudes/): its sample, labels and agreement, and its tool's candidates."""
import json
from collections import Counter

from communique.evaluate.annotated import kappa, read_corpus, split_of
from communique.evaluate.attitudes import LABELS, load_labels, load_sample
from conftest import SHARED, coded_store, load_tool, shared_path


def test_sample_of_every_kind_split_by_article_with_a_double_coded_share():
    rows = load_sample()
    assert len({r["id"] for r in rows}) == len(rows) == 520
    assert Counter(r["kind"] for r in rows) == {"quote": 240, "coaction": 120, "reported": 160}
    assert Counter(r["kind"] for r in rows if r["double"]) == {"quote": 40, "coaction": 20, "reported": 32}
    assert all(r["split"] == split_of(r["article"]) for r in rows)
    assert all(r["id"] == f"{r['kind']}:{r['article']}:{r['start']}:{r['holder_country']}:{r['target_country']}"
               for r in rows)


def test_no_held_out_article_is_sampled_and_offsets_point_into_the_article():
    heldout = {line.strip() for line in shared_path("data", "heldout-articles.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    rows = load_sample()
    assert not heldout & {r["article"] for r in rows}
    texts = read_corpus(SHARED, "allsides")
    for r in rows:
        text = texts[r["article"]]["text"]
        assert 0 <= r["start"] < r["end"] <= len(text)
        if r["kind"] == "quote":  # the party's words lie inside the quote
            assert r["start"] <= r["target_start"] < r["target_end"] <= r["end"]
            assert text[r["target_start"]:r["target_end"]].strip()


def test_every_item_has_one_first_label_of_the_codebook_and_the_coders_agree():
    first, second = load_labels()
    rows = load_sample()
    assert set(first) == {r["id"] for r in rows}
    assert set(second) == {r["id"] for r in rows if r["double"]}
    assert all(first[r["id"]] in LABELS[r["kind"]] for r in rows)
    for kind in LABELS:
        pairs = [(first[i], second[i]) for i in second if i.startswith(kind + ":")]
        assert kappa(pairs) >= 0.8, kind
    assert kappa([("a", "a"), ("b", "b")]) == 1.0 and kappa([("a", "b"), ("b", "a")]) == -1.0


def test_candidates_are_what_the_stances_stage_reads(tmp_path):
    # every stance of a coded store is among the tool's candidates for that store: a quote or coaction
    # stance as its candidate (either way round), a reported one as itself
    db = coded_store(tmp_path)
    found = {(c["kind"], c["article"], c["start"], c["holder_country"], c["target_country"])
             for c in load_tool("annotate_attitudes").candidates(db)}
    import duckdb
    con = duckdb.connect(db, read_only=True)
    stances = con.execute("SELECT kind, article_id, evidence, holder_country, "
                          "coalesce(target_country, 'issue:' || issue) FROM stances").fetchall()
    con.close()
    assert {k for k, *_ in stances} == {"quote", "reported"}  # no two parties act together in the example
    for kind, article, evidence, a, b in stances:
        start = json.loads(evidence)[0][0]
        assert (kind, article, start, a, b) in found or (kind != "reported" and (kind, article, start, b, a) in found)


def test_signed_types_are_those_whose_cameo_codes_share_a_goldstein_sign():
    types = load_tool("annotate_attitudes").signed_types()
    assert types["AGREE"] == types["CONSULT"] == types["AID"] == 1
    assert types["ACCUSE"] == types["ASSAULT"] == types["SANCTION"] == -1
    assert "REQUEST" not in types  # its codes run from -5 to +4


def test_evidence_recall_finds_a_stance_of_the_gold_events_sign_over_its_sentence(tmp_path):
    from communique.store import Store

    tool = load_tool("annotate_attitudes")
    gold = tool.gold_events()
    assert gold and all(a != b and sign in (1, -1) for *_, a, b, sign in gold)
    assert {g[0] for g in gold} == {"train", "dev", "test"}
    caught = gold[0]
    flipped = next(g for g in gold if g[1] != caught[1])
    lost = next(g for g in gold if g[1] not in (caught[1], flipped[1]))
    half = next(g for g in gold if g[1] not in (caught[1], flipped[1], lost[1]))
    with Store(str(tmp_path / "s.duckdb")) as store:
        for article in {caught[1], flipped[1]}:
            store.con.execute("INSERT INTO articles (id, text) VALUES (?, 'x')", [article])
        # a stance between the two countries (stated the other way round) whose evidence overlaps the sentence
        store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity, evidence) "
                          "VALUES (?, 0, ?, ?, ?, ?)", [caught[1], caught[5], caught[4], caught[6],
                                                         json.dumps([[caught[2] - 5, caught[2] + 1]])])
        store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity, evidence) "
                          "VALUES (?, 1, ?, ?, ?, ?)", [flipped[1], flipped[4], flipped[5], -flipped[6],
                                                         json.dumps([[flipped[2], flipped[3]]])])
        # both countries named in the sentence, and an event of the first with no other party
        store.con.execute("INSERT INTO articles (id, text) VALUES (?, 'x')", [half[1]])
        for actor, country in enumerate(half[4:6]):
            store.con.execute("INSERT INTO actors (article_id, actor_id, country, mentions) VALUES (?, ?, ?, ?)",
                              [half[1], actor, country, json.dumps([[half[2] + actor, half[2] + actor + 1]])])
        store.con.execute("INSERT INTO events (article_id, event_no, source_country, span_start, span_end) "
                          "VALUES (?, 0, ?, ?, ?)", [half[1], half[4], half[2], half[3]])
        outcomes = tool.evidence_recall(store, [caught, flipped, lost, half])
    assert outcomes == ["caught", "wrong sign", "article not in the store",
                        "both countries found, an event of one of them without another party"]
