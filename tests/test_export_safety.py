"""Exports as users get them: the Sessions page's CSV and the CLI's, on hostile sessions.

tests/test_export.py proves ``to_csv`` on hand-made frames; here the same
guarantees hold end to end: records from the stand-in, the table the Sessions
page shows (``sessions_table``, then ``to_csv``, as pages/sessions.py builds
its download) and ``python -m fj sessions`` over HTTP.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from fj import FJClient
from fj.export import FORMULA_TRIGGERS, to_csv
from fj.stub import Project
from fj.tables import sessions_table
from tests.apptest import ROOT, record

KEY = "fjk_exports_8a1f4c6e2d9b7053"
T0 = dt.datetime(2024, 5, 15, 8, 0, tzinfo=dt.UTC)
FORMULAS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "\nLF",
            '=HYPERLINK("http://evil.example","x")']  # fmt: skip


def hostile_records() -> list[dict]:
    """Sessions whose title, role and location start like formulas; one finished 'before' it
    started, so its sourcing time is negative."""
    records = []
    for n, text in enumerate(FORMULAS, start=1):
        rec = record(n, title=text, profiles=n, created=T0 + dt.timedelta(hours=n))
        label = text.strip().split(",")[0]  # what the JD parser can read back as a field
        rec["jdDetail"]["userText"] = (
            f"Job Title: {label}, Experience: 1-3 years, Location: {label}"
        )
        records.append(rec)
    records[0]["updatedAt"] = "2024-05-15T08:30:00.000Z"  # 30 min before it was created
    return records


RECORDS = hostile_records()


@pytest.fixture
def hostile(stub_server):
    stub_server.set_project(KEY, Project(sessions=RECORDS))
    return stub_server


def neutralised(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def test_the_sessions_page_csv_neutralises_text_and_leaves_numbers_alone(hostile):
    with FJClient(KEY, hostile.base_url) as client:
        frame = client.fetch_sessions().frame
    table = sessions_table(frame, "Asia/Kolkata")
    data = to_csv(table, tz="Asia/Kolkata")
    text = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    typed = pd.read_csv(io.BytesIO(data))

    assert list(text.columns) == list(table.columns)
    assert text["Title"].tolist() == [neutralised(r["sessionTitle"]) for r in RECORDS]
    for column in ("Role", "Location", "JD text"):
        shown = table[column].astype("string").fillna("").tolist()
        assert text[column].tolist() == [neutralised(v) for v in shown]
    assert any(v.startswith("'") for v in text["Role"])  # hostile roles did get here
    # Numbers stay numbers, even negative ones (a spreadsheet would not run "-0.5").
    assert typed["Profiles"].tolist() == [r["totalProfiles"] for r in RECORDS]
    assert typed["Sourcing time (min)"].tolist() == table["Sourcing time (min)"].tolist()
    assert typed["Sourcing time (min)"][0] < 0
    # Every text cell is quoted; numeric cells are not.
    first_row = data.decode().split("\r\n")[1]
    assert first_row.startswith('"2024-05-15T14:30:00.000+05:30","\'=1+2",')


def cli(*args: str, base_url: str, tmp_path) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "fj", "sessions", *args],
        capture_output=True,
        env={
            "FJ_API_KEY": KEY,
            "FJ_API_BASE_URL": base_url,
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },  # fmt: skip
        cwd=tmp_path,  # no .streamlit/secrets.toml here
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_the_cli_csv_is_neutralised_and_excel_friendly_on_request(hostile, tmp_path):
    data = cli("--format", "csv", "--excel", "--tz", "UTC", base_url=hostile.base_url,
               tmp_path=tmp_path)  # fmt: skip
    assert data.startswith(codecs.BOM_UTF8)
    back = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["title"].tolist() == [neutralised(r["sessionTitle"]) for r in RECORDS]
    assert back["created_at"][0] == "2024-05-15 09:00:00"  # local time Excel reads as a date
    assert back["total_profiles"].tolist() == [str(r["totalProfiles"]) for r in RECORDS]


def test_the_cli_json_keeps_every_text_exactly(hostile, tmp_path):
    rows = json.loads(cli("--format", "json", base_url=hostile.base_url, tmp_path=tmp_path))
    # JSON is read by programs, not spreadsheets: nothing is prefixed.
    assert [r["title"] for r in rows] == [r["sessionTitle"] for r in RECORDS]
    assert [r["jd_text"] for r in rows] == [r["jdDetail"]["userText"] for r in RECORDS]
