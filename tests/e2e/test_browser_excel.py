"""Download Excel in a real browser: the workbook holds exactly the sessions the filters show."""

import datetime as dt
import io
from pathlib import Path
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import FORMULA_TITLE, ROLE, known_records, stated_role

pytestmark = pytest.mark.browser

#: The browser's zone (conftest's BROWSER_TZ), which the dashboard uses by default.
BROWSER_TZ = "Asia/Kolkata"


def test_excel_download_holds_exactly_the_filtered_sessions(open_app, known_app):
    with_role = {r["_id"]: r for r in known_records() if stated_role(r) == ROLE}
    assert FORMULA_TITLE in {r["sessionTitle"] for r in with_role.values()}

    app = open_app(known_app, f"sessions?role={quote_plus(ROLE)}")
    app.expect_rows(len(with_role))
    button = app.main.get_by_test_id("stDownloadButton").filter(has_text="Download Excel")
    expect(button).to_contain_text(f"Download Excel ({len(with_role)} rows)")
    with app.page.expect_download() as download:
        button.locator("button").click()
    file = download.value

    assert file.suggested_filename.endswith(".xlsx")
    assert "net-developer" in file.suggested_filename  # the filter is in the name
    book = openpyxl.load_workbook(io.BytesIO(Path(file.path()).read_bytes()))  # no suffix
    header, *rows = book["Sessions"].iter_rows()
    names = [c.value for c in header]
    rows = [dict(zip(names, row, strict=True)) for row in rows]
    assert len(rows) == len(with_role)
    assert {row["Session ID"].value for row in rows} == set(with_role)
    zone = ZoneInfo(BROWSER_TZ)  # the viewer's zone: the browser's
    for row in rows:
        record = with_role[row["Session ID"].value]
        assert row["Profiles"].value == record["totalProfiles"]
        assert row["Role"].value == ROLE
        # A formula-like title is a string cell, exactly as sent (no quote needed in Excel).
        assert (row["Title"].value, row["Title"].data_type) == (record["sessionTitle"], "s")
        if "createdAt" in record:
            created = dt.datetime.fromisoformat(record["createdAt"].replace("Z", "+00:00"))
            assert row["Created"].value == created.astimezone(zone).replace(tzinfo=None)
        else:
            assert row["Created"].value is None
    about = dict(book["View"].iter_rows(values_only=True))
    assert about["Filters"] == f"role is {ROLE}"
    assert about["Timezone"] in (BROWSER_TZ, "Asia/Calcutta")  # Chromium may say the old name
    assert about["Rows"] == f"{len(with_role)} of {len(known_records())} sessions"
