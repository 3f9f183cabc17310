"""Exports safe from every button: on each page with a table holding a hostile title, the
table toolbar has no download of its own, and every download a viewer can click writes no
formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.known_project import FORMULA_TITLE, known_records

pytestmark = pytest.mark.browser

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Every page that draws a table (and what to do for its tables to show).
PAGES = {
    "sessions": ("sessions?q=HYPERLINK", None),
    "session": ("sessions?q=HYPERLINK", "open_session"),  # the formula-titled session
    "breakdown": ("breakdown", None),
    "candidates": ("candidates", "project_load"),
    "data": ("data", None),
}


def _open_formula_session(app) -> None:
    assert FORMULA_TITLE in {r["sessionTitle"] for r in known_records()}
    app.expect_rows(1)
    app.select_row(0)
    app.main.get_by_test_id("stPageLink").filter(has_text="Open session").click()
    expect(app.main.locator("h1")).to_have_text("Session")
    app.settle()


def _cells(path: Path, name: str) -> list[str]:
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(path.read_bytes()))  # the saved file has no suffix
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: a formula in {cell.coordinate}"
                    cells.append("" if cell.value is None else str(cell.value))
        return cells
    text = path.read_bytes().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_table_toolbar_download_and_every_download_is_safe(open_app, known_app, name):
    path, button_key = PAGES[name]
    app = open_app(known_app, path)
    if button_key == "open_session":
        _open_formula_session(app)
    elif button_key:
        app.main.locator(f".st-key-{button_key} button").click()
        app.settle()
    for summary in app.main.locator("[data-testid=stExpander] details:not([open]) summary").all():
        summary.click()  # tables in expanders too
    tables = app.main.get_by_test_id("stDataFrame")
    expect(tables.first).to_be_visible()
    for i in range(tables.count()):
        table = tables.nth(i)
        table.scroll_into_view_if_needed()
        table.hover()
        toolbar = app.main.get_by_test_id("stElementToolbar").nth(i)
        # The toolbar shows (search, full screen) but offers no download of its own.
        expect(toolbar.get_by_role("button").first).to_be_visible()
        expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)
    expect(app.page.get_by_role("button", name="Download as CSV")).to_have_count(0)

    downloads = app.main.get_by_test_id("stDownloadButton")
    for i in range(downloads.count()):
        with app.page.expect_download() as download:
            downloads.nth(i).locator("button").click()
        file = download.value
        cells = _cells(Path(file.path()), file.suggested_filename)
        assert cells, file.suggested_filename
        if file.suggested_filename.endswith(".xlsx"):
            continue  # text cells, exactly as sent: _cells checked that none is a formula
        assert FORMULA_TITLE not in cells  # written with its leading quote, if at all
        risky = [c for c in cells if c.startswith(FORMULA_START) and not _number(c)]
        assert not risky, (file.suggested_filename, risky[:5])
    if name in ("sessions", "session"):
        assert downloads.count() >= 1  # our own download is beside the table


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
