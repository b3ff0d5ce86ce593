"""Quote attribution on paragraphs written for these tests."""


def quotes(code, text):
    return code(text, date="2024-05-08").quotes


def test_quotes_direct_quote_after_the_cue(code):
    a = code('Brazilian Foreign Minister Mauro Vieira said: "We will not accept any interference."')
    q = a.quotes[0]
    assert q.direct and q.text == "We will not accept any interference."
    assert a.text[q.span[0]:q.span[1]] == q.text
    assert q.speaker.country == "BRA" and "Vieira" in q.speaker.name and q.cue == "said"
    assert a.text[q.speaker_span[0]:q.speaker_span[1]].endswith("Mauro Vieira")


def test_quotes_direct_quote_before_the_cue_with_a_pronoun(code):
    a = code('Canadian Prime Minister Justin Trudeau arrived in Ottawa. '
             '"This is a historic day," he told reporters.')
    q = [q for q in a.quotes if q.direct][0]
    assert q.text == "This is a historic day,"
    assert q.speaker.name == "Justin Trudeau" and q.cue == "told"
    assert a.text[q.speaker_span[0]:q.speaker_span[1]] == "he"


def test_quotes_indirect_that_clause(code):
    qs = quotes(code, "Norway's prime minister said that the talks would resume in June.")
    q = [q for q in qs if not q.direct][0]
    assert q.text == "the talks would resume in June"
    assert q.speaker.country == "NOR"


def test_quotes_curly_marks_and_unknown_speaker(code):
    qs = quotes(code, "Someone wrote \u201cpeace is near\u201d on the wall.")
    assert qs[0].text == "peace is near" and qs[0].speaker is None
