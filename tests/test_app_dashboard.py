"""The dashboard under AppTest: where the data comes from, the shared filters, views in the URL."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from fj.demo import demo_payload
from fj.stub import Fault, Project
from tests.apptest import kpi_deltas, kpis, new_app, params, record, texts

#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


def stub_records(stub_server, key: str) -> list[dict]:
    """The records the stand-in serves for a key, read over HTTP like any client."""
    import requests

    body = requests.get(
        stub_server.base_url + "/projects/sessions", headers={"x-fj-api-key": key}, timeout=10
    ).json()
    return body["data"]


# -- where the data comes from ---------------------------------------------------------


def test_demo_mode_shows_the_banner_and_the_demo_numbers():
    at = new_app().run()
    assert not at.exception
    assert any("Demo data" in i.value for i in at.info)
    records = json.loads(demo_payload(dt.datetime.now(dt.UTC).date()))["data"]
    cards = kpis(at)
    assert cards["Sessions"] == f"{len(records):,}"
    assert cards["Total profiles"] == f"{sum(r['totalProfiles'] for r in records):,}"
    assert cards["Sessions with 0 profiles"] == str(
        sum(1 for r in records if r["totalProfiles"] == 0)
    )


def test_key_from_the_environment_is_served_by_the_stand_in(served, keys):
    at = new_app().run()
    assert not at.exception
    records = stub_records(served, keys["test"])
    assert kpis(at)["Sessions"] == f"{len(records):,}"
    assert kpis(at)["Total profiles"] == f"{sum(r['totalProfiles'] for r in records):,}"
    assert not any("Demo data" in i.value for i in at.info)


def test_key_from_secrets_wins_over_the_environment(monkeypatch, stub_server, keys):
    monkeypatch.setenv("FJ_API_KEY", keys["test"])  # 300 sessions
    at = new_app()
    at.secrets["FJ_API_KEY"] = keys["other"]  # 50 sessions
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    assert not at.exception
    assert kpis(at)["Sessions"] == f"{len(stub_records(stub_server, keys['other'])):,}"


def test_a_typed_key_replaces_the_demo_for_this_session(stub_server, keys, monkeypatch):
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = new_app().run()
    at.text_input(key="fj_typed_key").input(keys["other"]).run()
    assert not at.exception
    assert kpis(at)["Sessions"] == f"{len(stub_records(stub_server, keys['other'])):,}"
    assert not any("Demo data" in i.value for i in at.info)
    assert keys["other"] not in json.dumps(dict(at.query_params))


def test_several_projects_give_a_selector_and_an_all_projects_view(stub_server, keys):
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": keys["test"], "Data team": keys["other"]}}
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    n_test = len(stub_records(stub_server, keys["test"]))
    n_other = len(stub_records(stub_server, keys["other"]))
    assert kpis(at)["Sessions"] == f"{n_test:,}"
    at.selectbox(key="fj_project").set_value("Data team").run()
    assert kpis(at)["Sessions"] == f"{n_other:,}"
    assert params(at, "project") == ["Data team"]
    at.selectbox(key="fj_project").set_value("All projects").run()
    assert kpis(at)["Sessions"] == f"{n_test + n_other:,}"
    at.switch_page("pages/sessions.py").run()
    table = at.dataframe[0].value
    assert table["Project"].value_counts().to_dict() == {"Backend": n_test, "Data team": n_other}


def test_a_wrong_key_shows_one_clear_message_and_no_traceback(monkeypatch, stub_server):
    wrong = "fjk_WRONGKEY_0123456789abcdef"
    monkeypatch.setenv("FJ_API_KEY", wrong)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = new_app().run()
    assert not at.exception
    [error] = at.error
    assert "API key rejected" in error.value and "401" in error.value
    assert wrong not in texts(at)


def test_a_failed_refresh_keeps_the_last_good_data(served, keys):
    at = new_app().run()
    before = kpis(at)
    served.inject(Fault(status=401), times=1)
    refresh = next(b for b in at.sidebar.button if b.label == "Refresh")
    refresh.click().run()
    assert not at.exception
    assert kpis(at) == before
    [warning] = at.warning
    assert "API key rejected" in warning.value
    assert "Showing the last data that loaded" in warning.value


def test_refresh_fetches_again(served):
    at = new_app().run()
    fetches = [r for r in served.requests if r.path.endswith("/projects/sessions")]
    at.run()  # a rerun is served from the cache
    assert len([r for r in served.requests if r.path.endswith("/projects/sessions")]) == len(
        fetches
    )
    next(b for b in at.sidebar.button if b.label == "Refresh").click().run()
    after = [r for r in served.requests if r.path.endswith("/projects/sessions")]
    assert len(after) == len(fetches) + 1


# -- shared filters ------------------------------------------------------------------------


def loaded_frame(at) -> pd.DataFrame:
    return at.session_state["fj_view"].data.all_sessions


def test_role_filter_narrows_kpis_table_and_url(served):
    at = new_app().run()
    frame = loaded_frame(at)
    role = frame["role"].value_counts().index[0]
    at.multiselect(key="f_roles").select(role).run()
    chosen = frame[frame["role"] == role]
    assert kpis(at)["Sessions"] == f"{len(chosen):,}"
    assert kpis(at)["Total profiles"] == f"{int(chosen['total_profiles'].sum()):,}"
    assert params(at, "role") == [role]
    at.switch_page("pages/sessions.py").run()
    assert len(at.dataframe[0].value) == len(chosen)
    assert set(at.dataframe[0].value["Session ID"]) == set(chosen["session_id"])
    assert params(at, "role") == [role]  # moving between pages keeps the filters


def test_text_search_is_case_insensitive_over_title_and_jd(served):
    at = new_app().run()
    frame = loaded_frame(at)
    word = "pune"
    at.text_input(key="f_q").input("PUNE").run()
    expected = frame[
        frame["title"].str.lower().str.contains(word, regex=False)
        | frame["jd_text"].str.lower().str.contains(word, regex=False)
    ]
    assert kpis(at)["Sessions"] == f"{len(expected):,}"
    assert params(at, "q") == ["PUNE"]


def test_profile_range_filter(served):
    at = new_app().run()
    frame = loaded_frame(at)
    at.number_input(key="f_pmin").set_value(50).run()
    at.number_input(key="f_pmax").set_value(100).run()
    counts = frame["total_profiles"]
    expected = frame[(counts >= 50) & (counts <= 100)]
    assert kpis(at)["Sessions"] == f"{len(expected):,}"
    assert params(at, "pmin") == ["50"] and params(at, "pmax") == ["100"]


def test_location_and_experience_filters_come_from_the_data(served):
    at = new_app().run()
    frame = loaded_frame(at)
    assert set(at.multiselect(key="f_locations").options) >= set(frame["location"].dropna())
    location = frame["location"].value_counts().index[0]
    band = frame["experience"].value_counts().index[0]
    at.multiselect(key="f_locations").select(location).run()
    at.multiselect(key="f_exp").select(band).run()
    expected = frame[(frame["location"] == location) & (frame["experience"] == band)]
    assert kpis(at)["Sessions"] == f"{len(expected):,}"


def test_clear_filters_goes_back_to_every_session(served):
    at = new_app().run()
    total = kpis(at)["Sessions"]
    at.text_input(key="f_q").input("no session has this text zzz").run()
    assert any("No sessions match" in i.value for i in at.info)
    assert not at.get("plotly_chart")  # no empty chart
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert kpis(at)["Sessions"] == total
    assert "q" not in at.query_params


# -- views in the URL ------------------------------------------------------------------


def test_a_link_restores_the_view(served):
    first = new_app().run()
    frame = loaded_frame(first)
    role = frame["role"].value_counts().index[1]
    at = new_app()
    at.query_params["role"] = role
    at.query_params["pmin"] = "1"
    at.query_params["freq"] = "M"
    at.run()
    assert at.multiselect(key="f_roles").value == [role]
    assert at.number_input(key="f_pmin").value == 1
    assert at.session_state["view_freq"] == "M"
    expected = frame[(frame["role"] == role) & (frame["total_profiles"] >= 1)]
    assert kpis(at)["Sessions"] == f"{len(expected):,}"


def test_invalid_link_values_are_ignored_with_a_notice(served):
    at = new_app()
    at.query_params["date"] = "yesterday-ish"
    at.query_params["pmin"] = "-4"
    at.query_params["tz"] = "Mars/Olympus"
    at.query_params["freq"] = "fortnight"
    at.query_params["utm_source"] = "mail"
    at.run()
    assert not at.exception
    notices = " ".join(c.value for c in at.sidebar.caption)
    for fragment in ("yesterday", "pmin", "Mars", "fortnight"):
        assert fragment in notices.replace("\\", "")
    assert "utm_source" not in notices  # unknown parameters are simply skipped
    assert kpis(at)["Sessions"] == f"{len(loaded_frame(at)):,}"


def test_a_link_value_the_data_lacks_stays_in_the_filter_and_the_link_and_is_reported(served):
    at = new_app()
    at.query_params["role"] = "No Such Role"
    at.run()
    assert not at.exception
    notices = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
    assert "The role 'No Such Role' is not in this data: kept in the filter" in notices
    assert at.multiselect(key="f_roles").value == ["No Such Role"]
    assert params(at, "role") == ["No Such Role"]
    assert kpis(at) == {} or kpis(at)["Sessions"] == "0"
    assert "0 of 300 sessions" in " ".join(c.value for c in at.caption)


def test_timezone_from_the_link_is_used_and_said(served):
    at = new_app()
    at.query_params["tz"] = "Asia/Kolkata"
    at.run()
    assert at.selectbox(key="fj_tz").value == "Asia/Kolkata"
    assert any("Asia/Kolkata" in c.value for c in at.caption)
    at.switch_page("pages/sessions.py").run()
    created = at.dataframe[0].value["Created"]
    assert str(created.dt.tz) == "Asia/Kolkata"


# -- the previous-period deltas, on a hand-checked project ---------------------------------


def test_kpi_deltas_against_the_previous_period(stub_server, monkeypatch):
    now = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    day = dt.timedelta(days=1)
    sessions = [
        # the last 7 days (today and the 6 days before): 3 sessions, 60 profiles, one at 0
        record(1, title="A", profiles=10, created=now - 1 * day),
        record(2, title="A", profiles=50, created=now - 2 * day),
        record(3, title="B", profiles=0, created=now - 5 * day),
        # the 7 days before: 1 session, 5 profiles
        record(4, title="B", profiles=5, created=now - 9 * day),
        # older, and undated: outside both periods
        record(5, title="C", profiles=100, created=now - 40 * day),
        record(6, title="C", profiles=7, created=None),
    ]
    key = "fjk_deltas_0123456789"
    stub_server.set_project(key, Project(sessions=sessions))
    monkeypatch.setenv("FJ_API_KEY", key)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = new_app()
    at.query_params["date"] = "7d"
    at.query_params["tz"] = "UTC"
    at.run()
    assert kpis(at) == {
        "Sessions": "3",
        "Total profiles": "60",
        "Avg profiles / session": "20.0",
        "Sessions with 0 profiles": "1",
    }
    deltas = kpi_deltas(at)
    assert deltas["Sessions"] == "+2 (+200%)"  # 3 against 1
    assert deltas["Total profiles"] == "+55 (+1,100%)"  # 60 against 5
    assert deltas["Avg profiles / session"] == "+15.0 (+300%)"  # 20.0 against 5.0
    assert deltas["Sessions with 0 profiles"] == "new"  # 1 against none: no percent of 0
    cards = {m.label: m.proto for m in at.metric}
    zero = cards["Sessions with 0 profiles"]
    assert (zero.color, zero.direction) == (zero.GRAY, zero.NONE)  # "new" is neither good nor bad
    assert cards["Sessions"].direction == cards["Sessions"].UP
    assert cards["Sessions"].delta_description == "vs 1 the 7 days before"
    assert any("hides 1 session without a creation date" in c.value for c in at.caption)


# -- the key never shows ----------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/sessions.py", "pages/breakdown.py", "pages/data.py"]
)
def test_the_key_appears_in_no_element_of_any_page(served, keys, page):
    at = new_app().run()
    at.switch_page(page).run()
    assert not at.exception
    shown = texts(at)
    assert len(shown) > 1000  # the page did draw
    assert keys["test"] not in shown
    assert keys["test"] not in json.dumps(dict(at.query_params))


# -- the passcode gate --------------------------------------------------------------------


def test_app_password_guards_every_page():
    at = new_app()
    at.secrets["APP_PASSWORD"] = "correct horse battery staple"
    at.run()
    assert not at.metric and not at.info  # nothing of the project before the passcode
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error)
    assert not at.metric
    at.text_input[0].input("correct horse battery staple")
    at.button[0].click().run()
    assert kpis(at)["Sessions"]
