"""A /projects/sessions response becomes the contract frame plus a data-quality report."""

import json
import pickle
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from fj.errors import BadResponseError
from fj.frame import load_sessions, load_sessions_tolerant, sessions_frame
from fj.schema import PROBLEM_COLUMNS, SESSION_COLUMNS

DATA = Path(__file__).parent / "data"


def _vendor(name):
    return (DATA / name).read_bytes()


def _envelope(records, **extra):
    return json.dumps(
        {"statusCode": 200, "data": records, "message": "ok", "status": "SUCCESS", **extra}
    )


def _record(i=0, **fields):
    record = {
        "_id": f"{i:024x}",
        "sessionTitle": f"Title {i}",
        "jdDetail": {"userText": f"Job Title: Role {i}, Experience: 1-5 years, Location: Pune"},
        "projectId": "69f0dd1da08d760844569bb1",
        "createdAt": "2026-05-01T07:09:10.110Z",
        "updatedAt": "2026-05-01T07:09:42.608Z",
        "totalProfiles": 25,
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not _ABSENT}


_ABSENT = object()


def _utc(text):
    """The instant an ISO-8601 string names, in UTC, at millisecond precision."""
    moment = datetime.fromisoformat(text).astimezone(UTC)
    return pd.Timestamp(moment.replace(microsecond=moment.microsecond // 1000 * 1000))


def _problems(loaded):
    return [
        (r.record, None if pd.isna(r.session_id) else r.session_id, r.field, r.problem)
        for r in loaded.problems.itertuples()
    ]


def _dtypes(frame):
    return {c: str(t) for c, t in frame.dtypes.items()}


# --- the vendor's examples --------------------------------------------------


def test_vendor_example_loads_every_value_exactly():
    body = _vendor("vendor_sessions_example.json")
    records = json.loads(body)["data"]
    loaded = load_sessions(body)
    frame = loaded.frame

    assert loaded.path == "fast"
    assert loaded.record_count == len(frame) == 5
    assert loaded.problems.empty
    assert loaded.sample_record == records[0]
    assert frame["session_id"].tolist() == [r["_id"] for r in records]
    assert frame["title"].tolist() == [r["sessionTitle"] for r in records]
    assert frame["jd_text"].tolist() == [r["jdDetail"]["userText"] for r in records]
    assert frame["project_id"].tolist() == ["69f0dd1da08d760844569bb1"] * 5
    assert frame["created_at"].tolist() == [_utc(r["createdAt"]) for r in records]
    assert frame["updated_at"].tolist() == [_utc(r["updatedAt"]) for r in records]
    assert frame["total_profiles"].tolist() == [25, 50, 100, 336, 100]
    assert frame["sourcing_seconds"].tolist() == pytest.approx(
        [(_utc(r["updatedAt"]) - _utc(r["createdAt"])).total_seconds() for r in records]
    )
    assert frame["sourcing_seconds"].iloc[0] == pytest.approx(32.498)
    assert (
        frame["role"].tolist()
        == [".NET Developer"] * 2 + ["Senior .NET Developer"] + [".NET Developer"] * 2
    )
    assert frame["exp_min_years"].tolist() == [1, 1, 4, 1, 1]
    assert frame["exp_max_years"].tolist() == [5, 5, 8, 5, 5]
    assert frame["location"].tolist() == ["Pune"] * 5
    assert frame["exp_range"].tolist() == ["1-5 yrs", "1-5 yrs", "4-8 yrs", "1-5 yrs", "1-5 yrs"]
    assert list(frame["exp_range"].cat.categories) == ["1-5 yrs", "4-8 yrs"]
    # Bands by the lower bound: at least 1 year is 0-2, at least 4 is 3-5.
    assert frame["experience"].tolist() == ["0-2 yrs", "0-2 yrs", "3-5 yrs", "0-2 yrs", "0-2 yrs"]
    assert list(frame["experience"].cat.categories) == ["0-2 yrs", "3-5 yrs"]
    assert _dtypes(frame) == SESSION_COLUMNS


def test_first_vendor_example_without_project_and_dates_loads_with_those_columns_empty():
    loaded = load_sessions(_vendor("vendor_sessions_first_example.json"))
    frame = loaded.frame

    assert loaded.path == "fast"
    assert frame["session_id"].tolist() == ["69f3af1695f333e46da12376", "69f2f43d07523d00cbff5367"]
    assert frame["total_profiles"].tolist() == [25, 35]
    assert frame["role"].tolist() == [".NET Developer", "Senior .NET Developer"]
    assert frame["project_id"].isna().all()
    assert frame["created_at"].isna().all() and frame["updated_at"].isna().all()
    assert frame["sourcing_seconds"].isna().all()
    assert _dtypes(frame) == SESSION_COLUMNS
    # The schema requires them, so their absence is reported, not hidden.
    assert _problems(loaded) == [
        (i, sid, field, "missing")
        for i, sid in enumerate(frame["session_id"])
        for field in ["projectId", "createdAt", "updatedAt"]
    ]


def test_optional_looking_fields_missing_give_empty_cells_and_missing_problems():
    records = [
        _record(0, sessionTitle=_ABSENT, jdDetail=_ABSENT),
        _record(1, jdDetail={}),
        _record(2, jdDetail=None, totalProfiles=None, _id=None),
    ]
    loaded = load_sessions(_envelope(records))
    frame = loaded.frame
    assert loaded.path == "fast"
    assert pd.isna(frame["title"].iloc[0]) and frame["title"].iloc[1] == "Title 1"
    assert frame["jd_text"].isna().all()
    # Without a JD text the role is the title's; without either, it is not stated.
    assert frame["role"].tolist()[1:] == ["Title 1", "Title 2"] and pd.isna(frame["role"].iloc[0])
    assert frame["total_profiles"].isna().tolist() == [False, False, True]
    assert pd.isna(frame["session_id"].iloc[2])
    assert _problems(loaded) == [
        (0, f"{0:024x}", "sessionTitle", "missing"),
        (0, f"{0:024x}", "jdDetail.userText", "missing"),
        (1, f"{1:024x}", "jdDetail.userText", "missing"),
        (2, None, "_id", "missing"),
        (2, None, "jdDetail.userText", "missing"),
        (2, None, "totalProfiles", "missing"),
    ]


# --- responses that are not the documented envelope -------------------------

BAD_RESPONSES = {
    "empty body": (b"", "The API response was empty"),
    "html error page": (b"<html><body>502 Bad Gateway</body></html>", "not valid JSON"),
    "truncated": (b'{"status":"SUCCESS","data":[{"_id":', "not valid JSON"),
    "two documents": (
        b'{"status":"SUCCESS","data":[]}{"status":"SUCCESS","data":[]}',
        "breaks at line 1, column 31",
    ),
    "a list": (b'[{"_id": "a"}]', "The API response was a list, expected an object"),
    "a string": (b'"SUCCESS"', "The API response was a string, expected an object"),
    "no status": (b'{"statusCode":200,"data":[]}', "has no 'status'"),
    "failure": (
        b'{"statusCode":200,"data":[],"message":"Project not ready","status":"FAILURE"}',
        "status was 'FAILURE'. The API said: 'Project not ready'.",
    ),
    "status null": (b'{"data":[],"status":null}', "status was null"),
    "status number": (b'{"data":[],"status":200}', "status was 200"),
    "no data": (b'{"statusCode":200,"message":"ok","status":"SUCCESS"}', "has no 'data'"),
    "data object": (
        b'{"data":{"_id":"a"},"status":"SUCCESS"}',
        "data was an object, expected a list",
    ),
    "data null": (b'{"data":null,"status":"SUCCESS"}', "data was null, expected a list"),
    "data string": (b'{"data":"[]","status":"SUCCESS"}', "data was a string, expected a list"),
}


@pytest.mark.parametrize("case", list(BAD_RESPONSES))
def test_bad_response_raises_a_sentence_saying_what_was_found(case):
    body, expected = BAD_RESPONSES[case]
    with pytest.raises(BadResponseError) as caught:
        load_sessions(body)
    message = str(caught.value)
    assert expected in message
    assert message.endswith(".")
    assert "Traceback" not in message and "Error" not in message


@pytest.mark.parametrize("case", ["a list", "failure", "no data", "data object", "data null"])
def test_bad_envelope_raises_the_same_for_str_and_parsed_payloads(case):
    body, expected = BAD_RESPONSES[case]
    for payload in (body.decode(), json.loads(body)):
        with pytest.raises(BadResponseError, match=expected.replace(".", r"\.")):
            load_sessions(payload)


# --- the data-quality report ------------------------------------------------


def test_every_problem_kind_is_reported_with_its_record_and_field():
    records = [
        _record(0, createdAt="yesterday"),
        _record(1, totalProfiles="25"),
        _record(2, totalProfiles=-3),
        _record(3, _id=f"{0:024x}"),  # same _id as record 0
        _record(4, updatedAt="2026-05-01T07:00:00.000Z"),  # before createdAt
        "not a session",
        _record(6, projectId=_ABSENT),
        _record(7, totalProfiles=25.0),
        _record(8, totalProfiles="many"),
        _record(9, totalProfiles=True),
        _record(10, totalProfiles=2.5),
        _record(11, sessionTitle=42),
        _record(12, jdDetail="Job Title: Dev"),
        _record(13, createdAt=1714547350110),
        None,
        _record(15, totalProfiles=10**20),
    ]
    loaded = load_sessions(_envelope(records))
    ids = [f"{i:024x}" if i not in (5, 14) else None for i in range(16)]
    ids[3] = ids[0]
    assert loaded.path == "tolerant"
    assert _problems(loaded) == [
        (0, ids[0], "_id", "duplicate _id (also record 3)"),
        (0, ids[0], "createdAt", "not a date: 'yesterday'"),
        (1, ids[1], "totalProfiles", "not an integer: '25' (read as 25)"),
        (2, ids[2], "totalProfiles", "negative: -3"),
        (3, ids[0], "_id", "duplicate _id (also record 0)"),
        (4, ids[4], "updatedAt", "updatedAt before createdAt"),
        (5, None, "(record)", "not an object: 'not a session'"),
        (6, ids[6], "projectId", "missing"),
        (7, ids[7], "totalProfiles", "not an integer: 25.0 (read as 25)"),
        (8, ids[8], "totalProfiles", "not an integer: 'many'"),
        (9, ids[9], "totalProfiles", "not an integer: true"),
        (10, ids[10], "totalProfiles", "not an integer: 2.5"),
        (11, ids[11], "sessionTitle", "not a string: 42"),
        (12, ids[12], "jdDetail", "not an object: 'Job Title: Dev'"),
        (13, ids[13], "createdAt", "not a date: 1714547350110"),
        (14, None, "(record)", "not an object: null"),
        (15, ids[15], "totalProfiles", "out of range: 100000000000000000000"),
    ]
    assert _dtypes(loaded.problems) == PROBLEM_COLUMNS


def test_every_record_is_kept_and_bad_values_become_missing_or_converted():
    records = [
        _record(0, createdAt="yesterday"),
        _record(1, totalProfiles="25"),
        _record(2, totalProfiles=-3),
        "not a session",
        _record(4, totalProfiles=25.0),
        _record(5, totalProfiles="many"),
        _record(6, updatedAt="2026-05-01T07:00:00.000Z"),
    ]
    frame = load_sessions(_envelope(records)).frame
    assert len(frame) == 7
    assert frame["session_id"].tolist()[:3] == [f"{i:024x}" for i in range(3)]
    assert pd.isna(frame["created_at"].iloc[0]) and pd.isna(frame["sourcing_seconds"].iloc[0])
    assert frame["total_profiles"].tolist() == [25, 25, pd.NA, pd.NA, 25, pd.NA, 25]
    assert frame.iloc[3].isna().all()  # the record that is not an object: a row of nulls
    # A session "finished" before it started keeps its dates and a negative duration.
    assert frame["sourcing_seconds"].iloc[6] == pytest.approx(-550.11)
    assert _dtypes(frame) == SESSION_COLUMNS


def test_duplicate_ids_keep_every_row_and_name_each_other():
    records = [
        _record(0),
        _record(1),
        _record(0, sessionTitle="again"),
        _record(0, totalProfiles=9),
    ]
    loaded = load_sessions(_envelope(records))
    assert loaded.path == "fast"
    assert loaded.frame["session_id"].tolist() == [
        f"{0:024x}",
        f"{1:024x}",
        f"{0:024x}",
        f"{0:024x}",
    ]
    assert loaded.frame["title"].tolist() == ["Title 0", "Title 1", "again", "Title 0"]
    assert [(p[0], p[3]) for p in _problems(loaded)] == [
        (0, "duplicate _id (also records 2, 3)"),
        (2, "duplicate _id (also records 0, 3)"),
        (3, "duplicate _id (also records 0, 2)"),
    ]


def test_other_iso_dates_are_read_as_utc_without_problems():
    forms = {
        "2026-05-01T07:09:10Z": "2026-05-01T07:09:10.000Z",
        "2026-05-01T12:39:10.110+05:30": "2026-05-01T07:09:10.110Z",
        "2026-05-01T07:09:10.110999Z": "2026-05-01T07:09:10.110Z",
        "2026-05-01T03:09:10.110-04:00": "2026-05-01T07:09:10.110Z",
        "2026-05-01t07:09:10.110z": "2026-05-01T07:09:10.110Z",
    }
    records = [_record(i, createdAt=text) for i, text in enumerate(forms)]
    loaded = load_sessions(_envelope(records))
    assert loaded.problems.empty
    assert loaded.frame["created_at"].tolist() == [_utc(v) for v in forms.values()]
    assert str(loaded.frame["created_at"].dtype) == "datetime64[ms, UTC]"


def test_unparseable_date_in_one_column_leaves_the_other_column_intact():
    records = [_record(0, updatedAt="soon"), _record(1, updatedAt="2026-05-01T08:00:00Z")]
    loaded = load_sessions(_envelope(records))
    assert loaded.frame["created_at"].tolist() == [_utc("2026-05-01T07:09:10.110Z")] * 2
    assert loaded.frame["updated_at"].tolist()[1] == _utc("2026-05-01T08:00:00Z")
    assert [(p[0], p[2], p[3]) for p in _problems(loaded)] == [
        (0, "updatedAt", "not a date: 'soon'")
    ]


# --- text survives ----------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; &lt;",
    "**markdown** _x_ [link](javascript:alert(1)) `code`",
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@cmd|' /C calc'!A0",
    "emoji 👩🏽‍💻🚀 and flags 🇮🇳",
    "مطور .NET في بونه",
    "עברית \u202eRTL override\u202c",
    "control \x00 \x01 \x1b[31m \x7f",
    "  leading and trailing spaces  ",
    "line\r\nbreaks\nand\ttabs",
    "zero\u200bwidth\ufeffjoiner",
    '"quotes" \\ backslash / slash',
    "",
]


@pytest.mark.parametrize("path", ["fast", "tolerant"])
def test_hostile_text_survives_byte_for_byte(path):
    records = [
        _record(i, sessionTitle=t, jdDetail={"userText": t}, projectId=t)
        for i, t in enumerate(HOSTILE)
    ]
    body = _envelope(records)
    loaded = load_sessions(body) if path == "fast" else load_sessions_tolerant(body)
    assert loaded.path == path
    assert loaded.frame["title"].tolist() == HOSTILE
    assert loaded.frame["jd_text"].tolist() == HOSTILE
    assert loaded.frame["project_id"].tolist() == HOSTILE
    assert loaded.problems.empty


def test_role_and_location_are_trimmed_while_the_text_is_not():
    text = "Job Title:   <b>Dev</b>  ,  Location:\t Pune  "
    frame = load_sessions(_envelope([_record(0, jdDetail={"userText": text})])).frame
    assert frame["jd_text"].iloc[0] == text
    assert frame["role"].iloc[0] == "<b>Dev</b>"
    assert frame["location"].iloc[0] == "Pune"


def test_role_comes_from_the_jd_label_first_and_from_the_title_when_the_jd_has_none():
    records = [
        _record(0, sessionTitle="Data Engineer", jdDetail={"userText": "Hiring in Pune"}),
        _record(1, sessionTitle="Data Engineer", jdDetail={"userText": "Role: ML Engineer"}),
    ]
    loaded = load_sessions(_envelope(records))
    assert loaded.frame["role"].tolist() == ["Data Engineer", "ML Engineer"]
    assert loaded.frame["location"].iloc[0] == "Pune" and pd.isna(loaded.frame["location"].iloc[1])
    assert loaded.jd_sources.loc["role"].tolist() == [1, 0, 1, 0]  # labelled, prose, title, none
    assert loaded.jd_sources.loc["location"].tolist() == [0, 1, 0, 1]


def test_lone_surrogate_is_replaced_and_reported():
    body = '{"status":"SUCCESS","data":[{"_id":"a","sessionTitle":"x\\ud800y"}]}'
    loaded = load_sessions(body)
    assert loaded.frame["title"].iloc[0] == "x\ufffdy"
    assert ("sessionTitle", "invalid Unicode (lone surrogate replaced by U+FFFD)") in [
        (p[2], p[3]) for p in _problems(loaded)
    ]


# --- shapes and inputs ------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b'{"statusCode":200,"data":[],"message":"ok","status":"SUCCESS"}',
        '{"data": [], "status": "SUCCESS"}',
        {"data": [], "status": "SUCCESS"},
    ],
    ids=["bytes", "str", "dict"],
)  # fmt: skip
def test_empty_data_gives_an_empty_frame_with_the_contract_dtypes(payload):
    loaded = load_sessions(payload)
    assert loaded.record_count == 0
    assert loaded.sample_record is None
    assert list(loaded.frame.columns) == list(SESSION_COLUMNS)
    assert _dtypes(loaded.frame) == SESSION_COLUMNS
    assert _dtypes(loaded.problems) == PROBLEM_COLUMNS and loaded.problems.empty


