"""Synthetic projects: deterministic, shaped like the vendor's payload, realistic enough."""

import json
import re
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from fj.synthetic import (
    DEFAULT_END,
    candidate_details,
    generate_candidates,
    generate_sessions,
    payload_bytes,
    session_status,
    synthetic_payload,
)

# The data item schema from the vendor's OpenAPI spec (get-project-sessions.md).
SESSION_SCHEMA = {
    "type": "object",
    "properties": {
        "_id": {"type": "string"},
        "sessionTitle": {"type": "string"},
        "jdDetail": {
            "type": "object",
            "properties": {"userText": {"type": "string"}},
            "required": ["userText"],
        },
        "projectId": {"type": "string"},
        "createdAt": {"type": "string", "format": "date-time"},
        "updatedAt": {"type": "string", "format": "date-time"},
        "totalProfiles": {"type": "integer"},
    },
    "required": [
        "_id", "sessionTitle", "jdDetail", "projectId", "createdAt", "updatedAt", "totalProfiles"
    ],
}  # fmt: skip
ENVELOPE_SCHEMA = {
    "type": "object",
    "properties": {
        "statusCode": {"type": "integer"},
        "data": {"type": "array", "items": SESSION_SCHEMA},
        "message": {"type": "string"},
        "status": {"type": "string"},
    },
    "required": ["statusCode", "data", "message", "status"],
}
ISO_MS_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts)


@pytest.fixture(scope="module")
def sessions():
    return generate_sessions(3000, seed=11)


def test_same_arguments_give_the_same_bytes():
    assert synthetic_payload(500, seed=3) == synthetic_payload(500, seed=3)
    assert generate_sessions(50, seed=3) == generate_sessions(50, seed=3)


def test_another_seed_gives_another_project():
    a, b = generate_sessions(50, seed=1), generate_sessions(50, seed=2)
    assert {s["_id"] for s in a}.isdisjoint(s["_id"] for s in b)
    assert a[0]["projectId"] != b[0]["projectId"]


@pytest.mark.parametrize(
    "n, kw",
    [
        (0, {}),
        (1, {}),
        (700, {"seed": 5}),
        (300, {"end": datetime(2026, 5, 1, 12, tzinfo=UTC), "days": 30, "project_id": "p1"}),
    ],
)
def test_fast_payload_equals_the_envelope_of_the_generated_records(n, kw):
    assert synthetic_payload(n, **kw) == payload_bytes(generate_sessions(n, **kw))


def test_payload_is_the_vendor_envelope_and_validates_against_its_schema():
    payload = synthetic_payload(2000, seed=4)
    body = json.loads(payload)
    jsonschema.validate(body, ENVELOPE_SCHEMA)
    assert body["statusCode"] == 200
    assert body["status"] == "SUCCESS"
    assert body["message"] == "Project sessions fetched successfully"
    assert len(body["data"]) == 2000
    assert payload.startswith(b'{"statusCode":200,"data":[{"_id":')  # compact


def test_payload_keeps_non_ascii_text_as_utf8():
    payload = synthetic_payload(2000, seed=4)
    assert "₹".encode() in payload
    assert b"\\u20b9" not in payload


def test_records_have_the_documented_field_formats(sessions):
    project_ids = {s["projectId"] for s in sessions}
    assert len(project_ids) == 1
    assert re.fullmatch(r"[0-9a-f]{24}", project_ids.pop())
    ids = [s["_id"] for s in sessions]
    assert len(set(ids)) == len(ids)
    for s in sessions:
        assert list(s) == [
            "_id", "sessionTitle", "jdDetail", "projectId", "createdAt", "updatedAt",
            "totalProfiles",
        ]  # fmt: skip
        assert re.fullmatch(r"[0-9a-f]{24}", s["_id"])
        assert ISO_MS_Z.fullmatch(s["createdAt"]) and ISO_MS_Z.fullmatch(s["updatedAt"])
        assert isinstance(s["totalProfiles"], int) and 0 <= s["totalProfiles"] <= 500


def test_object_id_starts_with_the_creation_second(sessions):
    for s in sessions[:50]:
        assert int(s["_id"][:8], 16) == int(parse(s["createdAt"]).timestamp())


def test_sessions_are_newest_first_inside_the_window(sessions):
    created = [parse(s["createdAt"]) for s in sessions]
    assert created == sorted(created, reverse=True)
    assert DEFAULT_END - timedelta(days=180) < created[-1] and created[0] <= DEFAULT_END


def test_window_follows_end_and_days():
    end = datetime(2026, 5, 1, 12, tzinfo=UTC)
    created = [parse(s["createdAt"]) for s in generate_sessions(400, end=end, days=14)]
    assert all(end - timedelta(days=14) < c <= end for c in created)


