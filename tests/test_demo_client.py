"""The demo is a client: DemoClient answers exactly what the stand-in serves for the demo.

Both go through their public read methods (fj.client.ReadClient): the stand-in over
real HTTP on loopback with FJClient, the demo in process. One set of rules
(fj.demo.ServedSessions) answers for both, so they cannot drift.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fj
from fj import paging
from fj.client import ReadClient
from fj.demo import DEMO_PROJECT_NAME, DemoClient, ServedSessions, demo_payload
from fj.errors import FJError, NotFoundError
from fj.stub import Project, StubServer

KEY = "fjk_demo_compare_0001"
RECORDS = json.loads(demo_payload())["data"]
IDS = [r["_id"] for r in RECORDS]


@pytest.fixture(scope="module")
def served():
    """FJClient against a stand-in that serves the demo payload (today's dates)."""
    server = StubServer({KEY: Project(raw=demo_payload())})
    with server, fj.FJClient(KEY, server.base_url, retries=0) as client:
        yield client


@pytest.fixture(scope="module")
def demo():
    with DemoClient() as client:
        yield client


def test_both_clients_have_the_read_interface(demo, served):
    for client in (demo, served):
        assert isinstance(client, ReadClient)


def test_the_sessions_are_the_same_frame(demo, served):
    assert demo.fetch_sessions().frame.equals(served.fetch_sessions().frame)
    assert demo.fetch_sessions().problems.equals(served.fetch_sessions().problems)


# A table of sessions: the three newest (processing, fetching more), old ones, the vendor's
# undated examples, a session with no profiles.
TABLE = sorted(
    {*IDS[:4], *IDS[100:103], *IDS[-2:], next(r["_id"] for r in RECORDS if not r["totalProfiles"])},
    key=IDS.index,
)


@pytest.mark.parametrize("session_id", TABLE)
def test_a_session_has_the_same_status_candidates_and_details(demo, served, session_id):
    assert demo.get_session(session_id) == served.get_session(session_id)
    mine = paging.fetch_all_candidates(demo, session_id, limit=50)
    theirs = paging.fetch_all_candidates(served, session_id, limit=50)
    assert mine.docs == theirs.docs
    assert (mine.total_docs, mine.pages_fetched, mine.status) == (
        theirs.total_docs,
        theirs.pages_fetched,
        theirs.status,
    )
    for doc in mine.docs[:2]:
        assert demo.get_candidate_details(doc["_id"], session_id) == served.get_candidate_details(
            doc["_id"], session_id
        )


def test_the_newest_session_is_processing_and_has_no_candidates_in_both(demo, served):
    newest = max((r for r in RECORDS if "createdAt" in r), key=lambda r: r["createdAt"])["_id"]
    for client in (demo, served):
        assert client.get_session(newest)["profileMatchingStatus"] == "processing"
        assert client.get_session_profiles(newest)["docs"] == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(index=st.integers(0, len(IDS) - 1), page=st.integers(1, 8), limit=st.integers(1, 100))
def test_any_page_of_any_session_is_the_same(demo, served, index, page, limit):
    session_id = IDS[index]
    assert demo.get_session_profiles(session_id, page, limit) == served.get_session_profiles(
        session_id, page, limit
    )


@pytest.mark.parametrize(
    "ask",
    [
        lambda c: c.get_session("not-a-demo-session"),
        lambda c: c.get_session_profiles("not-a-demo-session"),
        lambda c: c.get_candidate_details("nope", IDS[10]),
        lambda c: c.get_candidate_details("nope", "not-a-demo-session"),
    ],
)
def test_unknown_ids_are_not_found_in_both(demo, served, ask):
    with pytest.raises(NotFoundError):
        ask(demo)
    with pytest.raises(NotFoundError):
        ask(served)


def test_a_bad_page_is_a_clear_error_not_a_traceback(demo):
    with pytest.raises(FJError, match="page must be"):
        demo.get_session_profiles(IDS[10], page=0)


def test_served_sessions_skip_records_that_cannot_be_asked_about():
    served = ServedSessions([{"_id": 5}, "junk", {"sessionTitle": "no id"}, {"_id": "a"}])
    assert len(served) == 1
    assert served.status("a") == "processing"  # the newest (and only) one
    assert served.session("5") is None and served.candidates("5") is None


def test_the_etag_says_when_the_demo_is_unchanged():
    first, etag = DemoClient().fetch_sessions_if_changed(None)
    assert first is not None and etag
    again, same = DemoClient().fetch_sessions_if_changed(etag)
    assert again is None and same == etag


# -- the dashboard picks the client once, and keys its caches by the project ---------------


def test_the_candidates_path_has_no_demo_branch():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = ("ui/candidate_loader.py", "pages/candidates.py", "pages/session.py", "ui/loader.py")
    for name in names:
        text = (root / name).read_text()
        assert "is_demo" not in text and '"demo"' not in text, name
    for name in ("fj/paging.py", "fj/candidate_frame.py", "fj/candidate_metrics.py"):
        assert "demo" not in (root / name).read_text().lower(), name


def test_the_demo_and_a_real_project_never_share_a_cache_entry():
    """Same session id, same project name, same base URL: the demo's cached candidates and
    sessions are not a real project's (the project, its kind and key, is a hashed key)."""
    from ui import candidate_loader as loader
    from ui import loader as sessions_loader
    from ui.source import ConfiguredProject

    demo_record = next(r for r in RECORDS[10:] if r["totalProfiles"] >= 20)
    sid = demo_record["_id"]
    newer = [
        {"_id": f"newer{i}", "createdAt": f"2030-01-0{i + 1}T00:00:00.000Z", "totalProfiles": 1}
        for i in range(3)
    ]
    # The real project has a session with the demo's id but other candidates (fewer).
    mine = demo_record | {"totalProfiles": 7, "sessionTitle": "Mine"}
    key = "fjk_collide_with_demo_01"
    demo = ConfiguredProject(DEMO_PROJECT_NAME, "demo")
    real = ConfiguredProject(DEMO_PROJECT_NAME, "env", key)
    with StubServer({key: Project(sessions=[*newer, mine])}) as server:
        url = server.base_url
        from_demo = loader.fetch_session_candidates(demo, url, sid, 50, 20)
        assert not server.requests  # the demo reads no network
        from_real = loader.fetch_session_candidates(real, url, sid, 50, 20)
        assert server.requests
        assert len(from_demo.frame) == min(demo_record["totalProfiles"], 200)
        assert len(from_real.frame) == 7
        assert loader.fetch_session_status(demo, url, sid)["sessionTitle"] != "Mine"
        assert loader.fetch_session_status(real, url, sid)["sessionTitle"] == "Mine"
        assert len(sessions_loader.fetch_project(demo, url).all_sessions) == len(RECORDS)
        assert len(sessions_loader.fetch_project(real, url).all_sessions) == 4


def test_paging_a_session_generates_its_candidates_once(monkeypatch):
    from fj import synthetic

    calls = []
    generate = synthetic.generate_candidates
    counted = lambda *a: calls.append(1) or generate(*a)  # noqa: E731
    monkeypatch.setattr(synthetic, "generate_candidates", counted)
    served = ServedSessions(RECORDS)
    sid = next(r["_id"] for r in RECORDS[10:] if r["totalProfiles"] >= 100)
    pages = [served.profiles_page(sid, page, 20) for page in range(1, 6)]
    assert len(calls) == 1
    assert [d for p in pages for d in p["docs"]] == served.candidates(sid)[:100]
