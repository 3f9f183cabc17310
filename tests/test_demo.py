"""The bundled demo project: committed as built, vendor examples inside, dates moved to today."""

import json
from datetime import UTC, date, datetime

import pytest

from fj.demo import DEMO_FILE, build_demo_payload, demo_payload

# The two example responses of the vendor's page (get-project-sessions.md), verbatim.
VENDOR_FIRST_EXAMPLE = """[
  {"_id": "69f3af1695f333e46da12376", "sessionTitle": ".NET Developer",
   "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
   "totalProfiles": 25},
  {"_id": "69f2f43d07523d00cbff5367", "sessionTitle": "Senior .NET Developer",
   "jdDetail": {"userText":
                "Job Title: Senior .NET Developer, Experience: 4-8 years, Location: Pune"},
   "totalProfiles": 35}
]"""
VENDOR_SECOND_EXAMPLE = """[
  {"_id": "69f45196c8bbf1ce65b5bcd6", "sessionTitle": ".NET Developer",
   "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
   "projectId": "69f0dd1da08d760844569bb1", "createdAt": "2026-05-01T07:09:10.110Z",
   "updatedAt": "2026-05-01T07:09:42.608Z", "totalProfiles": 25},
  {"_id": "69f44e7fc8bbf1ce65b5ba66", "sessionTitle": ".NET Developer",
   "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
   "projectId": "69f0dd1da08d760844569bb1", "createdAt": "2026-05-01T06:55:59.423Z",
   "updatedAt": "2026-05-01T07:01:51.178Z", "totalProfiles": 50},
  {"_id": "69f0f0d162a797f8a4390c08", "sessionTitle": "Senior .NET Developer",
   "jdDetail": {"userText":
                "Job Title: Senior .NET Developer, Experience: 4-8 years, Location: Pune"},
   "projectId": "69f0dd1da08d760844569bb1", "createdAt": "2026-04-28T17:39:29.358Z",
   "updatedAt": "2026-04-28T18:03:14.952Z", "totalProfiles": 100},
  {"_id": "69f0ebe59a1bd921785c2e70", "sessionTitle": ".NET Developer",
   "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
   "projectId": "69f0dd1da08d760844569bb1", "createdAt": "2026-04-28T17:18:29.131Z",
   "updatedAt": "2026-04-28T17:43:00.068Z", "totalProfiles": 336},
  {"_id": "69f0df70a08d760844569f60", "sessionTitle": ".NET Developer",
   "jdDetail": {"userText": "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune"},
   "projectId": "69f0dd1da08d760844569bb1", "createdAt": "2026-04-28T16:25:20.176Z",
   "updatedAt": "2026-04-28T16:27:57.660Z", "totalProfiles": 100}
]"""


def sessions_of(payload: bytes) -> list[dict]:
    body = json.loads(payload)
    assert body["statusCode"] == 200 and body["status"] == "SUCCESS"
    return body["data"]


def newest_day(sessions: list[dict]) -> date:
    return max(datetime.fromisoformat(s["createdAt"]).date() for s in sessions if "createdAt" in s)


def test_committed_demo_file_is_what_the_builder_makes():
    assert DEMO_FILE.read_bytes() == build_demo_payload()


def test_demo_contains_the_vendor_examples_verbatim():
    committed = {s["_id"]: s for s in sessions_of(DEMO_FILE.read_bytes())}
    for example in json.loads(VENDOR_FIRST_EXAMPLE) + json.loads(VENDOR_SECOND_EXAMPLE):
        assert committed[example["_id"]] == example


def test_demo_is_about_300_sessions_over_six_months_in_one_project():
    sessions = sessions_of(DEMO_FILE.read_bytes())
    dated = [s for s in sessions if "createdAt" in s]
    assert 300 <= len(sessions) <= 320
    assert len({s["_id"] for s in sessions}) == len(sessions)
    days = [datetime.fromisoformat(s["createdAt"]).date() for s in dated]
    assert 150 <= (max(days) - min(days)).days <= 200
    assert {s["projectId"] for s in dated} == {"69f0dd1da08d760844569bb1"}
    roles = {s["sessionTitle"] for s in sessions}
    assert len(roles) > 15


@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 1), date(2027, 2, 28), date(2028, 2, 29), date(2026, 10, 26), date(2031, 7, 4)],
)
def test_demo_dates_move_by_whole_days_so_the_newest_is_today(today):
    original = sessions_of(DEMO_FILE.read_bytes())
    shifted = sessions_of(demo_payload(today))
    assert newest_day(shifted) == today
    assert [s["_id"] for s in shifted] == [s["_id"] for s in original]
    moves = set()
    for before, after in zip(original, shifted, strict=True):
        if "createdAt" not in before:
            assert after == before  # the vendor's undated examples stay undated
            continue
        for field in ("createdAt", "updatedAt"):
            old, new = datetime.fromisoformat(before[field]), datetime.fromisoformat(after[field])
            assert old.time() == new.time() and after[field].endswith("Z")
            moves.add((new - old).days)
        assert {k: v for k, v in after.items() if k not in ("createdAt", "updatedAt")} == {
            k: v for k, v in before.items() if k not in ("createdAt", "updatedAt")
        }
    assert len(moves) == 1


def test_demo_for_a_given_day_is_always_the_same_bytes():
    first = demo_payload(date(2027, 3, 1))
    demo_payload(date(2029, 12, 31))
    assert demo_payload(date(2027, 3, 1)) == first


def test_demo_defaults_to_today_in_utc():
    before = datetime.now(UTC).date()
    newest = newest_day(sessions_of(demo_payload()))
    after = datetime.now(UTC).date()
    assert newest in {before, after}
