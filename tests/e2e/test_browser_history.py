"""History in a real browser: the activity chart and the "Since last week" panel, on a
history the test builds (a SQLite file given to the dashboard with FJ_HISTORY_URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from fj.history import History
from fj.stub import Project, StubServer
from tests.e2e.conftest import ARTIFACTS, STARTUP_SECONDS
from tests.history_data import PROJECT_ID, frame, session
from tests.servers import StreamlitServer, clean_env, start_streamlit

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

KEY = "fjk_history_browser_3e4f5a6b"
NOW = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def ago(**kw) -> str:
    return (NOW - dt.timedelta(**kw)).strftime("%Y-%m-%d %H:%M")


EARLIER = [
    session(1, "Backend Engineer", 10, ago(days=12), ago(days=10)),
    session(2, "Data Analyst", 0, ago(days=11), ago(days=11)),
]
TODAY = [
    session(1, "Backend Engineer", 60, ago(days=12), ago(days=2)),
    session(2, "Data Analyst", 0, ago(days=11), ago(days=11)),
    session(3, "QA Engineer", 30, ago(hours=5), ago(hours=1)),
]


@pytest.fixture(scope="module")
def history_app(tmp_path_factory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("history-e2e")
    url = f"sqlite:///{folder / 'history.sqlite'}"
    with History(url) as h:
        h.record(PROJECT_ID, frame(EARLIER), observed_at=NOW - dt.timedelta(days=10))
    secrets = folder / "secrets.toml"
    secrets.write_text("# keys come from the environment\n")
    (ARTIFACTS / "logs").mkdir(parents=True, exist_ok=True)
    with StubServer({KEY: Project(sessions=TODAY)}) as stub:
        app = start_streamlit(
            "dashboard.py",
            env=clean_env(FJ_API_KEY=KEY, FJ_API_BASE_URL=stub.base_url, FJ_HISTORY_URL=url),
            log=ARTIFACTS / "logs" / "history.log",
            secrets=secrets,
        )
        try:
            yield app.wait_healthy(STARTUP_SECONDS)
        finally:
            app.stop()


def test_activity_chart_and_since_last_week_panel(open_app, history_app):
    app = open_app(history_app, "?timing=activity&freq=D")
    expect(app.main.get_by_text("Profiles added per day (when sourced)")).to_be_visible()
    since = (NOW - dt.timedelta(days=10)).astimezone(dt.timezone(dt.timedelta(hours=5, minutes=30)))
    chart = app.main.get_by_test_id("stPlotlyChart").filter(has_text="history since").first
    expect(chart).to_contain_text(f"history since {since:%Y-%m-%d}")
    expect(chart.locator("g.legend")).to_contain_text("QA Engineer")
    expect(app.main.get_by_text("comes from the history", exact=False)).to_be_visible()

    panel = app.main.get_by_test_id("stMetric")
    labels = panel.get_by_test_id("stMetricLabel").all_inner_texts()
    values = panel.get_by_test_id("stMetricValue").all_inner_texts()
    cards = {k.strip(): v.strip() for k, v in zip(labels, values, strict=True)}
    assert cards["New sessions"] == "1"
    assert cards["Sessions that grew"] == "1"
    assert cards["Still processing"] == "1"
    assert cards["Stuck at 0 profiles"] == "1"
    expect(app.main.get_by_text("Since last week", exact=True)).to_be_visible()
    app.shot("history-activity")

    # back to cohorts: the activity chart goes
    app.main.get_by_text("By creation date (cohorts)", exact=True).click()
    app.settle()
    expect(app.main.get_by_text("Profiles added per day (when sourced)")).to_have_count(0)
