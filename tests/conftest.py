"""Shared fixtures: one stand-in FJ API for the whole session, and a read-only audit of it.

Use ``stub_server`` (faults, log and keys reset before each test) and ``keys``
(``keys["test"]``, ``keys["other"]``, ``keys["noproject"]``) in tests; do not
import from this file.
"""

import pytest
import streamlit as st
from hypothesis import settings

from fj.stub import Project, StubServer

# Tests never fail on the clock: on a shared 2-core machine one example can take 0.5 s.
settings.register_profile("fj", deadline=None)
settings.load_profile("fj")

TEST_KEY = "fjk_test_6b1f0c9e2d7a4f35"  # 300 synthetic sessions, seed 7
OTHER_KEY = "fjk_other_0a9d8c7b6e5f4d3c"  # 50 synthetic sessions, seed 8
NOPROJECT_KEY = "fjk_noproject_1234"  # a valid key without a project: 404

_started: list[StubServer] = []


@pytest.fixture(scope="session")
def keys() -> dict[str, str]:
    """The session stub's keys by role: "test", "other", "noproject"."""
    return {"test": TEST_KEY, "other": OTHER_KEY, "noproject": NOPROJECT_KEY}


@pytest.fixture(scope="session")
def stub():
    """The session's stand-in server (prefer ``stub_server``, which resets it per test)."""
    server = StubServer(
        {TEST_KEY: Project(n=300, seed=7), OTHER_KEY: Project(n=50, seed=8), NOPROJECT_KEY: None}
    )
    server.start()
    _started.append(server)
    yield server
    server.stop()


@pytest.fixture
def stub_server(stub):
    """The session's stand-in server with no queued fault, an empty log and its own keys."""
    stub.reset()
    yield stub
    stub.clear_faults()


@pytest.fixture(scope="session", autouse=True)
def _session_stub_traffic_is_read_only():
    """After the last test: everything sent to the session stub was a keyed-by-header GET.

    This is the proof that nothing under test ever calls a credit-spending endpoint or
    puts the key in a URL. Tests that need to misbehave start their own StubServer.
    """
    yield
    for server in _started:
        bad = [
            r
            for r in server.history
            if not r.read_only
            or (r.key_fingerprint is not None and not r.key_in_header)
            or "fjk_" in r.target.lower()
        ]
        assert not bad, f"requests that a read-only dashboard must never send: {bad[:5]}"


@pytest.fixture
def dashboard_env(monkeypatch):
    """For AppTest runs: no key or base URL from the machine, and no data cached by another test.

    Streamlit's caches live in the process, so they outlive an AppTest instance.
    """
    for name in ("FJ_API_KEY", "FJ_API_BASE_URL", "FJ_CACHE_TTL"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield monkeypatch
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def served(dashboard_env, stub_server, keys):
    """The stand-in, with the dashboard reading keys["test"] and its URL from the environment."""
    dashboard_env.setenv("FJ_API_KEY", keys["test"])
    dashboard_env.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return stub_server


@pytest.fixture(scope="session", autouse=True)
def _history_in_a_temp_folder(tmp_path_factory):
    """History's default SQLite file lives under XDG_DATA_HOME: point it at a temp folder,
    for this process and the servers it starts, so no test writes to the home folder."""
    import os

    folder = tmp_path_factory.mktemp("xdg-data")
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = old


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the whole session (its URL); skipped when not installed."""
    from tests.postgres import pg_bin, running_postgres

    if pg_bin() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    with running_postgres() as url:
        yield url


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request, tmp_path):
    """A fresh, empty history database: a SQLite file, then a database on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    from tests.postgres import create_database

    server = request.getfixturevalue("postgres_server")
    return create_database(server, f"fj_history_{next(_databases)}")
