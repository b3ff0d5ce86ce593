"""The language stage: long texts are parsed in pieces that join back into the same text."""

from communique.language import analyse_many, split_text
from communique.model import Article
from conftest import ROOT


def test_split_text_cuts_at_line_ends_and_joins_back():
    text = "".join(f"Paragraph {i} says something about Iran and Cuba.\n" for i in range(200))
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n") for p in pieces)


def test_split_text_without_line_ends_cuts_at_spaces():
    text = "word " * 1000
    pieces = split_text(text, 333)
    assert "".join(pieces) == text
    assert all(p.endswith(" ") and len(p) <= 333 for p in pieces)


def test_long_article_parsed_in_pieces_is_coded_as_when_parsed_whole(pipeline):
    seed = (ROOT / "examples" / "iran-cuba-tehran.txt").read_text()
    text = (seed.rstrip("\n") + "\n\n") * 3
    size = len(text) // 2  # two pieces, cut at a paragraph end
    whole, = analyse_many([Article(id="w", text=text)], pipeline.nlp, max_chars=len(text))
    pieces, alone = analyse_many([Article(id="p", text=text), Article(id="s", text=seed)], pipeline.nlp, max_chars=size)
    assert pieces.parse.doc.text == text and alone.parse.doc.text == seed
    sentences = [s.text.strip() for s in alone.parse.doc.sents if s.text.strip()]
    assert [s.text.strip() for s in pieces.parse.doc.sents if s.text.strip()] == sentences * 3

    def coded(article):
        for stage in pipeline.stages:
            article = stage(article)
        return [(e.type, e.source and e.source.country, e.target and e.target.country, e.trigger_span)
                for e in article.events]
    assert coded(pieces) == coded(whole)
    assert len(coded(pieces)) >= 3
