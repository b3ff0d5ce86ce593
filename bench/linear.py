#!/usr/bin/env python3
"""Linearity benchmark: coding time against article length, 10 KB to 1 MB, for news-like and
pathological articles.

    .venv/bin/python bench/linear.py [--sizes 10000,100000,1000000] [--shapes news,oneline,...]
                                     [--profile SHAPE:SIZE]

Each shape is a synthetic article of the given size in characters, written here:

* ``news``: paragraphs of news-like sentences (meetings, accusations, sanctions, direct and
  reported quotes, "according to", titles, pronouns, dates, places), rotated with varying names;
* ``oneline``: the same sentences on one line, without a paragraph break (nor headline: a line
  that opens "Name:" is a quote of that name to the end of the line);
* ``nopunct``: the same words without any punctuation or line break: one "sentence";
* ``nested``: quotes nested in quotes ('Biden said "Putin said "Xi said "...'), and the
  same nesting without quote marks ("Biden said Putin said ..."), in paragraphs of 1,000 levels;
* ``saidchain``: "Biden said " repeated, on one line, without a full stop.

Prints, per shape and size, the coding time (``Pipeline.code_text``: cleaning, parsing and
every coding stage), the seconds per 10 KB and the ratio of that to the shape's 10 KB figure
(1.0: linear; a quadratic step doubles it with each tenfold size), with the peak resident
memory of the process. ``--profile news:100000`` prints the cProfile of one run instead.
"""
from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from communique.pipeline import Pipeline  # noqa: E402
from communique.settings import Settings  # noqa: E402

PERSONS = [("Joe Biden", "Biden", "United States", "American"), ("Vladimir Putin", "Putin", "Russia", "Russian"),
           ("Xi Jinping", "Xi", "China", "Chinese"), ("Emmanuel Macron", "Macron", "France", "French"),
           ("Olaf Scholz", "Scholz", "Germany", "German"), ("Narendra Modi", "Modi", "India", "Indian"),
           ("Recep Tayyip Erdogan", "Erdogan", "Turkey", "Turkish"), ("Volodymyr Zelensky", "Zelensky", "Ukraine",
                                                                      "Ukrainian")]
PLACES = ["Geneva", "Brussels", "Ankara", "Cairo", "Havana", "Tehran", "Nairobi", "Jakarta"]
DAYS = ["on Monday", "on Tuesday", "last week", "on Wednesday", "yesterday", "in March 2023"]
SENTENCES = [
    "{P1} met {P2} in {place} {day} to discuss trade and security.",
    "The two leaders agreed to expand cooperation on energy and to hold further talks in {place}.",
    '"We will not accept any interference in our internal affairs," {s1} told reporters after the meeting.',
    '"This is a historic day for our countries," the {adj1} president said, "and we will build on it."',
    "{C1} accused {C2} of violating the ceasefire along the border {day}.",
    "According to the {adj2} foreign ministry, the talks in {place} will resume next month.",
    "{s2} said that the sanctions imposed by {C1} were illegal and would harm ordinary people.",
    "The {adj1} government condemned the attack on the embassy in {place} and called for an investigation.",
    "Officials in {C2} said they expected the negotiations to last several weeks.",
    "{C1} imposed new sanctions on {C2} {day}, targeting banks and energy companies.",
    "He said the decision was a mistake that would damage relations between the two countries.",
    "Protesters gathered outside the parliament in {place} to demand the release of political prisoners.",
    "The {adj2} defence minister warned that {C2} would respond to any provocation.",
    "{s1}, speaking at a news conference, praised {C2} for its support during the crisis.",
    "Analysts believe the agreement could open the way for a broader settlement in the region.",
    "The United Nations urged both sides to show restraint and return to the negotiating table.",
    '"Our support will continue for as long as it takes," {s2} said in a statement.',
    "{C2} rejected the proposal, saying it did not address its security concerns.",
    "The foreign ministers of {C1} and {C2} signed a memorandum on visa-free travel in {place}.",
    "She said the talks had been frank and constructive but that differences remained.",
]
HEADLINE = "{P1}: {C1} ready to talk with {C2} about a lasting peace"


