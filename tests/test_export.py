"""CSV export: exactly the rows shown, formula cells neutralised, numbers untouched, Excel-ready."""

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from frames import frame_of_rows, synthetic_sessions

from fj.export import FORMULA_TRIGGERS, csv_filename, neutralise, to_csv
from fj.filters import Filters

HOSTILE = [
    "=1+2",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    "\tTab first",
    "\rCR first",
    "\nLF first",
    '=HYPERLINK("http://x.test","click")',
    'He said "hi", then left',
    "a,b,c",
    "line 1\nline 2\r\nline 3",
    "emoji 😀 and accents éü",
    "RTL \u202eevil\u202c and عربى",
    "'already quoted",
    " =leading space",
    "NA",
    "",
]


def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def expected(value: str) -> str:
    return "'" + value if value[:1] in FORMULA_TRIGGERS else value


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_each_formula_trigger_gets_a_leading_quote(trigger):
    assert neutralise(trigger + "cmd") == "'" + trigger + "cmd"
    frame = pd.DataFrame({"title": pd.Series([trigger + "cmd", "safe"], dtype="str")})
    assert list(read_back(to_csv(frame))["title"]) == ["'" + trigger + "cmd", "safe"]


def test_other_text_is_left_alone():
    for value in ("Pune", "'quoted", " =x", "", "a=b", "3-5 yrs"):
        assert neutralise(value) == value


def test_hostile_text_round_trips_apart_from_the_leading_quote():
    frame = pd.DataFrame(
        {
            "text": pd.Series(HOSTILE, dtype="str"),
            "category": pd.Categorical(HOSTILE),
            "object": pd.Series(HOSTILE, dtype=object),
        }
    )
    back = read_back(to_csv(frame))
    want = [expected(v) for v in HOSTILE]
    assert list(back["text"]) == want
    assert list(back["category"]) == want
    assert list(back["object"]) == want


def test_formula_in_a_sessions_frame_category_and_title_is_neutralised():
    frame = frame_of_rows(("s1", None, 5, "=cmd|' /C calc'!A0", "@Pune", "1-5 yrs", "-title"))
    back = read_back(to_csv(frame))
    assert back.loc[0, "role"] == "'=cmd|' /C calc'!A0"
    assert back.loc[0, "location"] == "'@Pune"
    assert back.loc[0, "title"] == "'-title"
    assert back.loc[0, "jd_text"].startswith("Job Title: =cmd")  # not leading: left alone


def test_numbers_are_untouched_even_when_negative():
    frame = pd.DataFrame(
        {
            "count": pd.array([-3, None, 7], dtype="Int64"),
            "ratio": [-2.5, np.nan, 0.25],
            "mixed": pd.Series(["=x", -4, None], dtype=object),
        }
    )
    lines = to_csv(frame).decode().splitlines()
    assert lines == ['"count","ratio","mixed"', '-3,-2.5,"\'=x"', ',,"-4"', "7,0.25,"]
    back = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert back["count"].tolist()[::2] == [-3, 7]
    assert back["ratio"].tolist()[0] == -2.5


def test_times_are_iso_8601_in_the_viewers_timezone_with_offset():
    frame = frame_of_rows(
        ("winter", "2024-01-15T08:00:00.123Z", 1),
        ("summer", "2024-07-15T08:00:00Z", 1),
        ("undated", None, 1),
    )[["session_id", "created_at"]]
    assert read_back(to_csv(frame, tz="America/New_York"))["created_at"].tolist() == [
        "2024-01-15T03:00:00.123-05:00",
        "2024-07-15T04:00:00.000-04:00",
        "",
    ]
    kolkata = read_back(to_csv(frame, tz="Asia/Kolkata"))["created_at"][0]
    assert kolkata == "2024-01-15T13:30:00.123+05:30"
    assert read_back(to_csv(frame))["created_at"][1] == "2024-07-15T08:00:00.000+00:00"
    parsed = pd.to_datetime(kolkata)
    assert parsed == pd.Timestamp("2024-01-15T08:00:00.123", tz="UTC")
    naive = frame.assign(created_at=frame["created_at"].dt.tz_localize(None))
    assert read_back(to_csv(naive))["created_at"][0] == "2024-01-15T08:00:00.123"


def test_only_the_given_rows_and_columns_in_their_order():
    frame = frame_of_rows(("s1", None, 1, "A"), ("s2", None, 2, "B"), ("s3", None, 3, "C"))
    shown = frame[["role", "session_id"]].iloc[[2, 0]]
    assert to_csv(shown).decode() == '"role","session_id"\r\n"C","s3"\r\n"A","s1"\r\n'


def test_duplicate_and_formula_column_names_survive():
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "a", "=b"])
    assert to_csv(frame).decode().splitlines()[0] == '"a","a","\'=b"'


def test_byte_order_mark_only_for_excel():
    frame = pd.DataFrame({"city": pd.Series(["Zürich"], dtype="str")})
    plain, excel = to_csv(frame), to_csv(frame, excel=True)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert excel == b"\xef\xbb\xbf" + plain
    assert plain.decode("utf-8") == '"city"\r\n"Zürich"\r\n'


def test_no_sessions_export_the_header_only():
    frame = frame_of_rows(("s1", "2024-01-15T08:00:00Z", 1)).iloc[:0]
    assert to_csv(frame).decode().splitlines() == [",".join(f'"{c}"' for c in frame.columns)]


def test_a_hundred_thousand_sessions_export_every_row():
    frame = synthetic_sessions(100_000)
    frame.loc[::1000, "title"] = "=cmd"
    back = read_back(to_csv(frame, tz="Asia/Kolkata"))
    assert len(back) == 100_000
    assert (back["title"] == "'=cmd").sum() == 100
    assert back["session_id"].tolist() == frame["session_id"].tolist()


def test_filename_names_project_filters_and_day():
    filters = Filters(date="30d", roles=(".NET Developer",))
    now = dt.datetime(2024, 5, 15, 23, 30, tzinfo=dt.UTC)
    assert csv_filename(".NET Hiring – Pune", filters, now) == (
        "fj-sessions_net-hiring-pune_30d_role-net-developer_2024-05-15.csv"
    )
    assert csv_filename("Acme", Filters(), now) == "fj-sessions_acme_all_2024-05-15.csv"


@pytest.mark.parametrize(
    "project", ["../../etc/passwd", "CON", "データ採用", "a" * 500, 'x:y*z?"<>|\\\x00']
)
def test_filename_is_ascii_safe_and_bounded_for_any_project(project):
    filters = Filters(roles=("Ünïcödé " * 20,), q="/../", locations=("<x>",))
    name = csv_filename(project, filters, dt.datetime(2024, 5, 15))
    assert re.fullmatch(r"fj-sessions_[a-z0-9-]+_[a-z0-9_-]+_2024-05-15\.csv", name)
    assert len(name) <= 180
