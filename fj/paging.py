"""Reading candidates from the API: every page of a session with bounded concurrency
(``fetch_all_candidates``), and the sessions of a project (``project_candidates``).

Paging (:func:`fetch_all_candidates`) asks for page 1 alone, learns the counts
from it, then keeps at most ``max_in_flight`` page requests running at once
(a thread pool over the client's shared ``requests.Session``: GETs through
urllib3's connection pool are safe to run in parallel). Pages are taken in
order, and the first of these ends the fetch:

- an **empty page**, or a page whose candidates were **all seen before** (a
  repeated page: a server that ignores ``page``);
- a **short page** (fewer docs than the page size): the normal last page;
- ``hasNextPage`` false: the API says there is no more, so no further page is
  asked for, even when ``totalDocs`` says more exist (reported as incomplete:
  asking anyway would only fetch empty pages);
- the **counts** are reached: once the pages ``totalDocs`` (and
  ``totalPages``) allow have been taken, no further page is asked for, even
  when ``hasNextPage`` still says true (counts win over a lying flag; they are
  re-read from every page, so a session that is still growing extends them);
- the **page cap** ``max_pages`` (reported as truncated).

A page that fails is retried by the client (5xx, 429, connection errors); one
that still fails raises its :class:`fj.errors.FJError`. After a stop, pages
already requested beyond it (at most ``max_in_flight - 1``) are discarded.
Candidates seen on an earlier page are dropped (the order can shift while a
session is still fetching profiles).

Across a project (the Candidates page): ``sessions_to_scan`` picks the sessions
worth a request, ``planned_requests`` says what reading them costs, and
``project_candidates`` reads them one after the other, each through the caller's
``fetch`` (the dashboard's cached loader), into one frame.

Candidate data is personal data: nothing here writes it anywhere.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from requests.adapters import DEFAULT_POOLSIZE

from fj.candidate_frame import candidates_frame
from fj.errors import AuthError, BadResponseError, FJError
from fj.filters import NOT_STATED

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
DEFAULT_MAX_PAGES = 20
DEFAULT_MAX_IN_FLIGHT = 4

#: Statuses of a fetch: every candidate the API counted, stopped by the page cap, or cut short.
COMPLETE, TRUNCATED, INCOMPLETE = "complete", "truncated", "incomplete"

class ProfilePages(Protocol):
    """What paging needs from a client: :meth:`fj.client.FJClient.get_session_profiles`."""

    def get_session_profiles(self, session_id: str, page: int = 1, limit: int = 20) -> dict: ...


@dataclass(frozen=True)
class CandidatesResult:
    """A session's candidates as fetched, and how the fetch ended."""

    session_id: str
    docs: list[dict] = field(repr=False)
    total_docs: int | None  # the API's count, as the last page taken said
    pages_fetched: int  # pages whose candidates were kept
    requests: int  # page requests sent, discarded ones included
    status: str  # COMPLETE, TRUNCATED or INCOMPLETE
    note: str  # why the fetch ended, in words
    duplicates: int = 0  # candidates dropped because an earlier page had them


@dataclass(frozen=True)
class _Page:
    docs: list
    total_docs: int | None
    total_pages: int | None
    has_next: bool | None
    size: int  # the page size the server used


def fetch_all_candidates(
    client: ProfilePages,
    session_id: str,
    *,
    limit: int = DEFAULT_LIMIT,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
) -> CandidatesResult:
    """Return every candidate of a session, page by page (see the module doc for the rules).

    ``max_in_flight`` is capped at requests' connection-pool size (10), so every
    parallel request reuses a pooled connection.
    """
    if limit < 1 or max_pages < 1 or max_in_flight < 1:
        raise ValueError("limit, max_pages and max_in_flight must be >= 1")
    workers = min(max_in_flight, DEFAULT_POOLSIZE)
    paging = _Paging(limit, max_pages)
    stop = paging.take(1, _fetch_page(client, session_id, 1, limit))
    requests = 1
    if stop is None and paging.last_page > 1:
        futures: dict[int, Future] = {}
        with ThreadPoolExecutor(workers, thread_name_prefix="fj-pages") as pool:
            try:
                page, queued = 2, 2
                while stop is None and page <= paging.last_page:
                    # At most `workers` pages ahead of the one taken next: after a stop,
                    # fewer than `workers` requests go to waste.
                    while queued <= paging.last_page and queued < page + workers:
                        futures[queued] = pool.submit(
                            _fetch_page, client, session_id, queued, limit
                        )
                        queued += 1
                    stop = paging.take(page, futures.pop(page).result())
                    requests += 1
                    page += 1
            finally:
                requests += sum(not f.cancel() for f in futures.values())
    result = paging.result(session_id, stop or paging.end_reason(), requests)
    log.info(
        "session %s: %d candidates in %d pages (%d requests): %s",
        session_id,
        len(result.docs),
        result.pages_fetched,
        result.requests,
        result.status,
    )
    return result


