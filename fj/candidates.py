"""A session's candidates: every page fetched with bounded concurrency, one frame, aggregates.

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

Candidate data is personal data: nothing here writes it anywhere.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from requests.adapters import DEFAULT_POOLSIZE

from fj.errors import AuthError, BadResponseError, FJError
from fj.filters import NOT_STATED, slugify

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
DEFAULT_MAX_PAGES = 20
DEFAULT_MAX_IN_FLIGHT = 4

#: Statuses of a fetch: every candidate the API counted, stopped by the page cap, or cut short.
COMPLETE, TRUNCATED, INCOMPLETE = "complete", "truncated", "incomplete"

#: Columns of the candidates frame, in order, with their pandas dtypes.
CANDIDATE_COLUMNS: dict[str, str] = {
    "candidate_id": "str",  # API `_id`
    "name": "str",  # profile.name
    "final_score": "float64",  # finalScore
    "recommendation": "str",  # profileAnalysis.recommendation
    "region": "str",  # profile.region
    "years_experience": "float64",  # parsed from years_experience_text: "6 years 3 months" -> 6.25
    "years_experience_text": "str",  # profile.years_of_experience_raw, as sent
    "skills": "object",  # list of str, in the API's order, duplicates dropped
    "skills_text": "str",  # "C#, Azure, SQL"
    "employers": "object",  # list of "job title at company"
    "employers_text": "str",  # "; "-joined employers
    "current_company": "str",  # first of current_employers_object
    "current_title": "str",
    "highlights_text": "str",  # "Skills: Hands-on with C#; Location: Based in Pune"
}

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

    @property
    def truncated(self) -> bool:
        """True when the page cap stopped the fetch before the API's count."""
        return self.status == TRUNCATED


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
    size = _count(data.get("limit"))
    return _Page(
        docs=docs,
        total_docs=_count(data.get("totalDocs")),
        total_pages=_count(data.get("totalPages")),
        has_next=data.get("hasNextPage") if isinstance(data.get("hasNextPage"), bool) else None,
        size=size if size else limit,
    )


def _count(value: Any) -> int | None:
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


# -- the candidates frame ------------------------------------------------------------------

_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?|y)\b", re.IGNORECASE)
_MONTHS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:months?|mos?|m)\b", re.IGNORECASE)
_BARE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*\+?\s*$")


def parse_years(text: Any) -> float:
    """Return years of experience as a number: "6 years 3 months" -> 6.25, "8 months" -> 0.67.

    Numbers pass through; text without a number of years or months is NaN.
    """
    if isinstance(text, bool) or text is None:
        return math.nan
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) and text >= 0 else math.nan
    if not isinstance(text, str):
        return math.nan
    years, months = _YEARS.search(text), _MONTHS.search(text)
    if years is None and months is None:
        bare = _BARE.match(text)
        return float(bare.group(1)) if bare else math.nan
    total = (float(years.group(1)) if years else 0.0) + (
        float(months.group(1)) / 12 if months else 0.0
    )
    return round(total, 2)


def candidates_frame(docs: Iterable[Any]) -> pd.DataFrame:
    """Return one row per candidate doc, in order (see ``CANDIDATE_COLUMNS``).

    Tolerant: a missing or mistyped field is a missing value (an empty list for
    skills and employers); no doc is ever dropped, not even one that is not an
    object.
    """
    rows = [_candidate_row(doc if isinstance(doc, dict) else {}) for doc in docs]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(CANDIDATE_COLUMNS)}
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=dtype)
            if dtype != "object"
            else pd.Series(values, dtype=object)
            for (name, dtype), values in zip(
                CANDIDATE_COLUMNS.items(), columns.values(), strict=True
            )
        }
    )
    return frame


