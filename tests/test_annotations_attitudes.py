"""The attitude set (annotations/attitudes/): its sample, labels and agreement, and its tool's candidates."""
import json
from collections import Counter

from communique.evaluate.annotated import kappa, read_corpus, split_of
from communique.evaluate.attitudes import LABELS, load_labels, load_sample
from communique.lexicons.codes import type_signs
from communique.store import Store
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


def test_type_signs_are_those_whose_cameo_codes_share_a_goldstein_sign():
    signs = type_signs()
    assert signs["AGREE"] == signs["CONSULT"] == signs["AID"] == 1
    assert signs["ACCUSE"] == signs["ASSAULT"] == signs["SANCTION"] == -1
    assert "REQUEST" not in signs  # its codes run from -5 to +4


def test_evidence_recall_finds_a_stance_of_the_gold_sign_over_the_sentence_in_the_stored_text(tmp_path):
    tool = load_tool("annotate_attitudes")
    gold = tool.gold_events()
    assert gold and all(a < b and sign in (1, -1) for *_, a, b, sign in gold)
    assert {g[0] for g in gold} == {"train", "dev", "test"} and len(set(gold)) == len(gold)
    texts = {i: r["text"] for i, r in read_corpus(shared_path(), "allsides").items()}
    chosen = []  # gold items of different articles, in the order of the cases below
    for g in gold:
        if g[1] not in {c[1] for c in chosen}:
            chosen.append(g)
    caught, flipped, touching, half, cleaned, lost = chosen[:6]
    prefix = "A dateline the corpus does not have. "  # the stored text is not the corpus's: offsets move

    def sentence_at(g):  # the gold sentence's span in the stored text
        return [len(prefix), len(prefix) + g[3] - g[2]]

    with Store(str(tmp_path / "s.duckdb")) as store:
        for g in (caught, flipped, touching, half):
            store.con.execute("INSERT INTO articles (id, text) VALUES (?, ?)", [g[1], prefix + texts[g[1]][g[2]:g[3]]])
        store.con.execute("INSERT INTO articles (id, text) VALUES (?, 'another text')", [cleaned[1]])
        start, end = sentence_at(caught)
        for k, (g, span, polarity) in enumerate((
                (caught, [end - 1, end + 5], caught[6]),  # stated the other way round, overlapping the sentence's end
                (flipped, sentence_at(flipped), -flipped[6]),
                (touching, [sentence_at(touching)[0] - 5, sentence_at(touching)[0]], touching[6]))):  # ends where it starts
            store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity, "
                              "evidence) VALUES (?, ?, ?, ?, ?, ?)", [g[1], k, g[5], g[4], polarity, json.dumps([span])])
        start, end = sentence_at(half)  # both countries named, and an event of the first with no other party
        for actor, country in enumerate(half[4:6]):
            store.con.execute("INSERT INTO actors (article_id, actor_id, country, mentions) VALUES (?, ?, ?, ?)",
                              [half[1], actor, country, json.dumps([[start + actor, start + actor + 1]])])
        store.con.execute("INSERT INTO events (article_id, event_no, source_country, span_start, span_end) "
                          "VALUES (?, 0, ?, ?, ?)", [half[1], half[4], start, end])
        outcomes = tool.evidence_recall(store, [caught, flipped, touching, half, cleaned, lost], texts)
    assert outcomes == ["caught", "wrong sign", "a country not found in the sentence",
                        "both countries found, an event of one of them whose other side has no country",
                        "sentence not in the stored text", "article not in the store"]
