"""The Session and Candidates pages under AppTest: demo mode, the stand-in, links, errors."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from streamlit.testing.v1 import AppTest

from fj import paging, synthetic
from fj.candidate_frame import candidates_frame
from fj.demo import DemoClient, demo_payload
from fj.frame import load_sessions
from fj.stub import Fault, Project
from fj.stub.server import key_fingerprint
from tests.apptest import new_app, params, record, texts

KEY = "fjk_session_page_7a8b9c0d1e"
OTHER_KEY = "fjk_session_page_other_2f3e"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
TITLE = "Senior <b>.NET</b> **Developer**"


#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


def project_records(profiles: int = 120) -> list[dict]:
    """Three sessions still running (the newest), then three done ones."""
    running = [
        record(100 + k, title=f"Running {k}", profiles=40, created=NOW - dt.timedelta(hours=k + 1))
        for k in range(3)
    ]
    done = [
        record(1, title=TITLE, profiles=profiles, created=NOW - dt.timedelta(days=2),
               role="Senior .NET Developer"),
        record(2, title="Data Engineer", profiles=0, created=NOW - dt.timedelta(days=3)),
        record(3, title="Python Developer", profiles=30, created=NOW - dt.timedelta(days=4)),
    ]  # fmt: skip
    return running + done


SESSION_ID = f"{1:024x}"


@pytest.fixture
def served(monkeypatch, stub_server):
    """The dashboard reads KEY, which the stand-in serves project_records()."""
    stub_server.set_project(KEY, Project(sessions=project_records()))
    monkeypatch.setenv("FJ_API_KEY", KEY)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return stub_server


def session_page(session_id: str | None = None) -> AppTest:
    at = new_app().run()
    at.switch_page("pages/session.py")
    if session_id is not None:
        at.query_params["session"] = session_id
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label))


def drill_down_requests(stub_server) -> list[str]:
    return [r.path for r in stub_server.requests if "/sourcing-session" in r.path]


def demo_sessions() -> list[dict]:
    return json.loads(demo_payload())["data"]


# -- demo mode ------------------------------------------------------------------------------


def test_a_demo_session_from_the_link_shows_status_count_charts_and_table():
    demo = DemoClient()
    record_ = next(
        r
        for r in demo_sessions()[10:]
        if r["totalProfiles"] and demo.get_session(r["_id"])["profileMatchingStatus"] == "done"
    )
    expected = len(synthetic.generate_candidates(record_))
    at = session_page(record_["_id"])
    assert metric(at, "Candidates") == f"{expected:,} of {record_['totalProfiles']:,}"
    assert "Done" in texts(at)
    assert len(at.get("plotly_chart")) == 5
    assert len(at.dataframe[0].value) == expected
    assert params(at, "session") == [record_["_id"]]
    assert any("Demo data" in i.value for i in at.info)


def test_a_demo_candidate_selected_shows_the_details_the_demo_client_gives():
    demo = DemoClient()
    record_ = next(
        r
        for r in demo_sessions()[10:]
        if r["totalProfiles"] and demo.get_session(r["_id"])["profileMatchingStatus"] == "done"
    )
    at = session_page(record_["_id"])
    row = at.dataframe[0].value.iloc[1]
    at.session_state[f"candidates_{record_['_id']}"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert not at.exception
    details = demo.get_candidate_details(row["Candidate ID"], record_["_id"])
    headline = details["profile"]["headline"]
    assert any(m.value.startswith("**Headline:**") and headline in m.value for m in at.markdown)
    assert [b.label for b in at.button if b.key == "session_reload"] == ["Reload"]


def test_a_demo_session_still_processing_says_so_and_has_no_candidates_yet():
    newest = (
        load_sessions(demo_payload())
        .frame.dropna(subset="created_at")
        .sort_values("created_at")
        .iloc[-1]
    )
    at = session_page(newest["session_id"])
    assert "Processing" in texts(at)
    notes = " ".join(i.value for i in at.info)
    assert "still matching profiles" in notes and "No candidates to show" in notes
    assert metric(at, "Candidates").startswith("0 of ")


def test_a_session_from_the_opening_link_is_shown_on_the_session_page():
    session_id = demo_sessions()[20]["_id"]
    at = new_app()
    at.query_params["session"] = session_id  # the URL the browser session was opened with
    at.run()
    at.switch_page("pages/session.py").run()
    assert not at.exception
    assert params(at, "session") == [session_id]
    assert at.dataframe


def test_the_sessions_detail_panel_links_to_the_selected_session():
    at = new_app().run()
    at.switch_page("pages/sessions.py").run()
    at.session_state["sessions_table"] = {"selection": {"rows": [4], "columns": []}}
    at.run()
    assert not at.exception
    chosen = at.dataframe[0].value.iloc[4]["Session ID"]
    [link] = [p for p in at.page_link if p.value.startswith("Open session")]
    assert link.proto.page == "session"
    assert link.proto.query_string == f"session={chosen}"


def test_an_unknown_session_shows_a_friendly_message_and_the_way_back():
    at = session_page("<b>nope</b>")
    assert "no session with the id" in at.warning[0].value
    assert "<b>" not in at.warning[0].value  # shown as text, escaped
    assert [p.value for p in at.page_link] == ["Back to Sessions"]
    assert "session" not in at.query_params


def test_no_session_chosen_says_what_the_page_is_for_and_offers_the_newest_sessions():
    at = session_page()
    [intro] = [m.value for m in at.markdown if "This page shows one sourcing session" in m.value]
    assert "Open one from a row of the Sessions table" in intro
    links = [p.value for p in at.page_link]
    assert len(links) == 6 and links[-1] == "Back to Sessions"


# -- against the stand-in -------------------------------------------------------------------


def test_a_session_of_the_stand_in_shows_every_candidate_from_read_only_endpoints(served):
    at = session_page(SESSION_ID)
    expected = synthetic.generate_candidates(project_records()[3])
    assert metric(at, "Candidates") == f"{len(expected):,} of 120"
    table = at.dataframe[0].value
    assert table["Candidate ID"].tolist() == [c["_id"] for c in expected]
    assert at.subheader[0].value.replace("\\", "") == TITLE  # escaped: shown as typed
    profiles = [p for p in drill_down_requests(served) if p.endswith("/profiles")]
    assert len(profiles) == math.ceil(120 / 50)
    assert all(r.method == "GET" for r in served.requests)


def test_candidates_are_cached_per_key(monkeypatch, served, stub_server):
    # The same session id in another project, with other candidates.
    stub_server.set_project(OTHER_KEY, Project(sessions=project_records(profiles=30)))
    assert metric(session_page(SESSION_ID), "Candidates") == "120 of 120"
    monkeypatch.setenv("FJ_API_KEY", OTHER_KEY)
    assert metric(session_page(SESSION_ID), "Candidates") == "30 of 30"
    monkeypatch.setenv("FJ_API_KEY", KEY)
    stub_server.clear_requests()
    assert metric(session_page(SESSION_ID), "Candidates") == "120 of 120"
    assert drill_down_requests(stub_server) == []  # from the cache, for this key


def test_in_all_projects_a_session_is_read_with_its_own_projects_key(stub_server):
    """Two projects in secrets, "All projects" chosen: a session of the second one is read
    with the second key only (the first key's project has no such session)."""
    other = [
        record(200 + k, title=f"Other {k}", profiles=25 + k, created=NOW - dt.timedelta(days=k + 1))
        for k in range(3)
    ]
    stub_server.set_project(KEY, Project(sessions=project_records()))
    stub_server.set_project(OTHER_KEY, Project(sessions=other))
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": KEY, "Data team": OTHER_KEY}}
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    at.selectbox(key="fj_project").set_value("All projects").run()
    stub_server.clear_requests()
    session_id = other[1]["_id"]
    at.switch_page("pages/session.py")
    at.query_params["session"] = session_id
    at.run()
    assert not at.exception, at.exception
    expected = synthetic.generate_candidates(other[1])
    assert metric(at, "Candidates") == f"{len(expected):,} of {other[1]['totalProfiles']:,}"
    assert at.dataframe[0].value["Candidate ID"].tolist() == [c["_id"] for c in expected]
    assert at.subheader[0].value == "Other 1"
    reads = [r for r in stub_server.requests if "/sourcing-session" in r.path]
    assert reads and {r.key_fingerprint for r in reads} == {key_fingerprint(OTHER_KEY)}
    assert params(at, "project") == ["All projects"] and params(at, "session") == [session_id]


def test_filters_narrow_the_candidate_table(served):
    at = session_page(SESSION_ID)
    frame = candidates_frame(synthetic.generate_candidates(project_records()[3]))
    at.slider(key="cand_score_5.0").set_value((4.0, 5.0)).run()
    assert len(at.dataframe[0].value) == int((frame["final_score"] >= 4.0).sum())
    at.text_input(key="cand_skill").input("azure").run()
    strong_azure = (frame["final_score"] >= 4.0) & frame["skills_text"].str.contains(
        "Azure", case=False
    )
    assert len(at.dataframe[0].value) == int(strong_azure.sum())
    captions = " ".join(c.value for c in at.main.caption)
    assert f"{int(strong_azure.sum())} of {len(frame)} candidates" in captions


def test_selecting_a_candidate_shows_their_details(served):
    at = session_page(SESSION_ID)
    row = at.dataframe[0].value.iloc[2]
    at.session_state[f"candidates_{SESSION_ID}"] = {"selection": {"rows": [2], "columns": []}}
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert any(v.startswith("**Headline:**") for v in shown)
    assert any(v.startswith("**Education:**") for v in shown)
    assert any(p.endswith(f"/candidate/{row['Candidate ID']}/details") for p in
               drill_down_requests(served))  # fmt: skip


def test_an_api_error_is_one_clear_message_without_traceback(served):
    # A 404 is not retried: the session left the key's workspace since the list was loaded.
    served.inject(Fault(status=404, path=SESSION_ID))
    at = session_page(SESSION_ID)
    [error] = at.error
    assert "Not found" in error.value and "404" in error.value
    assert KEY not in texts(at)
    assert [b.label for b in at.button if b.key == "retry"] == ["Try again"]


def test_an_unknown_session_costs_no_request(served):
    at = session_page("ffffffffffffffffffffffff")
    assert at.warning
    assert drill_down_requests(served) == []


def test_the_key_appears_in_no_element_of_the_session_page(served):
    at = session_page(SESSION_ID)
    shown = texts(at)
    assert len(shown) > 1000
    assert KEY not in shown and KEY not in json.dumps(dict(at.query_params))


# -- the project-wide view ------------------------------------------------------------------


def test_project_wide_view_says_the_cost_first_and_runs_only_on_request(served):
    at = new_app().run()
    at.switch_page("pages/candidates.py").run()
    assert not at.exception
    scan = paging.sessions_to_scan(at.session_state["fj_view"].filtered)
    planned = paging.planned_requests(scan, limit=50)
    assert f"{planned:,} requests" in " ".join(i.value for i in at.info)
    assert drill_down_requests(served) == []  # nothing fetched before the click
    at.button(key="project_load").click().run()
    assert not at.exception
    assert len(drill_down_requests(served)) == planned
    assert not [b for b in at.button if b.key == "project_load"]  # ran: no second offer
    assert metric(at, "Sessions read") == str(len(scan))
    by_role = at.dataframe[0].value
    assert by_role["Candidates"].sum() == metric_int(at, "Candidates")


def metric_int(at: AppTest, label: str) -> int:
    return int(metric(at, label).replace(",", ""))


def test_project_wide_view_in_demo_mode_makes_no_request_and_links_to_sessions():
    at = new_app().run()
    at.switch_page("pages/candidates.py").run()
    assert "bundled demo project (no network" in " ".join(i.value for i in at.info)
    at.button(key="project_load").click().run()
    assert not at.exception
    assert metric_int(at, "Candidates") > 0
    at.session_state["project_sessions"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    best = at.dataframe[1].value
    [link] = [p for p in at.page_link if p.value.startswith("Open session")]
    assert link.proto.query_string == f"session={best.iloc[0]['Session ID']}"


def test_project_wide_results_stay_on_a_rerun_without_a_request_and_a_new_view_asks_again(
    served,
):
    at = new_app().run()
    at.switch_page("pages/candidates.py").run()
    at.button(key="project_load").click().run()
    first = at.dataframe[0].value
    served.clear_requests()
    at.session_state["project_sessions"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    at.run()
    assert not at.exception
    assert drill_down_requests(served) == []  # every session from the cache: no request
    assert at.dataframe[0].value.equals(first)
    assert not [b for b in at.button if b.key == "project_load"]
    at.sidebar.text_input(key="f_q").input("Running").run()  # another view: other sessions
    assert [b for b in at.button if b.key == "project_load"]  # asked again, not read
    assert drill_down_requests(served) == []
    at.button(key="project_load").click().run()
    assert not at.exception and metric_int(at, "Candidates") > 0


def test_project_wide_results_with_failed_sessions_are_gathered_again(served):
    at = new_app().run()
    at.switch_page("pages/candidates.py").run()
    scan = paging.sessions_to_scan(at.session_state["fj_view"].filtered)
    failing = scan["session_id"].iloc[0]
    served.inject(Fault(status=404, path=f"{failing}/profiles"))
    at.button(key="project_load").click().run()
    assert any("1 session(s) could not be read" in w.value for w in at.warning)
    assert metric(at, "Sessions read") == str(len(scan) - 1)
    served.clear_requests()
    at.run()  # not kept: the failed session is read again, the others come from the cache
    assert not at.warning
    assert metric(at, "Sessions read") == str(len(scan))
    assert {p.split("/")[-2] for p in drill_down_requests(served)} == {failing}


def test_every_cached_candidate_loader_hashes_the_arguments_that_select_its_data():
    import inspect

    from ui import candidate_loader as loader

    for cached in (
        loader.fetch_session_status,
        loader.fetch_session_candidates,
        loader.fetch_candidate_details,
    ):
        names = list(inspect.signature(cached).parameters)
        assert names and not [n for n in names if n.startswith("_")], cached
    assert list(inspect.signature(loader.fetch_session_candidates).parameters)[:3] == [
        "project",
        "base_url",
        "session_id",
    ]


def test_candidate_settings_that_are_not_numbers_fall_back_to_the_defaults(monkeypatch):
    import importlib

    import ui.candidate_loader

    monkeypatch.setenv("FJ_CANDIDATES_MAX_PAGES", "lots")
    monkeypatch.setenv("FJ_CANDIDATES_MAX_SESSIONS", "")
    reloaded = importlib.reload(ui.candidate_loader)
    try:
        assert reloaded.MAX_PAGES == reloaded.paging.DEFAULT_MAX_PAGES
        assert reloaded.MAX_SESSIONS == 100
    finally:
        monkeypatch.undo()
        importlib.reload(ui.candidate_loader)


def test_the_candidates_path_has_no_demo_branch_and_pages_read_no_module_global_view():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in ("pages/session.py", "pages/candidates.py", "ui/candidate_loader.py",
                 "ui/session_target.py"):  # fmt: skip
        text = (root / path).read_text()
        assert "is_demo" not in text, path
        assert not re.search(r"^view\s*=", text, re.M), path  # pages get the view as argument
