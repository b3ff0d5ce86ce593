#!/usr/bin/env bash
# Run the test suite in .venv/ (created or reused). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh || exit 1
.venv/bin/ruff check communique tests bench tools || exit 1
.venv/bin/lint-imports --no-cache --no-logo || exit 1  # the layers of [tool.importlinter] in pyproject.toml
.venv/bin/python -m pytest -q "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests"
    rc=0
fi
exit "$rc"
