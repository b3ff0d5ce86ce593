#!/usr/bin/env bash
# Run the test suite in .venv/ (created or reused). Extra arguments go to pytest.
# The dashboard's browser test needs Debian's Chromium (/usr/bin/chromium): installed here with
# apt-get when it is missing and we may (root), else the test is skipped, saying so.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh || exit 1
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser test"
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null 2>&1 \
        || echo "could not install chromium: the browser test will be skipped"
fi
.venv/bin/ruff check communique tests bench tools || exit 1
.venv/bin/lint-imports --no-cache --no-logo || exit 1  # the layers of [tool.importlinter] in pyproject.toml
.venv/bin/python -m pytest -q "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests"
    rc=0
fi
exit "$rc"