def filled(n: int) -> str:
    """The ``n``-th sentence of the rotation, its names varied with ``n``."""
    a, b = PERSONS[n % len(PERSONS)], PERSONS[(n // len(SENTENCES) + 3) % len(PERSONS)]
    if a == b:
        b = PERSONS[(PERSONS.index(a) + 1) % len(PERSONS)]
    template = SENTENCES[n % len(SENTENCES)]
    return template.format(P1=a[0], P2=b[0], s1=a[1], s2=b[1], C1=a[2], C2=b[2], adj1=a[3], adj2=b[3],
                           place=PLACES[n % len(PLACES)], day=DAYS[n % len(DAYS)])


def news(size: int, sep: str = "\n\n", headlines: bool = True) -> str:
    """Paragraphs of four sentences, every tenth a headline line ("Joe Biden: ...")."""
    parts, length, n = [], 0, 0
    for k in itertools.count():
        if length >= size:
            break
        if k % 10 == 0 and headlines:
            a, b = PERSONS[k // 10 % len(PERSONS)], PERSONS[(k // 10 + 1) % len(PERSONS)]
            para = HEADLINE.format(P1=a[0], C1=a[2], C2=b[2])
        else:
            para = " ".join(filled(n + j) for j in range(4))
            n += 4
        parts.append(para)
        length += len(para) + len(sep)
    return sep.join(parts)[:size].rsplit(" ", 1)[0]


def nopunct(size: int) -> str:
    words = news(size + size // 5).replace("\n", " ").split()
    text = " ".join(w.strip('.,:;"!?') for w in words)
    return " ".join(w for w in text.split() if w)[:size].rsplit(" ", 1)[0]


def nested(size: int, levels: int = 1000) -> str:
    names = itertools.cycle(p[1] for p in PERSONS)
    paras, length, quoted = [], 0, True
    while length < size:
        if quoted:
            para = "".join(f'{next(names)} said "' for _ in range(levels)) + "we agree" + '"' * levels + "."
        else:
            para = "".join(f"{next(names)} said " for _ in range(levels)) + "we agree."
        paras.append(para)
        length += len(para) + 2
        quoted = not quoted
    return "\n\n".join(paras)[:size]


SHAPES = {
    "news": news,
    "oneline": lambda size: news(size, sep=" ", headlines=False),
    "nopunct": nopunct,
    "nested": nested,
    "saidchain": lambda size: ("Biden said " * (size // 11 + 1))[:size].rstrip(),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--profile", help="SHAPE:SIZE: print the profile of one run")
    parser.add_argument("--sort", default="tottime", help="the order of the profile (tottime, cumulative)")
    args = parser.parse_args(argv)
    pipeline = Pipeline.get(Settings())
    pipeline.code_text(news(2000))  # load the model and the tables
    if args.profile:
        shape, size = args.profile.split(":")
        text = SHAPES[shape](int(size))
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        article = pipeline.code_text(text)
        profile.disable()
        print(f"{shape} {len(text)} chars: {time.perf_counter() - start:.1f} s, {len(article.actors)} actors, "
              f"{len(article.quotes)} quotes, {len(article.events)} events")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':<10} {'size':>9} {'seconds':>8} {'s/10KB':>7} {'ratio':>6} {'events':>7} {'quotes':>7} "
          f"{'peak MB':>8}", flush=True)
    for shape in args.shapes.split(","):
        base = None
        for size in sizes:
            text = SHAPES[shape](size)
            start = time.perf_counter()
            article = pipeline.code_text(text)
            seconds = time.perf_counter() - start
            per = seconds / len(text) * 10_000
            base = base or per
            print(f"{shape:<10} {len(text):>9} {seconds:>8.2f} {per:>7.3f} {per / base:>6.2f} {len(article.events):>7} "
                  f"{len(article.quotes):>7} {peak_mb():>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
