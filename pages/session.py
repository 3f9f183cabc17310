"""Session: one sourcing session's status and candidates, a candidate's details on selection.

Reached from a row of the Sessions table, or by URL ``/session?session=<id>``. The
candidates table is a fragment: a control of the table (score, skill, region, a selected
row) reruns the table alone, never the charts, which are drawn from the aggregates cached
with the candidates.
"""

import math
import zoneinfo

import pandas as pd
import streamlit as st

from fj import FJError, charts, paging
from fj.candidate_frame import candidate_summary, filter_candidates, profile_url
from fj.candidate_metrics import STRONG_SCORE, SessionAggregates
from fj.export import candidates_csv_filename
from fj.filters import FACETS
from fj.tables import candidates_table, newest_sessions
from fj.wording import md_escape
from ui import candidate_loader, downloads, history, page, session_target
from ui import charts as ui_charts
from ui.candidate_loader import SessionCandidates
from ui.session_target import SessionTarget
from ui.sidebar import View, current_view

#: profileMatchingStatus -> (badge label, colour, icon).
STATUS_BADGES = {
    "processing": ("Processing", "orange", ":material/hourglass_top:"),
    "fetching_more": ("Fetching more profiles", "blue", ":material/sync:"),
    "done": ("Done", "green", ":material/check_circle:"),
}
RUNNING_NOTES = {
    "processing": "The FJ API is still matching profiles for this session: its candidates "
    "appear when matching is done. Reload in a minute.",
    "fetching_more": "This session is still fetching more profiles: below are the candidates "
    "matched so far. Reload later for the rest.",
}