def test_sourcing_takes_between_20_seconds_and_40_minutes(sessions):
    seconds = [(parse(s["updatedAt"]) - parse(s["createdAt"])).total_seconds() for s in sessions]
    assert min(seconds) >= 20 and max(seconds) <= 2400
    assert sorted(seconds)[len(seconds) // 2] < 600  # most finish within minutes


def test_more_sessions_on_weekdays_and_in_recent_months(sessions):
    created = [parse(s["createdAt"]) for s in sessions]
    weekday = sum(c.weekday() < 5 for c in created) / 5
    weekend = sum(c.weekday() >= 5 for c in created) / 2
    assert weekday > 2 * weekend
    middle = DEFAULT_END - timedelta(days=90)
    assert sum(c > middle for c in created) > 1.3 * sum(c <= middle for c in created)


def test_many_roles_and_locations_with_a_skewed_popularity(sessions):
    texts = [s["jdDetail"]["userText"] for s in sessions]
    roles = {m.group(1) for t in texts if (m := re.match(r"Job Title: ([^,\n]+)", t))}
    locations = {m.group(1) for t in texts if (m := re.search(r"Location: ([^,\n]+)", t))}
    assert len(roles) >= 20
    assert {"Pune", "Bengaluru", "Remote", "London"} <= locations
    counts = sorted(sum(t.startswith(f"Job Title: {r},") for t in texts) for r in roles)
    assert counts[-1] > 5 * counts[0]


def test_jd_text_comes_in_every_shape_recruiters_type(sessions):
    texts = [s["jdDetail"]["userText"] for s in sessions]
    structured = [t for t in texts if t.startswith("Job Title: ")]
    free = [t for t in texts if not t.startswith("Job Title: ")]
    assert 0.8 < len(structured) / len(texts) < 0.95
    assert any("\n" in t for t in structured) and any("\n" in t for t in free)
    assert any("Location:" not in t for t in structured)
    assert any("Experience:" not in t for t in structured)
    assert any(t.startswith("We are hiring") for t in free)


def test_session_title_mostly_matches_the_jd_title(sessions):
    same = sum(
        s["jdDetail"]["userText"].startswith(f"Job Title: {s['sessionTitle']},")
        for s in sessions
        if s["jdDetail"]["userText"].startswith("Job Title: ")
        and "\n" not in s["jdDetail"]["userText"]
    )
    structured = sum(
        s["jdDetail"]["userText"].startswith("Job Title: ")
        and "\n" not in s["jdDetail"]["userText"]
        for s in sessions
    )
    assert 0.75 < same / structured < 0.95


def test_total_profiles_is_skewed_with_zeros_and_common_values(sessions):
    totals = [s["totalProfiles"] for s in sessions]
    assert 0.02 < totals.count(0) / len(totals) < 0.1
    common = sum(totals.count(v) for v in (25, 35, 50, 100))
    assert common / len(totals) > 0.5
    assert max(totals) > 300


def test_statuses_mark_only_the_newest_sessions_as_working(sessions):
    statuses = [session_status(s, rank=i) for i, s in enumerate(sessions)]
    assert statuses[:3] == ["processing", "fetching_more", "fetching_more"]
    assert set(statuses[3:]) == {"done"}
    assert session_status(sessions[0]) == "done"


def test_candidates_are_deterministic_per_session_and_best_first(sessions):
    session = next(s for s in sessions if s["totalProfiles"] > 40)
    candidates = generate_candidates(session)
    assert candidates == generate_candidates(dict(session))
    assert len(candidates) == min(session["totalProfiles"], 200)
    scores = [c["finalScore"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert len({c["_id"] for c in candidates}) == len(candidates)
    other = next(s for s in sessions if s["totalProfiles"] > 40 and s is not session)
    assert {c["_id"] for c in generate_candidates(other)}.isdisjoint(c["_id"] for c in candidates)


def test_candidate_count_is_capped_and_can_be_chosen(sessions):
    big = next(s for s in sessions if s["totalProfiles"] > 200)
    zero = next(s for s in sessions if s["totalProfiles"] == 0)
    assert len(generate_candidates(big)) == 200
    assert generate_candidates(zero) == []
    assert len(generate_candidates(big, count=7)) == 7


def test_candidates_have_the_documented_profile_fields(sessions):
    for c in generate_candidates(sessions[5], count=30):
        assert re.fullmatch(r"[0-9a-f]{24}", c["_id"])
        assert 0 <= c["finalScore"] <= 5 and round(c["finalScore"], 1) == c["finalScore"]
        analysis, profile = c["profileAnalysis"], c["profile"]
        assert analysis["recommendation"]
        assert analysis["highlights"]
        for h in analysis["highlights"]:
            assert set(h) == {"Category", "Highlight", "Icon"}
        assert profile["name"] and profile["region"] and profile["skills"]
        assert re.fullmatch(
            r"\d+ years?( \d+ months?)?|\d+ months?", profile["years_of_experience_raw"]
        )
        for job in profile["current_employers_object"]:
            assert set(job) == {"company_name", "job_title"}


def test_candidate_details_add_the_full_profile_and_star_rating(sessions):
    session = next(s for s in sessions if s["totalProfiles"] > 0)
    candidate = generate_candidates(session, count=3)[0]
    details = candidate_details(session, candidate)
    assert details == candidate_details(session, candidate)
    assert details["_id"] == candidate["_id"]
    profile = details["profile"]
    assert profile["headline"] and profile["summary"]
    assert profile["profile_url"].startswith("https://example.com/")
    assert profile["education"][0]["institution"]
    assert details["profileAnalysis"]["starRating"] in range(1, 6)
    assert details["profileAnalysis"]["starLabel"].endswith("match")
    assert "headline" not in candidate["profile"]  # the input is not modified
