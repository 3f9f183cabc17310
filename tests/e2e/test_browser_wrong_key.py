"""A rejected key in a real browser: one clear message, no traceback, the key nowhere."""

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import WRONG_KEY

pytestmark = pytest.mark.browser


def test_a_wrong_key_shows_one_clear_message_and_never_the_key(open_app, wrong_key_app):
    app = open_app(wrong_key_app)

    alert = app.main.get_by_test_id("stAlert")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("API key rejected")
    expect(alert).to_contain_text("401")
    expect(app.page.get_by_test_id("stException")).to_have_count(0)
    html = app.page.content()
    assert "Traceback" not in html
    assert WRONG_KEY not in html
    assert WRONG_KEY[4:] not in html  # not even without its prefix
    assert WRONG_KEY not in app.page.url
    app.shot("wrong-key")

    # The server's own output does not hold it either (what a host's log viewer shows).
    assert WRONG_KEY not in wrong_key_app.log.read_text(errors="replace")
