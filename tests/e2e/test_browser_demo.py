"""Demo mode in a real browser: with no key at all, every page opens on the bundled demo."""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from fj.demo import demo_payload

pytestmark = pytest.mark.browser

#: Pages that head their content with the shared header (and so the demo banner).
WITH_BANNER = ("Overview", "Sessions", "Breakdown", "Data")


def test_demo_mode_without_a_key_shows_the_banner_and_the_demo_kpis(open_app, demo_app):
    today = dt.datetime.now(dt.UTC).date()  # the dashboard's demo moves its dates to today
    sessions = json.loads(demo_payload(today))["data"]
    profiles = [s["totalProfiles"] for s in sessions]

    app = open_app(demo_app)

    banner = app.main.get_by_test_id("stAlert").filter(has_text="Demo data")
    expect(banner).to_be_visible()
    how = app.main.get_by_test_id("stExpander").filter(has_text="How to connect your project")
    expect(how).to_be_visible()  # it says how to connect a real key (test_browser_phone.py)
    assert app.kpis() == {
        "Sessions": f"{len(sessions):,}",
        "Total profiles": f"{sum(profiles):,}",
        "Avg profiles / session": f"{sum(profiles) / len(profiles):,.1f}",
        "Sessions with 0 profiles": f"{profiles.count(0):,}",
    }
    app.shot("demo-overview")

    titles = app.nav_titles()
    assert set(WITH_BANNER) <= set(titles)
    for title in titles[1:]:
        app.go_to(title)
        expect(app.page.get_by_test_id("stException")).to_have_count(0)
        assert "Traceback" not in app.page.content()
        if title in WITH_BANNER:
            expect(app.main.get_by_test_id("stAlert").filter(has_text="Demo data")).to_be_visible()
            assert app.caption().startswith(f"{len(sessions):,} of {len(sessions):,} sessions")
        if title == "Sessions":
            app.expect_rows(len(sessions))  # and the table is drawn before the screenshot
        app.shot(f"demo-{title.lower()}")
