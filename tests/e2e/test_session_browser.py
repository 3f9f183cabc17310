"""The Session page in a real browser: opened from a row of the Sessions table."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import FORMULA_TITLE, known_records

pytestmark = pytest.mark.browser


def test_a_session_opens_from_the_sessions_table_with_its_title_and_candidates(open_app, known_app):
    records = known_records()
    [chosen] = [r for r in records if r["sessionTitle"] == FORMULA_TITLE]
    newest_first = sorted(
        (r for r in records if "createdAt" in r), key=lambda r: r["createdAt"], reverse=True
    )
    assert newest_first.index(chosen) >= 3  # the stand-in says "done": every candidate is there
    expected = min(chosen["totalProfiles"], 200)  # the stand-in serves at most 200

    app = open_app(known_app, "sessions?q=HYPERLINK")  # the search leaves this one session
    app.expect_rows(1)
    app.select_row(0)
    app.main.get_by_test_id("stPageLink").filter(has_text="Open session").click()

    expect(app.main.locator("h1")).to_have_text("Session")
    app.settle()
    title = app.main.locator("h3").first.inner_text().replace("\u2060", "")
    assert title == FORMULA_TITLE  # shown as typed: not a formula, not a link
    count = app.main.get_by_test_id("stMetric").filter(has_text="Candidates").first
    expect(count.get_by_test_id("stMetricValue")).to_have_text(
        f"{expected} of {chosen['totalProfiles']}"
    )
    badge = app.main.get_by_text(re.compile(r"^(check_circle)?\s*Done$"))  # icon, label
    expect(badge).to_be_visible()
    assert parse_qs(urlsplit(app.page.url).query)["session"] == [chosen["_id"]]
    app.shot("known-session")

    download = app.main.get_by_test_id("stDownloadButton").filter(has_text="Download CSV")
    with app.page.expect_download() as info:
        download.click()
    name = info.value.suggested_filename
    assert re.fullmatch(r"fj-candidates_hyperlink-http-x_[0-9a-f]{8}_\d{4}-\d{2}-\d{2}\.csv", name)
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
    assert len(rows) == expected
    assert len({r["Candidate ID"] for r in rows}) == expected


def test_a_table_filter_reruns_the_table_alone_and_the_charts_stay(open_app, known_app):
    from tests.e2e.test_browser_fragments import FRAGMENT_DONE, RunLog

    [chosen] = [r for r in known_records() if r["sessionTitle"] == FORMULA_TITLE]
    app = open_app(known_app, "data")  # any page: a tab to reload with its websocket logged
    log = RunLog(app.page)
    app.goto(f"session?session={chosen['_id']}")
    app.settle()
    charts = app.main.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(5)

    mark = len(log.finished)
    region = app.main.get_by_test_id("stTextInput").filter(has_text="Region contains")
    region.locator("input").fill("no such region")
    region.locator("input").press("Enter")
    caption = app.main.get_by_test_id("stCaptionContainer").filter(has_text="candidates ·")
    expect(caption).to_contain_text(re.compile(r"^0 of \d+ candidates"))
    app.settle()
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)
    expect(charts).to_have_count(5)  # drawn from the whole session, untouched by the filter
