"""Sessions frames built by hand for tests, conforming to fj.schema (no dependency on fj.frame)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from fj.schema import SESSION_COLUMNS

#: Fields of a row tuple, in order; trailing fields may be left out.
ROW_FIELDS = (
    "session_id",
    "created_at",
    "total_profiles",
    "role",
    "location",
    "experience",
    "title",
    "sourcing_minutes",
)


def _years(band: str | None) -> tuple[float, float]:
    """Years of a band label: "1-5 yrs" -> (1, 5), "3+ yrs" -> (3, nan), "5 yrs" -> (5, 5)."""
    if band is None:
        return np.nan, np.nan
    if m := re.fullmatch(r"(\d+)-(\d+) yrs", band):
        return float(m[1]), float(m[2])
    if m := re.fullmatch(r"(\d+)\+ yrs", band):
        return float(m[1]), np.nan
    if m := re.fullmatch(r"(\d+) yrs", band):
        return float(m[1]), float(m[1])
    return np.nan, np.nan


def frame_of_rows(*rows: tuple) -> pd.DataFrame:
    """Return a contract-conforming sessions frame from row tuples (see ROW_FIELDS).

    ``created_at`` is an ISO string in UTC or None; ``title`` defaults to the
    role; the JD text is built from role/experience/location like the API's;
    ``sourcing_minutes`` (default 10) sets ``updated_at`` after ``created_at``.
    """
    records = []
    for row in rows:
        values = dict.fromkeys(ROW_FIELDS)
        values.update(zip(ROW_FIELDS, row, strict=False))
        role, location, band = values["role"], values["location"], values["experience"]
        minutes = 10.0 if values["sourcing_minutes"] is None else values["sourcing_minutes"]
        created = pd.Timestamp(values["created_at"], tz="UTC") if values["created_at"] else None
        jd = ", ".join(
            f"{k}: {v}"
            for k, v in (("Job Title", role), ("Experience", band), ("Location", location))
            if v
        )
        low, high = _years(band)
        records.append(
            {
                "session_id": values["session_id"],
                "title": values["title"] or role or "Untitled",
                "jd_text": jd,
                "project_id": "p1",
                "created_at": created,
                "updated_at": created + pd.Timedelta(minutes=minutes) if created else None,
                "total_profiles": values["total_profiles"],
                "role": role,
                "exp_min_years": low,
                "exp_max_years": high,
                "exp_range": band,
                "location": location,
                "experience": band,
                "sourcing_seconds": minutes * 60 if created else np.nan,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(SESSION_COLUMNS))
    frame = frame.astype(SESSION_COLUMNS)
    assert_contract(frame)
    return frame


def assert_contract(frame: pd.DataFrame) -> None:
    """Fail unless ``frame`` has exactly the contract's columns, in order, with its dtypes."""
    assert list(frame.columns) == list(SESSION_COLUMNS)
    for column, dtype in SESSION_COLUMNS.items():
        assert str(frame[column].dtype) == dtype, (column, frame[column].dtype)


def synthetic_sessions(
    n: int, *, seed: int = 0, roles: int = 30, days: int = 730, end: str = "2025-06-30"
) -> pd.DataFrame:
    """Return ``n`` random contract-conforming sessions spread over ``days`` days before ``end``.

    1% lack ``created_at``, 2% lack a role; built with numpy, fast at 1M rows.
    """
    rng = np.random.default_rng(seed)
    role_names = np.array([f"Role {i:02d}" for i in range(roles)], dtype=object)
    locations = np.array(["Pune", "Bengaluru", "Remote", "London", "Austin"], dtype=object)
    bands = np.array(["0-2 yrs", "1-5 yrs", "4-8 yrs", "10+ yrs"], dtype=object)
    band_years = np.array([[0, 2], [1, 5], [4, 8], [10, np.nan]])
    end_ms = pd.Timestamp(end, tz="UTC").value // 1_000_000
    created = end_ms - rng.integers(0, days * 86_400_000, n)
    minutes = rng.gamma(2.0, 5.0, n)
    role_codes = rng.integers(0, roles, n)
    role_codes[rng.random(n) < 0.02] = -1
    band_codes = rng.integers(0, len(bands), n)
    created_at = pd.Series(pd.to_datetime(created, unit="ms", utc=True)).astype(
        SESSION_COLUMNS["created_at"]
    )
    updated_at = created_at + pd.to_timedelta(minutes * 60_000, unit="ms").round("ms")
    undated = rng.random(n) < 0.01
    created_at[undated] = pd.NaT
    titles = pd.Series(role_names[np.maximum(role_codes, 0)], dtype="str")
    frame = pd.DataFrame(
        {
            "session_id": pd.Series(np.char.mod("%024x", np.arange(n)), dtype="str"),
            "title": titles,
            "jd_text": "Job Title: " + titles + ", Location: Pune",
            "project_id": pd.Series(["p1"] * n, dtype="str"),
            "created_at": created_at,
            "updated_at": updated_at,
            "total_profiles": pd.array(rng.integers(0, 120, n), dtype="Int64"),
            "role": pd.Categorical.from_codes(role_codes, categories=list(role_names)),
            "exp_min_years": band_years[band_codes, 0],
            "exp_max_years": band_years[band_codes, 1],
            "exp_range": pd.Categorical.from_codes(band_codes, categories=list(bands)),
            "location": pd.Categorical.from_codes(
                rng.integers(0, len(locations), n), categories=list(locations)
            ),
            "experience": pd.Categorical.from_codes(band_codes, categories=list(bands)),
            "sourcing_seconds": np.where(undated, np.nan, minutes * 60),
        }
    ).astype(SESSION_COLUMNS)
    return frame


def candidates_of(*candidates: dict) -> pd.DataFrame:
    """A candidates frame (fj.candidate_frame) of candidates given as score, skills, region,
    years (as the API writes them) and company; every field may be left out."""
    from fj.candidate_frame import candidates_frame

    docs = [
        {
            "_id": str(i),
            "finalScore": c.get("score"),
            "profile": {
                "skills": c.get("skills", []),
                "region": c.get("region"),
                "years_of_experience_raw": c.get("years"),
                "current_employers_object": [{"company_name": c["company"], "job_title": "Dev"}]
                if "company" in c
                else [],
            },
        }
        for i, c in enumerate(candidates)
    ]
    return candidates_frame(docs)
