"""Analysis: dyad series, alignment, coalitions and the UNGA evaluation, on coded and hand-built stores."""
import csv
import gzip
import json
import math
import zlib

import numpy as np
import pytest

from communique.analysis.alignment import (WIDE, alignment, alignment_evidence, attitudes, kind_weights, place,
                                          positions, resampled_attitudes)
import communique.analysis.coalitions as coalitions_module
from communique.analysis.coalitions import blocs, coalitions, periods
from communique.analysis.dyads import SHRINK, dyad_series
from communique.cli import main
from communique.evaluate.alignment import (agreement_matrix, evaluate_alignment, halves_agreement, partial_spearman,
                                           read_truth, read_votes, spearman)
from communique.model import STANCE_KINDS
from communique.resources import read_table
from communique.store import Store
from conftest import coded_store, load_tool

@pytest.fixture(scope="module")
def coded_db(tmp_path_factory):
    return coded_store(tmp_path_factory.mktemp("analysis"))


def test_seed_iran_and_cuba_form_one_bloc_without_the_united_states(coded_db, capsys):
    assert main(["coalitions", "--db", coded_db, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert all({"members", "period", "evidence"} <= set(b) for b in found)
    iran = [b for b in found if "IRN" in b["members"]]
    assert len(iran) == 1 and "CUB" in iran[0]["members"] and "USA" not in iran[0]["members"]
    assert iran[0]["evidence"] >= 2
    britain = [b for b in found if "GBR" in b["members"]]  # praised the US, condemned Russia with it
    assert britain and "USA" in britain[0]["members"] and "RUS" not in britain[0]["members"]


def test_coalitions_text_output_and_period_bounds(coded_db, capsys):
    assert main(["coalitions", "--db", coded_db]) == 0
    assert "CUB IRN" in capsys.readouterr().out
    # the seed article is undated: a dated range leaves it out
    assert main(["coalitions", "--db", coded_db, "--since", "2024-01-01", "--json"]) == 0
    assert not any("IRN" in b["members"] for b in json.loads(capsys.readouterr().out))


def test_dyad_series_counts_what_the_events_table_holds(coded_db):
    con = Store(coded_db, read_only=True)
    series = dyad_series(con)
    stored = con.con.execute("SELECT source_country, target_country, count(*), sum(goldstein) FROM events "
                         "WHERE source_country <> target_country GROUP BY ALL").fetchall()
    totals = {}
    for row in series:
        n, g = totals.get((row["source"], row["target"]), (0, 0.0))
        totals[(row["source"], row["target"])] = (n + row["events"], g + row["goldstein_sum"])
        assert row["events"] == row["quad1"] + row["quad2"] + row["quad3"] + row["quad4"] == sum(row["types"].values())
        assert row["goldstein_shrunk"] == pytest.approx(row["goldstein_sum"] / (row["events"] + SHRINK), abs=1e-3)
    assert totals == {(s, t): (n, pytest.approx(g)) for s, t, n, g in stored}
    usa_rus = dyad_series(con, "USA", "RUS", freq="month")
    assert [(r["period"], r["types"]) for r in usa_rus] == [("2024-06-01", {"COERCE": 1})]
    both = dyad_series(con, "IRN", "CUB", both_ways=True)
    assert {(r["source"], r["target"]) for r in both} == {("IRN", "CUB"), ("CUB", "IRN")}
    assert all(r["period"] is None for r in both)  # the seed article carries no date
    with pytest.raises(ValueError):
        dyad_series(con, freq="fortnight")


def hand_built(tmp_path, stances, dates=None):
    """A store of hand-written stance rows (article, holder, target or 'issue:...', polarity[, kind])."""
    db = str(tmp_path / "hand.duckdb")
    with Store(db) as store:
        for art in sorted({s[0] for s in stances}):
            store.con.execute("INSERT INTO articles (id, date, text) VALUES (?, ?, 'x')", [art, (dates or {}).get(art)])
        for n, (art, holder, target, polarity, *kind) in enumerate(stances):
            issue = target[6:] if target.startswith("issue:") else None
            store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, issue, "
                              "polarity, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              [art, n, holder, None if issue else target, issue, polarity, *(kind or ["reported"])])
    return Store(db, read_only=True)


def test_positions_place_countries_on_one_axis(tmp_path):
    con = hand_built(tmp_path, [("a1", "FRA", "issue:sanctions", 1), ("a2", "DEU", "issue:sanctions", 1),
                                ("a3", "IRN", "issue:sanctions", -1)])
    # one column: 1/3 shrunk by two pseudo-items, centred on the mean 1/9: 2/9 (DEU, FRA), -4/9 (IRN); the
    # median (2/9) to 0: 0, 0, -2/3; the 5th to 95th percentile (-0.6 to 0) spans two units: IRN at
    # -2/3 / 0.3, squashed by tanh
    assert positions(con) == {"DEU": 0.0, "FRA": 0.0, "IRN": pytest.approx(math.tanh(-2 / 3 / 0.3), abs=1e-4)}
    scores = {(r["a"], r["b"]): r for r in alignment(con)}
    # no direct item: the closeness of the positions, 1 - |difference|
    assert scores[("DEU", "FRA")]["score"] == 1.0
    assert scores[("DEU", "IRN")]["score"] == pytest.approx(1 - math.tanh(2 / 3 / 0.3), abs=1e-4)
    assert (scores[("DEU", "FRA")]["evidence"], scores[("DEU", "FRA")]["shared"]) == (2, 1)


def test_alignment_pools_positions_and_counts_the_pair_evidence(tmp_path):
    con = hand_built(tmp_path, [
        ("a1", "FRA", "DEU", 1), ("a2", "DEU", "FRA", 1),  # two direct items
        ("a1", "FRA", "RUS", -1), ("a3", "DEU", "RUS", -1), ("a3", "DEU", "RUS", -1),  # a3's two rows: one item
        ("a4", "IRN", "RUS", 1), ("a5", "SYR", "RUS", 1),
        ("a6", "FRA", "issue:sanctions", 1), ("a6", "POL", "issue:sanctions", 1), ("a7", "SYR", "issue:sanctions", -1),
        ("a8", "BRA", "issue:amazon", 1),  # a position nobody else took: tells nothing
    ])
    place = positions(con)
    assert "BRA" not in place
    side = {c: p > 0 for c, p in place.items()}
    assert side["FRA"] == side["DEU"] != side["IRN"] == side["SYR"] == side["RUS"]
    # POL shares no object with DEU; its one position (with FRA, against SYR) puts it on their side
    assert side["POL"] == side["DEU"]
    scores = {(r["a"], r["b"]): r for r in alignment(con)}
    assert scores[("DEU", "FRA")]["score"] > scores[("IRN", "SYR")]["score"] > 0 > scores[("FRA", "RUS")]["score"]
    assert scores[("DEU", "FRA")]["score"] > scores[("FRA", "IRN")]["score"]
    assert scores[("DEU", "FRA")]["evidence"] == 2 + 2 and scores[("DEU", "FRA")]["direct"] == 2
    every = {(r["a"], r["b"]): r for r in alignment(con, min_evidence=0)}
    assert every[("DEU", "POL")]["evidence"] == 0 and every[("DEU", "POL")]["score"] > every[("DEU", "IRN")]["score"]
    assert not any("BRA" in pair for pair in every)
    evidence = alignment_evidence(con, "FRA", "DEU")
    assert {(e["holder"], e["object"], e["kind"]) for e in evidence} == {
        ("FRA", "DEU", "direct"), ("DEU", "FRA", "direct"), ("FRA", "RUS", "shared"), ("DEU", "RUS", "shared")}


def test_blocs_split_a_signed_graph_and_are_reproducible():
    west, east = ["DEU", "FRA", "GBR", "USA"], ["CHN", "IRN", "PRK", "RUS"]
    pairs = [{"a": a, "b": b, "score": 0.8, "evidence": 3} for group in (west, east)
             for i, a in enumerate(group) for b in group[i + 1:]]
    pairs += [{"a": a, "b": b, "score": -0.6, "evidence": 1} for a in west for b in east]
    found = blocs(pairs)
    assert [b["members"] for b in found] == [sorted(east), sorted(west)] or \
        [b["members"] for b in found] == [sorted(west), sorted(east)]
    assert found == blocs(pairs)
    assert found[0]["evidence"] == 6 * 3


def test_coalitions_per_year_with_stability(tmp_path):
    con = hand_built(tmp_path, [
        ("a1", "FRA", "DEU", 1), ("a1", "FRA", "RUS", -1), ("a1", "DEU", "RUS", -1),
        ("b1", "FRA", "DEU", 1), ("b1", "DEU", "RUS", -1), ("b1", "ITA", "DEU", 1),
    ], dates={"a1": "2022-03-01", "b1": "2023-05-01"})
    assert [p[0] for p in periods(con, "year", None, None)] == ["2022", "2023"]
    found = coalitions(con, every="year")
    assert [(b["period"], b["members"]) for b in found] == [("2022", ["DEU", "FRA"]), ("2023", ["DEU", "FRA", "ITA"])]
    assert found[0]["stability"] is None and found[1]["stability"] == pytest.approx(2 / 3, abs=1e-3)


def write_unga(d):
    calls = [("1", "2015-10-01"), ("2", "2015-11-01"), ("3", "2016-10-01"), ("4", "2010-10-01")]
    votes = [("1", "US", "yes"), ("1", "FR", "yes"), ("1", "CU", "no"),  # call 1: US-FR agree, CU against
             ("2", "US", "yes"), ("2", "FR", "abstain"), ("2", "CU", "no"),
             ("3", "US", "yes"), ("3", "FR", "yes"), ("3", "CU", "yes"),  # unanimous: left out
             ("4", "US", "no"), ("4", "FR", "yes")]  # outside the years
    with gzip.open(d / "un_roll_calls.csv.gz", "wt") as f:
        csv.writer(f).writerows([("rcid", "session", "date")] + [(r, "70", day) for r, day in calls])
    with gzip.open(d / "un_votes.csv.gz", "wt") as f:
        csv.writer(f).writerows([("rcid", "country", "country_code", "vote")] + [(r, c, c, v) for r, c, v in votes])
    with open(d / "idealpoints.csv", "w") as f:
        csv.writer(f).writerows([("iso3c", "year", "idealpointfp"), ("USA", "2015", "2.0"), ("FRA", "2015", "1.0"),
                                 ("CUB", "2015", "-1.5")])


def test_unga_agreement_over_non_unanimous_calls(tmp_path):
    write_unga(tmp_path)
    countries, votes = read_votes(tmp_path, 2012, 2019)
    assert countries == ["CUB", "FRA", "USA"] and votes.shape == (3, 2)
    agree = agreement_matrix(votes)
    usa, fra, cub = 2, 1, 0
    assert agree[usa, fra] == pytest.approx((1 + (1 - 1 / 2)) / 2)
    assert agree[usa, cub] == pytest.approx(0.0)
    assert spearman([1, 2, 3, 4], [10, 20, 20, 40]) == pytest.approx(0.9487, abs=1e-4)


def mentions_store(db, articles: dict[str, int]) -> Store:
    """A store whose articles a0, a1, ... mention each country of ``articles`` in its first N articles."""
    store = Store(db)
    for k in range(max(articles.values())):
        store.con.execute("INSERT INTO articles (id, text) VALUES (?, 'x')", [f"a{k}"])
        for country, n in articles.items():
            if k < n:
                store.con.execute("INSERT INTO actors (article_id, country) VALUES (?, ?)", [f"a{k}", country])
    return store


def test_eval_alignment_takes_pairs_of_ten_articles(tmp_path, capsys):
    write_unga(tmp_path)
    db = str(tmp_path / "s.duckdb")
    # GBR: in nine articles only, and no votes here
    with mentions_store(db, {"USA": 12, "FRA": 12, "CUB": 10, "GBR": 9}) as store:
        store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity) "
                          "VALUES ('a0', 0, 'USA', 'FRA', 1), ('a1', 0, 'USA', 'CUB', -1), ('a2', 0, 'CUB', 'FRA', -1), "
                          "('a3', 0, 'FRA', 'USA', 1), ('a4', 0, 'CUB', 'USA', -1)")
    assert main(["eval", "alignment", "--db", db, "--unga", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_dyads"] == 3
    assert {"spearman", "p_value", "baseline_comention", "baseline_goldstein"} <= set(result)
    # agreement USA-FRA 0.75 > FRA-CUB 0.25 > USA-CUB 0. FRA and USA, each an object of two countries, place
    # CUB (against both) apart from USA and FRA (for each other; USA's item toward CUB, whom no other
    # country took a position toward, places nobody): USA-FRA scores highest, USA-CUB (two direct -1)
    # below FRA-CUB (one): the ranks of agreement
    assert result["spearman"] == pytest.approx(1.0)
    # every pair's busier country is in 12 articles: coverage is constant, tells nothing, holds nothing
    assert result["baseline_coverage"] is None and result["spearman_given_coverage"] == result["spearman"]
    assert result["positions"]["n_countries"] == 3 and result["positions"]["spearman"] is not None
    direct = evaluate_alignment(Store(db, read_only=True), tmp_path)
    assert direct["spearman"] == result["spearman"]
    # the intervals: the three stance articles resampled; every interval holds a defined figure's range
    low, high = result["interval"]
    assert -1 <= low <= high <= 1 and result["bootstrap"] == 200
    assert result["positions"]["interval"] is not None
    # the halves split the articles by a hash of their id, each a corpus of its own: here no half has a
    # pair in ten of its articles
    halves = result["halves"]
    assert [h["articles"] for h in halves] == [sum(zlib.crc32(f"a{k}".encode()) % 2 == half for k in range(12))
                                                for half in (0, 1)]
    assert all(h["n_dyads"] == 0 and h["spearman"] is None for h in halves)
    assert result["halves_agreement"]["n_dyads"] == 0 and result["halves_agreement"]["spearman"] is None
    assert main(["eval", "alignment", "--db", db, "--unga", str(tmp_path), "--bootstrap", "0", "--json"]) == 0
    assert "interval" not in json.loads(capsys.readouterr().out)


def test_alignment_curve_scores_shares_of_the_articles_on_all_articles_dyads(tmp_path):
    write_unga(tmp_path)
    db = str(tmp_path / "s.duckdb")
    # every country in all 24 articles: each random half of 12 has the three pairs
    with mentions_store(db, {"USA": 24, "FRA": 24, "CUB": 24}) as store:
        store.con.execute("INSERT INTO stances (article_id, stance_no, holder_country, target_country, polarity) "
                          "VALUES ('a0', 0, 'USA', 'FRA', 1), ('a1', 0, 'USA', 'CUB', -1), ('a2', 0, 'CUB', 'FRA', -1), "
                          "('a3', 0, 'FRA', 'USA', 1), ('a4', 0, 'CUB', 'USA', -1), ('a13', 0, 'FRA', 'USA', 1), "
                          "('a14', 0, 'CUB', 'FRA', -1), ('a15', 0, 'USA', 'CUB', -1)")
    tool = load_tool("alignment_curve")
    truth = read_truth(tmp_path, 2012, 2019)
    with Store(db, read_only=True) as store:
        rows = tool.curve(store, truth, draws=2)
        halves = tool.random_halves(store, truth, splits=2)
        whole = evaluate_alignment(store, tmp_path, bootstrap=0)
    assert [r["share"] for r in rows] == [0.25, 0.5, 0.75, 1.0] and [r["draws"] for r in rows] == [2, 2, 2, 1]
    assert [r["articles"] for r in rows] == [6, 12, 18, 24]
    # all the articles: the figures of eval alignment, on the same dyads and countries
    assert rows[-1]["spearman"] == pytest.approx(whole["spearman"])
    assert rows[-1]["positions"] == pytest.approx(whole["positions"]["spearman"])
    # two splits into halves of twelve articles, each a corpus of its own with the three pairs
    assert [[h["n_dyads"] for h in pair] for pair in halves] == [[3, 3], [3, 3]]
    assert all(set(h) == {"n_dyads", "spearman", "spearman_given_coverage", "positions"} for pair in halves for h in pair)


def test_alignment_curve_projection_recovers_the_ceiling_and_reliability_of_a_curve_it_is_given():
    tool = load_tool("alignment_curve")
    shares = (0.25, 0.5, 0.75, 1.0)
    rows = [{"share": k, "spearman": 0.5 * (k * 0.6 / (1 + (k - 1) * 0.6)) ** 0.5,
             "spearman_given_coverage": 0.3 * (k * 0.4 / (1 + (k - 1) * 0.4)) ** 0.5, "positions": None} for k in shares]
    fit = tool.projection(rows, [("spearman", 0.45), ("spearman", 0.6), ("spearman_given_coverage", 0.3 * 0.4 ** 0.5)])
    assert set(fit) == {"spearman", "spearman_given_coverage"}  # positions never defined: not fitted
    assert (fit["spearman"]["ceiling"], fit["spearman"]["reliability"]) == (pytest.approx(0.5, abs=1e-3), 0.6)
    assert fit["spearman"]["rmse"] < 1e-3
    # 0.45 = 0.5 sqrt(r): r = 0.81 = 0.6k / (1 + 0.6(k - 1)), k = 0.81 * 0.4 / (0.6 * 0.19); 0.6 is past the ceiling
    assert [(n["value"], n["times_the_corpus"]) for n in fit["spearman"]["reach"]] == [
        (0.45, pytest.approx(0.81 * 0.4 / (0.6 * 0.19), abs=0.02)), (0.6, None)]
    assert fit["spearman_given_coverage"]["reach"][0]["times_the_corpus"] == pytest.approx(1.0, abs=0.01)
    # without the draws, refitting has nothing to draw again: the intervals are the fit itself
    assert fit["spearman"]["ceiling_interval"] == [pytest.approx(0.5, abs=1e-3)] * 2
    assert fit["spearman"]["reach"][1]["out_of_reach"] == 1.0 and fit["spearman"]["reach"][1]["interval"] is None
    # with draws that disagree, the ceiling's interval widens around the fit of their means
    rng = __import__("numpy").random.default_rng(0)
    noisy = [{**row, "by_draw": {"spearman": list(row["spearman"] + rng.normal(0, 0.1, 20))}} for row in rows[:3]] + rows[3:]
    low, high = tool.projection(noisy)["spearman"]["ceiling_interval"]
    assert low < 0.49 and high > 0.51
    assert tool.target("positions=0.55") == ("positions", 0.55)
    with pytest.raises(tool.argparse.ArgumentTypeError, match="unknown figure 'x'"):
        tool.target("x=1")


def test_resampled_attitudes_weigh_each_article_by_its_draws():
    items = [("a1", "FRA", "DEU", 1), ("a1", "FRA", "RUS", -1), ("a2", "FRA", "DEU", -1), ("a3", "DEU", "FRA", 1)]
    assert resampled_attitudes(items, {"a1": 1, "a2": 1, "a3": 1}) == [
        ("DEU", "FRA", 1, 1), ("FRA", "DEU", 0, 2), ("FRA", "RUS", -1, 1)]
    assert resampled_attitudes(items, {"a1": 3, "a3": 0}) == [("FRA", "DEU", 3, 3), ("FRA", "RUS", -3, 3)]


def test_eval_alignment_without_stances_says_the_correlation_is_undefined(tmp_path, capsys):
    write_unga(tmp_path)
    db = str(tmp_path / "s.duckdb")
    mentions_store(db, {"USA": 10, "FRA": 10, "CUB": 10}).close()
    assert main(["eval", "alignment", "--db", db, "--unga", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)  # valid JSON: no NaN
    assert result["n_dyads"] == 3 and result["spearman"] is None
    assert main(["eval", "alignment", "--db", db, "--unga", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "news alignment" in text and "Spearman n/a" in text


def test_partial_spearman_holds_the_third_variable_constant():
    rng = np.random.default_rng(3)
    z = rng.normal(size=200)
    x, y = z + rng.normal(size=200), z + rng.normal(size=200)
    r_xy, r_xz, r_yz = spearman(x, y), spearman(x, z), spearman(y, z)
    expected = (r_xy - r_xz * r_yz) / math.sqrt((1 - r_xz ** 2) * (1 - r_yz ** 2))  # the textbook formula
    assert partial_spearman(x, y, z) == pytest.approx(expected, abs=1e-9)
    assert r_xy > 0.3 and abs(partial_spearman(x, y, z)) < 0.2  # what they share is z
    assert partial_spearman(x, y, np.ones(200)) == pytest.approx(r_xy)


def test_coalitions_hold_the_evidence_floor_for_the_bloc_too(tmp_path, monkeypatch):
    # a community found through countries outside it can hold fewer items among its members than the
    # floor each pair passed: such a bloc is left out, not shown on no evidence
    con = hand_built(tmp_path, [("a1", "FRA", "DEU", 1), ("a2", "DEU", "FRA", 1), ("a3", "FRA", "DEU", 1)])
    assert [b["members"] for b in coalitions(con, min_evidence=3)] == [["DEU", "FRA"]]
    monkeypatch.setattr(coalitions_module, "blocs", lambda pairs: [{"members": ["CUB", "IRN"], "evidence": 1},
                                                                   {"members": ["DEU", "FRA"], "evidence": 6}])
    assert [b["members"] for b in coalitions(con, min_evidence=3)] == [["DEU", "FRA"]]
    assert len(coalitions(con, min_evidence=1)) == 2


def test_bloc_membership_says_how_often_a_member_lands_in_its_bloc(tmp_path, capsys):
    # FRA and DEU stand together in six articles; ITA joins them in one: resampled, ITA's article is
    # missing from about a third of the draws, and ITA with it
    con = hand_built(tmp_path, [(f"a{k}", "FRA", "DEU", 1) for k in range(6)] + [("a6", "ITA", "FRA", 1)])
    plain = coalitions(con)
    assert [b["members"] for b in plain] == [["DEU", "FRA", "ITA"]] and "membership" not in plain[0]
    share = coalitions(con, bootstrap=100)[0]["membership"]
    assert share["DEU"] >= 0.95 and share["FRA"] >= 0.95 and 0.4 < share["ITA"] < 0.9
    assert coalitions(con, bootstrap=100)[0]["membership"] == share  # seeded
    con.close()
    assert main(["coalitions", "--db", str(tmp_path / "hand.duckdb"), "--bootstrap", "20", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)[0]["membership"]) == {"DEU", "FRA", "ITA"}


def test_stance_kinds_weigh_by_their_precision_and_can_be_left_out(tmp_path):
    weights = kind_weights()
    assert set(weights) == set(STANCE_KINDS) and all(0 < w <= 1 for w in weights.values())
    precision = {row["kind"]: float(row["precision"]) for row in read_table("attitude_kinds.tsv")}
    best = max(precision.values())
    assert weights == {kind: pytest.approx(p / best) for kind, p in precision.items()}  # the best counts fully
    reported, quote, together = weights["reported"], weights["quote"], weights["coaction"]
    assert reported > quote  # as measured on the attitude set
    # one article: a reported stance and a quote that says the opposite; the reported one weighs more,
    # and an item of a kind alone weighs its kind's weight (two in one article: at most 1)
    con = hand_built(tmp_path, [("a1", "FRA", "DEU", 1), ("a1", "FRA", "DEU", -1, "quote"),
                                ("a2", "ITA", "DEU", 1, "coaction"), ("a3", "ITA", "DEU", 1, "coaction"),
                                ("a3", "ITA", "DEU", 1)])
    assert attitudes(con) == [("FRA", "DEU", pytest.approx(reported - quote), 1),
                              ("ITA", "DEU", pytest.approx(together + min(together + reported, 1)), 2)]
    assert attitudes(con, kinds=["quote"]) == [("FRA", "DEU", pytest.approx(-quote), 1)]
    assert attitudes(con, kinds=["reported"]) == [("FRA", "DEU", pytest.approx(reported), 1),
                                                  ("ITA", "DEU", pytest.approx(reported), 1)]
    with pytest.raises(ValueError, match="unknown stance kind.*tweet"):
        attitudes(con, kinds=["tweet"])


def test_alignment_intervals_over_resampled_articles_say_which_results_are_settled(tmp_path):
    # FRA and DEU stand together in twelve articles; ITA against FRA in one: its pairs swing with it
    rows = [(f"a{k:02d}", "FRA", "DEU", 1) for k in range(12)] + [("a12", "ITA", "FRA", -1)]
    con = hand_built(tmp_path, rows)
    found = {(r["a"], r["b"]): r for r in alignment(con, bootstrap=100)}
    for row in found.values():
        low, high = row["interval"]
        assert low <= row["score"] <= high and row["settled"] == (high - low <= WIDE)
    # in about a third of the draws ITA's one article is not there, and the pair scores 0
    assert found[("FRA", "ITA")]["interval"][1] == 0.0 and found[("FRA", "ITA")]["score"] < 0
    assert found[("DEU", "FRA")]["interval"][0] > 0 and found[("DEU", "FRA")]["settled"]
    assert all("interval" not in r for r in alignment(con))
    con.close()
    few = hand_built(tmp_path / "few" if (tmp_path / "few").mkdir() is None else tmp_path, rows[:3])
    assert all(r["interval"] is None and r["settled"] is False for r in alignment(few, bootstrap=20))


def test_halves_agreement_is_the_spearman_of_the_two_halves_measures():
    dyads = [("CUB", "IRN", 12), ("FRA", "USA", 15), ("IRN", "USA", 11), ("CUB", "USA", 10)]
    first = (dyads[:3], {("CUB", "IRN"): 0.9, ("FRA", "USA"): 0.5, ("IRN", "USA"): -0.8},
             {"CUB": -0.7, "IRN": -0.9, "USA": 0.8, "FRA": 0.5})
    # the second half compares one more dyad, ranks the three shared ones the same way, places FRA and
    # USA the other way round and does not place CUB
    second = (dyads[1:] + dyads[:1], {("CUB", "IRN"): 0.2, ("FRA", "USA"): 0.1, ("IRN", "USA"): -0.1},
              {"IRN": -0.5, "USA": 0.2, "FRA": 0.6})
    assert halves_agreement(first, second) == {"n_dyads": 3, "spearman": 1.0, "n_countries": 3, "positions": 0.5}
    assert halves_agreement(first, (dyads[:2], {}, {}))["positions"] is None


def test_positions_rest_on_objects_of_two_countries_or_more():
    # FRA and DEU for the EU, ITA against it: the EU places all three. ITA's single item toward TUN, whom no
    # other country took a position toward, places nobody: TUN is not placed, and ITA's position is the one
    # the EU gives it
    rows = [("FRA", "EUR", 1.0, 1), ("DEU", "EUR", 1.0, 1), ("ITA", "EUR", -1.0, 1)]
    placed = place(rows)
    assert set(placed) == {"DEU", "FRA", "ITA"} and placed["FRA"] == placed["DEU"] != placed["ITA"]
    assert place(rows + [("ITA", "TUN", -1.0, 1)]) == placed
    # with a second country toward TUN, its column counts, and TUN (against whom both stand) is placed
    assert "TUN" in place(rows + [("ITA", "TUN", -1.0, 1), ("FRA", "TUN", -1.0, 1)])
