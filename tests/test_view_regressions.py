"""The view never breaks (issue 18): each finding of the click-through, as a plain test.

Every AppTest here runs the app as a server does after its first request
(``tests.apptest.new_app``); the sequences are what a viewer did in a browser.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from fj.filters import PROFILES_LIMIT
from fj.stub import Fault
from tests.apptest import ENTRY, kpis, new_app, params

pytestmark = [pytest.mark.usefixtures("dashboard_env"), pytest.mark.timeout(300)]

WRONG_KEY = "fjk_wrong_0000000000000000"


def header(at: AppTest) -> str:
    """The "N of M sessions · ..." line that heads every page."""
    return next(c.value for c in at.caption if " sessions · " in c.value).replace("\\", "")


def sidebar_notes(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption).replace("\\", "")


def demo_with_a_key_box(monkeypatch, stub_server) -> AppTest:
    """The demo (no key configured), with typed keys going to the stand-in."""
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return new_app().run()


# -- finding 1: min above max typed in the sidebar ---------------------------------


def test_min_profiles_typed_above_max_is_swapped_with_a_notice_not_an_error(served):
    at = new_app().run()
    at.number_input(key="f_pmax").set_value(50).run()
    at.number_input(key="f_pmin").set_value(200).run()
    assert not at.exception
    assert at.number_input(key="f_pmin").value == 50
    assert at.number_input(key="f_pmax").value == 200
    assert "Min profiles 200 was above max profiles 50: swapped them." in sidebar_notes(at)
    assert params(at, "pmin") == ["50"] and params(at, "pmax") == ["200"]
    assert "with 50 to 200 profiles" in header(at)


def test_a_date_range_typed_backwards_is_swapped_with_a_notice(served):
    import datetime as dt

    at = new_app().run()
    at.selectbox(key="f_date").set_value("custom").run()
    at.date_input(key="f_from").set_value(dt.date(2026, 5, 31)).run()
    at.date_input(key="f_to").set_value(dt.date(2026, 5, 1)).run()
    assert not at.exception
    assert at.date_input(key="f_from").value == dt.date(2026, 5, 1)
    assert at.date_input(key="f_to").value == dt.date(2026, 5, 31)
    assert "swapped them" in sidebar_notes(at)
    assert params(at, "from") == ["2026-05-01"] and params(at, "to") == ["2026-05-31"]


# -- finding 2: a failed load, a key change or a project switch never rewrites filters -----


@pytest.mark.parametrize("then", ["", "good"])
def test_a_wrong_typed_key_then_another_leaves_the_filters_alone(
    then, monkeypatch, stub_server, keys
):
    at = demo_with_a_key_box(monkeypatch, stub_server)
    before = header(at)
    at.text_input(key="fj_typed_key").input(WRONG_KEY).run()
    assert any("rejected the key" in e.value for e in at.error)
    at.text_input(key="fj_typed_key").input(keys["test"] if then else "").run()
    assert not at.exception
    assert "profiles" not in header(at)  # no "with 0 to 0 profiles"
    assert params(at, "pmin") == [] and params(at, "pmax") == []
    if not then:
        assert header(at) == before
    assert at.number_input(key="f_pmin").value is None


def test_a_failing_project_and_back_keeps_the_role_filter(stub_server, keys):
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": keys["test"], "Broken": keys["noproject"]}}
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    role = at.multiselect(key="f_roles").options[0]
    at.multiselect(key="f_roles").select(role).run()
    at.selectbox(key="fj_project").set_value("Broken").run()
    assert any("No project is associated" in e.value for e in at.error)
    assert params(at, "role") == [role]  # the failed load keeps the view's link
    at.selectbox(key="fj_project").set_value("Backend").run()
    assert not at.exception
    assert at.multiselect(key="f_roles").value == [role]
    assert params(at, "role") == [role]
    assert params(at, "pmin") == [] and params(at, "pmax") == []
    assert f"role is {role}" in header(at) and "profiles" not in header(at)


def test_the_apptest_helper_runs_the_app_as_a_server_does_after_its_first_request(
    monkeypatch, stub_server
):
    """Without the helper, every AppTest run is in legacy pages mode and keeps the state
    of widgets a run did not draw: the mode in which the 0-to-0 rewrite stayed hidden."""
    legacy_runs = []
    original = script_runner._mpa_v1
    monkeypatch.setattr(
        script_runner, "_mpa_v1", lambda path: legacy_runs.append(path) or original(path)
    )
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    served_like = new_app().run()
    assert legacy_runs == []
    served_like.run()
    assert legacy_runs == []
    AppTest.from_file(ENTRY, default_timeout=60).run()
    assert legacy_runs == [ENTRY]  # plain AppTest: legacy mode, on every run
    # After a run that could not draw the filters (a wrong key), a server forgets their state.
    served_like.text_input(key="fj_typed_key").input(WRONG_KEY).run()
    assert "f_pmin" not in served_like.session_state
    assert PagesManager.uses_pages_directory is False


# -- finding 6: a link with one end of a date range -------------------------------


@pytest.mark.parametrize(
    "query",
    [{"from": "2026-04-01"}, {"to": "2026-04-30"}, {"date": "7d", "from": "2026-04-01"}],
)
def test_a_link_with_only_one_end_of_a_date_range_opens(query):
    at = new_app()
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    assert at.selectbox(key="f_date").value == "custom"
    assert at.date_input(key="f_from").value == (
        None if "from" not in query else __import__("datetime").date.fromisoformat(query["from"])
    )
    assert params(at, "from") == ([query["from"]] if "from" in query else [])
    assert params(at, "to") == ([query["to"]] if "to" in query else [])
    frame = at.session_state["fj_view"].filtered
    assert kpis(at)["Sessions"] == f"{len(frame):,}" if len(frame) else True


# -- finding 5: a failed fetch is remembered for a short back-off ------------------


def sessions_fetches(server) -> int:
    return len([r for r in server.requests if r.path.endswith("/projects/sessions")])


def refresh(at: AppTest) -> AppTest:
    return next(b for b in at.sidebar.button if b.label == "Refresh").click().run()


def test_reruns_while_the_api_is_down_do_not_fetch_again_until_refresh(served, monkeypatch):
    monkeypatch.setenv("FJ_API_RETRIES", "0")
    at = new_app().run()
    shown = kpis(at)["Sessions"]
    assert sessions_fetches(served) == 1
    served.inject(Fault(status=503), times=50)
    refresh(at)
    assert any("Showing the last data" in w.value for w in at.warning)
    tried = sessions_fetches(served)
    assert tried == 2
    # Reruns within the back-off: a filter, a page move, a toggle. No request, the same warning.
    at.number_input(key="f_pmin").set_value(1).run()
    at.switch_page("pages/sessions.py").run()
    at.toggle(key="view_excel").set_value(True).run()
    assert sessions_fetches(served) == tried
    assert any("Showing the last data" in w.value for w in at.warning)
    at.switch_page("pages/overview.py").run()
    at.number_input(key="f_pmin").set_value(None).run()
    assert kpis(at)["Sessions"] == shown
    # Refresh tries at once; once the API is back, the warning goes.
    served.clear_faults()
    refresh(at)
    assert sessions_fetches(served) == tried + 1
    assert not at.warning


def test_a_first_load_that_failed_is_not_retried_on_every_rerun(served, monkeypatch):
    monkeypatch.setenv("FJ_API_RETRIES", "0")
    served.inject(Fault(status=503), times=50)
    at = new_app().run()
    assert at.error
    at.run().run()
    assert sessions_fetches(served) == 1
    served.clear_faults()
    refresh(at)
    assert not at.error and kpis(at)["Sessions"] == "300"


def test_the_back_off_ends_after_its_setting(served, monkeypatch):
    monkeypatch.setenv("FJ_API_RETRIES", "0")
    monkeypatch.setenv("FJ_FAILURE_BACKOFF", "1")
    served.inject(Fault(status=503), times=50)
    at = new_app().run()
    failed = at.session_state["fj_failed_fetches"]
    for fingerprint, (when, err) in list(failed.items()):
        failed[fingerprint] = (when - 2, err)  # as if the back-off had passed
    served.clear_faults()
    at.run()
    assert sessions_fetches(served) == 2
    assert kpis(at)["Sessions"] == "300"


# -- finding 7: the smaller ones ----------------------------------------------------


def test_stack_by_role_is_in_the_link_and_restored_from_it(served):
    at = new_app().run()
    at.toggle(key="view_stacked").set_value(False).run()
    assert params(at, "stacked") == ["off"]
    at.switch_page("pages/sessions.py").run()
    at.switch_page("pages/overview.py").run()
    assert at.toggle(key="view_stacked").value is False  # not reset by the page move
    again = new_app()
    again.query_params["stacked"] = "off"
    again.run()
    assert again.toggle(key="view_stacked").value is False
    assert params(again, "stacked") == ["off"]


def test_the_first_run_of_a_tz_link_says_data_as_of_in_that_zone(served):
    import zoneinfo

    at = new_app()
    at.query_params["tz"] = "Asia/Kolkata"
    at.run()
    fetched = at.session_state["fj_view"].data.fetched_at
    local = fetched.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    assert any(f"Data as of {local:%H:%M}" in c.value for c in at.sidebar.caption)


def test_all_projects_with_one_never_loaded_does_not_claim_last_data(stub_server, keys):
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": keys["test"], "Broken": keys["noproject"]}}
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    at.selectbox(key="fj_project").set_value("All projects").run()
    assert not at.exception
    [warning] = at.warning
    assert "Showing the last data" not in warning.value
    assert "has not loaded yet" in warning.value
    assert "Broken" in warning.value

    # The key to check is the project's entry in [fj.projects], not FJ_API_KEY.
    assert 'check that the key of "Broken" in [fj.projects] is the key' in (
        warning.value.replace("\\", "")
    )
    assert "FJ_API_KEY" not in warning.value


def test_the_session_page_without_a_session_says_what_it_is_for_and_offers_the_newest():
    at = new_app().run()
    at.switch_page("pages/session.py").run()
    assert not at.exception
    assert any("This page shows one sourcing session" in m.value for m in at.markdown)
    links = [el for el in at.main.children.values() if type(el).__name__ == "PageLink"]
    frame = at.session_state["fj_view"].filtered
    newest = frame.loc[frame["created_at"].idxmax()]
    assert len(links) >= 5
    assert any(newest["session_id"] in str(link.proto) for link in links)


def test_a_huge_count_in_a_link_is_read_as_the_box_maximum_with_a_notice():
    """From the stateful test: the number box holds at most 2**53-1 (a browser refuses more)."""
    at = new_app()
    at.query_params["pmax"] = "1" + "0" * 30
    at.run()
    assert not at.exception
    assert at.number_input(key="f_pmax").value == PROFILES_LIMIT
    assert f"Read max profiles '1000000000000000000000000000000' as {PROFILES_LIMIT:,}" in (
        sidebar_notes(at)
    )
    assert params(at, "pmax") == [str(PROFILES_LIMIT)]


def test_an_emptied_profile_box_means_no_bound_not_zero(served):
    """From the stateful test: Streamlit read an emptied number box as its minimum, 0."""
    at = new_app().run()
    at.number_input(key="f_pmax").set_value(50).run()
    at.number_input(key="f_pmax").set_value(None).run()
    assert at.number_input(key="f_pmax").value is None
    assert params(at, "pmax") == []
    assert "profiles" not in header(at)
