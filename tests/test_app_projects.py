"""All projects side by side under AppTest: KPIs per project, "by project" on two charts."""

from __future__ import annotations

import json

import pytest

from tests.apptest import kpis, new_app

#: No key from the machine, no data cached by another test (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("dashboard_env")


def all_projects(stub_server, keys):
    at = new_app()
    at.secrets["fj"] = {"projects": {"Backend": keys["test"], "Data team": keys["other"]}}
    at.secrets["FJ_API_BASE_URL"] = stub_server.base_url
    at.run()
    at.selectbox(key="fj_project").set_value("All projects").run()
    assert not at.exception, at.exception
    return at


def test_the_kpi_table_per_project_sums_to_the_totals(stub_server, keys):
    at = all_projects(stub_server, keys)
    table = next(df.value for df in at.dataframe if "project" in df.value.columns)
    assert list(table["project"]) == ["Backend", "Data team"]
    cards = kpis(at)
    assert f"{table['sessions'].sum():,}" == cards["Sessions"]
    assert f"{table['total_profiles'].sum():,}" == cards["Total profiles"]
    assert f"{table['zero_profile_sessions'].sum():,}" == cards["Sessions with 0 profiles"]
    assert (table["sessions"] > 0).all()


def test_one_project_has_no_table_per_project(stub_server, keys):
    at = all_projects(stub_server, keys)
    at.selectbox(key="fj_project").set_value("Backend").run()
    assert not any("project" in df.value.columns for df in at.dataframe)


def test_the_stacked_chart_stacks_by_project(stub_server, keys):
    at = all_projects(stub_server, keys)
    at.segmented_control(key="view_stack_by").set_value("project").run()
    over_time = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["name"] for trace in over_time["data"]} == {"Backend", "Data team"}
    assert over_time["layout"]["legend"]["title"]["text"] == "Project"


def test_breakdown_offers_by_project_and_its_groups_add_up(stub_server, keys):
    at = all_projects(stub_server, keys)
    at.switch_page("pages/breakdown.py").run()
    control = at.segmented_control(key="view_by")
    assert "Project" in control.options
    control.set_value("project").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    frame = at.session_state["fj_view"].filtered
    assert set(table["group"]) == {"Backend", "Data team"}
    assert table["sessions"].sum() == len(frame)
    assert table["profiles"].sum() == frame["total_profiles"].sum()
