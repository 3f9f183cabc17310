"""The sessions frame and its data-quality report, built from a /projects/sessions response.

Two readers feed one finishing step. The fast reader lets pyarrow parse the
whole envelope with the documented schema; it only accepts what it can read
exactly (no type coercion), so anything odd (a count sent as "25", a record
that is not an object, a bad envelope) sends the payload to the tolerant
reader, which walks the records in Python and notes every problem. Both hand
the same arrow columns to ``fj.frame.finish`` (dates, JD fields, derived columns,
quality checks), so both produce the same frame for the same records.

Modules: :mod:`fj.frame.fast_reader`, :mod:`fj.frame.tolerant_reader`,
:mod:`fj.frame.finish` (the finishing step) and :mod:`fj.frame.problems` (the report).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import pandas as pd

from fj.errors import BadResponseError
from fj.frame.fast_reader import read_fast
from fj.frame.finish import (
    DEFAULT_DAYS_AHEAD,
    DEFAULT_FIRST_YEAR,
    LoadedSessions,
    RawColumns,
    finish,
    plausible_dates,
)
from fj.frame.tolerant_reader import MAX_DEPTH, read_tolerant, too_deep
from fj.jd import parse_jd

__all__ = [
    "DEFAULT_DAYS_AHEAD",
    "DEFAULT_FIRST_YEAR",
    "MAX_DEPTH",
    "LoadedSessions",
    "load_sessions",
    "load_sessions_tolerant",
    "parse_jd",
    "plausible_dates",
    "sessions_frame",
]

logger = logging.getLogger(__name__)
_Dates = tuple[pd.Timestamp, pd.Timestamp]


def load_sessions(
    payload: bytes | str | dict, *, dates: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> LoadedSessions:
    """Return the sessions frame and its data-quality report for one API response.

    ``payload`` is the response body (bytes or str) or the already parsed
    envelope. Every record becomes one row, in payload order; nothing is
    dropped. A date outside ``dates`` (default :func:`plausible_dates`) is a
    problem and is left out of the frame (the session stays, undated), so one
    far-off date cannot stretch a time series over centuries. Text that is not
    valid UTF-8 is replaced (U+FFFD) and reported per field.

    Raises :class:`fj.errors.BadResponseError` when the body is not the
    documented envelope (not JSON, not an object, status other than "SUCCESS",
    ``data`` missing or not a list, nested far deeper than documented), and
    never any other exception.
    """
    return _guarded(_load, payload, dates)


def load_sessions_tolerant(
    payload: bytes | str | dict, *, dates: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> LoadedSessions:
    """Return what :func:`load_sessions` returns, read by the tolerant reader alone.

    :func:`load_sessions` hands a body to pyarrow's reader first and to this one
    only when pyarrow cannot read it exactly; both must give the same frame and
    report for the same records (``tests/test_perf_guards.py`` compares them).
    Raises :class:`fj.errors.BadResponseError` as :func:`load_sessions` does.
    """
    return _guarded(_load_tolerant, payload, dates)


def _guarded(read: Any, payload: bytes | str | dict, dates: _Dates | None) -> LoadedSessions:
    """Run a reader, turning whatever a hostile body trips into one BadResponseError."""
    try:
        return read(payload, plausible_dates() if dates is None else dates)
    except BadResponseError:
        raise
    except RecursionError:
        raise too_deep() from None
    except Exception as exc:  # whatever a hostile body trips: one clear error, not a traceback
        logger.warning("sessions response could not be read", exc_info=True)
        raise BadResponseError(
            f"The API response could not be read as sessions ({type(exc).__name__})."
        ) from None


def _load(payload: bytes | str | dict, dates: _Dates) -> LoadedSessions:
    if isinstance(payload, bytearray | memoryview):
        payload = bytes(payload)
    if isinstance(payload, str):
        try:
            raw = payload.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: only the tolerant reader can report them
            return _load_tolerant(payload, dates)
    elif isinstance(payload, bytes):
        raw = payload
    else:  # already parsed: nothing for pyarrow to read
        return _load_tolerant(payload, dates)
    read = read_fast(raw)
    return _load_tolerant(payload, dates) if read is None else _finished(read, "fast", dates)


def sessions_frame(payload: bytes | str | dict) -> pd.DataFrame:
    """Return only the sessions frame of :func:`load_sessions`."""
    return load_sessions(payload).frame


def _clean_sample(sample: dict | None) -> dict | None:
    """Return the raw sample record with any text that is not valid Unicode replaced."""
    if sample is None:
        return None
    text = json.dumps(sample, ensure_ascii=False)
    try:
        text.encode("utf-8")
        return sample
    except UnicodeEncodeError:
        return json.loads(text.encode("utf-8", "replace"))


def _load_tolerant(payload: bytes | str | dict, dates: _Dates) -> LoadedSessions:
    return _finished(read_tolerant(payload), "tolerant", dates)


def _finished(
    read: tuple[RawColumns, dict | None], path: Literal["fast", "tolerant"], dates: _Dates
) -> LoadedSessions:
    columns, sample = read
    return finish(columns, sample=_clean_sample(sample), path=path, dates=dates)
