"""The CLI: `python -m fj sessions`, the same frame the dashboard shows, for scripts and cron."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FJ_")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fj", *args],
        capture_output=True, cwd=cwd, env=environ, timeout=120,
        check=False,
    )


def test_csv_of_the_project_over_http(stub_server, keys):
    done = run_cli("sessions", "--format", "csv",
                   env={"FJ_API_KEY": keys["test"], "FJ_API_BASE_URL": stub_server.base_url,
                        "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr.decode()
    table = pd.read_csv(io.BytesIO(done.stdout))
    assert len(table) == 300
    assert table["session_id"].is_unique
    assert keys["test"].encode() not in done.stdout + done.stderr


def test_json_to_a_file(stub_server, keys, tmp_path):
    out = tmp_path / "sessions.json"
    done = run_cli("sessions", "--format", "json", "--output", str(out),
                   env={"FJ_API_KEY": keys["other"], "FJ_API_BASE_URL": stub_server.base_url,
                        "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr.decode()
    rows = json.loads(out.read_text())
    assert len(rows) == 50
    assert {"session_id", "title", "total_profiles", "created_at", "role"} <= set(rows[0])
    assert b"wrote 50 sessions" in done.stderr


def test_key_from_the_secrets_file(stub_server, keys, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'FJ_API_KEY = "{keys["other"]}"\nFJ_API_BASE_URL = "{stub_server.base_url}"\n'
    )
    done = run_cli("sessions", env={"PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert len(pd.read_csv(io.BytesIO(done.stdout))) == 50


def test_no_key_says_what_to_do(tmp_path):
    done = run_cli("sessions", env={"PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
                   cwd=tmp_path)
    assert done.returncode == 2
    assert b"FJ_API_KEY" in done.stderr
    assert b"Traceback" not in done.stderr


def test_wrong_key_is_a_clear_error_without_the_key(stub_server):
    wrong = "fjk_CLI_WRONG_0123456789"
    done = run_cli("sessions", env={"FJ_API_KEY": wrong, "FJ_API_BASE_URL": stub_server.base_url,
                                    "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert b"rejected the key (401)" in done.stderr
    assert wrong.encode() not in done.stderr + done.stdout
    assert b"Traceback" not in done.stderr


def test_demo_needs_no_key(tmp_path):
    done = run_cli("sessions", "--demo", env={"PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert len(pd.read_csv(io.BytesIO(done.stdout))) > 200
