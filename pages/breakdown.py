"""Breakdown: sessions and profiles by role, location or experience; click a bar to drill down."""

import streamlit as st

from fj import charts, metrics
from fj.filters import FACET_BY_COLUMN, FACETS
from ui import charts as ui_charts
from ui import page, state
from ui.sidebar import current_view, narrow

#: The dimensions a click narrows the filters by, in drill-down order: the facets.
DIMENSIONS = {facet.column: facet.title for facet in FACETS}
_DRILLED = "breakdown_drilled"
#: The Breakdown's charts, one tab each: only the open one is computed and drawn.
#: Name in the URL (``tab=``; the Overview's tabs are ``chart=``) -> tab label.
CHARTS = {"groups": "Totals", "spread": "Profiles per session", "time": "Sourcing time"}

view = current_view()
page.header(view, "Breakdown")


def _drill_down(chart_key: str, by: str) -> None:
    """Narrow the shared filters to the clicked groups and break down by the next dimension.

    Runs before the next script run. Staying on the clicked dimension would
    draw one bar (and a one-point scatter); the next one splits what was clicked.
    """
    selection = st.session_state[chart_key].selection
    groups = charts.selected_groups(selection.get("points", []))
    if groups and by in DIMENSIONS:
        offered = getattr(view.options, FACET_BY_COLUMN[by].name)
        narrow(**{by: [g for g in groups if g in offered]})
        dimensions = list(DIMENSIONS)
        state.set_choice("by", dimensions[(dimensions.index(by) + 1) % len(dimensions)])
        st.session_state[_DRILLED] = True  # the whole app follows the narrowed filters


@state.fragment
def by_group(view) -> None:
    """The Breakdown's charts (tabs) and table, with "Break down by" and "Measure".

    A fragment: the two choices and the tabs rerun this part alone, not the sidebar. A
    click on a bar narrows the shared filters, which the whole page follows: the app reruns.
    """
    if st.session_state.pop(_DRILLED, False):
        st.rerun(scope="app")
    controls = st.container()  # above the tabs, drawn once the open tab is known
    tabs, shown = state.tabs(CHARTS, "bd_chart", "groups", param="tab")
    with controls:
        left, right = st.columns([3, 2])
        with left:
            # All projects: a project is one more way to split the view (no filter, no
            # drill-down). The profiles per session are of the whole view: no groups.
            several = view.several_projects
            offered = {**DIMENSIONS, "project": "Project"} if several else DIMENSIONS
            by = state.choice(
                "Break down by",
                "by",
                offered,
                "role",
                param="by",
                applies=shown != "spread",
            )
        with right:  # only the totals are profiles or sessions
            metric = state.choice(
                "Measure",
                "bd_metric",
                {"profiles": "Profiles", "sessions": "Sessions"},
                "profiles",
                param="measure",
                applies=shown == "groups",
            )
        if by in DIMENSIONS and shown != "spread":  # the histogram's bars do not drill down
            st.caption(
                ":material/ads_click: Click a bar (or a point) to narrow the filters to that "
                f"{DIMENSIONS[by].lower()} and break it down by the next dimension; *Clear "
                "filters* in the sidebar goes back."
                + (
                    f" Roles past the {metrics.NAMED_ROLES} largest are grey: the Overview sums "
                    "them as *Other*."
                    if by == "role"
                    else ""
                )
            )
    breakdown = metrics.breakdown(view.filtered, by)
    # Roles keep the Overview's colours; roles it sums as Other take Other's.
    named = metrics.named_roles(view.filtered) if by == "role" else None
    colors = charts.named_colors(view.colors, named) if named is not None else None
    with tabs[shown]:
        if shown == "groups":
            ui_charts.show(
                charts.breakdown_chart(breakdown, by=by, metric=metric, colors=colors),
                key=f"chart_breakdown_{by}",
                on_select=lambda: _drill_down(f"chart_breakdown_{by}", by),
                selection_mode="points",
            )
        elif shown == "spread":
            hist = metrics.profiles_histogram(view.filtered)
            ui_charts.show(charts.profiles_histogram_chart(hist), key="chart_histogram")
        else:
            ui_charts.show(
                charts.sourcing_vs_profiles_chart(breakdown, by=by, colors=colors),
                key=f"chart_sourcing_{by}",
                on_select=lambda: _drill_down(f"chart_sourcing_{by}", by),
                selection_mode="points",
            )
    with st.expander("The numbers behind the charts"):
        st.dataframe(breakdown, hide_index=True, key="breakdown_table")


if not page.empty_state(view):
    by_group(view)
