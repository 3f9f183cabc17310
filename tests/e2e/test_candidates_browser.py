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
    # The sessions with the best scores: the table with a Session ID column (not by its
    # place: while the page draws, the n-th table can be another one; CI once clicked the
    # skills table that way).
    best = app.main.get_by_test_id("stDataFrame").filter(has_text="Session ID")
    expect(best).to_be_visible()

    # The table is a canvas: it takes clicks once its rows are laid out (ARIA grid rows).
    expect(best.locator("table[role=grid]")).to_have_attribute(
        "aria-rowcount", re.compile(r"^(?:[2-9]|\d{2,})$")
    )
    mark = len(log.finished)
    link = app.main.get_by_test_id("stPageLink").filter(has_text="Open session")
    for _ in range(3):
        best.click(position={"x": 17, "y": 35 + 17})  # the first row's marker
        try:
            expect(link).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            # A click the canvas took starts a run; only a click it missed is made again
            # (a second click on a taken one would clear the selection).
            if log.since(mark):
                raise
    expect(link).to_be_visible()
    app.settle()
    # Only the results reran: the candidates were not gathered again (that is outside).
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)
