"""Candidates: across the sessions of the view, which roles and sessions brought the best
candidates, and the skills seen most per role. Opt-in: it costs one request per page per
session, so the page says how many before it runs. The results are a fragment: selecting a
session in their table reruns them alone, without gathering the candidates again.
"""

import zoneinfo

import streamlit as st

from fj import FJError, charts, paging
from fj.candidate_metrics import (
    STRONG_SCORE,
    best_by_role,
    best_sessions,
    score_summary,
    skills_by_role,
    skills_per_role,
)
from fj.export import candidates_csv_filename
from fj.tables import candidates_table, scores_table, skills_table
from fj.wording import md_escape
from ui import candidate_loader, downloads, page
from ui import charts as ui_charts
from ui.sidebar import View, current_view

SCORE_FORMATS = {
    "Strong share": st.column_config.NumberColumn(format="%.0f%%"),
    "Mean score": st.column_config.NumberColumn(format="%.2f"),
    "Top score": st.column_config.NumberColumn(format="%.1f"),
}


@st.fragment
def draw_results(view: View, gathered: paging.ProjectCandidates) -> None:
    frame = gathered.frame
    summary = score_summary(frame)
    cards = st.columns(4)
    cards[0].metric("Sessions read", f"{gathered.sessions:,}", border=True)
    cards[1].metric("Candidates", f"{summary.candidates:,}", border=True)
    cards[2].metric(
        f"Strong matches (score ≥ {STRONG_SCORE:g})", f"{summary.strong:,}", border=True
    )
    cards[3].metric(
        "Median score",
        "–" if summary.median_score is None else f"{summary.median_score:.1f}",
        border=True,
    )
    if gathered.failures:
        st.warning(
            f"{len(gathered.failures):,} session(s) could not be read; the results leave them out.",
            icon=":material/warning:",
        )
        with st.expander("Sessions that could not be read"):
            for session_id, message in gathered.failures:
                st.markdown(f"**{md_escape(session_id)}**: {md_escape(message)}")
    if frame.empty:
        st.info("These sessions have no candidates yet.", icon=":material/inbox:")
        return

    by_role = best_by_role(frame)
    st.subheader("Roles that brought the best-scored candidates")
    ui_charts.show(charts.role_scores_chart(by_role), key="project_chart_roles")
    st.dataframe(
        scores_table(by_role),
        hide_index=True,
        key="project_roles",
        column_config=SCORE_FORMATS,
    )

    st.subheader("Sessions that brought the best-scored candidates")
    best = best_sessions(frame, n=20)
    event = st.dataframe(
        scores_table(best),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="project_sessions",
        column_config=SCORE_FORMATS,
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(best):
        chosen = best.iloc[rows[0]]
        st.page_link(
            "pages/session.py",
            label=f"Open session: {chosen['session_title']}",
            icon=":material/open_in_new:",
            query_params={"session": chosen["session_id"]},
        )
    else:
        st.caption(":material/touch_app: Select a session to open it.")

    st.subheader("Skills most often seen per role")
    per_role = skills_table(skills_per_role(skills_by_role(frame, n=5)))
    st.dataframe(per_role, hide_index=True, key="project_skills")

    table = candidates_table(frame)
    now = view.now.astimezone(zoneinfo.ZoneInfo(view.tz))
    name = candidates_csv_filename(view.project_label, now)
    downloads.table_downloads(
        table,
        labels=(
            f"Download every candidate as CSV ({len(table):,})",
            f"Download every candidate as Excel ({len(table):,})",
        ),
        file_name=name,
        tz=view.tz,
        now=now,
        about={
            "Rows": f"{len(table):,} candidates",
            "Filters": view.filters.describe(),
            "Project": view.project_label,
        },
        key="project",
    )


def draw_plan(view: View, plan: paging.ScanPlan) -> None:
    n = len(plan.sessions)
    sessions = f"{n:,} session{'s' if n != 1 else ''}"
    if plan.left_out:
        sessions += f" (the newest {n:,} of the {plan.with_profiles:,} with profiles)"
    st.markdown(
        "Which roles and sessions brought the best-scored candidates, and the skills seen "
        f"most per role, across {sessions} of the view."
    )
    st.info(
        f"This reads the candidates of {sessions} in the current view: about "
        f"**{plan.requests:,} requests** to {view.source.reads_from} (one per page of "
        f"{candidate_loader.PAGE_SIZE} candidates per session; sessions read in the last "
        "minutes come from the cache). Narrow the filters in the sidebar to read fewer.",
        icon=":material/info:",
    )


def read_and_draw(view: View, scan) -> None:
    bar = st.progress(0.0, text="Reading the candidates…")
    try:
        gathered = candidate_loader.gather_candidates(
            view,
            scan,
            progress=lambda done, total: bar.progress(
                done / total, text=f"Read {done:,} of {total:,} sessions"
            ),
        )
    except FJError as err:
        bar.empty()
        page.show_error(err, "candidates across sessions")
    else:
        bar.empty()
        draw_results(view, gathered)


def main(view: View) -> None:
    page.header(view, "Candidates")
    if page.empty_state(view):
        return
    plan = paging.plan_scan(
        view.filtered,
        max_sessions=candidate_loader.MAX_SESSIONS,
        limit=candidate_loader.PAGE_SIZE,
        max_pages=candidate_loader.MAX_PAGES,
    )
    if plan.sessions.empty:
        st.info("No session in this view has sourced a profile yet.", icon=":material/inbox:")
        return
    draw_plan(view, plan)
    if candidate_loader.read_requested(view, plan.sessions):
        read_and_draw(view, plan.sessions)
    else:
        st.button(
            f"Load the candidates ({plan.requests:,} requests)",
            type="primary",
            icon=":material/download:",
            key="project_load",
            # A callback runs before the rerun: the button is gone once results show.
            on_click=candidate_loader.request_read,
            args=(view, plan.sessions),
        )


main(current_view())
