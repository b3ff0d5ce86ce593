"""`communique eval extraction`: the benchmark's shingle measure, and the reader on real pages."""
import gzip
import json

from communique.cli import main
from communique.evaluate.extraction import page_scores, score_extraction
from communique.inputs import read_inputs
from communique.model import Article
from conftest import shared_path


def test_page_scores_count_four_word_shingles():
    true = "one two three four five six"  # shingles: 1234 2345 3456
    assert page_scores(true, true) == (1.0, 1.0)
    assert page_scores("one two three four five", true) == (1.0, 2 / 3)
    assert page_scores("menu home " + true, true) == (0.6, 1.0)  # 3 of 5 predicted shingles are right
    assert page_scores("", true) == (None, 0.0)


def test_score_extraction_means_over_pages_and_f1_of_the_means():
    result = score_extraction([("a b c d e", "a b c d e"), ("", "a b c d"), ("x y z w", "")])
    assert result == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "n": 3}


def test_html_in_a_script_without_spaces_is_prose(tmp_path):
    page = tmp_path / "ja.html.gz"
    body = "".join(f"<p>{'不正に改造したアイフォーンを販売した男性が逮捕されました' * 2}{i}。</p>" for i in range(6))
    page.write_bytes(gzip.compress(f"<html><head><title>t</title></head><body><article>{body}</article>"
                                   "</body></html>".encode("utf-8")))
    [article] = read_inputs([str(page)])
    assert isinstance(article, Article) and "逮捕" in article.text


def test_eval_extraction_on_the_benchmark_meets_its_bar(capsys):
    path = shared_path("data", "corpora", "extraction-benchmark")
    assert main(["eval", "extraction", "--gold", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 181 and result["f1"] >= 0.96
