#!/usr/bin/env bash
# The README's test command (and all that .ci/run does): install what the tests need
# (Debian's chromium, a .venv with the pinned dev requirements), then run ruff and the
# whole pytest suite, browser tests included. Idempotent: apt-get runs only for what is
# missing, .venv is reused when present. Arguments go to pytest (e.g. -m "not browser").
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    echo "== installing $* with apt-get"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Playwright's own browser download does not work on our machines: use Debian's.
if ! command -v chromium >/dev/null 2>&1; then
    apt_install chromium
fi
# The history tests start a real PostgreSQL server of their own (tests/postgres.py).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt_install postgresql
fi

if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    if ! python3 -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv  # Debian keeps venv's pip bootstrap in a separate package
        apt_install python3-venv
        python3 -m venv .venv
    fi
fi
echo "== installing pinned dev requirements"
.venv/bin/python -m pip install -q -r requirements-dev.txt 2>&1 | { grep -v "is ignored" || true; }

# The sign-in browser tests run a real OpenID Connect provider (npm oauth2-mock-server,
# pinned in tests/oidc/package-lock.json) on node; without node they skip and say so.
if command -v npm >/dev/null 2>&1 && [ ! -d tests/oidc/node_modules/oauth2-mock-server ]; then
    echo "== installing the test OIDC provider (npm ci in tests/oidc)"
    (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== ruff check"
.venv/bin/ruff check .

echo "== pytest"
# The 15 slowest tests are listed at the end, to keep the whole run within its budget.
exec .venv/bin/python -m pytest --durations=15 "$@"