def _candidate_row(doc: Mapping[str, Any]) -> tuple:
    profile = _mapping(doc.get("profile"))
    analysis = _mapping(doc.get("profileAnalysis"))
    skills = _skills(profile.get("skills"))
    employers = [
        e for e in _as_list(profile.get("current_employers_object")) if isinstance(e, dict)
    ]
    jobs = [_job(e) for e in employers]
    jobs = [j for j in jobs if j]
    current = employers[0] if employers else {}
    years_raw = profile.get("years_of_experience_raw")
    highlights = [_highlight(h) for h in _as_list(analysis.get("highlights"))]
    return (
        _text(doc.get("_id")),
        _text(profile.get("name")),
        _score(doc.get("finalScore")),
        _text(analysis.get("recommendation")),
        _text(profile.get("region")),
        parse_years(years_raw),
        _text(years_raw),
        skills,
        ", ".join(skills) if skills else None,
        jobs,
        "; ".join(jobs) if jobs else None,
        _text(current.get("company_name")),
        _text(current.get("job_title")),
        "; ".join(h for h in highlights if h) or None,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _score(value: Any) -> float:
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return math.nan
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return math.nan


def _skills(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    texts = (_text(v) for v in items)
    return list(dict.fromkeys(t for t in texts if t))


def _job(employer: Mapping[str, Any]) -> str | None:
    title, company = _text(employer.get("job_title")), _text(employer.get("company_name"))
    if title and company:
        return f"{title} at {company}"
    return title or company


def _highlight(item: Any) -> str | None:
    if isinstance(item, dict):
        category, text = _text(item.get("Category")), _text(item.get("Highlight"))
        return f"{category}: {text}" if category and text else text or category
    return _text(item)


#: Headings of the candidates table (and its CSV), from frame columns.
TABLE_COLUMNS: dict[str, str] = {
    "name": "Name",
    "final_score": "Score",
    "recommendation": "Recommendation",
    "region": "Region",
    "years_experience": "Experience (years)",
    "current_title": "Current title",
    "current_company": "Current company",
    "skills_text": "Skills",
    "employers_text": "Employers",
    "highlights_text": "Highlights",
    "years_experience_text": "Experience (as written)",
    "candidate_id": "Candidate ID",
}


def candidates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the candidates as the table (and its CSV) shows them: text only, readable headings.

    Extra leading columns of a project-wide frame (session title, role) come first.
    """
    extra = {"session_title": "Session", "role": "Role"}
    columns = {**{c: h for c, h in extra.items() if c in frame.columns}, **TABLE_COLUMNS}
    table = frame[list(columns)].rename(columns=columns)
    return table.reset_index(drop=True)


def filter_candidates(
    frame: pd.DataFrame,
    *,
    score: tuple[float, float] | None = None,
    skill: str = "",
    region: str = "",
) -> pd.DataFrame:
    """Return the candidates within the score range (inclusive) whose skills and region
    contain the given texts (case-insensitive). Unscored candidates go only when no range
    narrows the scores."""
    keep = pd.Series(True, index=frame.index)
    if score is not None:
        low, high = score
        scores = frame["final_score"]
        lowest, highest = scores.min(skipna=True), scores.max(skipna=True)
        if not (pd.isna(lowest) or (low <= lowest and high >= highest)):
            keep &= scores.between(low, high).fillna(False)
    for column, text in (("skills_text", skill), ("region", region)):
        if text.strip():
            found = frame[column].str.contains(text.strip(), case=False, regex=False)
            keep &= found.fillna(False).astype(bool)
    return frame[keep]


def csv_filename(scope: str, now: datetime.datetime, session_id: str | None = None) -> str:
    """Return "fj-candidates_<scope>[_<session id end>]_<YYYY-MM-DD>.csv": ASCII and short.

    ``scope`` is the session title (or the project's name for a project-wide export).
    """
    parts = ["fj-candidates", slugify(scope or "session", 40)]
    if session_id:
        parts.append(slugify(session_id[-8:], 8))
    return "_".join(parts) + f"_{now.date().isoformat()}.csv"


# -- one candidate's details -------------------------------------------------------------


def candidate_summary(details: Mapping[str, Any]) -> dict[str, str]:
    """Return the details of one candidate as label -> plain text, for display.

    Tolerant of missing fields: a label appears only when there is something to show.
    """
    details = _mapping(details)
    profile = _mapping(details.get("profile"))
    analysis = _mapping(details.get("profileAnalysis"))
    row = candidates_frame([details]).iloc[0]
    stars = analysis.get("starRating")
    label = _text(analysis.get("starLabel"))
    rating = None
    if isinstance(stars, int | float) and not isinstance(stars, bool):
        rating = f"{'★' * max(0, min(5, round(stars)))} ({stars:g} of 5)"
        rating += f", {label}" if label else ""
    else:
        rating = label
    education = [_education(e) for e in _as_list(profile.get("education"))]
    fields = {
        "Headline": _text(profile.get("headline")),
        "Rating": rating,
        "Score": None if pd.isna(row["final_score"]) else f"{row['final_score']:g}",
        "Recommendation": row["recommendation"],
        "Summary": _text(profile.get("summary")),
        "Region": row["region"],
        "Experience": row["years_experience_text"],
        "Skills": row["skills_text"],
        "Employers": row["employers_text"],
        "Education": "; ".join(e for e in education if e) or None,
        "Highlights": row["highlights_text"],
    }
    return {k: str(v) for k, v in fields.items() if isinstance(v, str) and v}


def profile_url(details: Mapping[str, Any]) -> str | None:
    """Return the candidate's profile URL when it is a plain http(s) link, else None."""
    url = _text(_mapping(_mapping(details).get("profile")).get("profile_url"))
    if url and re.fullmatch(r"https?://[^\s<>\"']+", url):
        return url
    return None


def _education(item: Any) -> str | None:
    if not isinstance(item, dict):
        return _text(item)
    degree = " ".join(
        t for t in (_text(item.get("degree")), _text(item.get("field_of_study"))) if t
    )
    where = _text(item.get("institution"))
    years = [_text(item.get(k)) for k in ("start_year", "end_year")]
    span = "–".join(y for y in years if y)
    text = ", ".join(t for t in (degree, where) if t)
    return f"{text} ({span})" if text and span else text or None


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
