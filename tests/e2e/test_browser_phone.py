"""Every page on a phone (390 px) and a desktop (1400 px), in light and dark: readable charts.

Screenshots of each page, width and scheme land in ``artifacts/e2e/screens/`` to be
looked at. On a phone, every chart keeps at least 60% of its width for the plot
(legends go under it, long names are cut on the axis); the theme follows the
system's light or dark mode; the demo banner is one line.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1800)]

#: Each page: its path, its title, and how many charts it draws on the demo (the Overview's
#: and the Breakdown's are tabs: one drawn at a time; CHART_TABS names the others).
PAGES = {
    "overview": ("", "Overview", 1),
    "sessions": ("sessions", "Sessions", 0),
    "session": ("session", "Session", 0),
    "breakdown": ("breakdown", "Breakdown", 1),
    "candidates": ("candidates", "Candidates", 0),
    "data": ("data", "Data", 0),
}
CHART_TABS = {
    "overview": ("Running total", "Top roles"),
    "breakdown": ("Profiles per session", "Sourcing time"),
}
PHONE = {"width": 390, "height": 1800}
DESKTOP = {"width": 1400, "height": 1400}


@pytest.fixture(autouse=True)
def _patient():
    """Longer waits here only: each page is drawn four times, in software, on a busy machine."""
    expect.set_options(timeout=180_000)
    yield
    expect.set_options(timeout=30_000)  # tests/e2e/conftest.py's


PLOT_SHARES = """plots => plots.map(p => {
    const drag = p.querySelector('.nsewdrag');
    return [drag ? drag.getBoundingClientRect().width : 0, p.getBoundingClientRect().width];
})"""

BACKGROUND_LUMINANCE = """app => {
    const [r, g, b] = getComputedStyle(app).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1400px"])
def test_every_page_reads_well_on_a_phone_and_a_desktop_in_light_and_dark(
    open_app, demo_app, size, scheme
):
    app = open_app(demo_app, viewport=size, color_scheme=scheme)
    luminance = app.page.get_by_test_id("stApp").evaluate(BACKGROUND_LUMINANCE)
    assert luminance < 0.3 if scheme == "dark" else luminance > 0.7  # follows the system
    for name, (path, title, charts) in PAGES.items():
        app.page.goto(app.app.url + path)
        expect(app.main.locator("h1").first).to_have_text(title)
        expect(app.page.get_by_test_id("stApp")).to_have_attribute(
            "data-test-script-state", "notRunning"
        )
        for busy in ("stStatusWidget", "stSkeleton"):
            expect(app.page.get_by_test_id(busy)).to_have_count(0)
        expect(app.page.get_by_test_id("stException")).to_have_count(0)
        plots = app.main.locator(".js-plotly-plot")
        expect(plots).to_have_count(charts)
        for i in range(charts):
            expect(plots.nth(i).locator(".nsewdrag")).to_have_count(1)  # drawn
        app.shot(f"screens/{name}-{size['width']}-{scheme}")
        for tab in (None, *CHART_TABS.get(name, ())):
            if tab is not None:  # the page's other charts, one tab at a time
                app.main.get_by_role("tab", name=tab).click()
                app.settle()
                expect(plots).to_have_count(1)
                expect(plots.first.locator(".nsewdrag")).to_have_count(1)
            if size is PHONE:
                for drawn, whole in plots.evaluate_all(PLOT_SHARES):
                    assert drawn >= 0.6 * whole, f"{name} {tab}: plot {drawn:.0f} of {whole:.0f}"
        if size is PHONE:
            banner = app.main.get_by_test_id("stAlert").filter(has_text="Demo data")
            if banner.count():
                assert banner.first.bounding_box()["height"] < 64, name  # one line


def test_the_demo_banner_folds_how_to_connect_away(open_app, demo_app):
    app = open_app(demo_app, viewport=PHONE)
    how = app.main.get_by_test_id("stExpander").filter(has_text="How to connect your project")
    expect(how).to_be_visible()
    how.get_by_text("How to connect your project").click()
    expect(how).to_contain_text("FJ_API_KEY")


def test_a_click_on_a_breakdown_bar_narrows_and_moves_to_the_next_dimension(open_app, demo_app):
    app = open_app(demo_app, "breakdown")
    bar = app.main.locator(".js-plotly-plot").first.locator(".barlayer .point path").first
    box = bar.bounding_box()  # plotly's drag layer lies over the bars and takes the click
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(app.page).to_have_url(re.compile(r"[?&]by=location"))
    app.settle()
    assert len(app.chosen_roles()) == 1  # the largest role, clicked
    bars = app.main.locator(".js-plotly-plot").first.locator(".barlayer .point")
    expect(bars).not_to_have_count(0)
    assert bars.count() > 1  # its locations, not one bar of the role
