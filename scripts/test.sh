#!/usr/bin/env bash
# Install what the tests need (Debian's chromium, a venv with the pinned dev
# requirements), then run ruff and the whole pytest suite, browser tests included.
# Idempotent: skips apt when chromium is there, reuses .venv when present.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    python3 -m venv .venv
fi
echo "== installing pinned dev requirements"
.venv/bin/python -m pip install -q -r requirements-dev.txt 2>&1 | { grep -v "is ignored" || true; }

echo "== ruff check"
.venv/bin/ruff check .

echo "== pytest"
exec .venv/bin/python -m pytest "$@"
