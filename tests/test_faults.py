"""The fault matrix: every way the FJ API can misbehave, one row each, through the dashboard.

Each failure row is played twice under AppTest against a stand-in server:
on the first load (one clear error naming the problem and what to do, no
traceback, nothing else drawn) and on a Refresh after a good load (the same
words as a warning, the KPI cards still showing the earlier numbers). A new
fault is one more row in ``FAILURES``, ``RECOVERIES`` or ``ODD_RECORDS``.

The dashboard's client runs with FJ_API_TIMEOUT=1 and FJ_API_RETRIES=1 here
(settings read by ui/loader.py), so a timeout row costs seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fj import FJClient
from fj.stub import Fault, Project, StubServer
from fj.transport import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from tests.apptest import kpis, new_app, record, texts
from ui.source import settings

KEY = "fjk_faults_5c2e9a71b04d36f8"
TIMEOUT_S = 1.0  # FJ_API_TIMEOUT for the dashboard under test
SLOW_S = 3.0  # a stand-in this slow misses every read timeout


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh(dashboard_env):
    """No key from the machine, short client timeouts, and no cached data from another test."""
    dashboard_env.setenv("FJ_API_TIMEOUT", str(TIMEOUT_S))
    dashboard_env.setenv("FJ_API_RETRIES", "1")


PROJECT = Project(n=300, seed=7)  # rendered once, served by every stand-in here


def point_dashboard_at(server: StubServer, monkeypatch) -> StubServer:
    """The dashboard reads KEY and the stand-in's URL from the environment."""
    monkeypatch.setenv("FJ_API_KEY", KEY)
    monkeypatch.setenv("FJ_API_BASE_URL", server.base_url)
    return server


@pytest.fixture
def api(stub_server, monkeypatch) -> StubServer:
    """The session's stand-in (audited read-only by conftest), serving KEY 300 sessions."""
    stub_server.set_project(KEY, PROJECT)
    return point_dashboard_at(stub_server, monkeypatch)


@pytest.fixture
def own_api(monkeypatch) -> Iterator[StubServer]:
    """A stand-in of this test's own, for faults that stop it; audited read-only the same way."""
    server = StubServer({KEY: PROJECT}).start()
    yield point_dashboard_at(server, monkeypatch)
    server.stop()
    bad = [
        r
        for r in server.history
        if not r.read_only or not r.key_in_header or "fjk_" in r.target.lower()
    ]
    assert not bad, f"requests that a read-only dashboard must never send: {bad[:5]}"


# -- helpers ----------------------------------------------------------------------------


def unescaped(markdown: str) -> str:
    """The words a viewer reads in an element whose body went through fj.wording.md_escape."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n")


def refresh(at: AppTest) -> AppTest:
    """Click the sidebar's Refresh, as a viewer does after a failure."""
    return next(b for b in at.sidebar.button if b.label == "Refresh").click().run()


def fetches(api: StubServer) -> list[int]:
    """The statuses of the stand-in's answers to GET /projects/sessions, oldest first."""
    return [r.status for r in api.requests if r.path.endswith("/projects/sessions")]


def assert_no_traceback(at: AppTest) -> None:
    assert not at.exception
    shown = texts(at)
    assert "Traceback" not in shown and 'File "' not in shown


# -- failures: one row each -------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """A way the API fails: what breaks it, the error's heading, and words the message must say."""

    breaks: Callable[[StubServer], None]
    title: str
    words: tuple[str, ...]  # the problem, then what to do
    own_server: bool = False  # it stops the stand-in: not the shared one


def queue(fault: Fault) -> Callable[[StubServer], None]:
    """Every request to the stand-in gets this fault (more than the client's retries)."""
    return lambda server: server.inject(fault, times=20)