def local_time(value, tz: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{pd.Timestamp(value).tz_convert(tz):%Y-%m-%d %H:%M}"


def draw_header(view: View, target: SessionTarget) -> None:
    # API text: escaped before it meets Markdown.
    st.subheader(md_escape(target.title))
    row = target.row
    created = local_time(row.get("created_at"), view.tz)
    where = [f"Session {target.session_id}", f"created {created}"]
    for facet in FACETS:
        value = row.get(facet.column)
        if isinstance(value, str) and value:
            where.append(value)
    if len(view.projects) > 1:
        where.append(f"project {target.project.name}")
    st.caption(md_escape(" · ".join(where)))


def draw_status(
    view: View, target: SessionTarget, status: str | None, result: SessionCandidates
) -> None:
    label, color, icon = STATUS_BADGES.get(
        status or "", (status or "Status unknown", "gray", ":material/help:")
    )
    badge, reload = st.columns([4, 1], vertical_alignment="center")
    with badge:
        st.badge(label, color=color, icon=icon)
    reload.button(
        "Reload",
        icon=":material/refresh:",
        on_click=candidate_loader.reload_session,
        args=(target,),
        help="Fetch this session's status and candidates again.",
        key="session_reload",
    )
    if status in RUNNING_NOTES:
        st.info(RUNNING_NOTES[status], icon=":material/pending:")

    summary = result.aggregates.summary
    profiles = target.total_profiles
    count = f"{summary.candidates:,}" + ("" if profiles is None else f" of {profiles:,}")
    cards = st.columns(4)
    cards[0].metric(
        "Candidates",
        count,
        help="Candidates the FJ API lists for this session, against the profiles the "
        "sessions list counts for it (totalProfiles).",
        border=True,
    )
    cards[1].metric(
        "Median score",
        "–" if summary.median_score is None else f"{summary.median_score:.1f}",
        help="finalScore, on the API's 0–5 scale.",
        border=True,
    )
    cards[2].metric(
        f"Strong matches (score ≥ {STRONG_SCORE:g})", f"{summary.strong:,}", border=True
    )
    cards[3].metric(
        "Median experience",
        "–" if summary.median_years is None else f"{summary.median_years:.1f} yrs",
        border=True,
    )
    if result.status != paging.COMPLETE:
        st.warning(md_escape(result.note), icon=":material/warning:")
    st.caption(
        f"Candidates as of {local_time(result.fetched_at, view.tz)} ({view.tz}), "
        f"{result.pages_fetched} page(s) of {candidate_loader.PAGE_SIZE}."
    )


def draw_charts(aggregates: SessionAggregates) -> None:
    figures = charts.session_figures(aggregates)
    left, right = st.columns(2)
    for column, name in zip((left, right, *st.columns(3)), figures, strict=True):
        with column:
            ui_charts.show(figures[name], key=f"session_chart_{name}")


@st.fragment
def draw_table(view: View, target: SessionTarget, result: SessionCandidates) -> None:
    st.subheader("Candidates")
    frame = result.frame
    top = max(5.0, math.ceil(result.aggregates.summary.top_score or 0))
    score_box, skill_box, region_box = st.columns([2, 1, 1])
    score = score_box.slider(
        "Score",
        0.0,
        float(top),
        (0.0, float(top)),
        step=0.1,
        format="%.1f",
        key=f"cand_score_{top}",
    )
    skill = skill_box.text_input("Skill contains", key="cand_skill", placeholder="e.g. Azure")
    region = region_box.text_input("Region contains", key="cand_region", placeholder="e.g. Pune")
    shown = filter_candidates(frame, score=score, skill=skill, region=region)
    table = candidates_table(shown)
    now = view.now.astimezone(zoneinfo.ZoneInfo(view.tz))
    count = f"{len(table):,} candidate{'s' if len(table) != 1 else ''}"
    name = candidates_csv_filename(target.title, now, target.session_id)
    downloads.table_downloads(
        table,
        labels=(f"Download CSV ({count})", f"Download Excel ({count})"),
        file_name=name,
        tz=view.tz,
        now=now,
        about={
            "Rows": f"{len(table):,} of {len(frame):,} candidates",
            "Session": target.title,
            "Session ID": target.session_id,
            "Project": view.project_label,
        },
        key="session",
    )
    st.caption(
        f"{len(shown):,} of {len(frame):,} candidates · select a row for the candidate's details"
    )
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"candidates_{target.session_id}",
        column_config={
            "Score": st.column_config.NumberColumn(format="%.1f", width="small"),
            "Experience (years)": st.column_config.NumberColumn(format="%.1f", width="small"),
            "Name": st.column_config.TextColumn(width="medium"),
            "Skills": st.column_config.TextColumn(width="large"),
        },
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(table):
        draw_details(target, table.iloc[rows[0]])


def draw_details(target: SessionTarget, row: pd.Series) -> None:
    with st.container(border=True, key="candidate_details"):
        name = row.get("Name")
        st.subheader(md_escape(name if isinstance(name, str) else "(no name)"))
        candidate_id = row.get("Candidate ID")
        if not isinstance(candidate_id, str):
            st.caption("This candidate has no id: the API has no details to give.")
            return
        try:
            with st.spinner("Loading the candidate's details…"):
                details = candidate_loader.candidate_details(target, candidate_id)
        except FJError as err:
            page.show_error(err, "candidate details")
            return
        for label, text in candidate_summary(details).items():
            st.markdown(f"**{label}:** {md_escape(text)}")
        url = profile_url(details)
        if url:
            st.link_button("Open profile", url, icon=":material/open_in_new:")


def draw_no_session(view: View, session_id: str | None) -> None:
    if session_id is None:
        st.markdown(
            "This page shows one sourcing session: its status, its candidates (scores, "
            "experience, skills, regions, employers) and their table with its own CSV. "
            "Open one from a row of the Sessions table, or pick one of the newest sessions "
            "in the view:"
        )
        for row in newest_sessions(view.filtered, 5).itertuples():
            title = row.title if isinstance(row.title, str) and row.title else "(no title)"
            st.page_link(
                "pages/session.py",
                label=f"{md_escape(title)} · {local_time(row.created_at, view.tz)}",
                icon=":material/person_search:",
                query_params={"session": row.session_id},
            )
    else:
        st.warning(
            f"There is no session with the id {md_escape(session_id[:64])} in "
            f"{md_escape(view.project_label)}. Check the link; if the session is new, "
            "press Refresh in the sidebar.",
            icon=":material/search_off:",
        )


def draw_session(view: View, target: SessionTarget) -> None:
    session_target.remember_session(target.session_id)
    draw_header(view, target)
    history.draw_session_growth(target, view.tz)
    try:
        with st.spinner("Loading the session's status and candidates from the FJ API…"):
            status = candidate_loader.matching_status(target)
            result = candidate_loader.session_candidates(target)
    except FJError as err:
        page.show_error(err, "this session")
        st.button(
            "Try again", on_click=candidate_loader.reload_session, args=(target,), key="retry"
        )
        return
    draw_status(view, target, status, result)
    if result.frame.empty:
        st.info("No candidates to show for this session yet.", icon=":material/inbox:")
    else:
        draw_charts(result.aggregates)
        draw_table(view, target, result)


def main(view: View) -> None:
    st.title("Session")
    page.demo_banner(view, how_to_connect=False)
    session_id = session_target.requested_session_id()
    target = session_target.find_session(view, session_id) if session_id else None
    if target is None:
        draw_no_session(view, session_id)
    else:
        draw_session(view, target)
    st.page_link("pages/sessions.py", label="Back to Sessions", icon=":material/arrow_back:")


main(current_view())
