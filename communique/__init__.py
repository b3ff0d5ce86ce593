"""communique: news articles in, traceable political event data out.

>>> import communique
>>> doc = communique.code("Cuban President Miguel Diaz-Canel met Iran's Supreme Leader in Tehran.", date="2024-05-06")
>>> doc.events[0].type
'CONSULT'

Nothing is loaded at import; the spaCy pipeline and the dictionaries load on
the first call and stay loaded for the process.
"""
from __future__ import annotations

from typing import Optional

from .model import Actor, ActorRef, Article, Event, Location, Quote, Sentence, Stance

__version__ = "0.1.0"
__all__ = ["code", "Article", "Actor", "ActorRef", "Event", "Location", "Quote", "Sentence", "Stance",
           "__version__"]


def code(text: str, date: Optional[str] = None, *, id: Optional[str] = None, title: Optional[str] = None,
         model: Optional[str] = None) -> Article:
    """Code one article's text: clean it, parse it, and find actors, events, quotes and stances."""
    from .pipeline import Pipeline, Settings

    settings = Settings(model=model) if model else Settings()
    return Pipeline.get(settings).code_text(text, date=date, id=id, title=title)
