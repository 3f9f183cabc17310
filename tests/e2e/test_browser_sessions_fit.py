"""The Sessions page in a real browser: a short table is as tall as its rows, details read
in the viewer's zone by its current name (Chromium in Kolkata says "Asia/Calcutta")."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BROWSER_TZ
from tests.e2e.known_project import ROLE, known_records, stated_role

pytestmark = pytest.mark.browser


def test_a_short_sessions_table_fits_its_rows_and_details_read_in_the_local_zone(
    open_app, known_app
):
    rows = len([r for r in known_records() if stated_role(r) == ROLE])
    app = open_app(known_app, "sessions")
    app.pick_role(ROLE)
    app.expect_rows(rows)
    app.settle()
    box = app.main.get_by_test_id("stDataFrame").first.bounding_box()
    # Header and rows at 35 px and the border: no empty band under the last row.
    assert abs(box["height"] - (35 * (rows + 1) + 3)) <= 4, box

    zone = app.sidebar.get_by_role("combobox", name="Timezone")
    expect(zone).to_have_value(f"Your browser's ({BROWSER_TZ})")
    assert "Calcutta" not in app.sidebar.aria_snapshot()

    app.select_row(0)
    created = app.main.get_by_test_id("stMarkdownContainer").filter(has_text="Created:")
    expect(created.first).to_have_text(re.compile(r"^Created: \d{4}-\d{2}-\d{2} \d{2}:\d{2} IST$"))
    app.shot("known-sessions-details")