def test_a_column_absent_from_every_record_still_has_its_contract_dtype():
    records = [{"_id": "a"}, {"_id": "b"}]
    for loaded in (load_sessions(_envelope(records)), load_sessions_tolerant(_envelope(records))):
        assert _dtypes(loaded.frame) == SESSION_COLUMNS
        assert len(loaded.frame) == 2


def test_bytes_str_and_parsed_dict_give_the_same_result():
    records = [_record(i) for i in range(3)] + [_record(3, totalProfiles="7")]
    body = _envelope(records)
    results = [load_sessions(p) for p in (body.encode(), body, json.loads(body))]
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0].frame, other.frame)
        pd.testing.assert_frame_equal(results[0].problems, other.problems)
        assert other.sample_record == results[0].sample_record == records[0]
    assert sessions_frame(body).equals(results[0].frame)


def test_pretty_printed_json_loads_on_the_fast_path_like_compact_json():
    records = [
        _record(i, jdDetail={"userText": f"Job Title: R{i}\nLocation: X"}) for i in range(50)
    ]
    compact = load_sessions(_envelope(records))
    pretty = load_sessions(json.dumps({"data": records, "status": "SUCCESS"}, indent=2).encode())
    assert pretty.path == compact.path == "fast"
    pd.testing.assert_frame_equal(pretty.frame, compact.frame)
    assert pretty.sample_record == records[0]


