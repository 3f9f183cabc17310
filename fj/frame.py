"""The sessions frame and its data-quality report, built from a /projects/sessions response.

Two readers feed one finishing step. The fast reader lets pyarrow parse the
whole envelope with the documented schema; it only accepts what it can read
exactly (no type coercion), so anything odd (a count sent as "25", a record
that is not an object, a bad envelope) sends the payload to the tolerant
reader, which walks the records in Python and notes every problem. Both hand
the same arrow columns to ``_finish`` (dates, JD fields, derived columns,
quality checks), so both produce the same frame for the same records.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from fj.envelope import envelope_data
from fj.envelope import shown as _shown
from fj.errors import BadResponseError
from fj.jd import parse_jd, read_jd
from fj.schema import PROBLEM_COLUMNS, SESSION_COLUMNS

__all__ = [
    "LoadedSessions",
    "load_sessions",
    "load_sessions_tolerant",
    "parse_jd",
    "sessions_frame",
]

logger = logging.getLogger(__name__)

_TIMESTAMP = pa.timestamp("ms", tz="UTC")
_RECORD = pa.struct(
    [
        ("_id", pa.string()),
        ("sessionTitle", pa.string()),
        ("jdDetail", pa.struct([("userText", pa.string())])),
        ("projectId", pa.string()),
        ("createdAt", pa.string()),
        ("updatedAt", pa.string()),
        ("totalProfiles", pa.int64()),
    ]
)
# statusCode and message are left out on purpose: the frame does not need
# them, and a message sent as a number should not cost the fast path.
_ENVELOPE = pa.schema([("status", pa.string()), ("data", pa.list_(_RECORD))])

#: Text columns of the frame and the API field each comes from, in record order.
_TEXT_FIELDS = {
    "session_id": "_id",
    "title": "sessionTitle",
    "jd_text": "jdDetail.userText",
    "project_id": "projectId",
}
_DATE_FIELDS = {"created_at": "createdAt", "updated_at": "updatedAt"}
#: Order of fields within one record's problems.
_FIELD_ORDER = {
    name: i
    for i, name in enumerate(["(record)", "_id", "sessionTitle", "jdDetail", "jdDetail.userText",
                              "projectId", "createdAt", "updatedAt", "totalProfiles"])
}  # fmt: skip
#: A problem on the left already explains why the field on the right is empty.
_EXPLAINS_MISSING = {"jdDetail": "jdDetail.userText"}
_Dates = tuple[pd.Timestamp, pd.Timestamp]
_INT64_RANGE = (-(2**63), 2**63 - 1)
_DECODER = json.JSONDecoder()
#: Bodies from this size up hand the JSON reader's freed memory back to the system.
_RELEASE_AFTER_READ = 32 << 20
#: Where the ``data`` list opens, up to its first value (see _first_record).
_DATA_LIST = re.compile(rb'"data"\s*:\s*\[\s*')
#: The documented response nests 4 levels (envelope, data, record, jdDetail). Python's
#: JSON reader recurses per level, so a body nested far deeper is refused before it is
#: read record by record; pyarrow's reader (the fast path) does not recurse.
MAX_DEPTH = 64
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'{}[]"')
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
class _Columns:
    """The records as arrow columns, before any interpretation, plus what reading them found."""

    session_id: pa.Array
    title: pa.Array
    jd_text: pa.Array
    project_id: pa.Array
    created_at: pa.Array | None  # strings as sent; dropped by _finish once parsed
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
        raise _too_deep() from None
    except Exception as exc:  # whatever a hostile body trips: one clear error, not a traceback
        logger.warning("sessions response could not be read", exc_info=True)
        raise BadResponseError(
            f"The API response could not be read as sessions ({type(exc).__name__})."
        ) from None


def _too_deep() -> BadResponseError:
    return BadResponseError(
        f"The API response is nested more than {MAX_DEPTH} levels deep (a sessions response "
        "has 4), so it is not a sessions response."
    )


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
    loaded = _load_fast(raw, dates)
    return loaded if loaded is not None else _load_tolerant(payload, dates)


def sessions_frame(payload: bytes | str | dict) -> pd.DataFrame:
    """Return only the sessions frame of :func:`load_sessions`."""
    return load_sessions(payload).frame


# --- fast reader ------------------------------------------------------------


def _load_fast(raw: bytes, dates: _Dates | None = None) -> LoadedSessions | None:
    """Return the loaded sessions when pyarrow can read the body exactly, else None."""
    if len(raw) >= 1 << 31:  # pyarrow's block size is an int32
        return None
    columns = _read_columns(raw)
    if columns is None:
        return None
    _replace_invalid_utf8(columns)
    try:
        sample = _first_record(raw, columns)
    except (ValueError, RecursionError):
        logger.warning("could not cut the first record out of a body pyarrow read; reading again")
        return None
    return _finish(columns, sample=_clean_sample(sample), path="fast", dates=dates)


def _replace_invalid_utf8(columns: _Columns) -> None:
    """Replace text that is not UTF-8 (pyarrow's reader passes it on) and note each field.

    The tolerant reader replaces the same bytes the same way (see ``_string_array``).
    """
    for name, api_field in {**_TEXT_FIELDS, **_DATE_FIELDS}.items():
        column = getattr(columns, name)
        try:
            column.validate(full=True)
            continue
        except pa.ArrowInvalid:
            pass
        fixed = []
        for i, value in enumerate(column.cast(pa.binary()).to_pylist()):
            if value is not None:
                try:
                    value = value.decode("utf-8")
                except UnicodeDecodeError:
                    value = value.decode("utf-8", "replace")
                    columns.problems.append((i, api_field, _INVALID_UTF8))
            fixed.append(value)
        setattr(columns, name, pa.array(fixed, pa.string()))


_INVALID_UTF8 = "invalid UTF-8 (replaced by U+FFFD)"


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


def _read_columns(raw: bytes) -> _Columns | None:
    """Return the records' columns when pyarrow can read the body exactly, else None.

    Only the columns leave this function: the table, list and struct around
    them are dropped here, so each column's memory is freed as soon as the
    finishing step is done with it (the date strings long before the frame is built).
    """
    table = _read_envelope(raw)
    if len(raw) >= _RELEASE_AFTER_READ:
        # The JSON reader's working memory (about the table's size again) is free now;
        # handed back, the pages serve the numpy and pandas work that follows.
        pa.default_memory_pool().release_unused()
    if table is None or table.num_rows != 1:
        return None
    status = table.column("status")[0].as_py()
    data = table.column("data")
    # A body read as one block gives one chunk: take it as it is (combining would copy it all).
    data = data.chunk(0) if data.num_chunks == 1 else data.combine_chunks()
    if status != "SUCCESS" or data.null_count:
        return None
    records = data.flatten()
    if records.null_count:  # a null inside data: not an object
        return None
    ids, titles, jd, project_ids, created, updated, totals = records.flatten()
    return _Columns(ids, titles, jd.flatten()[0], project_ids, created, updated, totals)


def _read_envelope(raw: bytes) -> pa.Table | None:
    """Return the body parsed as one JSON "line" with the documented schema, or None."""
    parse = pj.ParseOptions(explicit_schema=_ENVELOPE, unexpected_field_behavior="ignore")
    read = pj.ReadOptions(block_size=len(raw) + 1)
    try:
        return pj.read_json(io.BytesIO(raw), read_options=read, parse_options=parse)
    except (pa.ArrowException, ValueError) as first:
        if b"\n" not in raw:
            logger.info("fast reader declined the body: %s", first)
            return None
    parse = pj.ParseOptions(
        explicit_schema=_ENVELOPE, unexpected_field_behavior="ignore", newlines_in_values=True
    )
    try:
        return pj.read_json(io.BytesIO(raw), read_options=read, parse_options=parse)
    except (pa.ArrowException, ValueError) as second:
        logger.info("fast reader declined the body: %s", second)
        return None


def _first_record(raw: bytes, columns: _Columns) -> dict | None:
    """Return the first record of ``data`` as sent (unknown fields too), decoded by json.

    pyarrow has read the body as an envelope, so json decodes the value after a
    ``"data": [`` (from a 64 KiB prefix, else from the rest of the body) until one
    is the record pyarrow read first (a "data" key may also be nested earlier in
    the body). None found raises ValueError, and the body is read record by record.
    """
    if not len(columns.session_id):
        return None
    fields = ("_id", "sessionTitle", "projectId", "createdAt")
    first = tuple(
        column[0].as_py()
        for column in (columns.session_id, columns.title, columns.project_id, columns.created_at)
    )
    for found in _DATA_LIST.finditer(raw):
        start = found.end()
        for end in (start + (1 << 16), len(raw)):
            try:  # a prefix may cut the value (or a character) short: then read on
                value, _ = _DECODER.raw_decode(raw[start:end].decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(value, dict) and tuple(value.get(f) for f in fields) == first:
                return value
            break
    raise ValueError("no value after a data key is the first record")


# --- tolerant reader --------------------------------------------------------


def _load_tolerant(payload: bytes | str | dict, dates: _Dates | None = None) -> LoadedSessions:
    """Return the loaded sessions read record by record in Python, noting each problem."""
    envelope = _parse_json(payload) if isinstance(payload, bytes | str) else payload
    records = envelope_data(envelope, expect=list)
    columns = _read_records(records)
    sample = records[0] if records and isinstance(records[0], dict) else None
    return _finish(columns, sample=_clean_sample(sample), path="tolerant", dates=dates)


class _Object(dict):
    """A JSON object as read by the tolerant reader, with the keys it had more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return obj


def _nesting_depth(raw: bytes) -> int:
    """Return how deep the body's arrays and objects nest (brackets inside strings ignored)."""
    if b"\\" in raw:  # escaped backslashes and quotes do not open or close a string
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = np.frombuffer(raw.translate(None, _NOT_STRUCTURE), np.uint8)
    if not len(skeleton):
        return 0
    outside = (np.cumsum(skeleton == ord('"'), dtype=np.int64) & 1) == 0
    opens = (skeleton == ord("{")) | (skeleton == ord("["))
    closes = (skeleton == ord("}")) | (skeleton == ord("]"))
    steps = (opens.astype(np.int8) - closes.astype(np.int8)) * outside
    return int(np.cumsum(steps, dtype=np.int64).max())


def _parse_json(body: bytes | str) -> Any:
    if not body or not body.strip():
        raise BadResponseError("The API response was empty; expected JSON.")
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
    if _nesting_depth(raw) > MAX_DEPTH:
        raise _too_deep()
    if isinstance(body, bytes):
        # Bytes that are not UTF-8 are kept as lone surrogates, then replaced and reported
        # per field (as the fast reader does), instead of failing the whole body.
        body = body.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    try:
        envelope = json.loads(body, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        start = _shown(body[:40])
        raise BadResponseError(
            f"The API response is not valid JSON: it starts with {start} and breaks "
            f"at line {exc.lineno}, column {exc.colno}."
        ) from None
    twice = {"status", "data"} & set(getattr(envelope, "duplicates", ()))
    if twice:
        raise BadResponseError(
            f"The API response has {' and '.join(sorted(twice))} more than once, so which "
            "one to read is a guess: it is not a sessions response."
        )
    return envelope


def _read_records(records: list) -> _Columns:
    """Return the records as arrow columns; values of the wrong type become null and a problem."""
    n = len(records)
    values: dict[str, list] = {name: [None] * n for name in [*_TEXT_FIELDS, *_DATE_FIELDS]}
    totals: list[int | None] = [None] * n
    not_object = np.zeros(n, dtype=bool)
    problems: list[tuple[int, str, str]] = []

    def text(i: int, api_field: str, value: Any, kind: str = "a string") -> str | None:
        if value is None or isinstance(value, str):
            return value
        problems.append((i, api_field, f"not {kind}: {_shown(value)}"))
        return None

    for i, record in enumerate(records):
        if not isinstance(record, dict):
            not_object[i] = True
            problems.append((i, "(record)", f"not an object: {_shown(record)}"))
            continue
        for key in getattr(record, "duplicates", ()):
            api_field = key if key in _FIELD_ORDER else "(record)"
            problems.append((i, api_field, f"key {_shown(key)} given twice: the last one is read"))
        values["session_id"][i] = text(i, "_id", record.get("_id"))
        values["title"][i] = text(i, "sessionTitle", record.get("sessionTitle"))
        jd = record.get("jdDetail")
        if isinstance(jd, dict):
            for key in getattr(jd, "duplicates", ()):
                problems.append(
                    (i, "jdDetail", f"key {_shown(key)} given twice: the last one is read")
                )
            values["jd_text"][i] = text(i, "jdDetail.userText", jd.get("userText"))
        elif jd is not None:
            problems.append((i, "jdDetail", f"not an object: {_shown(jd)}"))
        values["project_id"][i] = text(i, "projectId", record.get("projectId"))
        values["created_at"][i] = text(i, "createdAt", record.get("createdAt"), "a date")
        values["updated_at"][i] = text(i, "updatedAt", record.get("updatedAt"), "a date")
        totals[i] = _count(i, record.get("totalProfiles"), problems)

    api_fields = {**_TEXT_FIELDS, **_DATE_FIELDS}
    arrays = {
        name: _string_array(column, api_fields[name], problems) for name, column in values.items()
    }
    return _Columns(
        **arrays,
        total_profiles=pa.array(totals, pa.int64()),
        not_object=not_object,
        problems=problems,
    )


def _count(i: int, value: Any, problems: list) -> int | None:
    """Return totalProfiles as an int when it is one or plainly means one; note anything else."""
    if value is None or (type(value) is int and _INT64_RANGE[0] <= value <= _INT64_RANGE[1]):
        return value
    if type(value) is int:
        problems.append((i, "totalProfiles", f"out of range: {value}"))
        return None
    number = None
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is not None and number.is_integer() and _INT64_RANGE[0] <= number <= _INT64_RANGE[1]:
        problems.append(
            (i, "totalProfiles", f"not an integer: {_shown(value)} (read as {int(number)})")
        )
        return int(number)
    problems.append((i, "totalProfiles", f"not an integer: {_shown(value)}"))
    return None


def _string_array(values: list, api_field: str, problems: list) -> pa.Array:
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowException, UnicodeEncodeError):
        pass
    # Bytes that were not UTF-8 arrive as lone surrogates (surrogateescape): put the bytes
    # back and replace them exactly as the fast reader does. JSON can also escape a lone
    # surrogate ("\ud800") that no UTF-8 text can hold.
    fixed = []
    for i, value in enumerate(values):
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                try:
                    clean = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                    problem = _INVALID_UTF8
                except UnicodeEncodeError:
                    clean = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                    problem = "invalid Unicode (lone surrogate replaced by U+FFFD)"
                problems.append((i, api_field, problem))
                value = clean
        fixed.append(value)
    return pa.array(fixed, pa.string())


# --- shared finishing -------------------------------------------------------


def _finish(
    columns: _Columns,
    *,
    sample: dict | None,
    path: Literal["fast", "tolerant"],
    dates: _Dates | None = None,
) -> LoadedSessions:
    """Return the contract frame and its report: the one place raw values are interpreted."""
    dates = plausible_dates() if dates is None else dates
    n = len(columns.session_id)
    problems = _Problems(columns)

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

    for name, api_field in {**_TEXT_FIELDS, **_DATE_FIELDS}.items():
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
    problems: _Problems,
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


class _Problems:
    """Collects one row per problem, vectorised per check."""

    def __init__(self, columns: _Columns) -> None:
        self._parts: list[tuple[np.ndarray, str, list[str] | str]] = []
        n = len(columns.session_id)
        self._is_record = (
            np.ones(n, dtype=bool) if columns.not_object is None else ~columns.not_object
        )
        self._explained: dict[str, set[int]] = {}
        for record, api_field, problem in columns.problems:
            self._parts.append((np.array([record]), api_field, problem))
            self._explained.setdefault(_EXPLAINS_MISSING.get(api_field, api_field), set()).add(
                record
            )

    def add(self, mask: pa.Array | np.ndarray, api_field: str, problem: str | list[str]) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            self._parts.append((rows, api_field, problem))

    def add_values(
        self, mask: pa.Array, api_field: str, values: pa.Array, problem: str, quote: bool = True
    ) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            shown = values.take(pa.array(rows)).to_pylist()
            texts = [f"{problem}: {_shown(v) if quote else v}" for v in shown]
            self._parts.append((rows, api_field, texts))

    def add_missing(self, values: pa.Array, api_field: str) -> None:
        missing = values.is_null().to_numpy(zero_copy_only=False) & self._is_record
        for record in self._explained.get(api_field, ()):
            missing[record] = False
        self.add(missing, api_field, "missing")

    def add_duplicates(self, ids: pa.Array) -> None:
        # Ids are nearly always unique: one hash pass in arrow shows it, with no copy per row.
        present = len(ids) - ids.null_count
        if len(pc.unique(ids)) - (1 if ids.null_count else 0) == present:
            return
        session_ids = ids.to_pandas()
        duplicated = (session_ids.duplicated(keep=False) & session_ids.notna()).to_numpy()
        rows = np.flatnonzero(duplicated)
        groups = session_ids.iloc[rows].groupby(session_ids.iloc[rows], sort=False).indices
        texts = []
        for row in rows:
            others = [int(r) for r in rows[groups[session_ids.iloc[row]]] if r != row]
            listed = ", ".join(map(str, others[:5]))
            more = f" and {len(others) - 5} more" if len(others) > 5 else ""
            noun = "record" if len(others) == 1 else "records"
            texts.append(f"duplicate _id (also {noun} {listed}{more})")
        self._parts.append((rows, "_id", texts))

    def frame(self, session_ids: pa.Array) -> pd.DataFrame:
        """Return the report sorted by record, then field (built in arrow: no str per row)."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in PROBLEM_COLUMNS.items()})
        records = np.concatenate([rows for rows, _, _ in self._parts]).astype("int64")
        fields = pa.concat_arrays([_repeat(f, len(rows)) for rows, f, _ in self._parts])
        problems = pa.concat_arrays(
            [pa.array(p, pa.string()) if isinstance(p, list) else _repeat(p, len(rows))
             for rows, _, p in self._parts]
        )  # fmt: skip
        rank = np.concatenate([np.full(len(rows), _FIELD_ORDER[f]) for rows, f, _ in self._parts])
        order = np.lexsort((rank, records))
        records, at = records[order], pa.array(order)
        return pd.DataFrame(
            {
                "record": records,
                "session_id": session_ids.take(pa.array(records)).to_pandas(),
                "field": fields.take(at).to_pandas(),
                "problem": problems.take(at).to_pandas(),
            }
        )


def _repeat(text: str, count: int) -> pa.Array:
    return pa.repeat(pa.scalar(text, pa.string()), count)
