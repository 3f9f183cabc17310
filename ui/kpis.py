"""The Overview's KPI cards: the view's four numbers, each with its change against the
previous period (the latest complete week on the default view), and a line saying what
was compared."""

from __future__ import annotations

import streamlit as st

from fj import metrics, periods, wording
from fj.wording import md_escape
from ui.sidebar import View

#: The cards in order: the KPI (a field of ``metrics.kpis``) and its help text.
CARDS: tuple[tuple[str, str | None], ...] = (
    ("sessions", "Sourcing sessions in the view."),
    ("total_profiles", "Candidate profiles sourced by these sessions, as counted today."),
    ("avg_profiles", None),
    ("zero_profile_sessions", "Sessions that sourced no profile (yet)."),
)


def kpi_cards(view: View) -> None:
    """Draw the four KPI cards of the view with their change, and what they compare."""
    kpis = metrics.kpis(view.filtered)
    comparison = periods.compare_periods(
        view.data.all_sessions, view.filters, now=view.now, tz=view.tz, current=kpis
    )
    cards = st.columns(4)
    for card, (key, help_text) in zip(cards, CARDS, strict=True):
        label, decimals = wording.KPI_LABELS[key]
        delta = description = None
        neutral = True
        if comparison is not None:
            change = comparison.change(key)
            delta = wording.change_text(change, decimals)
            neutral = wording.is_neutral(change)
            now_text = wording.number(change.now, decimals)
            before_text = wording.number(change.before, decimals)
            description = (
                f"{now_text} {comparison.period} vs {before_text}"
                if view.filters.window(view.now, view.tz) is None
                else f"vs {before_text} {comparison.period_before}"
            )
        card.metric(
            label,
            wording.number(getattr(kpis, key), decimals),
            delta=delta,
            delta_color="off"
            if neutral
            else "inverse"
            if key == "zero_profile_sessions"
            else "normal",
            delta_arrow="off" if neutral else "auto",
            delta_description=description,
            help=help_text,
            border=True,
        )
    if comparison is None:
        st.caption("This date range has no start, so there is no previous period to compare.")
    elif view.filters.window(view.now, view.tz) is None:
        st.caption(
            f"Changes: {comparison.period} ({wording.day_text(comparison.start)} – "
            f"{wording.day_text(comparison.end)}) against {comparison.period_before}, "
            f"days counted in {md_escape(view.tz)}, same filters. The cards count the whole "
            "view; pick a date range in the sidebar to compare that range instead."
        )
    else:
        st.caption(
            f"Changes are against {comparison.period_before} "
            f"({wording.day_text(comparison.before_start)} – "
            f"{wording.day_text(comparison.before_end)}), same other filters."
        )


def project_table(view: View) -> None:
    """Draw the KPIs of each project of All projects, side by side (they add up to the cards)."""
    st.markdown("**Each project**")
    st.dataframe(
        metrics.kpis_by_project(view.filtered),
        hide_index=True,
        key="kpis_by_project",
        column_config={
            "project": "Project",
            "sessions": st.column_config.NumberColumn("Sessions", format="localized"),
            "total_profiles": st.column_config.NumberColumn("Total profiles", format="localized"),
            "avg_profiles": st.column_config.NumberColumn(
                "Avg profiles / session", format="%.1f"
            ),
            "zero_profile_sessions": st.column_config.NumberColumn(
                "Sessions with 0 profiles", format="localized"
            ),
        },
    )
