"""Overview: KPI cards with the change against the previous period, and profiles over time."""

import streamlit as st

from fj import charts, metrics
from ui import page, state
from ui.sidebar import current_view

view = current_view()
page.header(view, "Overview")

if not page.empty_state(view):
    kpis = metrics.kpis(view.frame)
    deltas = metrics.kpi_deltas(
        view.data.frame, view.filters, now=view.now, tz=view.tz, current=kpis
    )
    cards = st.columns(4)
    avg = "–" if kpis.avg_profiles is None else f"{kpis.avg_profiles:,.1f}"
    for card, (label, value, key, help_text) in zip(
        cards,
        [
            ("Sessions", f"{kpis.sessions:,}", "sessions", "Sourcing sessions in the view."),
            (
                "Total profiles",
                f"{kpis.total_profiles:,}",
                "total_profiles",
                "Candidate profiles sourced by these sessions, as counted today.",
            ),
            ("Avg profiles / session", avg, "avg_profiles", None),
            (
                "Sessions with 0 profiles",
                f"{kpis.zero_profile_sessions:,}",
                "zero_profile_sessions",
                "Sessions that sourced no profile (yet).",
            ),
        ],
        strict=True,
    ):
        delta = deltas.get(key)
        card.metric(
            label,
            value,
            delta=None
            if delta is None
            else f"{delta:+,.1f}"
            if key == "avg_profiles"
            else f"{delta:+,.0f}",
            delta_color="inverse" if key == "zero_profile_sessions" else "normal",
            help=help_text,
            border=True,
        )
    if deltas.get("sessions") is None:
        st.caption(
            "Pick a date range in the sidebar to compare with the previous period "
            "of the same length."
        )
    else:
        st.caption(
            "Changes are against the previous period of the same length, same other filters."
        )

    left, mid, right = st.columns([2, 2, 1])
    with left:
        freq = state.choice(
            "Group by", "freq", {"D": "Day", "W": "Week", "M": "Month"}, "W", param="freq"
        )
    with mid:
        metric = state.choice(
            "Show",
            "metric",
            {"profiles": "Profiles", "sessions": "Sessions"},
            "profiles",
            param="metric",
        )
    with right:
        stacked = st.toggle("Stack by role", value=True, key="view_stacked")

    ts = metrics.timeseries(view.frame, freq=freq, tz=view.tz, by_role=stacked)
    st.plotly_chart(
        charts.sessions_over_time(ts, metric=metric, stacked=stacked, colors=view.colors),
        key="chart_over_time",
    )
    st.caption(
        ":material/info: `totalProfiles` is the count **today**: a session created in March "
        "that fetched more profiles in May counts them all in March. Read these charts as "
        "cohorts by creation date, not as activity over time."
    )
    col1, col2 = st.columns(2)
    with col1:
        cumulative = metrics.cumulative_from(ts)
        st.plotly_chart(charts.cumulative_chart(cumulative), key="chart_cumulative")
    with col2:
        top = metrics.top_roles(view.frame, n=10)
        st.plotly_chart(charts.top_roles_chart(top, colors=view.colors), key="chart_top_roles")
