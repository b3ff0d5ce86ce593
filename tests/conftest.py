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
