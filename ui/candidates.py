"""Cached loaders for a session's status and candidates, and for one candidate's details.

Candidate data is personal data. It is cached in this server process's memory
only (``st.cache_data`` without ``persist``), for a limited time, and keyed by
everything that selects it: the project with its API key (a *hashed* argument,
never an ``_``-prefixed one, so viewer B never gets viewer A's candidates), the
base URL and the session id. The project gives the client (``ConfiguredProject.client``):
the demo project's is a :class:`fj.demo.DemoClient`, read through the same
loaders. The Candidates page's project-wide result is also kept, for the same
TTL, in the viewer's own ``st.session_state`` (``project_candidates``).
Nothing here writes candidates to disk.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from fj import FJError
from fj import candidates as cands
from ui import state
from ui.loader import CACHE_TTL_SECONDS
from ui.sidebar import View
from ui.source import ConfiguredProject, settings
from ui.text import md_escape

log = logging.getLogger(__name__)

#: Candidates per page request, and the most pages read per session.
PAGE_SIZE = 50
MAX_PAGES = settings().number("FJ_CANDIDATES_MAX_PAGES", cands.DEFAULT_MAX_PAGES)
MAX_IN_FLIGHT = cands.DEFAULT_MAX_IN_FLIGHT
#: The project-wide view reads at most this many sessions (the newest of the view).
MAX_SESSIONS = settings().number("FJ_CANDIDATES_MAX_SESSIONS")
#: Cached sessions: enough for a project-wide view of MAX_SESSIONS and some browsing.
CACHE_MAX_ENTRIES = settings().number("FJ_CANDIDATES_CACHE_MAX_ENTRIES")
#: Where project_candidates keeps this viewer's last gathered result.
_GATHERED = "fj_project_candidates_gathered"
#: A running session's status changes within minutes: cache it for a shorter time.
STATUS_TTL_SECONDS = min(60, CACHE_TTL_SECONDS)

_LAST_SESSION = "fj_session"


@dataclass(frozen=True)
class SessionCandidates:
    """One session's candidates as the pages show them, and how the fetch ended."""

    frame: pd.DataFrame
    total_docs: int | None
    pages_fetched: int
    requests: int
    status: str  # fj.candidates COMPLETE, TRUNCATED or INCOMPLETE
    note: str
    fetched_at: dt.datetime


@dataclass(frozen=True)
class SessionTarget:
    """A session of the current view, with the project (and key) it belongs to."""

    session_id: str
    project: ConfiguredProject = field(repr=False)
    base_url: str
    row: pd.Series = field(repr=False)  # the session's row of the sessions frame

    @property
    def title(self) -> str:
        title = self.row.get("title")
        return title if isinstance(title, str) and title else "(no title)"

    @property
    def total_profiles(self) -> int | None:
        value = self.row.get("total_profiles")
        return None if value is None or pd.isna(value) else int(value)


# -- the session a page is about -------------------------------------------------------------


def requested_session_id() -> str | None:
    """Return the session the Session page shows: the link's ``?session=``, else the last one
    opened in this browser session, else the one of the URL the session was opened with."""
    wanted = st.query_params.get("session") or st.session_state.get(_LAST_SESSION)
    wanted = wanted or state.initial_value("session")
    return wanted.strip() if isinstance(wanted, str) and wanted.strip() else None


def remember_session(session_id: str) -> None:
    """Keep the session in the URL (shareable) and as the one to show next time."""
    st.session_state[_LAST_SESSION] = session_id
    state.set_params({"session": session_id})


def find_session(view: View, session_id: str) -> SessionTarget | None:
    """Return the session with this id among the loaded projects' sessions (filters aside)."""
    frame = view.data.all_sessions
    matches = frame.index[frame["session_id"] == session_id]
    if not len(matches):
        return None
    return _target(view, frame.loc[matches[0]])


def _target(view: View, row: pd.Series) -> SessionTarget:
    project = view.projects[0]
    if len(view.projects) > 1 and "project" in row.index:
        project = next((p for p in view.projects if p.name == row["project"]), project)
    return SessionTarget(str(row["session_id"]), project, view.source.base_url, row)


def show_error(error: FJError, what: str) -> None:
    """Show an fj error as one clear message (never a traceback, never the key)."""
    st.error(
        f"**{md_escape(error.title)}** ({md_escape(what)}): {md_escape(str(error))}",
        icon=":material/error:",
    )


