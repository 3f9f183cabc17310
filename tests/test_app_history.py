"""History in the dashboard (AppTest): recorded on each fetch, 304s on Refresh, the activity
chart, the "Since last week" panel, the Session page's growth, the Data page, history off."""

from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pytest

import fj.frame
from fj.history import History
from fj.stub import Project
from fj.wording import md_escape
from tests.apptest import kpis, new_app, texts
from tests.history_data import PROJECT_ID, frame, session
from tests.servers import free_port

KEY = "fjk_history_app_5c6d7e8f"
NOW = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)

pytestmark = [pytest.mark.usefixtures("dashboard_env"), pytest.mark.timeout(300)]


def ago(**kw) -> str:
    return (NOW - dt.timedelta(**kw)).strftime("%Y-%m-%d %H:%M")


def earlier() -> list[dict]:
    """The project ten days ago: two sessions."""
    return [
        session(1, "Backend Engineer", 10, ago(days=12), ago(days=10)),
        session(2, "Data Analyst", 0, ago(days=11), ago(days=11)),
    ]


def today() -> list[dict]:
    """Today: session 1 grew to 60 two days ago, 2 still has none, 3 is new and growing."""
    return [
        session(1, "Backend Engineer", 60, ago(days=12), ago(days=2)),
        session(2, "Data Analyst", 0, ago(days=11), ago(days=11)),
        session(3, "QA Engineer", 30, ago(hours=5), ago(hours=1)),
    ]


@pytest.fixture
def history_db(tmp_path, monkeypatch):
    """A history the test builds: the project as it was ten days ago."""
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    with History(url) as h:
        h.record(PROJECT_ID, frame(earlier()), observed_at=NOW - dt.timedelta(days=10))
    monkeypatch.setenv("FJ_HISTORY_URL", url)
    return url


@pytest.fixture
def served(monkeypatch, stub_server, history_db):
    stub_server.set_project(KEY, Project(sessions=today()))
    monkeypatch.setenv("FJ_API_KEY", KEY)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return stub_server


def decoded(values) -> np.ndarray:
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def overview(**params: str):
    at = new_app()
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_fetch_is_recorded_and_the_activity_chart_draws_it(served, history_db):
    at = overview(timing="activity", freq="D")
    with History(history_db) as h:
        assert h.info([PROJECT_ID])["checks"] == 2  # the test's, then the dashboard's fetch
        assert h.totals([PROJECT_ID]) == 90
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    [chart] = [s for s in specs if any("history since" in a.get("text", "")
                                       for a in s["layout"].get("annotations", []))]
    assert any("Profiles added per day" in m.value for m in at.markdown)
    added = sum(int(decoded(trace["y"]).sum()) for trace in chart["data"])
    assert added == 90  # conservation: everything today's totals hold, placed in time
    names = {trace.get("name") for trace in chart["data"]}
    assert {"Backend Engineer", "QA Engineer"} <= names
    since = (NOW - dt.timedelta(days=10)).strftime("%Y-%m-%d")
    assert any(a["text"] == f"history since {since}" for a in chart["layout"]["annotations"])
    assert "cohorts" not in " ".join(c.value for c in at.caption).lower().split("pick")[0]
    # the panel: 1 new session (3), 1 grew (+50), 1 still processing (3), 1 stuck at 0 (2)
    cards = {m.label: m.value for m in at.metric}
    assert cards["New sessions"] == "1"
    assert cards["Sessions that grew"] == "1"
    assert cards["Still processing"] == "1"
    assert cards["Stuck at 0 profiles"] == "1"
    assert kpis(at)["Total profiles"] == "90"


def test_cohorts_stay_the_default_view(served):
    at = overview()
    assert not any("Profiles added per" in m.value for m in at.markdown)
    assert any("cohorts by creation date" in c.value for c in at.caption)


def test_refresh_asks_with_the_etag_and_a_304_reparses_nothing(served, history_db):
    from ui import loader
    from ui.source import ConfiguredProject

    parses = {"n": 0}
    original = fj.frame.load_sessions

    def counted(*args, **kwargs):
        parses["n"] += 1
        return original(*args, **kwargs)

    fj.frame.load_sessions = counted
    try:
        keyed = ConfiguredProject("Project", "env", KEY)
        first = loader.fetch_project(keyed, served.base_url)
        loader.fetch_project.clear(keyed, served.base_url)  # what Refresh does
        second = loader.fetch_project(keyed, served.base_url)
    finally:
        fj.frame.load_sessions = original
    assert parses["n"] == 1
    assert [r.status for r in served.requests] == [200, 304]
    assert second.all_sessions is first.all_sessions  # the cached copy, not a new parse
    assert second.history_projects == (PROJECT_ID,)
    with History(history_db) as h:
        info = h.info([PROJECT_ID])
    assert info["checks"] == 3 and info["snapshots"] == 2


