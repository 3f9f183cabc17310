"""The tolerant reader: the body parsed by json and walked record by record in Python.

It reads whatever the fast reader declines: a value of the wrong type becomes
null and a problem, a record that is not an object a problem, text that is not
UTF-8 is replaced and noted, a key given twice noted; only a body that is not
the documented envelope at all raises :class:`fj.errors.BadResponseError`.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa

from fj.envelope import envelope_data, shown
from fj.errors import BadResponseError
from fj.frame.finish import DATE_FIELDS, INVALID_UTF8, TEXT_FIELDS, RawColumns
from fj.frame.problems import FIELD_ORDER

#: The documented response nests 4 levels (envelope, data, record, jdDetail). Python's
#: JSON reader recurses per level, so a body nested far deeper is refused before it is
#: read record by record; pyarrow's reader (the fast path) does not recurse.
MAX_DEPTH = 64
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'{}[]"')
_INT64_RANGE = (-(2**63), 2**63 - 1)


def read_tolerant(payload: bytes | str | dict) -> tuple[RawColumns, dict | None]:
    """Return the records' columns (each problem noted) and the first record as sent."""
    envelope = _parse_json(payload) if isinstance(payload, bytes | str) else payload
    records = envelope_data(envelope, expect=list)
    sample = records[0] if records and isinstance(records[0], dict) else None
    return _read_records(records), sample


def too_deep() -> BadResponseError:
    """The error for a body nested far deeper than a sessions response."""
    return BadResponseError(
        f"The API response is nested more than {MAX_DEPTH} levels deep (a sessions response "
        "has 4), so it is not a sessions response."
    )


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
        raise too_deep()
    if isinstance(body, bytes):
        # Bytes that are not UTF-8 are kept as lone surrogates, then replaced and reported
        # per field (as the fast reader does), instead of failing the whole body.
        body = body.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    try:
        envelope = json.loads(body, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        start = shown(body[:40])
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


def _read_records(records: list) -> RawColumns:
    """Return the records as arrow columns; values of the wrong type become null and a problem."""
    n = len(records)
    values: dict[str, list] = {name: [None] * n for name in [*TEXT_FIELDS, *DATE_FIELDS]}
    totals: list[int | None] = [None] * n
    not_object = np.zeros(n, dtype=bool)
    problems: list[tuple[int, str, str]] = []

    def text(i: int, api_field: str, value: Any, kind: str = "a string") -> str | None:
        if value is None or isinstance(value, str):
            return value
        problems.append((i, api_field, f"not {kind}: {shown(value)}"))
        return None

    for i, record in enumerate(records):
        if not isinstance(record, dict):
            not_object[i] = True
            problems.append((i, "(record)", f"not an object: {shown(record)}"))
            continue
        for key in getattr(record, "duplicates", ()):
            api_field = key if key in FIELD_ORDER else "(record)"
            problems.append((i, api_field, f"key {shown(key)} given twice: the last one is read"))
        values["session_id"][i] = text(i, "_id", record.get("_id"))
        values["title"][i] = text(i, "sessionTitle", record.get("sessionTitle"))
        jd = record.get("jdDetail")
        if isinstance(jd, dict):
            for key in getattr(jd, "duplicates", ()):
                problems.append(
                    (i, "jdDetail", f"key {shown(key)} given twice: the last one is read")
                )
            values["jd_text"][i] = text(i, "jdDetail.userText", jd.get("userText"))
        elif jd is not None:
            problems.append((i, "jdDetail", f"not an object: {shown(jd)}"))
        values["project_id"][i] = text(i, "projectId", record.get("projectId"))
        values["created_at"][i] = text(i, "createdAt", record.get("createdAt"), "a date")
        values["updated_at"][i] = text(i, "updatedAt", record.get("updatedAt"), "a date")
        totals[i] = _count(i, record.get("totalProfiles"), problems)

    api_fields = {**TEXT_FIELDS, **DATE_FIELDS}
    arrays = {
        name: _string_array(column, api_fields[name], problems) for name, column in values.items()
    }
    return RawColumns(
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
            (i, "totalProfiles", f"not an integer: {shown(value)} (read as {int(number)})")
        )
        return int(number)
    problems.append((i, "totalProfiles", f"not an integer: {shown(value)}"))
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
                    problem = INVALID_UTF8
                except UnicodeEncodeError:
                    clean = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                    problem = "invalid Unicode (lone surrogate replaced by U+FFFD)"
                problems.append((i, api_field, problem))
                value = clean
        fixed.append(value)
    return pa.array(fixed, pa.string())
