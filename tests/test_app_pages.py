"""Each page under AppTest: what it draws, with numbers checked against the loaded frame."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from fj.stub import Project
from tests.apptest import CHART_TABS, new_app, params, record, texts

#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


def on_page(path: str) -> AppTest:
    at = new_app().run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def decoded(values) -> np.ndarray:
    """Plotly 7 stores numeric arrays as {"dtype", "bdata"} in figure JSON."""
    if isinstance(values, dict) and "bdata" in values:
        import base64

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def open_tab(at: AppTest, label: str) -> dict:
    """Open one of the Overview's chart tabs; return its one figure (a closed tab draws none)."""
    at.session_state["view_chart"] = label
    at.run()
    assert not at.exception, at.exception
    (figure,) = figures(at)
    return figure


def test_overview_charts_add_up_to_the_kpis(served):
    at = on_page("pages/overview.py")
    frame = at.session_state["fj_view"].filtered
    dated = frame[frame["created_at"].notna()]
    (over_time,) = figures(at)  # only the open tab's chart: Over time
    cumulative = open_tab(at, "Running total")
    top = open_tab(at, "Top roles")
    profiles_over_time = sum(decoded(trace["y"]).sum() for trace in over_time["data"])
    assert profiles_over_time == int(dated["total_profiles"].sum())
    # A solid line, and a dashed step into the week not over yet when there is one.
    running = np.concatenate([decoded(trace["y"]) for trace in cumulative["data"]])
    assert running[-1] == int(dated["total_profiles"].sum())
    assert len(running) < 60  # weekly buckets, not one point per session
    top_total = decoded(top["data"][0]["x"]).sum()
    assert top_total == int(dated["total_profiles"].sum())  # named roles, Other, not stated


def test_overview_day_week_month_selector_changes_the_buckets(served):
    at = on_page("pages/overview.py")
    weeks = len(decoded(figures(at)[0]["data"][0]["y"]))
    at.segmented_control(key="view_freq").set_value("M").run()
    months = len(decoded(figures(at)[0]["data"][0]["y"]))
    assert months < weeks
    assert at.query_params["freq"] in ("M", ["M"])


def test_sessions_table_shows_the_filtered_rows_and_columns(served):
    at = on_page("pages/sessions.py")
    table = at.dataframe[0].value
    frame = at.session_state["fj_view"].filtered
    assert len(table) == len(frame)
    assert list(table.columns) == [
        "Created", "Title", "Role", "Location", "Experience", "Years asked", "Profiles",
        "Sourcing time (min)", "Updated", "Session ID", "JD text",
    ]
    assert table["Profiles"].sum() == frame["total_profiles"].sum()
    csv, excel = at.get("download_button")
    assert csv.proto.label == f"Download CSV ({len(table):,} rows)"
    assert excel.proto.label == f"Download Excel ({len(table):,} rows)"


def test_detail_panel_shows_a_session_in_full_and_as_text():
    def panel():
        import pandas as pd

        from ui.details import session_details

        session_details(pd.Series({
            "Title": "**Senior** <b>.NET</b> [Dev](http://x)",
            "Session ID": "69f0f0d162a797f8a4390c08",
            "Created": pd.Timestamp("2026-04-28 17:39", tz="Asia/Kolkata"),
            "Updated": pd.Timestamp("2026-04-28 18:03", tz="Asia/Kolkata"),
            "Sourcing time (min)": 23.8,
            "Profiles": 100,
            "Role": "Senior .NET Developer",
            "Location": None,
            "Experience": "3-5 yrs",
            "Years asked": "4-8 yrs",
            "JD text": "Job Title: Senior .NET Developer\n<script>x</script>",
        }))

    at = AppTest.from_function(panel).run()
    assert not at.exception
    assert at.text[0].value == "**Senior** <b>.NET</b> [Dev](http://x)"
    assert at.text[1].value.endswith("<script>x</script>")
    shown = [m.value for m in at.markdown]
    assert r"**Session ID:** 69f0f0d162a797f8a4390c08" in shown
    assert r"**Location:** –" in shown
    assert r"**Sourcing time (min):** 23\.8" in shown
    # Times as a person reads them, in the zone the table shows them in.
    assert r"**Created:** 2026\-04\-28 17\:39 IST" in shown
    assert r"**Updated:** 2026\-04\-28 18\:03 IST" in shown
    assert r"**Experience:** 3\-5 yrs" in shown and r"**Years asked:** 4\-8 yrs" in shown


