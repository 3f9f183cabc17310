"""Frames shaped for people: several projects in one frame, and the sessions table as shown."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from fj.filters import NOT_STATED

#: Column of the sessions frame -> heading of the sessions table (and of its CSV).
TABLE_COLUMNS: dict[str, str] = {
    "project": "Project",
    "created_at": "Created",
    "title": "Title",
    "role": "Role",
    "location": "Location",
    "experience": "Experience",
    "total_profiles": "Profiles",
    "sourcing_minutes": "Sourcing time (min)",
    "updated_at": "Updated",
    "session_id": "Session ID",
    "jd_text": "JD text",
}


#: Fields parsed from the JD text: missing where the text does not say.
PARSED_COLUMNS = ("role", "location", "experience")


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
    experience = [p[0]["experience"] for p in parts.values()]
    ordered = pd.unique(pd.Series([c for s in experience for c in s.cat.categories]))
    frame["experience"] = pd.Categorical(frame["experience"], categories=_by_years(ordered))
    cols = ["project", *[c for c in frame.columns if c != "project"]]
    return frame[cols], report[["project", *[c for c in report.columns if c != "project"]]]


def _by_years(labels) -> list[str]:
    def years(label: str) -> tuple[float, float]:
        digits = label.replace("+", " ").replace("yrs", " ").replace("-", " ").split()
        nums = [float(d) for d in digits if d.replace(".", "", 1).isdigit()]
        return (nums[0] if nums else 0.0, nums[-1] if nums else 0.0)

    return sorted(labels, key=years)


def sessions_table(frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Return the sessions as the table shows them: readable headings, times in ``tz``."""
    table = pd.DataFrame(index=frame.index)
    for column, heading in TABLE_COLUMNS.items():
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