def test_unknown_fields_are_ignored_in_the_frame_and_kept_in_the_sample():
    first = _record(
        0, skills=["C#", {"level": 3}], jdDetail={"userText": "Role: Dev", "lang": "en"}
    )
    body = json.dumps(
        {
            "meta": {"data": [1]},
            "message": '"data":[{"fake":1}]',
            "data": [first],
            "status": "SUCCESS",
        }
    )
    loaded = load_sessions(body)
    assert loaded.path == "fast"
    assert loaded.sample_record == first
    assert loaded.frame["role"].tolist() == ["Dev"]
    assert loaded.problems.empty


def test_sample_is_found_when_the_first_record_is_larger_than_a_read_ahead():
    first = _record(0, jdDetail={"userText": "Job Title: Dev, " + "é" * 200_000})
    loaded = load_sessions(_envelope([first, _record(1)]).encode())
    assert loaded.path == "fast"
    assert loaded.sample_record == first


# --- the fast reader and the tolerant reader agree --------------------------

_ODD_TEXT = [
    *HOSTILE,
    "Job Title: Dev | Location - Bengaluru | Experience: 3+ years",
    "Experience: 5",
]


def _generated_records(seed, n=300):
    """Schema-valid records with varied text, optional fields left out, repeated ids and JDs."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    records = []
    for _ in range(n):
        created = start + timedelta(milliseconds=rng.randrange(10**10))
        updated = created + timedelta(milliseconds=rng.randrange(-(10**5), 10**7))
        form = rng.choice(["%Y-%m-%dT%H:%M:%S.{ms}Z", "%Y-%m-%dT%H:%M:%SZ"])
        dates = [
            d.strftime(form).replace("{ms}", f"{d.microsecond // 1000:03d}")
            for d in (created, updated)
        ]
        role, place = (
            rng.choice(["Dev", " QA ", "Data Engineer", "PM"]),
            rng.choice(["Pune", "Remote"]),
        )
        low = rng.randint(0, 9)
        text = rng.choice(
            [
                f"Job Title: {role}, Experience: {low}-12 years, Location: {place}",
                f"Role: {role}\nexp: {low}+ yrs",
                *_ODD_TEXT,
            ]
        )
        record = {
            "_id": f"{rng.randrange(n * 4):024x}",
            "sessionTitle": rng.choice([role, *_ODD_TEXT]),
            "jdDetail": {"userText": text},
            "projectId": rng.choice(["69f0dd1da08d760844569bb1", "=1+1"]),
            "createdAt": dates[0],
            "updatedAt": dates[1],
            "totalProfiles": rng.choice([0, 25, 50, 100, rng.randrange(-5, 10**6)]),
        }
        for name in rng.sample(list(record), k=rng.choice([0, 0, 0, 1, 2])):
            record[name] = None if rng.random() < 0.5 else _ABSENT
        records.append({k: v for k, v in record.items() if v is not _ABSENT})
    return records


@pytest.mark.parametrize("seed", range(6))
def test_fast_reader_returns_exactly_what_the_tolerant_reader_returns(seed):
    body = _envelope(_generated_records(seed)).encode()
    fast, tolerant = load_sessions(body), load_sessions_tolerant(body)
    assert (fast.path, tolerant.path) == ("fast", "tolerant")
    assert not fast.problems.empty  # the generated data has missing fields and duplicates
    pd.testing.assert_frame_equal(fast.frame, tolerant.frame)
    pd.testing.assert_frame_equal(fast.problems, tolerant.problems)
    assert fast.sample_record == tolerant.sample_record
    assert fast.record_count == tolerant.record_count == 300
    assert _dtypes(fast.frame) == SESSION_COLUMNS


def test_readers_agree_when_every_date_needs_the_slow_date_parser():
    records = [
        _record(i, createdAt=f"2026-05-0{1 + i % 9}T07:09:10+05:30", updatedAt="2026-06-01T00:00Z")
        for i in range(20)
    ]
    body = _envelope(records)
    fast, tolerant = load_sessions(body), load_sessions_tolerant(body)
    assert fast.path == "fast"
    pd.testing.assert_frame_equal(fast.frame, tolerant.frame)
    assert fast.problems.empty and tolerant.problems.empty


def test_loaded_sessions_survive_pickling_as_a_cache_stores_them():
    loaded = load_sessions(_vendor("vendor_sessions_example.json"))
    again = pickle.loads(pickle.dumps(loaded))  # noqa: S301 (our own bytes)
    pd.testing.assert_frame_equal(again.frame, loaded.frame)
    pd.testing.assert_frame_equal(again.problems, loaded.problems)
    assert (again.sample_record, again.record_count, again.path) == (
        loaded.sample_record,
        5,
        "fast",
    )