FAILURES: dict[str, Failure] = {
    "401 wrong key": Failure(
        queue(Fault(status=401)), "API key rejected", ("rejected the key (401)", "check FJ_API_KEY")
    ),
    "403 forbidden": Failure(
        queue(Fault(status=403)),
        "API key rejected",
        ("refused this key access", "(403)", "check that FJ_API_KEY belongs"),
    ),
    "404 no project": Failure(
        queue(Fault(status=404)),
        "Not found",
        ("No project is associated with this key (404)", "check that FJ_API_KEY is the key"),
    ),
    "429 with Retry-After": Failure(
        queue(Fault(status=429, retry_after="1")),
        "Rate limited",
        ("rate limiting requests (429)", "asked to wait 1 s", "wait a minute, then refresh"),
    ),
    "429 without Retry-After": Failure(
        queue(Fault(status=429)),
        "Rate limited",
        ("rate limiting requests (429)", "wait a minute, then refresh"),
    ),
    "500 every time": Failure(
        queue(Fault(status=500)),
        "FJ API is failing",
        ("failing (HTTP 500)", "after 1 retries", "try again in a few minutes"),
    ),
    "502 every time": Failure(
        queue(Fault(status=502)), "FJ API is failing", ("(HTTP 502)", "try again in a few minutes")
    ),
    "503 every time": Failure(
        queue(Fault(status=503)), "FJ API is failing", ("(HTTP 503)", "try again in a few minutes")
    ),
    "slower than the read timeout": Failure(
        queue(Fault(delay=SLOW_S)),
        "FJ API unreachable",
        ("did not answer in time", f"timeout after {TIMEOUT_S:g} s", "try again in a minute"),
    ),
    "connection refused": Failure(
        lambda server: server.stop(),
        "FJ API unreachable",
        ("Could not connect", "connection refused", "check FJ_API_BASE_URL"),
        own_server=True,
    ),
    "connection reset mid-body": Failure(
        queue(Fault(reset=True)),
        "FJ API unreachable",
        ("connection to the FJ API", "broke while receiving", "try again in a minute"),
    ),
    "truncated JSON": Failure(
        queue(Fault(body="truncated")),
        "Unexpected response",
        ("was not JSON", "cut short", "try again later"),
    ),
    "HTML page with status 200": Failure(
        queue(Fault(body="html")),
        "Unexpected response",
        ("was an HTML page", "<!DOCTYPE html>", "try again later"),
    ),
    "plain text with status 200": Failure(
        queue(Fault(body="not_json")), "Unexpected response", ("was not JSON", "try again later")
    ),
    "envelope status not SUCCESS": Failure(
        queue(Fault(body="wrong_status")),
        "Unexpected response",
        (
            "did not report success",
            "'FAILURE'",
            "Could not fetch project sessions",
            "try again later",
        ),
    ),  # fmt: skip
    "envelope without data": Failure(
        queue(Fault(body="no_data")),
        "Unexpected response",
        ("has no 'data'", "try again later", "tell FJ support"),
    ),
    "envelope data not a list": Failure(
        queue(Fault(body="data_not_list")),
        "Unexpected response",
        ("data was an object, expected a list", "try again later"),
    ),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_failure_on_first_load_is_one_clear_error(request, name):
    failure = FAILURES[name]
    failure.breaks(request.getfixturevalue("own_api" if failure.own_server else "api"))
    at = new_app().run()
    assert_no_traceback(at)
    [error] = at.error
    shown = unescaped(error.value)
    assert shown.startswith(f"**{failure.title}**")
    for words in failure.words:
        assert words in shown
    assert not at.metric and not at.get("plotly_chart")  # no empty chart under the error
    assert KEY not in texts(at)


@pytest.mark.parametrize("name", list(FAILURES))
def test_failure_on_refresh_keeps_the_last_good_data_with_a_warning(request, name):
    failure = FAILURES[name]
    api = request.getfixturevalue("own_api" if failure.own_server else "api")
    at = new_app().run()
    before = kpis(at)
    assert before["Sessions"] == "300"
    failure.breaks(api)
    refresh(at)
    assert_no_traceback(at)
    assert kpis(at) == before
    assert not at.error
    [warning] = at.warning
    shown = unescaped(warning.value)
    assert shown.startswith(f"**{failure.title}**")
    for words in failure.words:
        assert words in shown
    assert "Showing the last data that loaded, from " in shown
    assert KEY not in texts(at)


def test_a_key_that_no_header_can_carry_gets_a_message_not_a_traceback(api, monkeypatch):
    # A zero-width space picked up when copying the key: http.client cannot encode it.
    monkeypatch.setenv("FJ_API_KEY", KEY[:8] + "\u200b" + KEY[8:])
    at = new_app().run()
    assert_no_traceback(at)
    [error] = at.error
    shown = unescaped(error.value)
    assert "**API key rejected**" in shown
    assert "not plain ASCII" in shown and "paste it again" in shown
    assert KEY[8:] not in texts(at)
    assert fetches(api) == []  # refused before anything was sent


# -- faults the client rides out ----------------------------------------------------------

RECOVERIES: dict[str, Fault] = {
    "500 once": Fault(status=500),
    "502 once": Fault(status=502),
    "503 once": Fault(status=503),
    "429 once with Retry-After": Fault(status=429, retry_after="1"),
    "read timeout once": Fault(delay=SLOW_S),
}


@pytest.mark.parametrize("name", list(RECOVERIES))
def test_a_passing_fault_is_retried_and_the_page_shows_the_data(api, name):
    api.inject(RECOVERIES[name], times=1)
    at = new_app().run()
    assert_no_traceback(at)
    assert kpis(at)["Sessions"] == "300"
    assert not at.error and not at.warning
    assert len(fetches(api)) == 2 and fetches(api)[-1] == 200  # one failure, one retry


# -- odd records: shown, and listed by the Data page's quality report ----------------------

T0 = dt.datetime(2024, 5, 15, 8, 0, tzinfo=dt.UTC)


def good(n: int) -> dict:
    return record(n, title=f"Role {n}", profiles=10 * n, created=T0 + dt.timedelta(days=n))


def without(field: str) -> Callable[[dict], dict]:
    return lambda rec: {k: v for k, v in rec.items() if k != field}


def with_fields(**fields) -> Callable[[dict], dict]:
    return lambda rec: rec | fields


@dataclass(frozen=True)
class OddRecord:
    """A record that is not as documented: how it differs, and the report lines it must get."""

    change: Callable[[dict], dict]
    problems: tuple[tuple[str, str], ...]  # (field, words of the problem)


ODD_RECORDS: dict[str, OddRecord] = {
    "no _id": OddRecord(without("_id"), (("_id", "missing"),)),
    "no title": OddRecord(without("sessionTitle"), (("sessionTitle", "missing"),)),
    "no jdDetail": OddRecord(without("jdDetail"), (("jdDetail.userText", "missing"),)),
    "no dates": OddRecord(
        lambda rec: without("updatedAt")(without("createdAt")(rec)),
        (("createdAt", "missing"), ("updatedAt", "missing")),
    ),
    "no totalProfiles": OddRecord(without("totalProfiles"), (("totalProfiles", "missing"),)),
    "totalProfiles as a string": OddRecord(
        with_fields(totalProfiles="25"), (("totalProfiles", "not an integer: '25' (read as 25)"),)
    ),
    "totalProfiles negative": OddRecord(
        with_fields(totalProfiles=-3), (("totalProfiles", "negative: -3"),)
    ),
    "totalProfiles null": OddRecord(
        with_fields(totalProfiles=None), (("totalProfiles", "missing"),)
    ),
    "totalProfiles a word": OddRecord(
        with_fields(totalProfiles="many"), (("totalProfiles", "not an integer: 'many'"),)
    ),
    "date in a day-first format": OddRecord(
        with_fields(createdAt="15/05/2024 08:00"),
        (("createdAt", "not a date: '15/05/2024 08:00'"),),
    ),
    "date as garbage": OddRecord(
        with_fields(updatedAt="yesterday-ish"), (("updatedAt", "not a date: 'yesterday-ish'"),)
    ),
    "date as a number": OddRecord(
        with_fields(createdAt=1715760000000), (("createdAt", "not a date: 1715760000000"),)
    ),
    "updatedAt before createdAt": OddRecord(
        with_fields(updatedAt="2020-01-01T00:00:00.000Z"),
        (("updatedAt", "updatedAt before createdAt"),),
    ),
    "title as a number": OddRecord(
        with_fields(sessionTitle=42), (("sessionTitle", "not a string: 42"),)
    ),
    "record not an object": OddRecord(lambda rec: "a string", (("(record)", "not an object"),)),
}


def dashboard_of(api: StubServer, records: list) -> AppTest:
    api.set_project(KEY, Project(sessions=records))
    return new_app().run()


def quality_report(at: AppTest):
    at.switch_page("pages/data.py").run()
    assert_no_traceback(at)
    tables = [df.value for df in at.dataframe if "problem" in df.value.columns]
    if not tables:
        assert any("No problems found" in s.value for s in at.success)
        return pd.DataFrame(columns=["record", "session_id", "field", "problem"])
    [report] = tables
    return report


@pytest.mark.parametrize("name", list(ODD_RECORDS))
def test_odd_record_is_kept_and_listed_in_the_quality_report(api, name):
    odd = ODD_RECORDS[name]
    records = [good(1), odd.change(good(2)), good(3)]
    at = dashboard_of(api, records)
    assert_no_traceback(at)
    assert kpis(at)["Sessions"] == "3"  # nothing dropped
    report = quality_report(at)
    assert set(report["record"]) == {1}
    listed = list(zip(report["field"], report["problem"], strict=True))
    for field, words in odd.problems:
        assert any(f == field and words in p for f, p in listed), listed
    [warning] = [w for w in at.warning if "problem" in w.value]
    assert f"{len(report)} problem" in unescaped(warning.value)


def test_other_iso_date_forms_are_read_without_a_problem(api):
    records = [
        good(1) | {"createdAt": "2024-05-15T13:30:00+05:30"},  # an offset instead of Z
        good(2) | {"createdAt": "2024-05-15T08:00:00.123456Z"},  # microseconds
        good(3) | {"createdAt": "2024-05-15t08:00:00z"},  # lowercase
    ]
    at = dashboard_of(api, records)
    at.switch_page("pages/sessions.py").run()
    assert_no_traceback(at)
    created = at.dataframe[0].value["Created"].dt.floor("s")
    assert (created == pd.Timestamp(T0)).all()
    assert quality_report(at).empty


def test_duplicate_ids_keep_both_rows_and_name_each_other(api):
    twin = good(2) | {"_id": good(1)["_id"], "sessionTitle": "The other one"}
    at = dashboard_of(api, [good(1), twin, good(3)])
    assert kpis(at)["Sessions"] == "3"
    at.switch_page("pages/sessions.py").run()
    titles = at.dataframe[0].value.set_index("Title")["Session ID"]
    assert titles["Role 1"] == titles["The other one"]
    report = quality_report(at)
    assert list(report["record"]) == [0, 1]
    assert list(report["problem"]) == [
        "duplicate _id (also record 1)",
        "duplicate _id (also record 0)",
    ]


def test_an_empty_project_gets_a_friendly_empty_state_on_every_page(api):
    at = dashboard_of(api, [])
    for page in ("pages/overview.py", "pages/sessions.py", "pages/breakdown.py"):
        at.switch_page(page).run()
        assert_no_traceback(at)
        assert any("no sourcing sessions yet" in i.value for i in at.info)
        assert not at.error and not at.get("plotly_chart") and not at.metric
    at.switch_page("pages/data.py").run()
    assert_no_traceback(at)
    # The Data page's tables: where the data comes from (this one), then history and sources.
    source = next(t for t in at.table if "Records received" in set(t.value.iloc[:, 0]))
    rows = dict(source.value.iloc[:, :2].itertuples(index=False, name=None))
    assert rows["Records received"] == "0"


# -- a very large project ------------------------------------------------------------------


def test_a_million_sessions_load_through_the_client_over_http(api):
    api.set_project(KEY, Project(n=1_000_000, seed=11))
    with FJClient(KEY, api.base_url, timeout=(5, 120)) as client:
        loaded = client.fetch_sessions()
    assert loaded.record_count == 1_000_000
    assert len(loaded.frame) == 1_000_000
    assert loaded.frame["session_id"].is_unique
    assert loaded.problems.empty
    assert fetches(api) == [200]


# -- faults of the viewer's own making ------------------------------------------------------


def test_a_selected_row_past_the_end_of_a_narrowed_table_is_no_selection(api):
    at = new_app().run()
    at.switch_page("pages/sessions.py").run()
    last = len(at.dataframe[0].value) - 1
    at.session_state["sessions_table"] = {"selection": {"rows": [last], "columns": [], "cells": []}}
    at.run()
    assert any(s.value == "Session details" for s in at.subheader)
    median = int(at.session_state["fj_view"].filtered["total_profiles"].median())
    at.number_input(key="f_pmin").set_value(median).run()  # the table shrinks under the selection
    assert_no_traceback(at)
    assert 0 < len(at.dataframe[0].value) <= last
    assert not any(s.value == "Session details" for s in at.subheader)


# -- faults of the deployer's making ----------------------------------------------------------


@pytest.mark.parametrize("value", ["10m", "ten", "0x10", "nan"])
def test_a_setting_that_is_not_a_number_leaves_the_default(monkeypatch, value):
    for name in ("FJ_CACHE_TTL", "FJ_API_TIMEOUT", "FJ_API_RETRIES", "FJ_API_MAX_BYTES",
                 "FJ_API_DEADLINE"):
        monkeypatch.setenv(name, value)
    assert settings().number("FJ_CACHE_TTL") == 600
    assert settings().client_options() == {
        "timeout": DEFAULT_TIMEOUT,
        "retries": DEFAULT_RETRIES,
        "max_bytes": DEFAULT_MAX_BYTES,
        "deadline": DEFAULT_DEADLINE,
    }


def test_number_settings_reach_the_client(monkeypatch):
    monkeypatch.setenv("FJ_API_TIMEOUT", "2.5")
    monkeypatch.setenv("FJ_API_RETRIES", "0")
    monkeypatch.setenv("FJ_API_MAX_BYTES", "1048576")
    monkeypatch.setenv("FJ_API_DEADLINE", "-3")  # not a deadline: the default stays
    assert settings().client_options() == {
        "timeout": (2.5, 2.5), "retries": 0, "max_bytes": 1 << 20, "deadline": DEFAULT_DEADLINE
    }
    monkeypatch.setenv("FJ_API_TIMEOUT", "90")
    # connecting never waits longer than 5 s
    assert settings().client_options()["timeout"] == (5.0, 90.0)