def test_breakdown_groups_add_up_and_follow_the_selector(served):
    at = on_page("pages/breakdown.py")
    frame = at.session_state["fj_view"].filtered
    table = at.dataframe[0].value
    assert table["sessions"].sum() == len(frame)
    assert table["profiles"].sum() == frame["total_profiles"].sum()
    at.segmented_control(key="view_by").set_value("location").run()
    table = at.dataframe[0].value
    assert set(table["group"]) == set(frame["location"].dropna()) | (
        {"(not stated)"} if frame["location"].isna().any() else set()
    )
    assert at.query_params["by"] in ("location", ["location"])


def test_breakdown_draws_only_its_open_tab_and_keeps_it_in_the_link(served):
    at = on_page("pages/breakdown.py")
    assert [tab.label for tab in at.tabs] == list(CHART_TABS["pages/breakdown.py"][1])
    (groups,) = figures(at)
    assert "chart_breakdown_role" in at.get("plotly_chart")[0].proto.id
    frame = at.session_state["fj_view"].filtered
    bars = np.concatenate([decoded(trace["x"]) for trace in groups["data"]])
    table = at.dataframe[0].value  # the groups, largest first; the chart shows the top ones
    assert bars.sum() == table["profiles"].nlargest(len(bars)).sum()
    drill_hint = "Click a bar (or a point)"
    assert any(drill_hint in c.value for c in at.caption)
    assert not at.segmented_control(key="view_by").proto.disabled
    at.session_state["view_bd_chart"] = "Profiles per session"
    at.run()
    (spread,) = figures(at)
    # The histogram is of the whole view: no groups, no measure, no drill-down to promise.
    assert at.segmented_control(key="view_by").proto.disabled
    assert at.segmented_control(key="view_bd_metric").proto.disabled
    assert not any(drill_hint in c.value for c in at.caption)
    assert "chart_histogram" in at.get("plotly_chart")[0].proto.id
    assert sum(decoded(trace["y"]).sum() for trace in spread["data"]) == len(frame)
    assert params(at, "tab") == ["spread"]
    at.session_state["view_bd_chart"] = "Sourcing time"
    at.run()
    assert "chart_sourcing_role" in at.get("plotly_chart")[0].proto.id
    assert params(at, "tab") == ["time"]
    assert not at.segmented_control(key="view_by").proto.disabled  # bubbles per group
    assert at.segmented_control(key="view_bd_metric").proto.disabled
    # The table below the tabs holds the groups whichever tab is open.
    assert at.dataframe[0].value["sessions"].sum() == len(frame)

    linked = new_app()
    linked.query_params["tab"] = "spread"
    linked.run()
    linked.switch_page("pages/breakdown.py").run()
    assert "chart_histogram" in linked.get("plotly_chart")[0].proto.id


def test_a_narrowed_role_filter_narrows_the_breakdown(served):
    at = on_page("pages/breakdown.py")
    frame = at.session_state["fj_view"].filtered
    role = frame["role"].value_counts().index[0]
    # What a click on a bar does: the callback narrows the shared role filter.
    at.session_state["f_roles"] = [role]
    at.run()
    assert at.multiselect(key="f_roles").value == [role]
    assert at.dataframe[0].value["sessions"].sum() == (frame["role"] == role).sum()


