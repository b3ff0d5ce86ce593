#!/usr/bin/env bash
# The main job: code the example article, store it in communique.duckdb and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh
.venv/bin/communique ingest examples/iran-cuba-tehran.txt --db communique.duckdb
.venv/bin/communique code examples/iran-cuba-tehran.txt --format table
