#!/usr/bin/env bash
# Install the dashboard's pinned requirements in .venv and start it.
# With no key configured it opens on the bundled demo project.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q -r requirements.txt 2>&1 | { grep -v "is ignored" || true; }
exec .venv/bin/python -m streamlit run dashboard.py "$@"
