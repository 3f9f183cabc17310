"""The candidates' cached fetchers: a session's status and candidates, one candidate's
details, and the candidates of many sessions gathered through them.

One kind of cache for candidates: Streamlit's ``st.cache_data``, in this server
process's memory only (no ``persist``), for a limited time, keyed by everything
that selects the data: the project with its API key (a *hashed* argument, never
an ``_``-prefixed one, so viewer B never gets viewer A's candidates), the base
URL and the session id. The project gives the client (``ConfiguredProject.client``): the
demo project's is a :class:`fj.demo.DemoClient`, read through the same fetchers.
A failed fetch raises and is not cached: the next run asks again. Nothing here
writes candidates to disk.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from fj import paging
from fj.candidate_frame import candidates_frame
from fj.candidate_metrics import SessionAggregates, session_aggregates
from ui.loader import CACHE_TTL_SECONDS
from ui.session_target import SessionTarget, target_of
from ui.sidebar import View
from ui.source import ConfiguredProject, settings

log = logging.getLogger(__name__)

#: Candidates per page request, and the most pages read per session.
PAGE_SIZE = 50
MAX_PAGES = settings().number("FJ_CANDIDATES_MAX_PAGES")
MAX_IN_FLIGHT = paging.DEFAULT_MAX_IN_FLIGHT
#: The project-wide view reads at most this many sessions (the newest of the view).
MAX_SESSIONS = settings().number("FJ_CANDIDATES_MAX_SESSIONS")
#: Cached sessions: enough for a project-wide view of MAX_SESSIONS and some browsing.
CACHE_MAX_ENTRIES = settings().number("FJ_CANDIDATES_CACHE_MAX_ENTRIES")
#: The sessions this viewer asked the Candidates page to read (``request_read``).
_READ_REQUEST = "fj_candidates_read_request"
#: A running session's status changes within minutes: cache it for a shorter time.
STATUS_TTL_SECONDS = min(60, CACHE_TTL_SECONDS)


@dataclass(frozen=True)
class SessionCandidates:
    """One session's candidates as the pages show them, and how the fetch ended."""

    frame: pd.DataFrame
    pages_fetched: int
    status: str  # fj.paging COMPLETE, TRUNCATED or INCOMPLETE
    note: str
    fetched_at: dt.datetime
    #: What the Session page draws, computed once per fetch: a rerun (a sidebar click)
    #: rebuilds the figures from these small frames, not from the candidates.
    aggregates: SessionAggregates


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
        result = paging.fetch_all_candidates(
            client, session_id, limit=limit, max_pages=max_pages, max_in_flight=MAX_IN_FLIGHT
        )
    frame = candidates_frame(result.docs)
    return SessionCandidates(
        frame=frame,
        pages_fetched=result.pages_fetched,
        status=result.status,
        note=result.note,
        fetched_at=dt.datetime.now(dt.UTC),
        aggregates=session_aggregates(frame),
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def fetch_candidate_details(
    project: ConfiguredProject, base_url: str, session_id: str, candidate_id: str
) -> dict:
    """Fetch one candidate's details (cached per project, base URL, session and candidate)."""
    with project.client(base_url, **settings().client_options()) as client:
        return client.get_candidate_details(candidate_id, session_id)


# -- what the pages call -------------------------------------------------------------------


def matching_status(target: SessionTarget) -> str | None:
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
    fetch_session_status.clear(project, url, sid)
    fetch_session_candidates.clear(project, url, sid, PAGE_SIZE, MAX_PAGES)


def request_read(view: View, scan: pd.DataFrame) -> None:
    """Note that this viewer asked to read these sessions' candidates (a button callback):
    reading them costs requests, so the Candidates page reads only what was asked for."""
    st.session_state[_READ_REQUEST] = _read_request(view, scan)


def read_requested(view: View, scan: pd.DataFrame) -> bool:
    """Return True when this viewer asked to read exactly these sessions of this project."""
    return st.session_state.get(_READ_REQUEST) == _read_request(view, scan)


def _read_request(view: View, scan: pd.DataFrame) -> tuple[str, ...]:
    return (view.project_label, *scan["session_id"].astype("str"))


def gather_candidates(
    view: View, scan: pd.DataFrame, progress=None
) -> paging.ProjectCandidates:
    """Return the candidates of ``scan``'s sessions in one frame, each session through the
    cached ``fetch_session_candidates`` (a session read before costs no request).

    Raises FJError as ``fj.paging.project_candidates``; a session that failed is listed in
    the result and asked for again on the next run (failures are not cached).
    """
    targets = {str(row["session_id"]): target_of(view, row) for _, row in scan.iterrows()}

    def load(session_id: str) -> pd.DataFrame:
        return session_candidates(targets[session_id]).frame

    return paging.project_candidates(load, scan, progress=progress)
