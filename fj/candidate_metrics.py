"""Aggregates of candidates: pure functions over a candidates frame (``fj.candidate_frame``),
each returning a small frame a chart or a table draws.

One session's candidates: ``score_summary``, ``score_distribution``,
``experience_bands``, ``top_skills``, ``top_values``. Candidates gathered across
sessions (with ``session_id``, ``session_title`` and ``role`` columns, from
``fj.paging.project_candidates``): ``best_by_role``, ``best_sessions``,
``skills_by_role`` and ``skills_per_role``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fj.filters import NOT_STATED

#: A candidate with at least this ``finalScore`` (on the API's 0-5 scale) is a strong match.
STRONG_SCORE = 4.0

#: Bands of the candidates' years of experience: (label, lower bound in years, inclusive).
#: Not ``fj.jd.EXPERIENCE_BANDS``, the bands of what a JD asks for.
YEARS_BANDS: tuple[tuple[str, float], ...] = (
    ("0–2 yrs", 0.0),
    ("2–5 yrs", 2.0),
    ("5–8 yrs", 5.0),
    ("8–12 yrs", 8.0),
    ("12+ yrs", 12.0),
)


def score_distribution(frame: pd.DataFrame, width: float = 0.5) -> pd.DataFrame:
    """Return how many candidates fall in each score range: bin_start, bin_end, label, candidates.

    Bins of ``width`` cover at least 0-5 (the API's scale), every bin shown even when
    empty; the last bin includes its upper end (a 5.0 is in "4.5–5.0").
    """
    scores = frame["final_score"].dropna().to_numpy("float64")
    low, high = 0.0, 5.0
    if scores.size:
        low = min(low, math.floor(scores.min() / width) * width)
        high = max(high, math.ceil(scores.max() / width) * width)
    bins = max(1, round((high - low) / width))
    edges = np.linspace(low, high, bins + 1)
    counts, _ = np.histogram(scores, edges)
    return pd.DataFrame(
        {
            "bin_start": edges[:-1],
            "bin_end": edges[1:],
            "label": [f"{a:.1f}–{b:.1f}" for a, b in zip(edges[:-1], edges[1:], strict=True)],
            "candidates": counts.astype("int64"),
        }
    )


def top_skills(frame: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """Return the ``n`` skills most candidates have: skill, candidates, share (0-1).

    Skills are matched without regard to case ("python" is "Python"), shown in their most
    common spelling (the first in sort order on a tie); a candidate counts once per skill.
    """
    top = _top_skills(_skill_pairs(frame), n)
    result = top[["skill", "candidates"]].reset_index(drop=True)
    result["share"] = result["candidates"] / max(len(frame), 1)
    return result


def _skill_pairs(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """One row per candidate and skill: ``group`` (the ``by`` column, or 0), skill (trimmed),
    key (case-folded); a candidate counts once per key."""
    skills = frame["skills"].reset_index(drop=True).explode().dropna()
    skills = skills[skills.map(lambda s: isinstance(s, str) and bool(s.strip()))]
    rows = skills.index.to_numpy()
    group = 0 if by is None else frame[by].to_numpy(dtype=object)[rows]
    pairs = pd.DataFrame({"row": rows, "group": group, "skill": skills.astype("str").str.strip()})
    if by is not None:
        pairs = pairs[pairs["group"].notna()]  # as groupby does: no group for a missing value
    pairs["key"] = pairs["skill"].str.casefold()
    return pairs.drop_duplicates(["row", "key"])


def _top_skills(pairs: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per group, the ``n`` keys most candidates have: group, skill (the most common
    spelling), candidates; most candidates first, then by skill. Groups in first-seen order."""
    if pairs.empty:
        return pd.DataFrame(
            {"group": pd.Series([], dtype="object"), "skill": pd.Series([], dtype="str"),
             "candidates": pd.Series([], dtype="int64")}
        )  # fmt: skip
    spellings = pairs.groupby(["group", "key", "skill"], sort=False).size().rename("uses")
    spellings = spellings.reset_index().sort_values(
        ["group", "key", "uses", "skill"], ascending=[True, True, False, True], kind="stable"
    )
    best = spellings.drop_duplicates(["group", "key"])  # the most used spelling per key
    totals = pairs.groupby(["group", "key"], sort=False).size().rename("candidates")
    counts = best.join(totals, on=["group", "key"])
    counts = counts.sort_values(
        ["group", "candidates", "skill"], ascending=[True, False, True], kind="stable"
    )
    top = counts.groupby("group", sort=False).head(n)
    top = top.assign(candidates=top["candidates"].astype("int64"))
    return top[["group", "skill", "candidates"]]


def top_values(frame: pd.DataFrame, column: str, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` most common values of a text column: value, candidates.

    Missing values count as ``NOT_STATED``.
    """
    values = frame[column].astype("str").fillna(NOT_STATED)
    counts = values.value_counts(sort=False).rename("candidates").rename_axis("value")
    result = counts.reset_index().sort_values(
        ["candidates", "value"], ascending=[False, True], kind="stable"
    )
    result["candidates"] = result["candidates"].astype("int64")
    return result.head(n).reset_index(drop=True)


def experience_bands(frame: pd.DataFrame) -> pd.DataFrame:
    """Return candidates per band of years of experience: band, candidates.

    Every band is listed, in order, then ``NOT_STATED`` when some have no parsed years.
    """
    labels = [label for label, _ in YEARS_BANDS]
    edges = [low for _, low in YEARS_BANDS] + [math.inf]
    bands = pd.cut(frame["years_experience"], edges, right=False, labels=labels)
    counts = bands.value_counts(sort=False).reindex(labels, fill_value=0)
    result = pd.DataFrame({"band": labels, "candidates": counts.to_numpy("int64")})
    missing = int(frame["years_experience"].isna().sum())
    if missing:
        result.loc[len(result)] = [NOT_STATED, missing]
    return result


@dataclass(frozen=True)
class ScoreSummary:
    """The headline numbers of a set of candidates."""

    candidates: int
    median_score: float | None
    strong: int  # candidates scoring at least STRONG_SCORE
    median_years: float | None  # median years of experience, of those with a parsed number
    top_score: float | None  # the best score


def score_summary(frame: pd.DataFrame, strong: float = STRONG_SCORE) -> ScoreSummary:
    """Return the count, the median and the best score, how many candidates are strong
    matches and the median years of experience (None when no candidate has a score, or
    years)."""
    scores = frame["final_score"].dropna()
    years = frame["years_experience"].dropna()
    return ScoreSummary(
        candidates=len(frame),
        median_score=float(scores.median()) if len(scores) else None,
        strong=int((scores >= strong).sum()),
        median_years=float(years.median()) if len(years) else None,
        top_score=float(scores.max()) if len(scores) else None,
    )


def best_by_role(frame: pd.DataFrame, strong: float = STRONG_SCORE) -> pd.DataFrame:
    """Return, per role: sessions, candidates, strong (score >= ``strong``), strong_share,
    mean_score, top_score; the roles with the most strong candidates first."""
    return _best(frame, ["role"], strong)


def best_sessions(frame: pd.DataFrame, n: int = 20, strong: float = STRONG_SCORE) -> pd.DataFrame:
    """Return the ``n`` sessions with the most strong candidates (then the best mean score):
    session_id, session_title, role, candidates, strong, strong_share, mean_score, top_score."""
    result = _best(frame, ["session_id", "session_title", "role"], strong)
    return result.drop(columns="sessions").head(n).reset_index(drop=True)


def _best(frame: pd.DataFrame, by: list[str], strong: float) -> pd.DataFrame:
    data = frame.assign(strong=frame["final_score"] >= strong)
    grouped = data.groupby(by, sort=False, observed=True).agg(
        sessions=("session_id", "nunique"),
        candidates=("final_score", "size"),
        strong=("strong", "sum"),
        mean_score=("final_score", "mean"),
        top_score=("final_score", "max"),
    )
    result = grouped.reset_index()
    result["strong"] = result["strong"].astype("int64")
    result["candidates"] = result["candidates"].astype("int64")
    result["strong_share"] = result["strong"] / result["candidates"].clip(lower=1)
    result = result.sort_values(
        ["strong", "mean_score", by[0]], ascending=[False, False, True], kind="stable"
    )
    columns = [*by, "sessions", "candidates", "strong", "strong_share", "mean_score", "top_score"]
    return result[columns].reset_index(drop=True)


def skills_by_role(frame: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Return each role's ``n`` most frequent skills: role, skill, candidates, share (of the
    role's candidates). Roles with the most candidates come first."""
    sizes = frame.groupby("role", sort=False).size().sort_values(ascending=False, kind="stable")
    top = _top_skills(_skill_pairs(frame, by="role"), n)
    if top.empty:
        return pd.DataFrame(
            {"role": pd.Series([], dtype="str"), "skill": pd.Series([], dtype="str"),
             "candidates": pd.Series([], dtype="int64"), "share": pd.Series([], dtype="float64")}
        )  # fmt: skip
    order = pd.Series(range(len(sizes)), index=sizes.index)
    top = top.assign(rank=order.reindex(top["group"]).to_numpy())
    top = top.sort_values("rank", kind="stable")  # keeps each role's skill order
    size = sizes.reindex(top["group"]).to_numpy()
    return pd.DataFrame(
        {
            "role": top["group"].astype("str").to_numpy(),
            "skill": top["skill"].to_numpy(),
            "candidates": top["candidates"].to_numpy(),
            "share": top["candidates"].to_numpy() / size,
        }
    )


def skills_per_role(skills: pd.DataFrame) -> pd.DataFrame:
    """Return ``skills_by_role`` as one row per role: role, skills ("Python (40%), SQL (25%)"),
    in the order of ``skills_by_role``."""
    percent = (skills["share"] * 100).round().astype("int64").astype("str")
    text = skills["skill"].astype("str") + " (" + percent + "%)"
    joined = text.groupby(skills["role"], sort=False).agg(", ".join)
    return pd.DataFrame(
        {"role": joined.index.astype("str"), "skills": joined.to_numpy(dtype=object)}
    )


@dataclass(frozen=True)
class SessionAggregates:
    """Everything the Session page draws of one session's candidates, computed once per
    fetch (the dashboard keeps it beside the frame in its cache)."""

    summary: ScoreSummary
    scores: pd.DataFrame  # score_distribution
    years: pd.DataFrame  # experience_bands
    skills: pd.DataFrame  # top_skills, the 12 most common
    regions: pd.DataFrame  # top_values of region
    employers: pd.DataFrame  # top_values of current_company


def session_aggregates(frame: pd.DataFrame) -> SessionAggregates:
    """Return the Session page's aggregates of one session's candidates frame."""
    return SessionAggregates(
        summary=score_summary(frame),
        scores=score_distribution(frame),
        years=experience_bands(frame),
        skills=top_skills(frame, n=12),
        regions=top_values(frame, "region"),
        employers=top_values(frame, "current_company"),
    )
