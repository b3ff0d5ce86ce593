"""Shared fixtures: the coding pipeline (loaded once) and the shared data folder."""
from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    return Pipeline.get(Settings())


@pytest.fixture(scope="session")
def learned():
    """The pipeline with the learned events models (``events="learned"``, the default)."""
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    return Pipeline.get(Settings.of(events="learned"))


@pytest.fixture(scope="session")
def rules():
    """The pipeline without learned models: events and quotes by their rules alone."""
    from communique.pipeline import Pipeline
    from communique.settings import Settings

    return Pipeline.get(Settings.of(events="rules", quotes="rules"))


@pytest.fixture(scope="session")
def code(pipeline):
    """Code a text as one article: ``code(text, date=None) -> Article``."""
    return lambda text, date=None: pipeline.code_text(text, date=date)


@pytest.fixture(scope="session")
def code_rules(rules):
    """Code a text as one article with the rules alone (``events="rules", quotes="rules"``)."""
    return lambda text, date=None: rules.code_text(text, date=date)


def load_tool(name: str):
    """A script of tools/ (``annotate``, ``annotate_attitudes``) as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_path(*parts: str) -> Path:
    """A file of ../shared, or skip the test with a clear message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path} is absent")
    return path


DATED_ARTICLES = {  # written for the tests: dated, with cooperation and conflict between four countries
    "moscow.txt": "MOSCOW, May 6, 2024 - Russian President Vladimir Putin met Chinese President Xi Jinping in "
                  "Moscow. The two leaders agreed to expand trade.\n",
    "washington.txt": "WASHINGTON, June 3, 2024 - The United States imposed new sanctions on Russia. Britain "
                      "praised the American decision, and British officials condemned Russia.\n",
    "beijing.txt": "BEIJING, June 10, 2024 - China accused the United States of bullying.\n",
}


def coded_store(folder: Path) -> str:
    """A database coded from the example article and DATED_ARTICLES, in ``folder``."""
    import communique

    (folder / "in").mkdir()
    for name, text in DATED_ARTICLES.items():
        (folder / "in" / name).write_text(text)
    db = str(folder / "coded.duckdb")
    summary = communique.ingest([str(folder / "in"), str(ROOT / "examples" / "iran-cuba-tehran.txt")], db=db)
    assert summary.stored == len(DATED_ARTICLES) + 1 and not summary.failed
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: str, log: Path):
    """``communique serve`` over ``db`` on a free loopback port, in a subprocess logging to ``log``:
    its base URL once it answers (within 60 s); stopped at the end."""
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "communique.cli", "serve", "--db", db, "--port", str(port)],
                                   cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited ({process.returncode}):\n{log.read_text(errors='replace')}")
            try:
                urllib.request.urlopen(f"{base}/api/summary", timeout=10).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer in 60 s:\n{log.read_text(errors='replace')}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


TAGS = {"PUNCT": ".", "PRON": "PRP", "VERB": "VBD", "AUX": "MD", "ADP": "IN", "PROPN": "NNP", "NOUN": "NN",
        "ADV": "RB", "DET": "DT", "SPACE": "_SP"}


def parsed_article(nlp, unit, n: int):
    """An Article of ``n`` copies of ``unit`` with the parse written there, through the language stage's
    ``attach`` (no model: fast at any size, for the tests of the later stages on long articles).

    ``unit``: rows of (text, space after, head (index in the unit), dep, pos, lemma, entity label ("GPE", or
    "B-PERSON" and "I-PERSON" for a name of several words) or "", starts a sentence)."""
    from spacy.tokens import Doc

    from communique.language import attach
    from communique.model import Article

    rows = [(k * len(unit), *row) for k in range(n) for row in unit]  # (the unit's first token, *row)
    doc = Doc(nlp.vocab, words=[r[1] for r in rows], spaces=[r[2] for r in rows], heads=[r[0] + r[3] for r in rows],
              deps=[r[4] for r in rows], pos=[r[5] for r in rows], tags=[TAGS[r[5]] for r in rows],
              lemmas=[r[6] for r in rows], ents=[entity_tag(r[7]) for r in rows],
              sent_starts=[r[8] for r in rows])
    return attach(Article(id="parsed", text=doc.text, date="2024-05-08"), doc)


def entity_tag(label: str) -> str:
    return label if label[:2] in ("B-", "I-") else f"B-{label}" if label else "O"
