"""The language stage: long texts are parsed in pieces that join back into the same text."""

from communique.language import MAX_SENTENCE_TOKENS, MAX_WORD_CHARS, analyse_many, bounded, split_text, tokenized
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


def test_a_text_without_full_stops_is_parsed_in_bounded_sentences(pipeline):
    words = "the minister said that talks with Iran and Cuba would resume in Havana after officials met, "
    text = (words * 40).strip()  # 640 words, no full stop: the parser alone makes sentences of hundreds of words
    article, = analyse_many([Article(id="n", text=text)], pipeline.nlp)
    sents = list(article.parse.doc.sents)
    assert article.parse.doc.text == text
    assert max(len(s) for s in sents) <= MAX_SENTENCE_TOKENS
    assert all(t.head.sent.start == t.sent.start for t in article.parse.doc)  # no tree crosses a cut
    assert all(s.text.endswith(",") for s in sents[:-1])  # cut after a comma


def test_bounded_cuts_only_the_long_sentences(pipeline):
    text = "Iran and Cuba signed a trade deal on Monday. " \
           "Officials said the ministers of the two countries met in Havana and agreed to expand trade " \
           "and to hold more talks in Tehran next year. Cuba welcomed it."
    doc = pipeline.nlp(text)
    assert bounded(doc, pipeline.nlp) is doc  # nothing over the bounds: the parse as it was
    cut = bounded(doc, pipeline.nlp, max_tokens=12)
    assert cut.text == text and max(len(s) for s in cut.sents) <= 12
    assert [s.text for s in cut.sents][0] == "Iran and Cuba signed a trade deal on Monday."
    assert [s.text for s in cut.sents][-1] == "Cuba welcomed it."
    short = bounded(doc, pipeline.nlp, max_chars=60)
    assert max(len(s.text) for s in short.sents) <= 60


def test_a_long_run_without_spaces_is_tokenized_in_bounded_time(pipeline):
    # spaCy's tokenizer strips punctuation one mark at a time: 8,000 "!" took 40 s, 20,000 minutes
    import time

    text = "Iran said: " + "!" * 20_000 + " Cuba agreed."
    start = time.perf_counter()
    doc = tokenized(text, pipeline.nlp)
    assert time.perf_counter() - start < 5  # a tenth of a second
    assert doc.text == text and len(doc) > 20_000
    assert tokenized("Iran said: " + "!" * MAX_WORD_CHARS, pipeline.nlp) == "Iran said: " + "!" * MAX_WORD_CHARS
    article, = analyse_many([Article(id="run", text="Iran said: " + "!" * 1_000 + " Cuba agreed.")], pipeline.nlp)
    assert article.parse.doc.text == "Iran said: " + "!" * 1_000 + " Cuba agreed."
