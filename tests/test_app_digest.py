"""The Overview's trend context and its "Copy summary", under AppTest on a hand-made project."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fj.digest import summarize
from fj.filters import Filters
from fj.frame import load_sessions
from fj.stub import Project
from tests.apptest import kpi_deltas, kpis, new_app, record

pytestmark = pytest.mark.usefixtures("dashboard_env")

KEY = "fjk_trend_0123456789"


def this_monday(now: dt.datetime) -> dt.datetime:
    """Midnight UTC of the Monday that starts the current week."""
    return (now - dt.timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def trend_project(stub_server, dashboard_env):
    """Three sessions last week, two the week before, one this week, one older, in UTC."""
    now = dt.datetime.now(dt.UTC)
    monday = this_monday(now)
    day = dt.timedelta(days=1)
    sessions = [
        # this week so far (never a collapse: not compared)
        record(1, title="Now", profiles=100, created=monday + (now - monday) / 2),
        # last week: 3 sessions, 30 profiles, one at 0
        record(2, title="A", profiles=10, created=monday - 1 * day + dt.timedelta(hours=3)),
        record(3, title="A", profiles=20, created=monday - 3 * day),
        record(4, title="B", profiles=0, created=monday - 7 * day),
        # the week before: 2 sessions, 10 profiles, one at 0
        record(5, title="B", profiles=10, created=monday - 8 * day),
        record(6, title="C", profiles=0, created=monday - 14 * day),
        # older
        record(7, title="C", profiles=40, created=monday - 40 * day),
    ]
    stub_server.set_project(KEY, Project(sessions=sessions))
    dashboard_env.setenv("FJ_API_KEY", KEY)
    dashboard_env.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return sessions


def test_default_view_cards_show_the_week_over_week_change(trend_project):
    at = new_app()
    at.query_params["tz"] = "UTC"
    at.run()
    assert not at.exception
    # The cards count the whole project...
    assert kpis(at) == {
        "Sessions": "7",
        "Total profiles": "180",
        "Avg profiles / session": "25.7",
        "Sessions with 0 profiles": "2",
    }
    # ...and say how last week compares with the week before, in number and percent.
    assert kpi_deltas(at) == {
        "Sessions": "+1 (+50%)",
        "Total profiles": "+20 (+200%)",
        "Avg profiles / session": "+5.0 (+100%)",
        "Sessions with 0 profiles": "no change",
    }
    cards = {m.label: m.proto for m in at.metric}
    assert cards["Sessions"].delta_description == "3 last week vs 2"
    assert (cards["Sessions"].color, cards["Sessions"].direction) == (
        cards["Sessions"].GREEN,
        cards["Sessions"].UP,
    )
    zero = cards["Sessions with 0 profiles"]
    assert (zero.color, zero.direction) == (zero.GRAY, zero.NONE)
    assert any("last week" in c.value and "against the week before" in c.value for c in at.caption)


def test_copy_summary_holds_the_summary_of_the_view_on_screen(trend_project, dashboard_env):
    dashboard_env.setenv("FJ_DASHBOARD_URL", "https://dash.example/fj")
    at = new_app()
    at.query_params["tz"] = "UTC"
    at.query_params["role"] = "A"
    at.run()
    assert not at.exception
    assert not at.code  # closed: nothing built
    at.session_state["view_summary"] = True
    at.run()
    assert not at.exception
    [block] = at.code
    frame = load_sessions(json.dumps({"status": "SUCCESS", "data": trend_project}).encode()).frame
    filters, _ = Filters.from_query({"role": "A"})
    expected = summarize(
        frame,
        filters,
        now=dt.datetime.now(dt.UTC),
        tz="UTC",
        project="Project",
        dashboard_url="https://dash.example/fj",
    )
    assert block.value == expected.text().rstrip("\n")  # st.code drops the final newline
    # What the cards say, the summary says: 2 sessions of role A, 30 profiles, both last week.
    assert kpis(at)["Sessions"] == "2"
    assert "2 of 7 sessions · role is A · times in UTC" in block.value
    assert "- Sessions: 2 · new vs 0" in block.value
    assert "https://dash.example/fj/?role=A&tz=UTC" in block.value
    at.segmented_control(key="view_summary_as").set_value("markdown").run()
    assert at.code[0].value == expected.markdown().rstrip("\n")
