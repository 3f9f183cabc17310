"""Overview: KPI cards with the change against the previous period, and profiles over time."""

import streamlit as st

from fj import charts, metrics, periods
from ui import charts as ui_charts
from ui import history, page, state
from ui.kpis import kpi_cards, project_table
from ui.sidebar import current_view
from ui.summary import copy_summary

#: The Overview's charts, one tab each: only the open one is computed and drawn, so a
#: filter click redraws one chart. Name in the URL (``chart=``) -> tab label.
CHARTS = {"time": "Over time", "total": "Running total", "roles": "Top roles"}


@state.fragment
def over_time(view) -> None:
    """The charts over time, the running total and the top roles, with their controls.

    A fragment: Day/Week/Month, Profiles/Sessions, Stack by role, the cohorts /
    activity choice and the tabs rerun this part alone, not the sidebar and the KPI cards.
    """
    several = view.several_projects  # All projects: stack by project too
    controls = st.container()  # above the tabs, drawn once the open tab is known
    tabs, shown = state.tabs(CHARTS, "chart", "time", param="chart")
    with controls:
        left, mid, right = st.columns([2, 2, 1])
        with left:  # the top roles are totals over the whole range: no grouping
            freq = state.choice(
                "Group by",
                "freq",
                {"D": "Day", "W": "Week", "M": "Month"},
                "W",
                param="freq",
                applies=shown != "roles",
            )
        with mid:
            metric = state.choice(
                "Show",
                "metric",
                {"profiles": "Profiles", "sessions": "Sessions"},
                "profiles",
                param="metric",
            )
        with right:  # stacking splits the bars over time only
            stacked = state.toggle(
                "Stacked" if several else "Stack by role",
                "stacked",
                True,
                param="stacked",
                applies=shown == "time",
            )
        group = "role"
        if several and stacked:
            group = state.choice(
                "Stack by",
                "stack_by",
                {"role": "Role", "project": "Project"},
                "role",
                param="stack",
                applies=shown == "time",
            )
    # One by-group series feeds all three charts, so they name the same roles.
    # A control that leaves a chart's inputs as they were (Stack by role, Show) reuses it.
    series_key = (view.filtered, freq, view.tz, group)
    ts = ui_charts.reused(
        "over_time_series",
        series_key,
        lambda: metrics.timeseries(view.filtered, freq=freq, tz=view.tz, by_role=True, group=group),
    )
    partial = periods.incomplete_period(freq, now=view.now, tz=view.tz)
    with tabs[shown]:
        if shown == "time":
            _profiles_over_time(
                view, ts, freq=freq, metric=metric, stacked=stacked, partial=partial
            )
        elif shown == "total":
            cumulative = ui_charts.reused(
                "cumulative",
                (*series_key, metric, partial),
                lambda: charts.cumulative_chart(
                    metrics.cumulative_from(ts), metric=metric, partial=partial
                ),
            )
            ui_charts.show(cumulative, key="chart_cumulative")
        else:
            top = ui_charts.reused(
                "top_roles",
                (*series_key, metric, view.colors),
                lambda: charts.top_roles_chart(
                    metrics.role_totals(
                        ts
                        if group == "role"
                        else metrics.timeseries(view.filtered, freq=freq, tz=view.tz, by_role=True),
                        by=metric,
                    ),
                    colors=view.colors,
                    metric=metric,
                ),
            )
            ui_charts.show(top, key="chart_top_roles")


def _profiles_over_time(view, ts, *, freq: str, metric: str, stacked: bool, partial) -> None:
    """The "Over time" tab: the cohorts' bars, or what was sourced when (history)."""
    timing = state.choice(
        "Timeline",
        "timing",
        {"cohorts": "By creation date (cohorts)", "activity": "When sourced (activity)"},
        "cohorts",
        param="timing",
    )
    if timing == "activity":
        history.draw_activity(view, freq, by_role=stacked)
        return
    ui_charts.show(
        charts.sessions_over_time(
            ts, metric=metric, stacked=stacked, colors=view.colors, partial=partial
        ),
        key="chart_over_time",
    )
    st.caption(
        ":material/info: `totalProfiles` is the count **today**: a session created in "
        "March that fetched more profiles in May counts them all in March. Read these "
        "charts as cohorts by creation date; pick *When sourced (activity)* for what was "
        "sourced when. The lighter bar is the period not over yet (so far)."
    )


view = current_view()
page.header(view, "Overview")
page.glossary()

if not page.empty_state(view):
    kpi_cards(view)
    copy_summary(view)

    if view.several_projects:  # All projects: compare them side by side
        project_table(view)

    over_time(view)

    history.draw_since_last_week(view)
