"""The finishing step both readers share: raw record columns to the typed sessions frame.

The one place raw values are interpreted: dates parsed and checked against the
plausible range, counts checked, the JD fields read (:mod:`fj.jd`), derived
columns added, and every problem noted in the report (:mod:`fj.frame.problems`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fj.frame.problems import Problems
from fj.jd import read_jd
from fj.schema import SESSION_COLUMNS

_TIMESTAMP = pa.timestamp("ms", tz="UTC")
#: Text columns of the frame and the API field each comes from, in record order.
TEXT_FIELDS = {
    "session_id": "_id",
    "title": "sessionTitle",
    "jd_text": "jdDetail.userText",
    "project_id": "projectId",
}
DATE_FIELDS = {"created_at": "createdAt", "updated_at": "updatedAt"}
_Dates = tuple[pd.Timestamp, pd.Timestamp]
#: The problem noted for text that is not UTF-8 (both readers replace it the same way).
INVALID_UTF8 = "invalid UTF-8 (replaced by U+FFFD)"
#: The plausible range of dates by default: from this year to this many days ahead.
DEFAULT_FIRST_YEAR = 2000
DEFAULT_DAYS_AHEAD = 365


@dataclass(frozen=True)
class LoadedSessions:
    """A loaded response: the typed frame, what was wrong with the data, and a raw sample."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    sample_record: dict | None
    record_count: int
    path: Literal["fast", "tolerant"]  # which reader produced it
    #: How many sessions took role, location and experience from a JD label, JD prose,
    #: the title, or have none (fj.jd.JDRead.sources); None for frames built otherwise.
    jd_sources: pd.DataFrame | None = None


@dataclass
class RawColumns:
    """The records as arrow columns, before any interpretation, plus what reading them found."""

    session_id: pa.Array
    title: pa.Array
    jd_text: pa.Array
    project_id: pa.Array
    created_at: pa.Array | None  # strings as sent; dropped by finish() once parsed
    updated_at: pa.Array | None
    total_profiles: pa.Array  # int64
    not_object: np.ndarray | None = None  # True where the record was not a JSON object
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (record, field, problem)


def plausible_dates(
    first_year: int = DEFAULT_FIRST_YEAR, days_ahead: int = DEFAULT_DAYS_AHEAD
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the dates a real session can have: 1 January of first_year to now + days_ahead."""
    start = pd.Timestamp(year=max(1, int(first_year)), month=1, day=1, tz="UTC")
    return start, pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=max(0, int(days_ahead)))


def finish(
    columns: RawColumns,
    *,
    sample: dict | None,
    path: Literal["fast", "tolerant"],
    dates: _Dates | None = None,
) -> LoadedSessions:
    """Return the contract frame and its report: the one place raw values are interpreted."""
    dates = plausible_dates() if dates is None else dates
    n = len(columns.session_id)
    problems = Problems(columns)

    created, created_bad = _timestamps(columns.created_at)
    updated, updated_bad = _timestamps(columns.updated_at)
    problems.add_values(created_bad, "createdAt", columns.created_at, "not a date")
    problems.add_values(updated_bad, "updatedAt", columns.updated_at, "not a date")
    created = _plausible(created, dates, "createdAt", columns.created_at, problems)
    updated = _plausible(updated, dates, "updatedAt", columns.updated_at, problems)
    problems.add(pc.fill_null(pc.equal(columns.session_id, ""), False), "_id", "empty")

    totals = columns.total_profiles
    negative = pc.fill_null(pc.less(totals, 0), False)
    problems.add_values(negative, "totalProfiles", totals, "negative", quote=False)
    totals = pc.if_else(negative, pa.scalar(None, pa.int64()), totals)

    for name, api_field in {**TEXT_FIELDS, **DATE_FIELDS}.items():
        problems.add_missing(getattr(columns, name), api_field)
    problems.add_missing(columns.total_profiles, "totalProfiles")
    # Read and checked: let the date strings go before the frame is built (~60 MB at 1M).
    columns.created_at = columns.updated_at = None

    duration = pc.cast(pc.subtract(updated, created), pa.int64())
    problems.add(
        pc.fill_null(pc.less(duration, 0), False), "updatedAt", "updatedAt before createdAt"
    )
    seconds = pc.divide(pc.cast(duration, pa.float64()), 1000.0)

    problems.add_duplicates(columns.session_id)

    jd = read_jd(columns.jd_text, columns.title)
    frame = pd.DataFrame(
        {
            "session_id": columns.session_id.to_pandas(),
            "title": columns.title.to_pandas(),
            "jd_text": columns.jd_text.to_pandas(),
            "project_id": columns.project_id.to_pandas(),
            "created_at": created.to_pandas(),
            "updated_at": updated.to_pandas(),
            "total_profiles": totals.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get),
            **jd.columns,
            "sourcing_seconds": seconds.to_pandas(),
        },
        columns=list(SESSION_COLUMNS),
    )
    return LoadedSessions(
        frame=frame,
        problems=problems.frame(columns.session_id),
        sample_record=sample,
        record_count=n,
        path=path,
        jd_sources=jd.sources,
    )


def _plausible(
    stamps: pa.Array,
    dates: tuple[pd.Timestamp, pd.Timestamp],
    api_field: str,
    texts: pa.Array,
    problems: Problems,
) -> pa.Array:
    """Return the timestamps with those outside ``dates`` made null, each one a problem.

    The session keeps its row (and its place in every count); only the date goes, so it
    is never put in a time bucket: one record dated 9999 would otherwise stretch a daily
    series over 2.9 million days.
    """
    low = pa.scalar(dates[0].as_unit("ms"), _TIMESTAMP)
    high = pa.scalar(dates[1].as_unit("ms"), _TIMESTAMP)
    outside = pc.fill_null(pc.or_(pc.less(stamps, low), pc.greater(stamps, high)), False)
    if not pc.any(outside).as_py():
        return stamps
    problems.add_values(
        outside,
        api_field,
        texts,
        f"outside the plausible dates ({dates[0]:%Y-%m-%d} to {dates[1]:%Y-%m-%d}), "
        "left out of the time charts",
    )
    return pc.if_else(outside, pa.scalar(None, _TIMESTAMP), stamps)


def _timestamps(texts: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Return the texts as UTC millisecond timestamps and a mask of texts that are not dates."""
    try:
        stamps = pc.cast(texts, _TIMESTAMP)  # exact for the API's own "...T07:09:10.110Z"
    except pa.ArrowInvalid:
        # Other ISO-8601 forms (offsets, microseconds, lowercase t/z) and
        # junk: let pandas parse the column, junk becoming NaT.
        parsed = pd.to_datetime(
            pc.utf8_upper(texts).to_pandas(), utc=True, format="ISO8601", errors="coerce"
        )
        stamps = pa.array(parsed.dt.as_unit("ms"), _TIMESTAMP)
    not_dates = pc.and_(pc.is_valid(texts), pc.is_null(stamps))
    return stamps, not_dates
