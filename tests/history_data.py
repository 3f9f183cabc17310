"""Session records and frames for the history tests (import them; they are not fixtures)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from fj import synthetic
from fj.frame import load_sessions

PROJECT_ID = "69f0dd1da08d760844569bb1"


def at(text: str) -> dt.datetime:
    """A UTC time from "2026-12-01 10:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def session(
    sid: int,
    role: str,
    total: int,
    created: str,
    updated: str | None,
    project_id: str | None = PROJECT_ID,
) -> dict:
    """One record as the API sends it; ``sid`` gives a predictable 24-hex id."""
    rec = {
        "_id": f"{sid:024x}",
        "sessionTitle": f"{role} #{sid}",
        "jdDetail": {"userText": f"Job Title: {role}, Experience: 1-5 years, Location: Pune"},
        "createdAt": _iso(at(created)),
        "totalProfiles": total,
    }
    if project_id is not None:
        rec["projectId"] = project_id
    if updated is not None:
        rec["updatedAt"] = _iso(at(updated))
    return rec


def payload(records: list[dict]) -> bytes:
    """The /projects/sessions body for these records."""
    return synthetic.payload_bytes(records)


def frame(records: list[dict]) -> pd.DataFrame:
    """The sessions frame the dashboard builds from these records."""
    return load_sessions(payload(records)).frame


# A project's life, one response a day at noon: sessions appear, grow, stay, shrink, vanish
# and come back. STEPS[i] = (observed at, records).
A1 = session(1, "Backend Engineer", 10, "2026-11-30 09:00", "2026-12-01 10:00")
B1 = session(2, "Data Analyst", 5, "2026-12-01 08:00", "2026-12-01 11:00")
A2 = session(1, "Backend Engineer", 25, "2026-11-30 09:00", "2026-12-01 20:00")
C2 = session(3, "Backend Engineer", 3, "2026-12-02 07:00", None)  # no updatedAt: createdAt
A4 = session(1, "Backend Engineer", 20, "2026-11-30 09:00", "2026-12-04 08:00")  # shrinks
C4 = session(3, "Backend Engineer", 7, "2026-12-02 07:00", "2026-12-03 23:00")
B5 = session(2, "Data Analyst", 6, "2026-12-01 08:00", "2026-12-05 10:00")  # comes back

STEPS = [
    (at("2026-12-01 12:00"), [A1, B1]),
    (at("2026-12-02 12:00"), [A2, B1, C2]),
    (at("2026-12-03 12:00"), [A2, B1, C2]),  # the same response again
    (at("2026-12-04 12:00"), [A4, C4]),  # B vanished
    (at("2026-12-05 12:00"), [A4, C4, B5]),
]

# Profiles added per UTC day after each step, computed by hand from the placement rule:
# 12-01: A +10 (its updatedAt), B +5, A +15 (A's updatedAt 12-01 20:00 at step 2);
# 12-02: C +3 (no updatedAt: its createdAt); 12-03: C +4 (updatedAt 23:00);
# 12-04: A -5 (shrank), B -5 (vanished: at the time it was found missing);
# 12-05: B +6 (came back).
EXPECTED_DAILY_UTC = [
    {"2026-12-01": 15},
    {"2026-12-01": 30, "2026-12-02": 3},
    {"2026-12-01": 30, "2026-12-02": 3},
    {"2026-12-01": 30, "2026-12-02": 3, "2026-12-03": 4, "2026-12-04": -10},
    {"2026-12-01": 30, "2026-12-02": 3, "2026-12-03": 4, "2026-12-04": -10, "2026-12-05": 6},
]
# The same history by day in India (UTC+05:30): A's 20:00 UTC update and C's 23:00 UTC one
# fall on the next day there.
EXPECTED_DAILY_KOLKATA = {
    "2026-12-01": 15, "2026-12-02": 18, "2026-12-03": 0, "2026-12-04": -6, "2026-12-05": 6,
}  # fmt: skip
EXPECTED_BY_ROLE_UTC = {
    ("2026-12-01", "Backend Engineer"): 25, ("2026-12-01", "Data Analyst"): 5,
    ("2026-12-02", "Backend Engineer"): 3, ("2026-12-03", "Backend Engineer"): 4,
    ("2026-12-04", "Backend Engineer"): -5, ("2026-12-04", "Data Analyst"): -5,
    ("2026-12-05", "Data Analyst"): 6,
}  # fmt: skip
