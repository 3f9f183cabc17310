"""No body can make the loader raise anything but FJError: fuzzed bytes, cuts, nesting, floods."""

from __future__ import annotations

import json

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from fj import FJError
from fj.frame import LoadedSessions, load_sessions, load_sessions_tolerant
from tests.hostile import bodies, envelope, record

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
GOOD = envelope([record(i) for i in range(5)])


def loads_or_fj_error(body):
    """Load ``body``; return the result, or None for an FJError; anything else fails the test."""
    try:
        loaded = load_sessions(body)
    except FJError as err:
        assert str(err)
        return None
    assert isinstance(loaded, LoadedSessions)
    assert len(loaded.frame) == loaded.record_count
    for column in ("session_id", "title", "jd_text", "project_id"):
        for value in loaded.frame[column].dropna():
            value.encode("utf-8")  # no lone surrogate, nothing that is not text, later
    return loaded


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(body):
    loads_or_fj_error(body)


@FUZZ
@given(st.integers(0, len(GOOD)))
def test_every_truncation(cut):
    loads_or_fj_error(GOOD[:cut])


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(GOOD) - 1), st.binary(min_size=1, max_size=4)),
                max_size=6))
def test_bytes_overwritten_anywhere(edits):
    body = bytearray(GOOD)
    for at, new in edits:
        body[at : at + len(new)] = new
    loads_or_fj_error(bytes(body))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3),
    max_leaves=12,
)


@FUZZ
@given(st.lists(st.dictionaries(
    st.sampled_from(["_id", "sessionTitle", "jdDetail", "createdAt", "updatedAt",
                     "totalProfiles", "projectId", "x"]), _json, max_size=7), max_size=5))
def test_any_json_in_the_records(records):
    body = json.dumps({"status": "SUCCESS", "data": records}).encode()
    loaded = loads_or_fj_error(body)
    if loaded is not None:
        assert loaded.record_count == len(records)


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
@pytest.mark.parametrize("where", ["data", "jdDetail", "unknown field", "userText"])
def test_deep_nesting_is_refused_as_a_bad_response(depth, where):
    deep = "[" * depth + "]" * depth
    start = '{"status":"SUCCESS","data":['
    inner = start + {
        "data": deep,
        "jdDetail": '{"_id":"a","jdDetail":' + deep + "}",
        "unknown field": '{"_id":"a","deep":' + deep + "}",
        "userText": '{"_id":"a","jdDetail":{"userText":' + deep + "}}",
    }[where] + "]}"
    try:
        loaded = load_sessions(inner.encode())
    except FJError as err:
        assert "nested" in str(err)
    else:  # pyarrow's reader (no recursion) may skip a field it does not read
        assert where == "unknown field" and loaded.path == "fast"
    with pytest.raises(FJError, match="nested"):
        load_sessions_tolerant(inner.encode())


def test_oversized_body_is_an_fj_error_not_an_overflow():
    # 2 GiB + of spaces is too much for a test machine; a string past pyarrow's int32 block
    # size is not needed: the loader hands any body it cannot read to one FJError.
    loads_or_fj_error(b" " * (1 << 20) + GOOD + b"]" * (1 << 20))


def test_fast_and_tolerant_readers_agree_on_invalid_utf8():
    body = bodies()["invalid-utf8"]
    fast, tolerant = load_sessions(body), load_sessions_tolerant(body)
    assert fast.path == "fast"
    assert fast.frame.equals(tolerant.frame)
    assert fast.problems.equals(tolerant.problems)
    assert fast.frame["title"].tolist() == ["Caf\ufffd", "Pu\ufffd\ufffd\ufffdne", "plain"]


def test_duplicate_keys_and_empty_id_are_reported():
    body = (
        b'{"status":"SUCCESS","data":[{"_id":"","sessionTitle":"a","sessionTitle":"b",'
        b'"totalProfiles":1,"jdDetail":{"userText":"x","userText":"y"}}]}'
    )
    loaded = load_sessions(body)
    assert loaded.frame["title"].tolist() == ["b"]
    problems = set(zip(loaded.problems["field"], loaded.problems["problem"], strict=True))
    assert ("_id", "empty") in problems
    assert any(f == "sessionTitle" and "twice" in p for f, p in problems)
    assert any(f == "jdDetail" and "twice" in p for f, p in problems)
    with pytest.raises(FJError, match="data more than once"):
        load_sessions(bodies()["duplicate-keys"])
