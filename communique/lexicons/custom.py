"""User actor files (``--actors FILE``): entries that add to or override the package's actors.

A tab-separated file with a header line; ``#`` lines are comments; columns (any order, the
first three required):

=========  ==================================================================================
name       the name as written in the news ("Nayib Bukele", "Hamas", "Donbas")
aliases    other spellings, ``|``-separated ("Nayib Armando Bukele|Bukele Ortez")
kind       ``person``, ``organization`` or ``place``
country    ISO 3166 alpha-3 code, or PLOVER's UNO, EUR, IGO, NGO, IMG, MNC
sector     PLOVER sector code (GOV, MIL, REB, PTY, ...); for a place, PRE or empty
role       persons: the role's label ("president")
start      persons: first day of the role, YYYY-MM-DD (empty: always)
end        persons: last day of the role, YYYY-MM-DD (empty: still held)
gender     persons: m or f (lets pronouns join the person)
=========  ==================================================================================

Other columns are ignored: ``communique actors learned --format tsv`` writes persons learned from
the text in this format with ``first_seen``, ``last_seen``, ``articles`` and ``evidence`` besides
(:func:`learned_actor_file`), so that a user can check and edit them and pass the file back.

A person takes one row per role; the roles of a name given here replace every role the
package knows for that name. An organisation or place name given here wins over every
package name of the same spelling (a country name included).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from .dictionary import CustomActors, Role

KINDS = ("person", "organization", "place")
REQUIRED = ("name", "kind", "country")
CODE = re.compile(r"[A-Z]{3}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ActorFileError(ValueError):
    """A user actor file that cannot be read; the message names the file and line."""


def read_actor_file(path: str) -> CustomActors:
    """Read and check a user actor file (see the module docstring)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ActorFileError(f"{path}: cannot read the actor file: {exc}") from exc
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not numbered:
        raise ActorFileError(f"{path}: the actor file has no header line")
    header = [h.strip() for h in numbered[0][1].split("\t")]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ActorFileError(f"{path}: line {numbered[0][0]}: the header lacks {', '.join(missing)}")
    roles, aliases, bodies, places = [], [], [], []
    for n, line in numbered[1:]:
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        check_row(row, f"{path}: line {n}")
        names = [a for a in row.get("aliases", "").split("|") if a.strip()]
        if row["kind"] == "person":
            roles.append(Role(row["name"], row["country"], row.get("sector") or None, row.get("role", ""),
                              row.get("start", ""), row.get("end", ""), row.get("gender") or None,
                              source=f"actor file {path}"))
            aliases += [(a.strip(), row["name"]) for a in names]
        elif row["kind"] == "organization":
            bodies.append({"code": row["country"], "name": row["name"], "aliases": "|".join(names),
                           "sector": row.get("sector", ""), "kind": "group", "plover": row["country"],
                           "ambiguous": "", "since": ""})
        else:
            places.append({"name": row["name"], "aliases": "|".join(names), "iso3": row["country"],
                           "sector": row.get("sector", "")})
    return CustomActors(path, tuple(roles), tuple(aliases), tuple(bodies), tuple(places))


def check_row(row: dict[str, str], where: str) -> None:
    if not row["name"]:
        raise ActorFileError(f"{where}: the name is empty")
    if row["kind"] not in KINDS:
        raise ActorFileError(f"{where}: kind {row['kind']!r} is not one of {', '.join(KINDS)}")
    if not CODE.fullmatch(row["country"]):
        raise ActorFileError(f"{where}: country {row['country']!r} is not a three-letter code")
    if row.get("sector") and not CODE.fullmatch(row["sector"]):
        raise ActorFileError(f"{where}: sector {row['sector']!r} is not a three-letter code")
    for column in ("start", "end"):
        if row.get(column) and not DATE.fullmatch(row[column]):
            raise ActorFileError(f"{where}: {column} {row[column]!r} is not a date YYYY-MM-DD")
    if row.get("gender") and row["gender"] not in ("m", "f"):
        raise ActorFileError(f"{where}: gender {row['gender']!r} is not m or f")


LEARNED_COLUMNS = ("name", "aliases", "kind", "country", "sector", "role", "start", "first_seen", "last_seen",
                   "articles", "evidence")


def learned_actor_file(persons: list[dict]) -> str:
    """Persons learned from the text (``Store.learned_persons``) as a user actor file: a role starts on the
    first date an article gave it; a person with no country is written as a comment, to be completed."""
    lines = ["# Persons learned from the text by communique (`communique actors learned`): check each against",
             "# its evidence, edit, and pass the file back with --actors. Commented rows lack a country.",
             "\t".join(LEARNED_COLUMNS)]
    for p in persons:
        cells = {**p, "kind": "person", "aliases": "|".join(p["aliases"]), "start": p["first_seen"] or "",
                 "evidence": " | ".join(e["sentence"] for e in p["evidence"])}
        row = "\t".join(" ".join(str(cells[c] or "").split()) for c in LEARNED_COLUMNS)
        lines.append(row if p["country"] else f"# {row}")
    return "\n".join(lines) + "\n"
