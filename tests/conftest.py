"""Shared fixtures: the coding pipeline (loaded once) and the shared data folder."""
from __future__ import annotations

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
def code(pipeline):
    """Code a text as one article: ``code(text, date=None) -> Article``."""
    return lambda text, date=None: pipeline.code_text(text, date=date)


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