def test_session_page_shows_growth_and_time_to_25_50_100(served):
    at = new_app().run()
    at.switch_page("pages/session.py")
    at.query_params["session"] = f"{1:024x}"
    at.run()
    assert not at.exception, at.exception
    assert any("Profiles over time" in m.value for m in at.markdown)
    cards = {m.label: m.value for m in at.metric}
    # 10 profiles when first seen, 60 by its updatedAt two days ago: created 12 days ago
    assert cards["Time to 25 profiles"] == "10 d 0 h"
    assert cards["Time to 100 profiles"] == "not yet"


def test_data_page_says_where_history_lives(served, history_db):
    at = new_app().run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    shown = texts(at)
    assert "History kept in" in shown
    assert history_db.removeprefix("sqlite:///") in shown
    assert "Checks recorded" in shown


def test_an_unreachable_database_leaves_the_dashboard_on_live_data(served, monkeypatch):
    monkeypatch.setenv("FJ_HISTORY_URL", f"postgresql://fj:hunter2-pw@127.0.0.1:{free_port()}/fj")
    at = overview(timing="activity")
    assert kpis(at)["Total profiles"] == "90"  # live data
    lines = [c.value for c in at.sidebar.caption if "History is off" in c.value]
    assert len(lines) == 1
    assert "hunter2-pw" not in texts(at)
    assert any("History is off" in i.value for i in at.info)


def test_the_demo_has_no_history(monkeypatch):
    at = overview(timing="activity")
    assert any("bundled demo has none" in i.value for i in at.info)


def week_cards(at) -> dict[str, str]:
    labels = ("New sessions", "Sessions that grew", "Still processing", "Stuck at 0 profiles")
    return {m.label: m.value for m in at.metric if m.label in labels}


def test_the_week_panel_is_read_once_per_check_not_on_every_rerun(served):
    """A filter click reruns the Overview: the panel's facts come from the cache, and the
    history database is asked only when its projects were last checked (one statement)."""
    import sqlalchemy as sa

    from ui import history as ui_history

    at = overview()
    assert week_cards(at)["Stuck at 0 profiles"] == "1"
    engine = ui_history.store()[0].engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        at.selectbox(key="f_date").set_value("30d").run()
        at.text_input(key="f_q").set_value("engineer").run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert not at.exception, at.exception
    assert week_cards(at)["Stuck at 0 profiles"] == "1"  # the panel is still drawn, whole
    reads = [s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))]
    assert len(reads) == 2, reads  # one "last checked" a rerun, no facts query


def test_the_week_panel_updates_after_a_new_fetch_is_recorded(served):
    """Refresh records a new check: the cached panel is read again and shows the change."""
    at = overview()
    before = week_cards(at)
    assert before["Stuck at 0 profiles"] == "1" and before["New sessions"] == "1"
    at.selectbox(key="f_date").set_value("30d").run()  # a cached rerun in between
    assert week_cards(at) == before
    # session 2 finally got profiles; a fourth session appeared an hour ago, at 0
    served.set_project(KEY, Project(sessions=[
        *today()[:1],
        session(2, "Data Analyst", 12, ago(days=11), ago(hours=3)),
        today()[2],
        session(4, "Data Analyst", 0, ago(hours=1), ago(hours=1)),
    ]))  # fmt: skip
    next(b for b in at.sidebar.button if b.label == "Refresh").click().run()
    assert not at.exception, at.exception
    after = week_cards(at)
    assert after["New sessions"] == "2"
    assert after["Stuck at 0 profiles"] == "0"  # 2 has profiles; 4 is not a day old
    assert after["Sessions that grew"] == "2"


def test_the_week_lists_show_the_first_ten_and_say_how_many(served):
    """Thousands of sessions can be stuck at zero: the panel lists the ten longest stuck (as a
    plain table, not a data grid sent whole on every rerun) and says how many there are."""
    stuck = [session(10 + i, "Data Analyst", 0, ago(days=3, hours=i), ago(days=3, hours=i))
             for i in range(14)]  # fmt: skip
    served.set_project(KEY, Project(sessions=[*today(), *stuck]))
    at = overview()
    assert week_cards(at)["Stuck at 0 profiles"] == "15"  # session 2 and the 14
    captions = [c.value for c in at.caption if "stuck at 0 profiles" in c.value]
    assert captions == [
        "Sessions stuck at 0 profiles for more than a day, longest first: the first 10 of 15"
    ]
    [table] = [t for t in at.table if "Since" in t.value.columns]
    assert len(table.value) == 10
    # stuck 11 days: the longest; escaped, as st.table renders Markdown
    assert table.value["Title"].iloc[0] == md_escape("Data Analyst #2")
    assert not at.dataframe  # no data grid on the Overview (one project)
