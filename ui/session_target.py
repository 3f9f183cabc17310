"""The session the Session page is about: from its link or this browser session, found among
the loaded sessions with the project (and key) it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from ui import state
from ui.sidebar import View
from ui.source import ConfiguredProject

_LAST_SESSION = "fj_session"


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
    return target_of(view, frame.loc[matches[0]])


def target_of(view: View, row: pd.Series) -> SessionTarget:
    """Return the session of a row of the view's sessions frame, with its project."""
    project = view.projects[0]
    if len(view.projects) > 1 and "project" in row.index:
        project = next((p for p in view.projects if p.name == row["project"]), project)
    return SessionTarget(str(row["session_id"]), project, view.source.base_url, row)
