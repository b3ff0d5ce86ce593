"""The README and docs/output.md stay true to the code: every command, option and output field is documented."""
import argparse
import json

import pytest

from communique.cli import build_parser
from conftest import ROOT

README = (ROOT / "README.md").read_text()
OUTPUT = (ROOT / "docs" / "output.md").read_text()


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_docs_readme_documents_every_command_and_option(name):
    assert f"communique {name}" in README
    for action in subcommands()[name]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"{name} {flag} is not in the README"


def test_docs_output_documents_every_field(code):
    doc = json.loads(code("Egypt condemned Israel, the Egyptian foreign minister said: \"We reject it.\"").to_json())
    fields = set(doc["article"])
    for section in ("actors", "events", "quotes", "stances"):
        for item in doc[section]:
            fields |= set(item)
    for field in fields:
        assert f"`{field}`" in OUTPUT, f"{field} is not documented in docs/output.md"
