"""The Overview's chart controls rebuild only the charts they change (ui.charts.reused), and a
reused chart is the same chart: same traces, data and customdata, its title still drawn."""

from __future__ import annotations

import json

import pytest

from tests.apptest import new_app

pytestmark = pytest.mark.usefixtures("dashboard_env")

CHARTS = ("chart_over_time", "chart_cumulative", "chart_top_roles")


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


def test_stack_by_role_rebuilds_one_chart_and_reuses_the_others():
    at = new_app().run()
    assert not at.exception, at.exception
    first = specs(at)
    assert set(first) == set(CHARTS)
    titles = bold_titles(at)
    kept = {name: at.session_state[f"fj_reused_{name}"][1] for name in ("cumulative", "top_roles")}

    at.toggle(key="view_stacked").set_value(False).run()
    assert not at.exception, at.exception
    unstacked = specs(at)
    assert unstacked["chart_over_time"] != first["chart_over_time"]  # the one it changes
    for key in ("chart_cumulative", "chart_top_roles"):
        assert unstacked[key] == first[key]  # traces, data, customdata, layout: all the same
    for name, figure in kept.items():
        assert at.session_state[f"fj_reused_{name}"][1] is figure  # not built again
    # a reused figure still has its title drawn above it (the over-time one says "by role")
    assert bold_titles(at)[1:] == titles[1:] and len(bold_titles(at)) == len(titles)

    at.toggle(key="view_stacked").set_value(True).run()
    assert specs(at) == first
    assert bold_titles(at) == titles


def test_a_reused_chart_is_the_chart_a_fresh_page_builds():
    at = new_app().run()
    at.toggle(key="view_stacked").set_value(False).run()
    at.segmented_control(key="view_metric").set_value("sessions").run()
    reused = specs(at)
    fresh = new_app()
    fresh.query_params["stacked"] = "off"
    fresh.query_params["metric"] = "sessions"
    fresh.run()
    assert not fresh.exception, fresh.exception
    assert specs(fresh) == reused
    assert bold_titles(fresh) == bold_titles(at)
