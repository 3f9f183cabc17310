"""Controls that touch one chart rerun that chart alone, and the address bar still holds the view.

Overview's Day/Week/Month, Profiles/Sessions and "Stack by role", and Breakdown's
"Break down by" and "Measure", live in an ``st.fragment``: a click on them reruns
that part only (the websocket's ``script_finished`` says "fragment run"). Such a run
skips the entry point, so these tests check the part writes the URL itself, that the
rest of the view stays in it, and that a drill-down click on a Breakdown bar still
reruns the whole app (the sidebar's filter and the header follow).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.known_project import ROLE, known_records, stated_role

pytestmark = pytest.mark.browser

FRAGMENT_DONE = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


class RunLog:
    """How each script run of a tab ended, read from the websocket (fragment or full run)."""

    def __init__(self, page) -> None:
        self.finished: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        try:
            message = ForwardMsg.FromString(payload)
        except Exception:
            return
        if message.WhichOneof("type") == "script_finished":
            self.finished.append(message.script_finished)

    def since(self, mark: int) -> list[int]:
        return self.finished[mark:]


def _open_logged(open_app, app_server, path: str):
    """Open ``path`` in a new viewer's tab whose websocket is logged from the first frame."""
    app = open_app(app_server, "data")  # any page: only to get a tab, then reload it logged
    log = RunLog(app.page)
    app.goto(path)
    return app, log


def _segment(app, label: str, name: str):
    group = app.main.get_by_test_id("stButtonGroup").filter(has_text=label)
    return group.get_by_text(name, exact=True)


def test_overview_chart_controls_rerun_their_part_and_keep_the_url(open_app, known_app):
    app, log = _open_logged(open_app, known_app, "")
    app.pick_role(ROLE)
    expect(app.page).to_have_url(re.compile(r"[?&]role="))
    app.settle()

    mark = len(log.finished)
    _segment(app, "Group by", "Month").click()
    expect(app.page).to_have_url(re.compile(r"[?&]freq=M"))
    app.settle()
    _segment(app, "Show", "Sessions").click()
    expect(app.page).to_have_url(re.compile(r"[?&]metric=sessions"))
    app.settle()
    query = _query(app.page.url)
    assert query["freq"] == ["M"] and query["role"] == [ROLE]  # the rest of the view stays
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)

    # The charts are tabs: only the open one is drawn, and a tab is a fragment run too.
    charts = app.main.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(1)
    mark = len(log.finished)
    app.main.get_by_role("tab", name="Running total").click()
    expect(app.page).to_have_url(re.compile(r"[?&]chart=total"))
    app.settle()
    expect(charts).to_have_count(1)
    expect(app.main.get_by_text("running total by month", exact=False).first).to_be_visible()
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)

    # A full run afterwards (a sidebar change) keeps the part's choices in the URL.
    mark = len(log.finished)
    search = app.sidebar.get_by_test_id("stTextInput").filter(has_text="Search").locator("input")
    search.fill("developer")
    search.press("Enter")
    expect(app.page).to_have_url(re.compile(r"[?&]q=developer"))
    app.settle()
    query = _query(app.page.url)
    assert query["freq"] == ["M"] and query["metric"] == ["sessions"] and query["role"] == [ROLE]
    assert query["chart"] == ["total"]
    expect(app.main.get_by_role("tab", name="Running total")).to_have_attribute(
        "aria-selected", "true"
    )
    assert FRAGMENT_DONE not in log.since(mark), log.since(mark)


def test_breakdown_choice_reruns_its_part_and_a_bar_click_still_narrows_the_view(
    open_app, known_app
):
    records = known_records()
    app, log = _open_logged(open_app, known_app, "breakdown")

    mark = len(log.finished)
    _segment(app, "Break down by", "Location").click()
    expect(app.page).to_have_url(re.compile(r"[?&]by=location"))
    app.settle()
    _segment(app, "Break down by", "Role").click()
    expect(app.page).not_to_have_url(re.compile(r"[?&]by="))
    app.settle()
    assert log.since(mark) and all(s == FRAGMENT_DONE for s in log.since(mark)), log.since(mark)

    # Drill-down: a click on the widest bar narrows the sidebar's roles, a full app run.
    chart = app.main.get_by_test_id("stPlotlyChart").first
    bars = chart.locator("g.point path")
    expect(bars.first).to_be_visible()
    boxes = [box for box in (bars.nth(i).bounding_box() for i in range(bars.count())) if box]
    widest = max(boxes, key=lambda b: b["width"] * b["height"])
    mark = len(log.finished)
    app.page.mouse.click(widest["x"] + widest["width"] / 2, widest["y"] + widest["height"] / 2)
    expect(app.page).to_have_url(re.compile(r"[?&]role="))
    app.settle()
    chosen = app.chosen_roles()
    assert len(chosen) == 1
    shown = [r for r in records if stated_role(r) == chosen[0]]
    expect(app.main.get_by_test_id("stCaptionContainer").first).to_contain_text(
        f"{len(shown)} of {len(records)} sessions"
    )
    assert any(s != FRAGMENT_DONE for s in log.since(mark)), log.since(mark)
