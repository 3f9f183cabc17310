"""Text from the API is shown as text everywhere, never interpreted, and survives byte for byte.

Titles and JD texts carrying HTML, script, Markdown, Streamlit directives,
emoji, right-to-left marks, 10,000 characters or control characters go
through the dashboard under AppTest (table, detail panel, chart labels,
captions and messages) and through fj (load, frame, CSV export).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from fj import FJClient
from fj.export import FORMULA_TRIGGERS, to_csv
from fj.stub import Project
from fj.tables import sessions_table
from fj.wording import md_escape
from tests.apptest import figures_of_every_tab, new_app, record

KEY = "fjk_badtext_3e8d1c5a7b2f9046"

HOSTILE: dict[str, str] = {
    "html": "<b>bold</b> & <i>it</i> <img src=x onerror=alert(1)>",
    "script": '<script>alert("xss")</script>',
    "markdown": "**bold** _it_ [click me](https://evil.example) `code` # heading",
    "streamlit directives": ":red[alarm] :material/warning: $x^2$ :rainbow[yay]",
    "emoji": "👩🏽‍💻 Engineer 🚀 🇮🇳",
    "right-to-left": "مهندس برمجيات \u202eevil\u202c עברית",
    "very long": ("Senior <b>engineer</b> [x](y) " * 400)[:10_000],
    "control characters": "tab\there bell\x07 esc\x1b[31mred\x1b[0m nul\x00 del\x7f",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "line breaks": "one\ntwo\r\nthree",
}
#: Characters fj.wording.md_escape puts a backslash before.
MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~$:=&\"'")
T0 = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def hostile_records() -> list[dict]:
    """One session per hostile text: as its title, as its role and location, and in its JD."""
    records = []
    for n, text in enumerate(HOSTILE.values(), start=1):
        rec = record(n, title=text, profiles=n, created=T0 + dt.timedelta(days=n))
        label = text.splitlines()[0].replace(",", " ")  # a JD field runs to the next comma
        rec["jdDetail"]["userText"] = (
            f"Job Title: {label}, Experience: 2-4 years, Location: {label}\n{text}"
        )
        records.append(rec)
    return records


RECORDS = hostile_records()
BY_ID = {r["_id"]: r for r in RECORDS}


#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


@pytest.fixture
def hostile(stub_server, monkeypatch):
    """The stand-in serves the hostile sessions to KEY; the dashboard reads KEY from the env."""
    stub_server.set_project(KEY, Project(sessions=RECORDS))
    monkeypatch.setenv("FJ_API_KEY", KEY)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    return stub_server


def bare_specials(markdown: str) -> str:
    """The Markdown-special characters of ``markdown`` that no backslash escapes."""
    bare, escaped = [], False
    for char in markdown:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in MD_SPECIAL:
            bare.append(char)
    return "".join(bare)


def sessions_page(at: AppTest) -> pd.DataFrame:
    at.switch_page("pages/sessions.py").run()
    assert not at.exception
    return at.dataframe[0].value


# -- the dashboard ------------------------------------------------------------------------


def test_table_cells_equal_the_text_the_api_sent(hostile):
    table = sessions_page(new_app().run())
    assert len(table) == len(RECORDS)
    for _, row in table.iterrows():
        sent = BY_ID[row["Session ID"]]
        assert row["Title"] == sent["sessionTitle"]
        assert row["JD text"] == sent["jdDetail"]["userText"]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_detail_panel_shows_title_and_jd_as_plain_text(hostile, name):
    at = new_app().run()
    table = sessions_page(at)
    sent = RECORDS[list(HOSTILE).index(name)]
    row = int(table.index[table["Session ID"] == sent["_id"]][0])
    at.session_state["sessions_table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    # st.text never interprets its body: the exact strings, control characters and all.
    assert [t.value for t in at.text] == [sent["sessionTitle"], sent["jdDetail"]["userText"]]
    fields = {m.value.split(":** ", 1)[0]: m.value for m in at.markdown if m.value.startswith("**")}
    frame = at.session_state["fj_view"].filtered.set_index("session_id")
    for name_ in ("Role", "Location"):
        body = fields[f"**{name_}"].split(":** ", 1)[1]
        assert body == md_escape(frame.loc[sent["_id"], name_.lower()])
        assert bare_specials(body) == ""


def test_session_page_headings_carry_the_title_escaped(hostile):
    at = new_app().run()
    for sent in RECORDS:
        at.query_params["session"] = sent["_id"]  # as the Sessions table's link opens it
        at.switch_page("pages/session.py").run()
        assert not at.exception
        headings = [h.value for h in at.subheader]
        assert md_escape(sent["sessionTitle"]) in headings
        assert all(bare_specials(h) == "" for h in headings)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def shown_strings(spec: dict) -> list[str]:
    """Strings plotly renders as (HTML-capable) text: everything but customdata and templates."""
    found: list[str] = []

    def walk(value, key=""):
        if key in ("customdata", "hovertemplate", "template"):
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            found.append(value)

    walk(spec)
    return found


@pytest.mark.parametrize("page_file", ["pages/overview.py", "pages/breakdown.py"])
def test_chart_labels_are_html_escaped_in_the_figures_sent(hostile, page_file):
    at = new_app().run()
    at.switch_page(page_file).run()
    assert not at.exception
    roles = [r for r in at.session_state["fj_view"].filtered["role"].dropna().unique() if "<" in r]
    assert roles  # the hostile roles did reach the charts
    specs = figures_of_every_tab(at, page_file)
    shown = "\n".join(s for spec in specs for s in shown_strings(spec))
    for role in roles:
        assert role not in shown
    assert any(html.escape(role, quote=False) in shown for role in roles)
    for spec in specs:
        for trace in spec["data"]:
            # customdata holds the raw group for drill-down: never shown in a tooltip.
            assert "customdata[0]" not in trace.get("hovertemplate", "")


def test_captions_say_a_hostile_filter_and_project_name_escaped(stub_server, monkeypatch):
    stub_server.set_project(KEY, Project(sessions=RECORDS))
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    project = "**Team** <b>x</b> [link](https://evil.example) :red[y]"
    at = new_app()
    at.secrets["fj"] = {"projects": {project: KEY}}
    at.run()
    role = next(r for r in at.multiselect(key="f_roles").options if r.startswith("<script"))
    at.multiselect(key="f_roles").select(role).run()
    assert not at.exception
    [caption] = [c.value for c in at.caption if " sessions · " in c.value]
    assert md_escape(project) in caption and project not in caption
    assert md_escape(role) in caption and role not in caption


def test_a_hostile_link_value_is_named_escaped_in_its_notice(hostile):
    at = new_app()
    at.query_params["tz"] = "**x** <script>alert(1)</script> [y](z)"
    at.run()
    assert not at.exception
    [notice] = [c.value for c in at.sidebar.caption if "Ignored timezone" in c.value]
    assert bare_specials(notice.removeprefix(":material/info: ")) == ""


def test_the_apis_own_message_is_shown_escaped_in_the_error(stub_server, monkeypatch):
    message = "**Down** <script>alert(1)</script> [help](https://evil.example) :red[x]"
    body = {"statusCode": 500, "status": "FAILURE", "message": message, "data": []}
    stub_server.set_project(KEY, Project(raw=json.dumps(body).encode()))
    monkeypatch.setenv("FJ_API_KEY", KEY)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = new_app().run()
    assert not at.exception
    [error] = at.error
    assert error.value.startswith("**Unexpected response**")
    said = error.value.split("The API said", 1)[1]
    assert "Down" in said and "alert" in said  # the API's words are there...
    assert bare_specials(said) == ""  # ...and none of them is Markdown or HTML


# -- fj: load, frame, CSV -------------------------------------------------------------------


def test_text_survives_load_frame_and_csv_byte_for_byte(hostile):
    with FJClient(KEY, hostile.base_url) as client:
        frame = client.fetch_sessions().frame
    assert frame["title"].tolist() == [r["sessionTitle"] for r in RECORDS]
    assert frame["jd_text"].tolist() == [r["jdDetail"]["userText"] for r in RECORDS]

    table = sessions_table(frame, "Asia/Kolkata")  # as the Sessions page builds its CSV
    back = pd.read_csv(io.BytesIO(to_csv(table, tz="Asia/Kolkata")), dtype=str,
                       keep_default_na=False)  # fmt: skip
    for column in ("Title", "JD text", "Role", "Location", "Session ID"):
        expected = table[column].astype("string").fillna("").tolist()
        documented = ["'" + v if v.startswith(FORMULA_TRIGGERS) else v for v in expected]
        assert back[column].tolist() == documented, column
    assert back["Title"].tolist()[list(HOSTILE).index("formula")].startswith("'=HYPERLINK")