def _fetch_page(client: ProfilePages, session_id: str, page: int, limit: int) -> _Page:
    data = client.get_session_profiles(session_id, page=page, limit=limit)
    docs = data.get("docs")
    if docs is None:
        docs = []
    if not isinstance(docs, list):
        raise BadResponseError(
            f"The FJ API's page {page} of candidates had 'docs' as a {type(docs).__name__}, "
            "not a list: the API may have changed."
        )
    size = _api_count(data.get("limit"))
    return _Page(
        docs=docs,
        total_docs=_api_count(data.get("totalDocs")),
        total_pages=_api_count(data.get("totalPages")),
        has_next=data.get("hasNextPage") if isinstance(data.get("hasNextPage"), bool) else None,
        size=size if size else limit,
    )


def _api_count(value: Any) -> int | None:
    """A non-negative integer count from the API, or None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if value >= 0 else None


class _Paging:
    """The stop rules, applied to pages in order (no I/O: fetch_all_candidates feeds it)."""

    def __init__(self, limit: int, max_pages: int) -> None:
        self.limit, self.max_pages = limit, max_pages
        self.docs: list[dict] = []
        self.seen: set[str] = set()
        self.page_ids: list[frozenset[str]] = []
        self.total_docs: int | None = None
        self.claimed: int | None = None  # pages the latest counts allow
        self.pages = 0
        self.duplicates = 0

    @property
    def last_page(self) -> int:
        """The last page worth asking for, as far as known."""
        return min(self.max_pages, self.claimed) if self.claimed is not None else self.max_pages

    def take(self, number: int, page: _Page) -> str | None:
        """Keep a page's new candidates; return why to stop here, or None to go on."""
        if page.total_docs is not None:
            self.total_docs = page.total_docs
        claims = [c for c in (page.total_pages, _pages_for(page.total_docs, page.size)) if c]
        if page.total_docs == 0 or page.total_pages == 0:
            claims.append(1)
        self.claimed = min(claims) if claims else None
        if not page.docs:
            return "empty page" if number > 1 or self._short_of_count() else "no candidates"
        ids = frozenset(_doc_id(d, number, i) for i, d in enumerate(page.docs))
        if ids in self.page_ids:
            return "repeated page"
        self.page_ids.append(ids)
        self.pages += 1
        for i, doc in enumerate(page.docs):
            doc_id = _doc_id(doc, number, i)
            if doc_id in self.seen:
                self.duplicates += 1
                continue
            self.seen.add(doc_id)
            self.docs.append(doc if isinstance(doc, dict) else {})
        if len(page.docs) < page.size:
            return "short page"
        if page.has_next is False:
            return "no next page"
        if self.total_docs is not None and len(self.docs) >= self.total_docs:
            return "count reached"
        if self.claimed is not None and number >= self.claimed:
            return "count reached"
        if number >= self.max_pages:
            return "page cap"
        return None

    def end_reason(self) -> str:
        """Why the fetch ended when every planned page was taken without a stop."""
        if self.claimed is not None and self.pages >= self.claimed:
            return "count reached"
        return "page cap"

    def _short_of_count(self) -> bool:
        return self.total_docs is not None and len(self.docs) < self.total_docs

    def result(self, session_id: str, reason: str, requests: int) -> CandidatesResult:
        n, total = len(self.docs), self.total_docs
        counted = "" if total is None else f" of the {total:,} the API counts"
        if reason == "page cap" and (total is None or self._short_of_count()):
            status = TRUNCATED
            note = (
                f"Showing the first {n:,} candidates{counted}: the dashboard reads at most "
                f"{self.max_pages} pages of {self.limit} per session."
            )
        elif self._short_of_count():
            status = INCOMPLETE
            why = {
                "empty page": "an empty page",
                "repeated page": "a page that repeated an earlier one",
                "no next page": "its answer that there is no next page",
                "short page": "a page shorter than the others",
                "count reached": "the last page its page count allows",
            }.get(reason, reason)
            note = f"The API sent {n:,} candidates{counted}: it stopped with {why}."
        else:
            status = COMPLETE
            note = (
                "No candidates yet."
                if n == 0
                else (f"All {n:,} candidates" + (" the API counts." if total is not None else "."))
            )
        if self.duplicates:
            note += f" {self.duplicates:,} repeated candidate(s) were shown once."
        return CandidatesResult(
            session_id=session_id,
            docs=self.docs,
            total_docs=total,
            pages_fetched=self.pages,
            requests=requests,
            status=status,
            note=note,
            duplicates=self.duplicates,
        )


