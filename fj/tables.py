"""Frames shaped for people: several projects in one frame, and the tables as shown: sessions,
candidates, and the Candidates page's rankings."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fj.filters import FACETS, NOT_STATED

#: Column of the sessions frame -> heading of the sessions table (and of its CSV).
SESSIONS_TABLE_COLUMNS: dict[str, str] = {
    "project": "Project",
    "created_at": "Created",
    "title": "Title",
    **{facet.column: facet.title for facet in FACETS},
    "exp_range": "Years asked",
    "total_profiles": "Profiles",
    "sourcing_minutes": "Sourcing time (min)",
    "updated_at": "Updated",
    "session_id": "Session ID",
    "jd_text": "JD text",
}


#: Fields parsed from the JD text: missing where the text does not say.
PARSED_COLUMNS = (*(facet.column for facet in FACETS), "exp_range")


def combine_projects(
    parts: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return several projects' sessions and problems as one frame each, with a project column."""
    names = list(parts)
    frames, problems = [], []
    for name, (frame, report) in parts.items():
        frames.append(frame.assign(project=name))
        problems.append(report.assign(project=name))
    frame = pd.concat(frames, ignore_index=True)
    report = pd.concat(problems, ignore_index=True)
    for df in (frame, report):
        df["project"] = pd.Categorical(df["project"], categories=names)
    # Categories of each part differ; concat turns them into plain strings, so restore them.
    for column in ("role", "location"):
        frame[column] = frame[column].astype("category")
    # Order the bands and ranges by the years they stand for, as each project's frame does.
    years = ["exp_min_years", "exp_max_years"]
    for column in ("experience", "exp_range"):
        known = frame.dropna(subset=[column]).groupby(column, observed=True)[years]
        order = known.first().sort_values(years, na_position="last").index.astype(str).tolist()
        frame[column] = pd.Categorical(frame[column], categories=order)
    cols = ["project", *[c for c in frame.columns if c != "project"]]
    return frame[cols], report[["project", *[c for c in report.columns if c != "project"]]]


def sessions_table(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return the sessions as the table shows them: readable headings, times in ``tz``."""
    table = pd.DataFrame(index=frame.index)
    for column, heading in SESSIONS_TABLE_COLUMNS.items():
        if column == "sourcing_minutes":
            table[heading] = (frame["sourcing_seconds"] / 60).round(1)
        elif column in ("created_at", "updated_at"):
            table[heading] = frame[column].dt.tz_convert(tz)
        elif column in PARSED_COLUMNS:
            # Said the way the filters say it, so a reader can filter on what they see.
            values = frame[column]
            table[heading] = values.cat.add_categories([NOT_STATED]).fillna(NOT_STATED)
        elif column in frame.columns:
            table[heading] = frame[column]
    return table.reset_index(drop=True)


def readable_time(stamp: pd.Timestamp | None) -> str:
    """Return an instant as a person reads it in its own zone: "2026-11-28 15:59 IST".

    Minutes are enough for a session; a zone without a letter abbreviation is
    shown by its offset ("2026-11-28 14:29 UTC+04"). "–" when there is no time.
    """
    if stamp is None or pd.isna(stamp):
        return "–"
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    zone = stamp.tzname() or ""
    if zone[:1] in "+-" and zone:
        zone = f"UTC{zone}"
    return f"{stamp:%Y-%m-%d %H:%M} {zone}".rstrip()


def table_height(rows: int, *, most: int = 560) -> int:
    """Return the pixel height that shows ``rows`` table rows and the header, at most ``most``.

    Streamlit draws 35 px per row and header plus a 2 px border; a short table then has
    no empty space under its last row, a long one scrolls within ``most`` pixels.
    """
    return min(most, 35 * (max(rows, 1) + 1) + 3)


def newest_sessions(frame: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """Return the ``n`` newest sessions (undated ones last): session_id, title, created_at."""
    columns = ["session_id", "title", "created_at"]
    return frame.sort_values("created_at", ascending=False, na_position="last", kind="stable")[
        columns
    ].head(n)


#: Columns of ``fj.candidate_metrics.best_by_role`` / ``best_sessions`` -> table headings.
SCORE_TABLE_COLUMNS: dict[str, str] = {
    "session_title": "Session",
    "role": "Role",
    "sessions": "Sessions",
    "candidates": "Candidates",
    "strong": "Strong matches",
    "strong_share": "Strong share",
    "mean_score": "Mean score",
    "top_score": "Top score",
    "session_id": "Session ID",
}


def scores_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Return ``best_by_role`` or ``best_sessions`` as the Candidates page shows them: readable
    headings in ``SCORE_TABLE_COLUMNS``' order, the strong share in percent (0-100)."""
    columns = {c: h for c, h in SCORE_TABLE_COLUMNS.items() if c in ranked.columns}
    table = ranked.assign(strong_share=ranked["strong_share"] * 100)[list(columns)]
    return table.rename(columns=columns).reset_index(drop=True)


def skills_table(per_role: pd.DataFrame) -> pd.DataFrame:
    """Return ``fj.candidate_metrics.skills_per_role`` with the Candidates page's headings."""
    return per_role.rename(
        columns={"role": "Role", "skills": "Skills seen most (share of the role's candidates)"}
    )


#: Column of the candidates frame (fj.candidate_frame) -> heading of the candidates table
#: (and of its CSV).
CANDIDATE_TABLE_COLUMNS: dict[str, str] = {
    "name": "Name",
    "final_score": "Score",
    "recommendation": "Recommendation",
    "region": "Region",
    "years_experience": "Experience (years)",
    "current_title": "Current title",
    "current_company": "Current company",
    "skills_text": "Skills",
    "employers_text": "Employers",
    "highlights_text": "Highlights",
    "years_experience_text": "Experience (as written)",
    "candidate_id": "Candidate ID",
}


def candidates_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the candidates as the table (and its CSV) shows them: text only, readable headings.

    Extra leading columns of a project-wide frame (session title, role) come first.
    """
    extra = {"session_title": "Session", "role": "Role"}
    columns = {**{c: h for c, h in extra.items() if c in frame.columns}, **CANDIDATE_TABLE_COLUMNS}
    table = frame[list(columns)].rename(columns=columns)
    return table.reset_index(drop=True)
