"""Excel export: the sessions table as a real workbook, read back with openpyxl cell by cell.

Dates are Excel dates of the local time in the viewer's zone, numbers are numbers,
unstated values are empty, every text cell is a string (a title starting with "=" too),
nothing is a formula, the header is frozen, and a "View" sheet says which view it is.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from frames import frame_of_rows

from fj.export import excel_filename, sessions_xlsx, to_csv, to_xlsx
from fj.filters import NOT_STATED, Filters
from fj.tables import sessions_table

FETCHED = dt.datetime(2024, 5, 15, 6, 30, tzinfo=dt.UTC)
HOSTILE = [
    "=1+2",
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    "http://evil.example",
    "0042",
    "TRUE",
    "\tTab first",
]

FRAME = frame_of_rows(
    # id, created_at, profiles, role, location, experience, title, sourcing minutes
    ("s1", "2024-05-14T20:00:00.250Z", 30, "Data Engineer", "Pune", "1-5 yrs", HOSTILE[0], 20),
    ("s2", "2024-05-13T10:00:00Z", 0, "=cmd|' /C calc'!A0", "@Pune", "3+ yrs", HOSTILE[1], 5),
    ("s3", None, None, None, None, None, HOSTILE[2]),
    *[
        (f"s{i + 4}", "2024-05-10T10:00:00Z", i, "QA Engineer", "Remote", "1-5 yrs", title, 1)
        for i, title in enumerate(HOSTILE[3:])
    ],
)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows()
    names = [c.value for c in header]
    return [dict(zip(names, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def book():
    data = sessions_xlsx(
        FRAME,
        total=10,
        project="Backend hiring",
        filters=Filters(roles=("Data Engineer",), date="30d"),
        tz="Asia/Kolkata",
        fetched_at=FETCHED,
    )
    return data, workbook(data)


def test_one_row_per_session_under_a_frozen_header(book):
    _, wb = book
    sheet = wb["Sessions"]
    assert wb.sheetnames == ["Sessions", "View"]
    assert sheet.max_row == len(FRAME) + 1
    assert [c.value for c in sheet[1]] == list(sessions_table(FRAME, "UTC").columns)
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_times_are_excel_dates_of_the_local_time_in_the_viewers_zone(book):
    _, wb = book
    s1, s2, s3 = rows_of(wb["Sessions"])[:3]
    # 2024-05-14 20:00:00.250 UTC is 15 May 01:30:00.250 in Kolkata (UTC+5:30).
    assert s1["Created"].is_date  # openpyxl reads a date-formatted number as a datetime
    assert s1["Created"].value == dt.datetime(2024, 5, 15, 1, 30, 0, 250_000)
    assert s1["Updated"].value == dt.datetime(2024, 5, 15, 1, 50, 0, 250_000)
    assert "yyyy-mm-dd" in s1["Created"].number_format
    assert s2["Created"].value == dt.datetime(2024, 5, 13, 15, 30)
    assert s3["Created"].value is None  # no creation date: an empty cell


def test_numbers_are_numbers_and_unknown_values_are_empty(book):
    _, wb = book
    s1, s2, s3 = rows_of(wb["Sessions"])[:3]
    assert (s1["Profiles"].value, s1["Profiles"].data_type) == (30, "n")
    assert s2["Profiles"].value == 0
    assert s3["Profiles"].value is None
    assert s1["Sourcing time (min)"].value == 20.0
    # What the JD did not state is an empty cell, not the words "(not stated)".
    assert (s3["Role"].value, s3["Location"].value, s3["Experience"].value) == (None, None, None)


def test_every_text_cell_is_a_string_never_a_formula(book):
    data, wb = book
    by_id = {row["Session ID"].value: row for row in rows_of(wb["Sessions"])}
    titles = [by_id[f"s{i + 1}"]["Title"] for i in range(len(HOSTILE))]
    assert [c.value for c in titles] == HOSTILE  # exactly as sent: no quote added
    assert all(c.data_type == "s" for c in titles)
    assert by_id["s2"]["Role"].value == "=cmd|' /C calc'!A0"
    assert by_id["s2"]["Location"].value == "@Pune"
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert cell.hyperlink is None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_widths_fit_the_content_within_bounds(book):
    _, wb = book
    sheet = wb["Sessions"]
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    assert widths["Title"] >= len(HOSTILE[1])  # the longest title fits
    assert widths["Profiles"] < widths["Title"]
    assert widths["JD text"] <= 61  # long text is capped, not miles wide


def test_the_view_sheet_says_which_view_it_is(book):
    _, wb = book
    about = {name: value for name, value in wb["View"].iter_rows(values_only=True)}
    filters = Filters(roles=("Data Engineer",), date="30d")
    assert about == {
        "Rows": f"{len(FRAME)} of 10 sessions",
        "Filters": filters.describe(),
        "Project": "Backend hiring",
        "Timezone": "Asia/Kolkata",
        "Fetched at": "2024-05-15 12:00:00 (Asia/Kolkata)",
        "Link parameters": "date=30d&role=Data Engineer",
    }


def test_a_view_sheet_text_starting_with_equals_is_a_string():
    data = to_xlsx(
        pd.DataFrame({"a": [1]}), about={"Filters": '=HYPERLINK("http://x","y")', "@x": "+1"}
    )
    about = workbook(data)["View"]
    assert [(c.value, c.data_type) for c in about[1]] == [
        ("Filters", "s"),
        ('=HYPERLINK("http://x","y")', "s"),
    ]
    assert [(c.value, c.data_type) for c in about[2]] == [("@x", "s"), ("+1", "s")]


def test_an_empty_view_is_a_header_only():
    data = sessions_xlsx(
        FRAME.iloc[:0], total=0, project="P", filters=Filters(), tz="UTC", fetched_at=FETCHED
    )
    sheet = workbook(data)["Sessions"]
    assert sheet.max_row == 1


def test_other_tables_keep_their_types():
    frame = pd.DataFrame(
        {
            "Name": pd.Series(["=x", None, ""], dtype="str"),
            "Score": [4.5, float("nan"), float("inf")],
            "Strong": [True, False, True],
            "Group": pd.Categorical(["a", NOT_STATED, None]),
        }
    )
    rows = list(workbook(to_xlsx(frame, sheet="Candidates"))["Candidates"].iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in rows[0]] == [
        ("=x", "s"),
        (4.5, "n"),
        (True, "b"),
        ("a", "s"),
    ]
    assert [c.value for c in rows[1]] == [None, None, False, None]
    assert [c.value for c in rows[2]] == [None, None, True, None]  # infinity: no Excel value


def test_the_excel_file_is_named_as_the_csv():
    assert excel_filename("fj-sessions_p_all_2024-05-15.csv") == "fj-sessions_p_all_2024-05-15.xlsx"


def test_the_excel_friendly_csv_writes_local_times_excel_reads_as_dates():
    table = sessions_table(FRAME.iloc[:2], "Asia/Kolkata")
    text = to_csv(table, tz="Asia/Kolkata", excel=True).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert list(back["Created"]) == ["2024-05-15 01:30:00", "2024-05-13 15:30:00"]
    plain = pd.read_csv(io.BytesIO(to_csv(table, tz="Asia/Kolkata")), dtype=str)
    assert plain.loc[0, "Created"] == "2024-05-15T01:30:00.250+05:30"  # without the option: ISO


@pytest.mark.timeout(600)
def test_the_cli_writes_the_same_workbook_as_the_sessions_page(tmp_path):
    import os
    import subprocess
    import sys

    from fj.demo import DEMO_PROJECT_NAME, demo_payload
    from fj.frame import load_sessions
    from tests.apptest import ROOT

    out = tmp_path / "sessions.xlsx"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FJ_")}
    done = subprocess.run(
        [sys.executable, "-m", "fj", "sessions", "--demo", "--format", "xlsx", "-o", str(out),
         "--role", "Data Engineer", "--tz", "Asia/Kolkata"],
        capture_output=True, cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    frame = load_sessions(demo_payload()).frame
    filters, _ = Filters.from_query({"role": "Data Engineer"})
    shown = filters.apply(frame, now=dt.datetime.now(dt.UTC), tz="Asia/Kolkata")
    page = workbook(
        sessions_xlsx(
            shown,
            total=len(frame),
            project=DEMO_PROJECT_NAME,
            filters=filters,
            tz="Asia/Kolkata",
            fetched_at=FETCHED,
        )
    )
    cli = workbook(out.read_bytes())
    assert 1 < cli["Sessions"].max_row < len(frame)
    assert list(cli["Sessions"].values) == list(page["Sessions"].values)
    about, expected = dict(cli["View"].values), dict(page["View"].values)
    assert about.pop("Fetched at").endswith("(Asia/Kolkata)")
    expected.pop("Fetched at")
    assert about == expected
