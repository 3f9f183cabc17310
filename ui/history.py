"""Streamlit glue for the history (:mod:`fj.history`): which database, record a fetch, read.

The database comes from ``[connections.fj_history]`` in secrets (Streamlit's
``st.connection("fj_history", type="sql")`` convention: a ``url``, or its parts),
else ``FJ_HISTORY_URL``, else the default SQLite file; ``off`` turns it off. One
``History`` (one SQLAlchemy engine and its pool) per URL is kept for the server's
life. Nothing here stops the dashboard: a database that cannot be opened or
written leaves it on live data, and :func:`status_line` says history is off and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fj.history import History, HistoryError, WeekFacts, project_key, url_from_settings
from fj.wording import md_escape
from ui.charts import show
from ui.source import settings

log = logging.getLogger(__name__)

#: How long a cached read of history is kept at most (a new check makes a new entry anyway).
READ_TTL_SECONDS = 3600
READ_MAX_ENTRIES = 64


@dataclass(frozen=True)
class HistoryNote:
    """What became of recording one fetch: the project's history key, or why history is off."""

    project: str | None
    off_reason: str | None = None
    line: str | None = None  # e.g. "sessions seen 300, new 0, grown 2, unchanged 298"


def database_url() -> tuple[str | None, str]:
    """Return (URL or None when off, where it was set)."""
    return url_from_settings(*settings().history_location())


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(url: str) -> History:
    return History(url)  # raises HistoryError: not cached, tried again on the next fetch


def store() -> tuple[History | None, str | None]:
    """Return (the history, None), or (None, why history is off)."""
    try:
        url, origin = database_url()
    except (ValueError, TypeError) as exc:
        return None, f"History is off: [connections.fj_history] is not usable ({exc})."
    if url is None:
        return None, f"History is off ({origin} is set to off)."
    try:
        return _open(url), None
    except HistoryError as err:
        return None, str(err)


def record_fetch(api_key: str | None, loaded, etag: str | None, not_modified: bool) -> HistoryNote:
    """Record one fetch of a project's sessions (or its 304); never raises. A project read
    without a key (the bundled demo) has no history."""
    if not api_key:
        return HistoryNote(None)
    history, reason = store()
    try:
        project = project_key(loaded.frame, api_key)
    except ValueError:
        return HistoryNote(None, "History is off for this project: it cannot be told apart.")
    if history is None:
        return HistoryNote(project, reason)
    from fj.history import key_fingerprint

    try:
        if not_modified:
            result = history.record_not_modified(project)
        else:
            result = history.record(
                project, loaded.frame, etag=etag, key_fingerprint=key_fingerprint(api_key)
            )
    except HistoryError as err:
        log.warning("%s", err)
        return HistoryNote(project, str(err))
    log.info("history of %s: %s", project[:8], result.line())
    return HistoryNote(project, None, result.line())


def projects_of(view) -> tuple[str, ...]:
    """The history keys of the projects in the view (none for the demo)."""
    return view.data.history_projects


def off_reason(view) -> str | None:
    """Why history is off for this view, or None when it is on."""
    if view.is_demo:
        return "History is kept for your own projects: the bundled demo has none."
    if view.data.history_note:
        return view.data.history_note
    if not projects_of(view):
        return "History is off for this project."
    return None


def status_line(sidebar, view_data) -> None:
    """One line in the sidebar when history is off for the loaded data."""
    if view_data.history_note:
        sidebar.caption(f":material/history_toggle_off: {view_data.history_note}")


def _read(method: str, *args, **kwargs):
    history, reason = store()
    if history is None:
        raise HistoryError(reason or "History is off.")
    return getattr(history, method)(*args, **kwargs)


def _checked(view) -> tuple[History, tuple[str, ...], int | None]:
    """(the history, the view's projects, when they were last checked): what history shows
    of them changes only when a check is recorded, so the reads below are cached by it."""
    history, reason = store()
    if history is None:
        raise HistoryError(reason or "History is off.")
    projects = projects_of(view)
    return history, projects, history.last_check_ms(projects)


