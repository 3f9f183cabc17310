"""The Candidates page in a real browser: its results are a fragment."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser_fragments import FRAGMENT_DONE, RunLog

pytestmark = pytest.mark.browser


def test_selecting_a_session_in_the_results_reruns_them_alone(open_app, known_app):
    app = open_app(known_app, "data")  # any page: a tab to reload with its websocket logged
    log = RunLog(app.page)
    app.goto("candidates")
    app.settle()
    app.main.get_by_role("button", name=re.compile(r"^Load the candidates")).click()
    app.settle()
    best = app.main.get_by_test_id("stDataFrame").nth(1)  # the sessions with the best scores
    expect(best).to_be_visible()

    mark = len(log.finished)
    best.click(position={"x": 17, "y": 35 + 17})  # the first row's marker
    link = app.main.get_by_test_id("stPageLink").filter(has_text="Open session")
    expect(link).to_be_visible()
    app.settle()
    # Only the results reran: the candidates were not gathered again (that is outside).
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)
