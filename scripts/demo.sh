#!/usr/bin/env bash
# The main job: code the example article, store it in communique.duckdb, print it, and serve
# the dashboard on it at http://127.0.0.1:8000/ (Ctrl-C stops; COMMUNIQUE_PORT picks another port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
.venv/bin/communique ingest examples/iran-cuba-tehran.txt --db communique.duckdb
.venv/bin/communique code examples/iran-cuba-tehran.txt --format table
.venv/bin/communique coalitions --db communique.duckdb
exec .venv/bin/communique serve --db communique.duckdb --port "${COMMUNIQUE_PORT:-8000}"