# -- cached loaders: every argument that selects the data is hashed ------------------------
# ``project`` (kind, name and key) and ``base_url`` pick the client (ConfiguredProject.client): the
# demo's entries are keyed by the demo project and cannot collide with a real key's.


@st.cache_data(ttl=STATUS_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def fetch_session_status(project: ConfiguredProject, base_url: str, session_id: str) -> dict:
    """Fetch one session's details (title, ``profileMatchingStatus``); cached briefly."""
    with project.client(base_url, **settings().client_options()) as client:
        return client.get_session(session_id)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def fetch_session_candidates(
    project: ConfiguredProject, base_url: str, session_id: str, limit: int, max_pages: int
) -> SessionCandidates:
    """Fetch every page of one session's candidates (cached per project, base URL and session)."""
    with project.client(base_url, **settings().client_options()) as client:
        result = cands.fetch_all_candidates(
            client, session_id, limit=limit, max_pages=max_pages, max_in_flight=MAX_IN_FLIGHT
        )
    return SessionCandidates(
        frame=cands.candidates_frame(result.docs),
        total_docs=result.total_docs,
        pages_fetched=result.pages_fetched,
        requests=result.requests,
        status=result.status,
        note=result.note,
        fetched_at=dt.datetime.now(dt.UTC),
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def fetch_candidate_details(
    project: ConfiguredProject, base_url: str, session_id: str, candidate_id: str
) -> dict:
    """Fetch one candidate's details (cached per project, base URL, session and candidate)."""
    with project.client(base_url, **settings().client_options()) as client:
        return client.get_candidate_details(candidate_id, session_id)


# -- what the pages call -------------------------------------------------------------------


def session_status(target: SessionTarget) -> str | None:
    """Return the session's ``profileMatchingStatus`` (raises FJError)."""
    details = fetch_session_status(target.project, target.base_url, target.session_id)
    status = details.get("profileMatchingStatus")
    return status if isinstance(status, str) else None


def session_candidates(target: SessionTarget) -> SessionCandidates:
    """Return the session's candidates (raises FJError)."""
    return fetch_session_candidates(
        target.project, target.base_url, target.session_id, PAGE_SIZE, MAX_PAGES
    )


def candidate_details(target: SessionTarget, candidate_id: str) -> dict:
    """Return one candidate's details (raises FJError)."""
    return fetch_candidate_details(target.project, target.base_url, target.session_id, candidate_id)


def reload_session(target: SessionTarget) -> None:
    """Drop this session's cached status and candidates (a button callback)."""
    project, url, sid = target.project, target.base_url, target.session_id
    st.session_state.pop(_GATHERED, None)  # it may hold this session's old candidates
    fetch_session_status.clear(project, url, sid)
    fetch_session_candidates.clear(project, url, sid, PAGE_SIZE, MAX_PAGES)


def project_candidates(
    view: View, scan: pd.DataFrame, signature: str, progress=None
) -> cands.ProjectCandidates:
    """Return the candidates of ``scan``'s sessions, gathered through the cached loaders.

    The result is kept in this viewer's session under ``signature`` (the sessions, keys
    and URL it belongs to) for as long as the loaders keep their entries
    (CACHE_TTL_SECONDS), so a rerun of the page (a row selected, a download) does not
    gather a hundred cached sessions again. A result with failed sessions is not kept:
    the next rerun tries those again. Raises FJError as ``fj.candidates.project_candidates``.
    """
    kept = st.session_state.get(_GATHERED)
    now = time.monotonic()
    if kept is not None and kept[0] == signature and now - kept[1] < CACHE_TTL_SECONDS:
        return kept[2]
    st.session_state.pop(_GATHERED, None)
    gathered = cands.project_candidates(session_frame_loader(view, scan), scan, progress=progress)
    if not gathered.failures:
        st.session_state[_GATHERED] = (signature, now, gathered)
    return gathered


def session_frame_loader(view: View, sessions: pd.DataFrame):
    """Return ``session id -> candidates frame`` over these sessions of the view, for
    fj.candidates.project_candidates (each session through the cached loaders)."""
    targets = {str(row["session_id"]): _target(view, row) for _, row in sessions.iterrows()}

    def load(session_id: str) -> pd.DataFrame:
        return session_candidates(targets[session_id]).frame

    return load
