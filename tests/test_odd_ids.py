"""Session ids from the data: every path segment percent-encoded, and a missing id never crashes."""

from __future__ import annotations

import datetime as dt

import pytest

import fj
from fj.client import path_segment
from fj.stub import Project, StubServer
from tests.apptest import new_app, record

KEY = "fjk_odd_ids_6c1d9e2f3a4b"
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "segment"),
    [(".", "%2E"), ("..", "%2E%2E"), ("a/../b", "a%2F%2E%2E%2Fb"), ("x?y#z", "x%3Fy%23z"),
     ("69f0dd1da08d760844569bb1", "69f0dd1da08d760844569bb1")],
)
def test_every_id_is_one_encoded_path_segment(value, segment):
    assert path_segment(value) == segment


@pytest.mark.parametrize("value", ["", None])
def test_no_id_is_a_clear_error_not_a_request(value):
    with pytest.raises(fj.BadResponseError, match="no id"):
        path_segment(value)


@pytest.fixture
def odd_server():
    records = [record(i, title=f"S{i}", profiles=3, created=NOW - dt.timedelta(days=i))
               for i in range(4)]
    records[0]["_id"] = "."
    records[1]["_id"] = ".."
    del records[2]["_id"]
    server = StubServer({KEY: Project(sessions=records)}).start()
    yield server
    server.stop()


def test_dot_ids_stay_inside_their_endpoint(odd_server):
    with fj.FJClient(KEY, odd_server.base_url, retries=0) as client:
        for session_id in (".", ".."):
            # The stand-in looks ids up as sent: "%2E%2E" is no session of its (404).
            with pytest.raises(fj.NotFoundError):
                client.get_session_profiles(session_id)
            with pytest.raises(fj.NotFoundError):
                client.get_session(session_id)
    targets = [r.target for r in odd_server.history]
    assert len(targets) == 4 and all("/sourcing-session/%2E" in t for t in targets), targets


def test_candidates_page_survives_a_session_without_id(dashboard_env, odd_server):
    dashboard_env.setenv("FJ_API_KEY", KEY)
    dashboard_env.setenv("FJ_API_BASE_URL", odd_server.base_url)
    at = new_app().run()
    at.switch_page("pages/candidates.py").run()
    assert not at.exception
    at.button(key="project_load").click().run()
    assert not at.exception
    profile_paths = [r.path for r in odd_server.history if r.path.endswith("/profiles")]
    assert len(profile_paths) == 3  # the session without an id costs no request
    assert all(p.split("/sourcing-session/")[1].count("/") == 1 for p in profile_paths)
