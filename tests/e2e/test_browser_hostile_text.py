"""Text from the API is shown as text in a real browser: no markup, no script, no links."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.known_project import (
    BOLD_ROLE,
    IMG_TITLE,
    LINK_TITLE,
    SCRIPT_TITLE,
    known_records,
    stated_role,
)

pytestmark = pytest.mark.browser

HOSTILE_ROLES = (SCRIPT_TITLE, IMG_TITLE, BOLD_ROLE, LINK_TITLE, "Analyst")


def _nothing_interpreted(page: Page) -> None:
    """Fail if any hostile title or JD text became markup, ran, or turned into a link."""
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("b", has_text="bold").count() == 0
    assert page.locator("script", has_text="__pwned").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("a[href*='example.com']").count() == 0
    assert page.locator("strong", has_text="emph").count() == 0
    assert page.locator("em", has_text="under").count() == 0
    assert page.locator("i", has_text="it").count() == 0
    assert page.locator(".katex").count() == 0  # $x^2$ is not typeset


def test_hostile_titles_and_jd_text_render_as_text(open_app, known_app):
    hostile = [r for r in known_records() if stated_role(r) in HOSTILE_ROLES]
    assert len(hostile) == len(HOSTILE_ROLES)

    app = open_app(known_app, "sessions?" + urlencode([("role", r) for r in HOSTILE_ROLES]))
    app.expect_rows(len(hostile))
    # The table is a canvas; its ARIA grid holds the cells' text as the viewer reads it.
    rows = [row.locator("td").all_inner_texts() for row in app.grid.locator("tr").all()[1:]]
    titles = [cells[1] for cells in rows]
    assert sorted(titles) == sorted(r["sessionTitle"] for r in hostile)
    # The app puts an invisible word joiner into "http://" so Markdown does not link it.
    caption = app.caption().replace("\u2060", "")
    for role in HOSTILE_ROLES:
        assert role in caption  # the filter, described in words, quotes them literally
    assert sorted(app.chosen_roles()) == sorted(HOSTILE_ROLES)
    _nothing_interpreted(app.page)

    for record in hostile:
        app.select_row(titles.index(record["sessionTitle"]))
        # Title and JD text as plain text, the parsed role in a Markdown line.
        plain = [record["sessionTitle"], record["jdDetail"]["userText"]]
        expect(app.main.get_by_test_id("stText")).to_have_text(plain)
        role = app.main.get_by_test_id("stMarkdownContainer").filter(has_text="Role:")
        assert role.inner_text().replace("\u2060", "") == f"Role: {stated_role(record)}"
        _nothing_interpreted(app.page)
    app.shot("known-sessions-hostile")

    for page in ("Overview", "Breakdown"):
        app.go_to(page)
        chart_text = app.main.locator(".js-plotly-plot text")
        # Long names are cut on bar axes ("<b>bold</b> Eng…"; the hover has them whole):
        # the tags must still show as literal text.
        expect(chart_text.filter(has_text=BOLD_ROLE[:15]).first).to_be_visible()
        _nothing_interpreted(app.page)