# The Overview draws these on every rerun (a filter click): reading them was ~80 ms of a
# 100k-session project's rerun. They are kept per database, projects and last check (a new
# check, by this server, another one or the CLI, gives a new key); never mutated by callers.
@st.cache_resource(ttl=READ_TTL_SECONDS, max_entries=READ_MAX_ENTRIES, show_spinner=False)
def _activity(
    _history: History, url: str, projects: tuple[str, ...], last_check: int | None,
    freq: str, tz: str, by_role: bool,
) -> pd.DataFrame:  # fmt: skip
    return _history.activity(projects, freq=freq, tz=tz, by_role=by_role)


@st.cache_resource(ttl=READ_TTL_SECONDS, max_entries=READ_MAX_ENTRIES, show_spinner=False)
def _week(
    _history: History, url: str, projects: tuple[str, ...], last_check: int | None
) -> WeekFacts:
    now = None if last_check is None else pd.Timestamp(last_check, unit="ms", tz="UTC")
    return _history.since_last_week(projects, now=now)


def activity(view, freq: str, by_role: bool) -> pd.DataFrame:
    """Profiles added per period in the view's timezone (raises HistoryError when off)."""
    history, projects, last_check = _checked(view)
    return _activity(history, history.url, projects, last_check, freq, view.tz, by_role)


def since_last_week(view) -> WeekFacts:
    """The "since last week" facts as of the projects' last check (raises HistoryError when
    off): history knows nothing newer."""
    history, projects, last_check = _checked(view)
    return _week(history, history.url, projects, last_check)


def growth(row: pd.Series, api_key: str | None) -> pd.DataFrame:
    """One session's recorded counts over time (raises HistoryError when off)."""
    project = project_key(pd.DataFrame([row]), api_key)
    return _read("growth", project, str(row["session_id"]))


def info(view) -> dict:
    """Where history lives, since when, how many checks and snapshots (raises when off)."""
    return _read("info", projects_of(view))


# -- panels the pages compose -----------------------------------------------------------------

PLACEMENT = (
    ":material/info: **When sourced** comes from the history this dashboard records on each "
    "fetch: a session's growth between two snapshots is placed at the later snapshot's "
    "`updatedAt`, a session seen for the first time counts its whole total at its "
    "`updatedAt` (else `createdAt`), and a decrease (or a session gone) is a negative "
    "correction. Summed over all periods it equals today's total. Sidebar filters do not "
    "apply to it."
)


def draw_activity(view, freq: str, by_role: bool) -> None:
    """The Overview's "When sourced (activity)" chart, or why there is none."""
    from fj import charts

    reason = off_reason(view)
    if reason:
        st.info(reason, icon=":material/history_toggle_off:")
        return
    try:
        table = activity(view, freq, by_role)
    except HistoryError as err:
        st.info(str(err), icon=":material/history_toggle_off:")
        return
    since = table.attrs.get("since")
    if table.empty:
        st.info("History has no profiles recorded yet.", icon=":material/history:")
        return
    show(charts.activity_chart(table, since=since, colors=view.colors), key="chart_activity")
    if since is not None:
        st.caption(
            f"History since {since.tz_convert(view.tz):%Y-%m-%d %H:%M} ({view.tz}): what "
            "sessions held when history started counts at their own `updatedAt`."
        )
    st.caption(PLACEMENT)


