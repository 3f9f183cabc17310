#!/usr/bin/env bash
# The README's first command: install the dashboard's pinned requirements in .venv and
# start it on http://localhost:8501. With no key configured it opens on the bundled demo
# project. Arguments go to `streamlit run` (e.g. --server.port 8502).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    if ! python3 -m venv .venv >/dev/null 2>&1; then
        rm -rf .venv  # Debian keeps venv's pip bootstrap in a separate package
        echo "== installing python3-venv with apt-get"
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
        python3 -m venv .venv
    fi
fi
echo "== installing pinned requirements"
.venv/bin/python -m pip install -q -r requirements.txt 2>&1 | { grep -v "is ignored" || true; }
echo "== starting the dashboard (Ctrl+C stops it)"
exec .venv/bin/python -m streamlit run dashboard.py "$@"
