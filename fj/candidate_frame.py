"""The candidates frame: one row per candidate doc of the API (``candidates_frame``), the
way it is narrowed on the Session page (``filter_candidates``), and one candidate's details
as text (``candidate_summary``, ``profile_url``).

Every reader here is tolerant: a missing or mistyped field is a missing value,
and no doc is ever dropped. Candidate data is personal data: nothing here writes
it anywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

#: Columns of the candidates frame, in order, with their pandas dtypes.
CANDIDATE_COLUMNS: dict[str, str] = {
    "candidate_id": "str",  # API `_id`
    "name": "str",  # profile.name
    "final_score": "float64",  # finalScore
    "recommendation": "str",  # profileAnalysis.recommendation
    "region": "str",  # profile.region
    "years_experience": "float64",  # parsed from years_experience_text: "6 years 3 months" -> 6.25
    "years_experience_text": "str",  # profile.years_of_experience_raw, as sent
    "skills": "object",  # list of str, in the API's order, duplicates dropped
    "skills_text": "str",  # "C#, Azure, SQL"
    "employers": "object",  # list of "job title at company"
    "employers_text": "str",  # "; "-joined employers
    "current_company": "str",  # first of current_employers_object
    "current_title": "str",
    "highlights_text": "str",  # "Skills: Hands-on with C#; Location: Based in Pune"
}

_YEARS = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?|y)\b", re.IGNORECASE)
_MONTHS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:months?|mos?|m)\b", re.IGNORECASE)
_BARE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*\+?\s*$")


def parse_years(text: Any) -> float:
    """Return years of experience as a number: "6 years 3 months" -> 6.25, "8 months" -> 0.67.

    Numbers pass through; text without a number of years or months is NaN.
    """
    if isinstance(text, bool) or text is None:
        return math.nan
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) and text >= 0 else math.nan
    if not isinstance(text, str):
        return math.nan
    years, months = _YEARS.search(text), _MONTHS.search(text)
    if years is None and months is None:
        bare = _BARE.match(text)
        return float(bare.group(1)) if bare else math.nan
    total = (float(years.group(1)) if years else 0.0) + (
        float(months.group(1)) / 12 if months else 0.0
    )
    return round(total, 2)


def candidates_frame(docs: Iterable[Any]) -> pd.DataFrame:
    """Return one row per candidate doc, in order (see ``CANDIDATE_COLUMNS``).

    Tolerant: a missing or mistyped field is a missing value (an empty list for
    skills and employers); no doc is ever dropped, not even one that is not an
    object.
    """
    rows = [_candidate_row(doc if isinstance(doc, dict) else {}) for doc in docs]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(CANDIDATE_COLUMNS)}
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=dtype)
            if dtype != "object"
            else pd.Series(values, dtype=object)
            for (name, dtype), values in zip(
                CANDIDATE_COLUMNS.items(), columns.values(), strict=True
            )
        }
    )
    return frame


def _candidate_row(doc: Mapping[str, Any]) -> tuple:
    profile = _mapping(doc.get("profile"))
    analysis = _mapping(doc.get("profileAnalysis"))
    skills = _skills(profile.get("skills"))
    employers = [
        e for e in _as_list(profile.get("current_employers_object")) if isinstance(e, dict)
    ]
    jobs = [_job(e) for e in employers]
    jobs = [j for j in jobs if j]
    current = employers[0] if employers else {}
    years_raw = profile.get("years_of_experience_raw")
    highlights = [_highlight(h) for h in _as_list(analysis.get("highlights"))]
    return (
        _text(doc.get("_id")),
        _text(profile.get("name")),
        _score(doc.get("finalScore")),
        _text(analysis.get("recommendation")),
        _text(profile.get("region")),
        parse_years(years_raw),
        _text(years_raw),
        skills,
        ", ".join(skills) if skills else None,
        jobs,
        "; ".join(jobs) if jobs else None,
        _text(current.get("company_name")),
        _text(current.get("job_title")),
        "; ".join(h for h in highlights if h) or None,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _score(value: Any) -> float:
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return math.nan
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return math.nan


def _skills(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    texts = (_text(v) for v in items)
    return list(dict.fromkeys(t for t in texts if t))


def _job(employer: Mapping[str, Any]) -> str | None:
    title, company = _text(employer.get("job_title")), _text(employer.get("company_name"))
    if title and company:
        return f"{title} at {company}"
    return title or company


def _highlight(item: Any) -> str | None:
    if isinstance(item, dict):
        category, text = _text(item.get("Category")), _text(item.get("Highlight"))
        return f"{category}: {text}" if category and text else text or category
    return _text(item)



def filter_candidates(
    frame: pd.DataFrame,
    *,
    score: tuple[float, float] | None = None,
    skill: str = "",
    region: str = "",
) -> pd.DataFrame:
    """Return the candidates within the score range (inclusive) whose skills and region
    contain the given texts (case-insensitive). Unscored candidates go only when no range
    narrows the scores."""
    keep = pd.Series(True, index=frame.index)
    if score is not None:
        low, high = score
        scores = frame["final_score"]
        lowest, highest = scores.min(skipna=True), scores.max(skipna=True)
        if not (pd.isna(lowest) or (low <= lowest and high >= highest)):
            keep &= scores.between(low, high).fillna(False)
    for column, text in (("skills_text", skill), ("region", region)):
        if text.strip():
            found = frame[column].str.contains(text.strip(), case=False, regex=False)
            keep &= found.fillna(False).astype(bool)
    return frame[keep]


def candidate_summary(details: Mapping[str, Any]) -> dict[str, str]:
    """Return the details of one candidate as label -> plain text, for display.

    Tolerant of missing fields: a label appears only when there is something to show.
    """
    details = _mapping(details)
    profile = _mapping(details.get("profile"))
    analysis = _mapping(details.get("profileAnalysis"))
    row = candidates_frame([details]).iloc[0]
    stars = analysis.get("starRating")
    label = _text(analysis.get("starLabel"))
    rating = None
    if isinstance(stars, int | float) and not isinstance(stars, bool):
        rating = f"{'★' * max(0, min(5, round(stars)))} ({stars:g} of 5)"
        rating += f", {label}" if label else ""
    else:
        rating = label
    education = [_education(e) for e in _as_list(profile.get("education"))]
    fields = {
        "Headline": _text(profile.get("headline")),
        "Rating": rating,
        "Score": None if pd.isna(row["final_score"]) else f"{row['final_score']:g}",
        "Recommendation": row["recommendation"],
        "Summary": _text(profile.get("summary")),
        "Region": row["region"],
        "Experience": row["years_experience_text"],
        "Skills": row["skills_text"],
        "Employers": row["employers_text"],
        "Education": "; ".join(e for e in education if e) or None,
        "Highlights": row["highlights_text"],
    }
    return {k: str(v) for k, v in fields.items() if isinstance(v, str) and v}


def profile_url(details: Mapping[str, Any]) -> str | None:
    """Return the candidate's profile URL when it is a plain http(s) link, else None."""
    url = _text(_mapping(_mapping(details).get("profile")).get("profile_url"))
    if url and re.fullmatch(r"https?://[^\s<>\"']+", url):
        return url
    return None


def _education(item: Any) -> str | None:
    if not isinstance(item, dict):
        return _text(item)
    degree = " ".join(
        t for t in (_text(item.get("degree")), _text(item.get("field_of_study"))) if t
    )
    where = _text(item.get("institution"))
    years = [_text(item.get(k)) for k in ("start_year", "end_year")]
    span = "–".join(y for y in years if y)
    text = ", ".join(t for t in (degree, where) if t)
    return f"{text} ({span})" if text and span else text or None