def draw_since_last_week(view) -> None:
    """The "Since last week" panel: new, grown, still processing, stuck at zero."""
    st.subheader("Since last week")
    reason = off_reason(view)
    if reason:
        st.caption(reason)
        return
    try:
        facts = since_last_week(view)
    except HistoryError as err:
        st.caption(str(err))
        return
    cards = st.columns(4)
    for card, (label, value, help_text) in zip(
        cards,
        [
            ("New sessions", facts.new_sessions, "Created in the last 7 days."),
            ("Sessions that grew", len(facts.grew),
             f"{int(facts.grew['added'].sum()) if len(facts.grew) else 0:+,} profiles between "
             "them; profiles added in all: " f"{facts.added:+,}."),
            ("Still processing", facts.processing, "Their count rose in the last day."),
            ("Stuck at 0 profiles", len(facts.stuck), "No profile for more than a day."),
        ],
        strict=True,
    ):  # fmt: skip
        card.metric(label, f"{value:,}", help=help_text, border=True)
    if facts.partial and facts.history_since is not None:
        st.caption(
            f"History only goes back to {facts.history_since.tz_convert(view.tz):%Y-%m-%d}: "
            "these facts cover less than a week."
        )
    left, right = st.columns(2)
    with left:
        if len(facts.grew):
            st.caption("Sessions that grew most (profiles added in the last 7 days)"
                       + _of_all(len(facts.grew)))  # fmt: skip
            grew = facts.grew.head(LISTED)
            cells = {"Title": grew["title"].map(_text), "Role": grew["role"].map(_text),
                     "Added": grew["added"], "Total": grew["total"]}  # fmt: skip
            st.table(pd.DataFrame(cells), hide_index=True)
    with right:
        if len(facts.stuck):
            st.caption("Sessions stuck at 0 profiles for more than a day, longest first"
                       + _of_all(len(facts.stuck)))  # fmt: skip
            stuck = facts.stuck.head(LISTED)
            since = stuck["since"].dt.tz_convert(view.tz).dt.strftime("%Y-%m-%d %H:%M")
            st.table(pd.DataFrame({"Title": stuck["title"].map(_text), "Since": since}),
                     hide_index=True)  # fmt: skip


#: Rows the "Since last week" lists show: a project of 100k sessions can have thousands stuck
#: at zero, and a panel that sent them all took ~170 KB and a data grid on every rerun.
LISTED = 10


def _text(value: object) -> str:
    """A title or role from the API as a cell of ``st.table``, which renders Markdown."""
    missing = value is None or (isinstance(value, float) and pd.isna(value))
    return "" if missing else md_escape(value)


def _of_all(count: int) -> str:
    return f": the first {LISTED} of {count:,}" if count > LISTED else ""


def draw_session_growth(target, tz: str) -> None:
    """The Session page's growth curve and time to its first 25 / 50 / 100 profiles."""
    from fj import charts
    from fj.history import time_to_profiles

    if target.project.kind == "demo":  # history is kept for your own projects only
        return
    st.subheader("Growth")
    try:
        curve = growth(target.row, target.project.key)
    except (HistoryError, ValueError) as err:
        st.caption(str(err))
        return
    if curve.empty:
        st.caption("History has no record of this session yet.")
        return
    show(charts.growth_chart(curve, tz), key="chart_growth")
    created = target.row.get("created_at")
    times = time_to_profiles(curve, created if pd.notna(created) else None)
    cells = st.columns(len(times))
    for cell, row in zip(cells, times.itertuples(index=False), strict=True):
        if pd.isna(row.reached):
            value = "not yet"
        elif pd.isna(row.after):
            value = f"{row.reached.tz_convert(tz):%Y-%m-%d %H:%M}"
        else:
            value = ("≤ " if row.at_first_sight else "") + _duration(row.after)
        cell.metric(f"Time to {row.profiles} profiles", value, border=True)
    st.caption(
        "From the session's creation to the `updatedAt` of the first snapshot with that many "
        "profiles; ≤ when the session already had them when history first saw it."
    )


def _duration(delta: pd.Timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def info_rows(view) -> dict[str, str]:
    """The Data page's history rows: where (path or host, never a password), since, counts."""
    reason = off_reason(view)
    history, store_reason = store()
    if history is None:
        return {"History": store_reason or "off"}
    rows = {"History kept in": history.where}
    if reason:
        return rows | {"History": reason}
    try:
        facts = info(view)
    except HistoryError as err:
        return rows | {"History": str(err)}
    since = facts["since"]
    rows["History since"] = (
        f"{since.tz_convert(view.tz):%Y-%m-%d %H:%M} ({view.tz})" if since is not None else "–"
    )
    rows["Checks recorded"] = f"{facts['checks']:,}"
    rows["Snapshots with changes"] = f"{facts['snapshots']:,}"
    return rows
