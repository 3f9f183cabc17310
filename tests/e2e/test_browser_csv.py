"""Download CSV in a real browser: the file holds exactly the sessions the filters show."""

import csv
import io
from urllib.parse import quote_plus

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import FORMULA_TITLE, ROLE, known_records, stated_role

pytestmark = pytest.mark.browser


def test_csv_download_holds_exactly_the_filtered_sessions(open_app, known_app):
    with_role = {r["_id"]: r for r in known_records() if stated_role(r) == ROLE}
    assert FORMULA_TITLE in {r["sessionTitle"] for r in with_role.values()}

    app = open_app(known_app, f"sessions?role={quote_plus(ROLE)}")
    app.expect_rows(len(with_role))
    button = app.main.get_by_test_id("stDownloadButton").filter(has_text="Download CSV")
    expect(button).to_contain_text(f"Download CSV ({len(with_role)} rows)")
    with app.page.expect_download() as download:
        button.locator("button").click()
    file = download.value

    assert file.suggested_filename.endswith(".csv")
    assert "net-developer" in file.suggested_filename  # the filter is in the name
    with open(file.path(), encoding="utf-8", newline="") as f:
        text = f.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(with_role)
    assert {row["Session ID"] for row in rows} == set(with_role)
    for row in rows:
        record = with_role[row["Session ID"]]
        assert row["Profiles"] == str(record["totalProfiles"])
        assert row["Role"] == ROLE
        title = record["sessionTitle"]
        # A title a spreadsheet would run as a formula gets a leading quote (OWASP advice).
        assert row["Title"] == ("'" + title if title == FORMULA_TITLE else title)
