"""Any response valid under the vendor's OpenAPI schema loads every record intact."""

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

import hypothesis.strategies as st
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from fj.frame import load_sessions, load_sessions_tolerant, plausible_dates

SCHEMA = json.loads((Path(__file__).parent / "data" / "sessions_response.schema.json").read_text())
ITEM = "ApiV1WlProjectsSessionsGetResponsesContentApplicationJsonSchemaDataItems"
ENVELOPE = "Sourcing Session_Get Project Sessions_Response_200"
INT64_MAX = 2**63 - 1


def _success_schema():
    """The vendor's schema, with status fixed to success and dates drawn from _iso_dates."""
    schema = copy.deepcopy(SCHEMA)
    schema["$defs"][ENVELOPE]["properties"]["status"] = {"const": "SUCCESS"}
    schema["$defs"][ENVELOPE]["properties"]["data"]["maxItems"] = 12
    for name in ("createdAt", "updatedAt"):
        schema["$defs"][ITEM]["properties"][name]["format"] = "iso-instant"
    return schema


# from_schema's own date-time strings span years 0001-9999 with any offset; the
# API sends recent instants, in any ISO-8601 form the vendor's stack may emit.
_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_instants = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2090, 1, 1),
    timezones=_offsets | st.just(UTC),
)
_iso_dates = st.builds(
    lambda moment, timespec, zulu: moment.isoformat(timespec=timespec).replace(
        "+00:00", "Z" if zulu else "+00:00"
    ),
    _instants,
    st.sampled_from(["milliseconds", "milliseconds", "seconds", "microseconds"]),
    st.booleans(),
)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _from_schema(schema, root):
    """Strategy for instances of ``schema``, objects and arrays built here, leaves by from_schema.

    hypothesis-jsonschema 0.23.1 cannot draw objects under the pinned
    hypothesis 6.170 (its object strategy calls the removed ``many.more()``),
    so this walks the vendor's schema itself: every required property, any
    optional one, a few unknown extra properties (the schema allows them),
    keys in any order. Leaves (strings, integers, formats) still come from
    hypothesis-jsonschema.
    """
    if "$ref" in schema:
        return _from_schema(root["$defs"][unquote(schema["$ref"].rsplit("/", 1)[-1])], root)
    if schema.get("type") == "array":
        return st.lists(_from_schema(schema["items"], root), max_size=schema.get("maxItems", 8))
    if schema.get("type") != "object":
        return from_schema(schema, custom_formats={"iso-instant": _iso_dates})
    known = schema["properties"]
    required = set(schema.get("required", []))
    documented = st.fixed_dictionaries(
        {k: _from_schema(v, root) for k, v in known.items() if k in required},
        optional={k: _from_schema(v, root) for k, v in known.items() if k not in required},
    )
    extra = st.dictionaries(
        st.text(max_size=6).filter(lambda k: k not in known), _json_values, max_size=2
    )
    merged = st.tuples(documented, extra).map(lambda pair: [*pair[1].items(), *pair[0].items()])
    return merged.flatmap(st.permutations).map(dict)


_schema = _success_schema()
_responses = _from_schema(_schema, _schema)
_dumps = st.sampled_from(
    [json.dumps, lambda v: json.dumps(v, ensure_ascii=False), lambda v: json.dumps(v, indent=2)]
)


def _utc_ms(text):
    moment = datetime.fromisoformat(text).astimezone(UTC)
    return pd.Timestamp(moment.replace(microsecond=moment.microsecond // 1000 * 1000))


def _plausible(text):
    low, high = plausible_dates()
    return low <= _utc_ms(text) <= high


def _date(text):
    """The frame keeps a date only inside the plausible range."""
    return _utc_ms(text) if _plausible(text) else pd.NaT


def _expected_problems(records):
    """(record, field) of every legitimately odd value in schema-valid records."""
    ids = [r["_id"] for r in records]
    expected = []
    for i, r in enumerate(records):
        if ids.count(r["_id"]) > 1:
            expected.append((i, "_id"))
        if r["_id"] == "":
            expected.append((i, "_id"))
        created, updated = _plausible(r["createdAt"]), _plausible(r["updatedAt"])
        if not created:
            expected.append((i, "createdAt"))
        if not updated:
            expected.append((i, "updatedAt"))
        if created and updated and _utc_ms(r["updatedAt"]) < _utc_ms(r["createdAt"]):
            expected.append((i, "updatedAt"))
        if not 0 <= r["totalProfiles"] <= INT64_MAX:
            expected.append((i, "totalProfiles"))
    return sorted(expected)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(response=_responses, dumps=_dumps)
def test_schema_valid_response_loads_every_record_intact(response, dumps):
    records = response["data"]
    body = dumps(response).encode()
    loaded = load_sessions(body)
    frame = loaded.frame

    assert loaded.record_count == len(frame) == len(records)
    assert frame["session_id"].tolist() == [r["_id"] for r in records]
    assert frame["title"].tolist() == [r["sessionTitle"] for r in records]
    assert frame["jd_text"].tolist() == [r["jdDetail"]["userText"] for r in records]
    assert frame["project_id"].tolist() == [r["projectId"] for r in records]
    assert frame["created_at"].tolist() == [_date(r["createdAt"]) for r in records]
    assert frame["updated_at"].tolist() == [_date(r["updatedAt"]) for r in records]
    counts = [r["totalProfiles"] for r in records]
    assert frame["total_profiles"].tolist() == [c if 0 <= c <= INT64_MAX else pd.NA for c in counts]
    assert loaded.sample_record == (records[0] if records else None)

    reported = sorted(zip(loaded.problems["record"], loaded.problems["field"], strict=True))
    assert reported == _expected_problems(records)

    # Whichever reader took it, the other one agrees.
    pd.testing.assert_frame_equal(frame, load_sessions_tolerant(body).frame)
