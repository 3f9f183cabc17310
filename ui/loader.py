"""The cached loader: one fetch per key, base URL and TTL, shared safely by every viewer.

Streamlit's caches are global to the server process, so everything that
selects the data is a *hashed* argument, the key included (an argument named
``_x`` would not be hashed, and viewer B would get viewer A's data).

The parsed project is cached with ``st.cache_resource``, not ``st.cache_data``:
``cache_data`` unpickles a full copy of the frame on every hit, i.e. on every
rerun of every viewer (about 0.26 s and 224 MB per viewer at 1M sessions).
``cache_resource`` hands every viewer of the same key the same object, which is
safe because nothing mutates it: ``fj`` is pure functions that return new
frames, and a test runs every page and checks the cached frame is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from fj import FJError, UnavailableError
from fj.charts import roles_by_weight
from fj.filters import FilterOptions, filter_options
from fj.frame import plausible_dates
from fj.tables import combine_projects
from ui import history
from ui.source import ConfiguredProject, Source, settings

log = logging.getLogger(__name__)


# Read when the server starts: Streamlit's cache decorators take them once.
CACHE_TTL_SECONDS = settings().number("FJ_CACHE_TTL")
CACHE_MAX_ENTRIES = settings().number("FJ_CACHE_MAX_ENTRIES")


def failure_backoff_seconds() -> float:
    """FJ_FAILURE_BACKOFF: how long a failed fetch is remembered (30 s; read on every run)."""
    return float(settings().number("FJ_FAILURE_BACKOFF"))


_FAILURES = "fj_failed_fetches"


@dataclass(frozen=True)
class ProjectData:
    """A loaded project: every session (the view narrows them), its data-quality report,
    and when it was fetched."""

    all_sessions: pd.DataFrame
    problems: pd.DataFrame
    sample_record: dict | None
    record_count: int
    fetched_at: dt.datetime
    #: What the filters offer, and the roles by weight (for colours): computed once per fetch.
    options: FilterOptions
    roles_by_weight: tuple[str, ...]
    #: The history keys of the projects (none for the demo, or when history is off), and
    #: why history is off, if it is.
    history_projects: tuple[str, ...] = ()
    history_note: str | None = None
    #: Sessions per JD field and source (label, prose, title, none): see fj.jd.JDRead.sources.
    jd_sources: pd.DataFrame | None = None


@dataclass(frozen=True)
class LoadOutcome:
    """What the page shows: data (maybe the last good copy) and the error of this attempt."""

    data: ProjectData | None
    error: FJError | None = None
    failed_project: str | None = None
    #: True when the failed project is shown from its last good copy (False: left out).
    stale: bool = False


@st.cache_resource(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def fetch_project(project: ConfiguredProject, base_url: str) -> ProjectData:
    """Fetch and parse one project's sessions (cached per project, key and base URL for
    the TTL) through the project's client: the FJ API's, or the bundled demo's.

    The fetch asks with the ETag of the last copy: a 304 keeps that copy (nothing
    downloaded or parsed). Every fetch is recorded in the history (ui.history).
    """
    last = _last_copy(project, base_url)
    with project.client(base_url, **settings().client_options()) as client:
        loaded, etag = client.fetch_sessions_if_changed(
            last.etag if last.loaded else None, dates=date_range()
        )
    not_modified = loaded is None
    if not_modified:
        loaded = last.loaded
    else:
        last.loaded, last.etag = loaded, etag
    note = history.record_fetch(project.key, loaded, etag, not_modified)
    return _project_data(loaded, note)


class _LastCopy:
    """The last sessions fetched for a key and base URL, and their ETag."""

    def __init__(self) -> None:
        self.loaded = None
        self.etag: str | None = None


@st.cache_resource(max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _last_copy(project: ConfiguredProject, base_url: str) -> _LastCopy:
    # Outlives fetch_project's TTL and Refresh, so the next fetch can ask If-None-Match.
    return _LastCopy()


def date_range():
    """Return the plausible range of session dates from FJ_DATES_FROM_YEAR (default 2000)
    and FJ_DATES_MAX_AHEAD_DAYS (default 365): dates outside it are reported and kept out
    of the time charts."""
    config = settings()
    return plausible_dates(
        config.number("FJ_DATES_FROM_YEAR"), config.number("FJ_DATES_MAX_AHEAD_DAYS")
    )


def _project_data(loaded, note: history.HistoryNote | None = None) -> ProjectData:
    return ProjectData(
        history_projects=(note.project,) if note and note.project and not note.off_reason else (),
        history_note=note.off_reason if note else None,
        all_sessions=loaded.frame,
        problems=loaded.problems,
        sample_record=loaded.sample_record,
        record_count=loaded.record_count,
        fetched_at=dt.datetime.now(dt.UTC),
        options=filter_options(loaded.frame),
        roles_by_weight=tuple(roles_by_weight(loaded.frame)),
        jd_sources=loaded.jd_sources,
    )


def _fingerprint(project: ConfiguredProject, base_url: str) -> str:
    # repr: the demo's None is not a key "None".
    return hashlib.sha256(f"{project.key!r}\n{base_url}".encode()).hexdigest()[:16]


@dataclass
class _Fetch:
    """A fetch under way for one key and base URL, which other viewers may wait for."""

    started: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    error: FJError | None = None


_FETCHES: dict[str, _Fetch] = {}
_FETCHES_LOCK = threading.Lock()


def fetch_shared(project: ConfiguredProject, base_url: str) -> ProjectData:
    """Return ``fetch_project`` for this key, waiting at most the deadline for another
    viewer's fetch of the same key rather than queueing behind it and fetching again.

    Streamlit's cache makes a second caller wait for the first and, if the first failed,
    fetch once more: behind a slow API that is twice the deadline. Here the second viewer
    shares the first one's outcome, error included, and gives up at the deadline.
    """
    fingerprint = _fingerprint(project, base_url)
    with _FETCHES_LOCK:
        under_way = _FETCHES.get(fingerprint)
        if under_way is None:
            mine = _FETCHES[fingerprint] = _Fetch()
    if under_way is not None:
        deadline = settings().client_options()["deadline"]
        waited = time.monotonic() - under_way.started
        # A second of grace: the first fetch's own deadline error is the better message.
        if not under_way.done.wait(max(0.0, deadline + 1.0 - waited)):
            raise UnavailableError(
                f"The FJ API has been answering another viewer's request for this project "
                f"for over {deadline:g} s: try again in a minute."
            )
        if under_way.error is not None:
            raise under_way.error
        return fetch_project(project, base_url)  # now in the cache
    try:
        return fetch_project(project, base_url)
    except FJError as err:
        mine.error = err
        raise
    finally:
        with _FETCHES_LOCK:
            _FETCHES.pop(fingerprint, None)
        mine.done.set()


def refresh(projects: tuple[ConfiguredProject, ...], base_url: str) -> None:
    """Drop the cached entries of these projects only (other keys' entries stay), and any
    remembered failure of theirs: Refresh always tries the API again at once."""
    failures = st.session_state.get(_FAILURES, {})
    for project in projects:
        failures.pop(_fingerprint(project, base_url), None)
    for project in projects:
        fetch_project.clear(project, base_url)


def load(projects: tuple[ConfiguredProject, ...], source: Source) -> LoadOutcome:
    """Load the selected projects; on failure keep this browser session's last good copy.

    A failed fetch is remembered in this browser session for FJ_FAILURE_BACKOFF
    seconds: reruns in that time (a filter change, a page move) show the last
    good copy or the error at once instead of trying (with retries) again;
    Refresh forgets it (``refresh``).
    """
    last_good: dict[str, ProjectData] = st.session_state.setdefault("fj_last_good", {})
    failed: dict[str, tuple[float, FJError]] = st.session_state.setdefault(_FAILURES, {})
    backoff = failure_backoff_seconds()
    parts: dict[str, ProjectData] = {}
    failures: list[tuple[str, FJError]] = []
    stale: set[str] = set()
    for project in projects:
        fingerprint = _fingerprint(project, source.base_url)
        remembered = failed.get(fingerprint)
        try:
            if remembered is not None and time.monotonic() - remembered[0] < backoff:
                raise remembered[1]
            with st.spinner(f"Loading the sessions of {project.name}…"):
                data = fetch_shared(project, source.base_url)
        except FJError as err:
            if remembered is None or remembered[1] is not err:
                log.warning("Loading project %s failed: %s", project.masked_key, type(err).__name__)
                failed[fingerprint] = (time.monotonic(), err)
            failures.append((project.name, err))
            data = last_good.get(fingerprint)  # the last good copy stays on screen
            if data is None:
                continue
            stale.add(project.name)
        else:
            last_good[fingerprint] = data
            failed.pop(fingerprint, None)
        parts[project.name] = data
    failed_project, error = failures[0] if failures else (None, None)
    if not parts:
        return LoadOutcome(None, error, failed_project)
    return LoadOutcome(_combine(parts), error, failed_project, failed_project in stale)


def _combine(parts: dict[str, ProjectData]) -> ProjectData:
    if len(parts) == 1:
        return next(iter(parts.values()))
    frame, problems = combine_projects(
        {name: (d.all_sessions, d.problems) for name, d in parts.items()}
    )
    return ProjectData(
        all_sessions=frame,
        problems=problems,
        sample_record=next(iter(parts.values())).sample_record,
        record_count=sum(d.record_count for d in parts.values()),
        fetched_at=min(d.fetched_at for d in parts.values()),
        options=filter_options(frame),
        roles_by_weight=tuple(roles_by_weight(frame)),
        history_projects=tuple(p for d in parts.values() for p in d.history_projects),
        history_note=next((d.history_note for d in parts.values() if d.history_note), None),
        jd_sources=_summed([d.jd_sources for d in parts.values()]),
    )


def _summed(tables: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    known = [t for t in tables if t is not None]
    return sum(known[1:], known[0]) if known else None