def _pages_for(total_docs: int | None, size: int) -> int | None:
    if total_docs is None:
        return None
    return max(1, math.ceil(total_docs / size))


def _doc_id(doc: Any, page: int, index: int) -> str:
    """A doc's ``_id``, or a stand-in unique to its place for a doc without one."""
    if isinstance(doc, dict) and isinstance(doc.get("_id"), str | int):
        return str(doc["_id"])
    return f"#p{page}-{index}"


# -- across the sessions of a project ------------------------------------------------------


def sessions_to_scan(sessions: pd.DataFrame, max_sessions: int = 100) -> pd.DataFrame:
    """Return the sessions a project-wide view reads: with profiles, newest first, at most
    ``max_sessions``. Sessions with no profile (or no count) or no id cost no request and
    are skipped."""
    ids = sessions["session_id"]
    # A session without an id cannot be asked about: it costs no request either.
    with_profiles = sessions[
        (sessions["total_profiles"].fillna(0) > 0) & ids.notna() & (ids.fillna("") != "")
    ]
    ordered = with_profiles.sort_values("created_at", ascending=False, na_position="last")
    return ordered.head(max_sessions)


def planned_requests(
    sessions: pd.DataFrame, *, limit: int = DEFAULT_LIMIT, max_pages: int = DEFAULT_MAX_PAGES
) -> int:
    """Return how many page requests reading these sessions' candidates should take.

    One per page of ``limit`` per session (at least one, at most ``max_pages``), from
    ``total_profiles``: an estimate, since the count may grow while a session runs.
    """
    profiles = sessions["total_profiles"].fillna(0).to_numpy("int64")
    pages = np.clip(-(-profiles // limit), 1, max_pages)
    return int(pages.sum())


@dataclass(frozen=True)
class ScanPlan:
    """What reading a project's candidates would take: the sessions to read, out of how many
    have profiles, and about how many page requests."""

    sessions: pd.DataFrame  # sessions_to_scan
    with_profiles: int  # sessions of the view with at least one profile
    requests: int  # planned_requests

    @property
    def left_out(self) -> int:
        """Sessions with profiles not read (past ``max_sessions``)."""
        return self.with_profiles - len(self.sessions)


def plan_scan(
    sessions: pd.DataFrame,
    *,
    max_sessions: int = 100,
    limit: int = DEFAULT_LIMIT,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> ScanPlan:
    """Return which of ``sessions`` a project-wide read takes and what it costs."""
    scan = sessions_to_scan(sessions, max_sessions)
    return ScanPlan(
        sessions=scan,
        with_profiles=int((sessions["total_profiles"].fillna(0) > 0).sum()),
        requests=planned_requests(scan, limit=limit, max_pages=max_pages),
    )


@dataclass(frozen=True)
class ProjectCandidates:
    """Candidates gathered across sessions, with the sessions that could not be read."""

    frame: pd.DataFrame  # candidates frame plus session_id, session_title, role
    sessions: int  # sessions read
    failures: list[tuple[str, str]]  # (session id, message)


def project_candidates(
    fetch: Callable[[str], pd.DataFrame],
    sessions: pd.DataFrame,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ProjectCandidates:
    """Return the candidates of every session in ``sessions`` in one frame.

    ``fetch`` returns one session's candidates frame, e.g.
    ``lambda s: candidates_frame(fetch_all_candidates(client, s).docs)``; the dashboard
    passes its cached loader. Sessions are read one after the other (each one's pages in
    parallel); ``progress(done, total)`` is called after each. A session that fails is
    listed in ``failures`` and the rest go on, except for a rejected key (AuthError),
    which is raised: every other session would fail the same way.
    """
    parts: list[pd.DataFrame] = []
    failures: list[tuple[str, str]] = []
    total = len(sessions)
    roles = sessions["role"].astype("object").where(sessions["role"].notna(), NOT_STATED)
    titles = sessions["title"].astype("object").where(sessions["title"].notna(), "(no title)")
    for done, (session_id, title, role) in enumerate(
        zip(sessions["session_id"], titles, roles, strict=True), start=1
    ):
        try:
            frame = fetch(session_id)
        except AuthError:
            raise
        except FJError as err:
            log.warning("candidates of session %s failed: %s", session_id, type(err).__name__)
            failures.append((session_id, str(err)))
        else:
            if len(frame):
                parts.append(
                    frame.assign(session_id=session_id, session_title=str(title), role=str(role))
                )
        if progress is not None:
            progress(done, total)
    lead = ["session_id", "session_title", "role"]
    if parts:
        frame = pd.concat(parts, ignore_index=True)
    else:
        frame = candidates_frame([]).assign(session_id="", session_title="", role="").head(0)
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    for column in lead:
        frame[column] = frame[column].astype("str")
    return ProjectCandidates(frame=frame, sessions=total - len(failures), failures=failures)
