"""Candidates: across the sessions of the view, which roles and sessions brought the best
candidates, and the skills seen most per role. Opt-in: it costs one request per page per
session, so the page says how many before it runs."""

import hashlib
import zoneinfo

import pandas as pd
import streamlit as st

from fj import FJError, charts
from fj import candidates as cands
from fj.candidate_metrics import (
    STRONG_SCORE,
    best_by_role,
    best_sessions,
    score_summary,
    skills_by_role,
    skills_per_role,
)
from fj.tables import scores_table, skills_table
from ui import candidates as loader
from ui import charts as ui_charts
from ui import downloads, page
from ui.sidebar import current_view
from ui.text import md_escape

_LOADED = "fj_project_candidates"

SCORE_FORMATS = {
    "Strong share": st.column_config.NumberColumn(format="%.0f%%"),
    "Mean score": st.column_config.NumberColumn(format="%.2f"),
    "Top score": st.column_config.NumberColumn(format="%.1f"),
}


def scan_signature(scan: pd.DataFrame) -> str:
    """What the loaded results belong to: these sessions, with these keys, at this URL."""
    parts = [view.source.base_url, *(p.kind + (p.key or "") for p in view.projects)]
    parts += scan["session_id"].fillna("").astype("str").tolist()  # an id may be missing
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def draw_results(gathered: cands.ProjectCandidates) -> None:
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

    table = cands.candidates_table(frame)
    now = view.now.astimezone(zoneinfo.ZoneInfo(view.tz))
    name = cands.csv_filename(view.project_label, now)
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


view = current_view()
page.header(view, "Candidates")

if not page.empty_state(view):
    scan = cands.sessions_to_scan(view.filtered, loader.MAX_SESSIONS)
    with_profiles = int((view.filtered["total_profiles"].fillna(0) > 0).sum())
    if scan.empty:
        st.info("No session in this view has sourced a profile yet.", icon=":material/inbox:")
    else:
        planned = cands.planned_requests(scan, limit=loader.PAGE_SIZE, max_pages=loader.MAX_PAGES)
        sessions = f"{len(scan):,} session{'s' if len(scan) != 1 else ''}"
        if with_profiles > len(scan):
            sessions += f" (the newest {len(scan):,} of the {with_profiles:,} with profiles)"
        cost = (
            f"This reads the candidates of {sessions} in the current view: about "
            f"**{planned:,} requests** to {view.source.reads_from} (one per page of "
            f"{loader.PAGE_SIZE} candidates per session; sessions read in the last minutes "
            "come from the cache). Narrow the filters in the sidebar to read fewer."
        )
        st.markdown(
            "Which roles and sessions brought the best-scored candidates, and the skills seen "
            f"most per role, across {sessions} of the view."
        )
        st.info(cost, icon=":material/info:")
        signature = scan_signature(scan)
        if st.session_state.get(_LOADED) != signature:
            label = f"Load the candidates ({planned:,} requests)"
            st.button(
                label,
                type="primary",
                icon=":material/download:",
                key="project_load",
                # A callback runs before the rerun: the button is gone once results show.
                on_click=st.session_state.update,
                kwargs={_LOADED: signature},
            )
        if st.session_state.get(_LOADED) == signature:
            bar = st.progress(0.0, text="Reading the candidates…")
            try:
                gathered = loader.project_candidates(
                    view,
                    scan,
                    signature,
                    progress=lambda done, total: bar.progress(
                        done / total, text=f"Read {done:,} of {total:,} sessions"
                    ),
                )
            except FJError as err:
                bar.empty()
                loader.show_error(err, "candidates across sessions")
            else:
                bar.empty()
                draw_results(gathered)
