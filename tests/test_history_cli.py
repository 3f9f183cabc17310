"""`python -m fj snapshot` and `python -m fj activity`: the scheduler's commands, over the
stand-in, into SQLite and a real PostgreSQL server."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from fj.history import History
from fj.stub import Project, StubServer
from tests.history_data import PROJECT_ID, STEPS, payload
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
KEY = "fjk_history_cli_key_9090"

pytestmark = pytest.mark.timeout(300)


def fj_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("FJ_")}
    environ |= {"PYTHONPATH": str(ROOT)} | env
    return subprocess.run([sys.executable, "-m", "fj", *args], capture_output=True,
                          cwd=ROOT, env=environ, timeout=120, check=False)  # fmt: skip


@pytest.fixture
def api():
    server = StubServer({KEY: Project(sessions=STEPS[0][1]), "fjk_noproject_55": None}).start()
    yield server
    server.stop()


def test_snapshot_then_304_then_growth_then_activity(api, history_url):
    env = {"FJ_API_KEY": KEY, "FJ_API_BASE_URL": api.base_url}
    first = fj_cli("snapshot", "--db", history_url, env=env)
    assert first.returncode == 0, first.stderr.decode()
    assert first.stdout.decode() == "sessions seen 2, new 2, grown 0, unchanged 0\n"
    again = fj_cli("snapshot", "--db", history_url, env=env)
    assert again.returncode == 0, again.stderr.decode()
    assert "not modified" in again.stdout.decode()
    assert [r.status for r in api.requests] == [200, 304]  # the ETag was sent
    api.set_project(KEY, Project(raw=payload(STEPS[1][1])))
    grown = fj_cli("snapshot", "--db", history_url, env=env)
    assert grown.stdout.decode() == "sessions seen 3, new 1, grown 1, unchanged 1\n"

    done = fj_cli("activity", "--db", history_url, "--freq", "M", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr.decode()
    rows = json.loads(done.stdout)
    assert sum(r["added"] for r in rows) == 25 + 5 + 3  # the latest totals
    by_role = fj_cli("activity", "--db", history_url, "--freq", "D", "--by", "role",
                     "--tz", "Asia/Kolkata", env=env)  # fmt: skip
    table = pd.read_csv(io.BytesIO(by_role.stdout))
    assert list(table.columns) == ["period", "role", "added"]
    assert table["added"].sum() == 33
    assert set(table["role"]) == {"Backend Engineer", "Data Analyst"}
    with History(history_url) as h:
        assert h.info([PROJECT_ID])["checks"] == 3
    everything = first.stdout + first.stderr + again.stdout + done.stdout + by_role.stdout
    assert KEY.encode() not in everything


def test_snapshot_exit_codes(api, tmp_path):
    db = f"sqlite:///{tmp_path / 'h.sqlite'}"
    wrong = fj_cli("snapshot", "--db", db,
                   env={"FJ_API_KEY": "fjk_wrong_key_1234", "FJ_API_BASE_URL": api.base_url})
    assert wrong.returncode == 2
    assert b"rejected the key" in wrong.stderr
    none = fj_cli("snapshot", "--db", db, env={"FJ_API_BASE_URL": api.base_url})
    assert none.returncode == 2
    down = fj_cli("snapshot", "--db", f"postgresql://fj:pw-secret@127.0.0.1:{free_port()}/x",
                  env={"FJ_API_KEY": KEY, "FJ_API_BASE_URL": api.base_url})  # fmt: skip
    assert down.returncode == 1
    assert down.stderr.decode().startswith("error: History is off:")
    assert b"pw-secret" not in down.stderr
    nokey_project = fj_cli("snapshot", "--db", db,
                           env={"FJ_API_KEY": "fjk_noproject_55", "FJ_API_BASE_URL": api.base_url})
    assert nokey_project.returncode == 1  # 404: not a key problem


def test_snapshot_uses_the_default_sqlite_file_with_nothing_configured(api, tmp_path):
    env = {"FJ_API_KEY": KEY, "FJ_API_BASE_URL": api.base_url, "XDG_DATA_HOME": str(tmp_path)}
    done = fj_cli("snapshot", env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "fj-dashboard" / "history.sqlite").is_file()
    activity = fj_cli("activity", "--format", "csv", env=env)
    assert activity.returncode == 0, activity.stderr.decode()
    assert pd.read_csv(io.BytesIO(activity.stdout))["added"].sum() == 15
    off = fj_cli("snapshot", env=env | {"FJ_HISTORY_URL": "off"})
    assert off.returncode == 1 and b"History is off" in off.stderr


def test_history_url_from_the_secrets_file(api, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    db = tmp_path / "from-secrets.sqlite"
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        f'FJ_API_KEY = "{KEY}"\nFJ_API_BASE_URL = "{api.base_url}"\n\n'
        f'[connections.fj_history]\nurl = "sqlite:///{db}"\n'
    )
    done = subprocess.run([sys.executable, "-m", "fj", "snapshot"], capture_output=True,
                          cwd=tmp_path, timeout=120, check=False,
                          env={k: v for k, v in os.environ.items() if not k.startswith("FJ_")}
                          | {"PYTHONPATH": str(ROOT)})  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert db.is_file()
