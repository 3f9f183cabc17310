"""The Overview's charts sit in tabs and only the open one is built and drawn; the chart
controls rebuild only what they change (ui.charts.reused), and a reused chart is the same
chart: same traces, data and customdata, its title still drawn."""

from __future__ import annotations

import json

import pytest

from tests.apptest import new_app

pytestmark = pytest.mark.usefixtures("dashboard_env")

CHARTS = ("chart_over_time", "chart_cumulative", "chart_top_roles")
TABS = {"time": "Over time", "total": "Running total", "roles": "Top roles"}


def specs(at) -> dict[str, dict]:
    """The plotly figures on the page by their key: traces and layout as Streamlit sends them."""
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        key = next(k for k in CHARTS if k in chart.proto.id)
        out[key] = spec
    return out


def bold_titles(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def open_tab(at, name: str):
    at.session_state["view_chart"] = TABS[name]
    at.run()
    assert not at.exception, at.exception
    return at


def url(at) -> dict:
    return {k: at.query_params[k] for k in at.query_params}


def test_only_the_open_tab_is_drawn_and_the_url_keeps_it():
    at = new_app().run()
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == list(TABS.values())
    assert set(specs(at)) == {"chart_over_time"}  # the other two are not built or sent
    assert "fj_reused_cumulative" not in at.session_state
    assert "chart" not in url(at)  # the default tab stays out of the link
    for name, chart in (("total", "chart_cumulative"), ("roles", "chart_top_roles")):
        open_tab(at, name)
        assert set(specs(at)) == {chart}
        assert url(at)["chart"] in (name, [name])
    open_tab(at, "time")
    assert set(specs(at)) == {"chart_over_time"} and "chart" not in url(at)


def test_a_link_opens_its_tab_and_a_wrong_one_says_so():
    at = new_app()
    at.query_params["chart"] = "roles"
    at.run()
    assert not at.exception, at.exception
    assert set(specs(at)) == {"chart_top_roles"}
    assert at.session_state["view_chart"] == "Top roles"

    at = new_app()
    at.query_params["chart"] = "pie"
    at.run()
    assert not at.exception, at.exception
    assert set(specs(at)) == {"chart_over_time"}
    assert any("chart='pie'" in c.value.replace("\\", "") for c in at.sidebar.caption)


def test_stack_by_role_rebuilds_the_chart_it_changes_and_reuses_the_rest():
    at = new_app().run()
    first = specs(at)
    series = at.session_state["fj_reused_over_time_series"][1]
    at.toggle(key="view_stacked").set_value(False).run()
    assert not at.exception, at.exception
    assert specs(at)["chart_over_time"] != first["chart_over_time"]  # the one it changes
    assert at.session_state["fj_reused_over_time_series"][1] is series  # same series

    for name, key in (("total", "cumulative"), ("roles", "top_roles")):
        open_tab(at, name)
        before, figure = specs(at), at.session_state[f"fj_reused_{key}"][1]
        titles = bold_titles(at)
        open_tab(at, "time")
        at.toggle(key="view_stacked").set_value(True).run()  # stacking: Over time only
        open_tab(at, name)
        assert specs(at) == before  # traces, data, customdata, layout: all the same
        assert at.session_state[f"fj_reused_{key}"][1] is figure  # not built again
        assert bold_titles(at) == titles  # a reused figure still has its title above it
        open_tab(at, "time")
        at.toggle(key="view_stacked").set_value(False).run()


def test_a_control_is_greyed_out_on_a_tab_it_does_not_change():
    """Group by does not change the top roles (totals over the range), Stack by role only
    splits the bars over time; Show changes every tab."""
    at = new_app().run()
    enabled = {
        "time": {"freq": True, "metric": True, "stacked": True},
        "total": {"freq": True, "metric": True, "stacked": False},
        "roles": {"freq": False, "metric": True, "stacked": False},
    }
    for name, wanted in enabled.items():
        open_tab(at, name)
        shown = {
            "freq": not at.segmented_control(key="view_freq").proto.disabled,
            "metric": not at.segmented_control(key="view_metric").proto.disabled,
            "stacked": not at.toggle(key="view_stacked").proto.disabled,
        }
        assert shown == wanted, name
        # A greyed-out control keeps its value and its place in the link.
    open_tab(at, "time")
    at.segmented_control(key="view_freq").set_value("M").run()
    open_tab(at, "roles")
    assert at.segmented_control(key="view_freq").value == "M"
    assert at.query_params["freq"] in ("M", ["M"])


@pytest.mark.parametrize("name", list(TABS))
def test_a_reused_chart_is_the_chart_a_fresh_page_builds(name):
    at = new_app().run()
    at.toggle(key="view_stacked").set_value(False).run()
    at.segmented_control(key="view_metric").set_value("sessions").run()
    open_tab(at, "total" if name == "time" else "time")
    open_tab(at, name)  # back to a tab drawn before: its figure may be the one kept
    reused = specs(at)
    fresh = new_app()
    fresh.query_params["stacked"] = "off"
    fresh.query_params["metric"] = "sessions"
    fresh.query_params["chart"] = name
    fresh.run()
    assert not fresh.exception, fresh.exception
    assert specs(fresh) == reused
    assert bold_titles(fresh) == bold_titles(at)
