"""Aggregates of candidates: pure functions over a candidates frame, each a small frame."""

from __future__ import annotations

import math

import pandas as pd
from frames import candidates_of

from fj.candidate_frame import candidates_frame
from fj.candidate_metrics import (
    STRONG_SCORE,
    YEARS_BANDS,
    ScoreSummary,
    best_by_role,
    best_sessions,
    experience_bands,
    score_distribution,
    score_summary,
    session_aggregates,
    skills_by_role,
    skills_per_role,
    top_skills,
    top_values,
)
from fj.filters import NOT_STATED


def test_score_bins_cover_zero_to_five_and_put_five_in_the_last_bin():
    frame = candidates_of({"score": 5.0}, {"score": 4.5}, {"score": 0.2}, {"score": None})
    dist = score_distribution(frame)
    assert dist["bin_start"].iloc[0] == 0 and dist["bin_end"].iloc[-1] == 5
    assert dist["candidates"].sum() == 3  # the unscored one is left out
    assert dist.set_index("label").loc["4.5–5.0", "candidates"] == 2


def test_top_skills_count_each_candidate_once_whatever_the_case():
    frame = candidates_of(
        {"skills": ["Python", "python", "SQL"]},
        {"skills": ["python", "Go"]},
        {"skills": ["Python"]},
    )
    top = top_skills(frame).set_index("skill")
    assert top.loc["Python", "candidates"] == 3
    assert top.loc["Python", "share"] == 1.0
    assert top.index[0] == "Python" and "python" not in top.index


def test_regions_and_employers_count_missing_as_not_stated():
    frame = candidates_of({"region": "Pune", "company": "Acme"}, {"region": "Pune"}, {})
    regions = top_values(frame, "region").set_index("value")["candidates"]
    assert regions.to_dict() == {"Pune": 2, NOT_STATED: 1}
    employers = top_values(frame, "current_company").set_index("value")["candidates"]
    assert employers.to_dict() == {NOT_STATED: 2, "Acme": 1}


def test_experience_bands_are_in_order_with_the_unknown_last():
    frame = candidates_of({"years": "1 year"}, {"years": "2 years"}, {"years": "15 years"}, {})
    bands = experience_bands(frame)
    assert bands["band"].tolist() == [b for b, _ in YEARS_BANDS] + [NOT_STATED]
    counts = bands.set_index("band")["candidates"]
    assert (counts["0–2 yrs"], counts["2–5 yrs"], counts["12+ yrs"], counts[NOT_STATED]) == (
        1,
        1,
        1,
        1,
    )


def project_frame() -> pd.DataFrame:
    rows = [
        # session, role, score, skills
        ("s1", "Data Engineer", 4.5, ["Python", "SQL"]),
        ("s1", "Data Engineer", 4.1, ["Python"]),
        ("s2", "Data Engineer", 2.0, ["Spark"]),
        ("s3", "Java Developer", 4.8, ["Java"]),
        ("s3", "Java Developer", 3.0, ["Java", "SQL"]),
    ]
    docs = [
        {"_id": str(i), "finalScore": r[2], "profile": {"skills": r[3]}} for i, r in enumerate(rows)
    ]
    frame = candidates_frame(docs)
    frame.insert(0, "role", [r[1] for r in rows])
    frame.insert(0, "session_title", [f"Title {r[0]}" for r in rows])
    frame.insert(0, "session_id", [r[0] for r in rows])
    return frame


def test_roles_ranked_by_strong_candidates():
    by_role = best_by_role(project_frame()).set_index("role")
    assert by_role.index.tolist() == ["Data Engineer", "Java Developer"]
    assert by_role.loc["Data Engineer", ["sessions", "candidates", "strong"]].tolist() == [2, 3, 2]
    assert by_role.loc["Java Developer", "top_score"] == 4.8


def test_sessions_ranked_by_strong_candidates_then_mean_score():
    best = best_sessions(project_frame())
    assert best["session_id"].tolist() == ["s1", "s3", "s2"]
    assert best.loc[0, "strong"] == 2 and best.loc[2, "strong"] == 0


def test_skills_most_seen_per_role():
    skills = skills_by_role(project_frame(), n=1)
    assert skills.set_index("role")["skill"].to_dict() == {
        "Data Engineer": "Python",
        "Java Developer": "Java",
    }


def test_an_empty_frame_gives_empty_aggregates():
    frame = candidates_frame([])
    assert score_distribution(frame)["candidates"].sum() == 0
    assert top_skills(frame).empty
    assert experience_bands(frame)["candidates"].sum() == 0
    assert score_summary(frame) == score_summary(candidates_of())
    summary = score_summary(frame)
    assert summary == ScoreSummary(
        candidates=0, median_score=None, strong=0, median_years=None, top_score=None
    )


def test_the_summary_carries_the_medians_and_the_strong_matches():
    frame = candidates_of(
        {"score": 4.5, "years": "10 years"},
        {"score": STRONG_SCORE, "years": "2 years"},
        {"score": 1.0},
        {"score": None, "years": "4 years"},
    )
    summary = score_summary(frame)
    assert summary.candidates == 4
    assert summary.median_score == 4.0  # of the three scored
    assert summary.strong == 2  # at least STRONG_SCORE
    assert summary.median_years == 4.0  # of the three with years
    assert summary.top_score == 4.5
    assert math.isclose(score_summary(frame, strong=4.6).strong, 0)


def test_skills_per_role_say_each_roles_skills_with_their_share_in_one_line():
    per_role = skills_per_role(skills_by_role(project_frame(), n=2))
    assert per_role.to_dict("list") == {
        "role": ["Data Engineer", "Java Developer"],
        "skills": ["Python (67%), SQL (33%)", "Java (100%), SQL (50%)"],
    }
    assert skills_per_role(skills_by_role(project_frame().head(0))).empty


def test_the_session_aggregates_are_the_aggregates_of_the_session_page():
    frame = candidates_of(
        {"score": 4.5, "skills": ["Go", "SQL"], "region": "Pune", "company": "Acme"},
        {"score": 2.0, "skills": ["go"], "years": "3 years"},
    )
    found = session_aggregates(frame)
    assert found.summary == score_summary(frame)
    assert found.scores.equals(score_distribution(frame))
    assert found.years.equals(experience_bands(frame))
    assert found.skills.equals(top_skills(frame, n=12))
    assert found.regions.equals(top_values(frame, "region"))
    assert found.employers.equals(top_values(frame, "current_company"))
