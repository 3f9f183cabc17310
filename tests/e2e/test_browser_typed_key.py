"""A key typed under "Connect your project" replaces the demo for that browser session only."""

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import KNOWN_KEY, known_records

pytestmark = pytest.mark.browser


def test_a_typed_key_shows_its_project_and_stays_out_of_the_link(open_app, demo_app):
    records = known_records()
    app = open_app(demo_app)
    demo_sessions = app.kpis()["Sessions"]
    assert demo_sessions != str(len(records))

    app.sidebar.get_by_text("Connect your project").click()
    box = app.sidebar.get_by_label("FJ API key", exact=True)
    box.fill(KNOWN_KEY)
    box.press("Enter")

    cards = app.main.get_by_test_id("stMetric").filter(has_text="Sessions").first
    expect(cards.get_by_test_id("stMetricValue")).to_have_text(str(len(records)))
    app.settle()
    expect(app.main.get_by_test_id("stAlert").filter(has_text="Demo data")).to_have_count(0)
    assert KNOWN_KEY not in app.page.url
    assert KNOWN_KEY not in app.main.inner_html()  # only the password box holds it

    # Another viewer of the same server still gets the demo: the key is this session's only.
    other = open_app(demo_app)
    assert other.kpis()["Sessions"] == demo_sessions