def test_data_page_lists_every_problem_and_the_source(stub_server, monkeypatch):
    records = [
        record(1, title="Fine", profiles=10, created=None),
        record(2, title="Dup", profiles=-3, created=None),
        record(2, title="Dup again", profiles=5, created=None),
    ]
    records[0]["createdAt"] = "yesterday"
    key = "fjk_problems_0123456789"
    stub_server.set_project(key, Project(sessions=records))
    monkeypatch.setenv("FJ_API_KEY", key)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = on_page("pages/data.py")
    problems = at.dataframe[0].value
    problem_text = " | ".join(problems["field"] + ": " + problems["problem"])
    assert "createdAt: not a date" in problem_text
    assert "totalProfiles: negative" in problem_text
    assert "_id: duplicate" in problem_text
    source = dict(at.table[0].value.itertuples(index=False, name=None))
    assert source["Where the key comes from"] == "Key from the environment (FJ_API_KEY)"
    assert source["Key"] == "fjk_…6789"
    assert source["API host"] == stub_server.base_url.split("/")[2]
    assert source["Records received"] == "3"
    assert key not in texts(at) and key not in at.table[0].value.to_string()
    [raw] = at.json
    assert json.loads(raw.proto.body)["sessionTitle"] == "Fine"


def test_data_page_on_the_demo_names_the_bundled_file_not_a_host():
    at = on_page("pages/data.py")
    source = dict(at.table[0].value.itertuples(index=False, name=None))
    assert source["Where the key comes from"] == "Bundled demo project (no key configured)"
    assert source["API host"] == "none (bundled file)"
    assert source["Base URL set in"] == "not used"
    assert source["Key"] == "(none)"


def test_data_page_says_where_role_location_and_experience_come_from(stub_server, monkeypatch):
    records = [record(i, title="Data Engineer", profiles=10, created=None) for i in range(3)]
    records[1]["jdDetail"]["userText"] = "We are hiring in Mumbai with 4-8 years of experience."
    records[2]["sessionTitle"] = "Go Developer - Pune"
    records[2]["jdDetail"] = None
    key = "fjk_sources_0123456789"
    stub_server.set_project(key, Project(sessions=records))
    monkeypatch.setenv("FJ_API_KEY", key)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    at = on_page("pages/data.py")
    table = at.dataframe[-1].value.set_index("Field")
    assert table.loc["Role"].tolist() == [1, 0, 2, 0]  # label, prose, title, not stated
    assert table.loc["Location"].tolist() == [1, 1, 1, 0]
    assert table.loc["Experience"].tolist() == [1, 1, 0, 1]
    assert "5 of 9 fields (55.6%) came from JD prose or the session title" in texts(at)


def test_every_page_has_a_friendly_empty_state(stub_server, monkeypatch):
    key = "fjk_empty_0123456789"
    stub_server.set_project(key, Project(sessions=[]))
    monkeypatch.setenv("FJ_API_KEY", key)
    monkeypatch.setenv("FJ_API_BASE_URL", stub_server.base_url)
    for path in ("pages/overview.py", "pages/sessions.py", "pages/breakdown.py"):
        at = on_page(path)
        assert any("no sourcing sessions yet" in i.value for i in at.info), path
        assert not at.get("plotly_chart")


def test_no_page_changes_the_cached_frame_every_viewer_shares(served):
    import pandas as pd

    at = new_app().run()
    shared = at.session_state["fj_view"].data
    frame_before = shared.all_sessions.copy(deep=True)
    problems_before = shared.problems.copy(deep=True)
    pages = ["pages/overview.py", "pages/sessions.py", "pages/breakdown.py",
             "pages/session.py", "pages/candidates.py", "pages/data.py"]
    for path in pages:
        at.switch_page(path).run()
        assert not at.exception, path
    at.switch_page("pages/overview.py").run()
    at.multiselect(key="f_roles").select(frame_before["role"].dropna().iloc[0]).run()
    at.segmented_control(key="view_freq").set_value("D").run()
    at.switch_page("pages/sessions.py").run()
    assert at.session_state["fj_view"].data is shared  # the same object, not a copy
    pd.testing.assert_frame_equal(shared.all_sessions, frame_before)
    pd.testing.assert_frame_equal(shared.problems, problems_before)


def test_the_overview_says_what_its_numbers_mean(served):
    at = on_page("pages/overview.py")
    glossary = next(e for e in at.expander if e.label == "What these numbers mean")
    words = " ".join(m.value for m in glossary.markdown)
    for term in ("**Session**", "**Profile**", "**Sourcing time**", "**Cohort**"):
        assert term in words
