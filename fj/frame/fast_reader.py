"""The fast reader: pyarrow parses the whole envelope with the documented schema.

It only accepts what it can read exactly (no type coercion): anything odd (a
count sent as "25", a record that is not an object, a bad envelope) makes it
decline, and :mod:`fj.frame.tolerant_reader` reads the body instead.
"""

from __future__ import annotations

import io
import json
import logging
import re

import pyarrow as pa
import pyarrow.json as pj

from fj.frame.finish import DATE_FIELDS, INVALID_UTF8, TEXT_FIELDS, RawColumns

logger = logging.getLogger(__name__)

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
_DECODER = json.JSONDecoder()
#: Bodies from this size up hand the JSON reader's freed memory back to the system.
_RELEASE_AFTER_READ = 32 << 20
#: Where the ``data`` list opens, up to its first value (see _first_record).
_DATA_LIST = re.compile(rb'"data"\s*:\s*\[\s*')


def read_fast(raw: bytes) -> tuple[RawColumns, dict | None] | None:
    """Return the records' columns and the first record as sent when pyarrow can read the
    body exactly, else None."""
    if len(raw) >= 1 << 31:  # pyarrow's block size is an int32
        return None
    columns = _read_columns(raw)
    if columns is None:
        return None
    _replace_invalid_utf8(columns)
    try:
        return columns, _first_record(raw, columns)
    except (ValueError, RecursionError):
        logger.warning("could not cut the first record out of a body pyarrow read; reading again")
        return None


def _replace_invalid_utf8(columns: RawColumns) -> None:
    """Replace text that is not UTF-8 (pyarrow's reader passes it on) and note each field.

    The tolerant reader replaces the same bytes the same way (see fj.frame.tolerant_reader).
    """
    for name, api_field in {**TEXT_FIELDS, **DATE_FIELDS}.items():
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
                    columns.problems.append((i, api_field, INVALID_UTF8))
            fixed.append(value)
        setattr(columns, name, pa.array(fixed, pa.string()))


def _read_columns(raw: bytes) -> RawColumns | None:
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
    return RawColumns(ids, titles, jd.flatten()[0], project_ids, created, updated, totals)


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


def _first_record(raw: bytes, columns: RawColumns) -> dict | None:
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
