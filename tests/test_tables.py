"""Frames shaped for people: the sessions table as shown, and several projects in one frame."""

from __future__ import annotations

import json

import pandas as pd

from fj.frame import load_sessions
from fj.synthetic import generate_sessions, payload_bytes
from fj.tables import SESSIONS_TABLE_COLUMNS, combine_projects, sessions_table, table_height


def loaded(n: int, seed: int):
    return load_sessions(payload_bytes(generate_sessions(n, seed)))


def test_sessions_table_has_readable_headings_and_local_times():
    frame = loaded(20, 1).frame
    table = sessions_table(frame, "Asia/Kolkata")
    assert list(table.columns) == [h for c, h in SESSIONS_TABLE_COLUMNS.items() if c != "project"]
    assert str(table["Created"].dt.tz) == "Asia/Kolkata"
    # The same instants, only shown in another zone.
    assert (table["Created"].dt.tz_convert("UTC") == frame["created_at"]).all()
    assert table["Session ID"].tolist() == frame["session_id"].tolist()
    minutes = (frame["sourcing_seconds"] / 60).round(1)
    assert table["Sourcing time (min)"].tolist() == minutes.tolist()


def test_sessions_table_keeps_the_rows_of_a_filtered_frame_in_order():
    frame = loaded(30, 2).frame
    subset = frame.iloc[[7, 3, 21]]
    table = sessions_table(subset, "UTC")
    assert table["Session ID"].tolist() == subset["session_id"].tolist()
    assert list(table.index) == [0, 1, 2]


def test_combine_projects_adds_a_project_column_and_keeps_every_row():
    a, b = loaded(12, 3), loaded(5, 4)
    frame, problems = combine_projects({"Backend": (a.frame, a.problems),
                                        "Data": (b.frame, b.problems)})
    assert frame.columns[0] == "project"
    assert frame["project"].value_counts().to_dict() == {"Backend": 12, "Data": 5}
    assert frame["session_id"].tolist() == a.frame["session_id"].tolist() + b.frame[
        "session_id"
    ].tolist()
    assert str(frame["role"].dtype) == "category"
    assert list(frame["experience"].cat.categories) == sorted(
        frame["experience"].cat.categories,
        key=lambda band: float(band.split("-")[0].split("+")[0].split(" ")[0]),
    )
    assert list(problems.columns)[0] == "project"
    table = sessions_table(frame, "UTC")
    assert table.columns[0] == "Project"


def test_combine_projects_keeps_each_projects_problems():
    bad = json.loads(payload_bytes(generate_sessions(3, 5)))
    bad["data"][1]["totalProfiles"] = -1
    b = load_sessions(json.dumps(bad))
    a = loaded(4, 6)
    _, problems = combine_projects({"A": (a.frame, a.problems), "B": (b.frame, b.problems)})
    assert problems["project"].tolist() == ["B"]
    assert problems["field"].tolist() == ["totalProfiles"]


def test_parsed_fields_the_text_does_not_state_say_so():
    frame = loaded(200, 9).frame
    table = sessions_table(frame, "UTC")
    # Every synthetic session has a title, so its role is always stated.
    for column, heading in (
        ("location", "Location"),
        ("experience", "Experience"),
        ("exp_range", "Years asked"),
    ):
        missing = frame[column].isna()
        assert missing.any()
        assert (table.loc[missing.to_numpy(), heading] == "(not stated)").all()
        kept = table.loc[~missing.to_numpy(), heading].astype(str)
        assert kept.tolist() == frame.loc[~missing, column].astype(str).tolist()


def test_combined_experience_bands_keep_the_frames_own_order():
    a = loaded(300, 11)
    frame, _ = combine_projects({"A": (a.frame, a.problems), "B": (a.frame, a.problems)})
    used = [b for b in a.frame["experience"].cat.categories if (a.frame["experience"] == b).any()]
    assert list(frame["experience"].cat.categories) == used


def test_combined_ranges_keep_their_order_by_years():
    a, b = loaded(300, 11), loaded(200, 12)
    frame, _ = combine_projects({"A": (a.frame, a.problems), "B": (b.frame, b.problems)})
    ranges = frame.dropna(subset=["exp_range"]).groupby("exp_range", observed=True)
    years = ranges[["exp_min_years", "exp_max_years"]].first().fillna(float("inf"))
    assert list(frame["exp_range"].cat.categories) == list(
        years.sort_values(["exp_min_years", "exp_max_years"]).index
    )


def test_a_table_is_as_tall_as_its_rows_up_to_a_limit():
    # 35 px per row and for the header, 3 px of border: six rows need 248 px, not 560.
    assert table_height(6) == 248
    assert table_height(0) == table_height(1) == 73  # an empty table still shows its header
    assert table_height(14) == 528 and table_height(15) == table_height(10_000) == 560
    assert table_height(3, most=100) == 100


def test_score_tables_have_readable_headings_in_order_and_the_share_in_percent():
    from fj.tables import scores_table

    by_role = pd.DataFrame(
        {"role": ["A"], "sessions": [2], "candidates": [4], "strong": [1],
         "strong_share": [0.25], "mean_score": [3.0], "top_score": [4.5]}
    )  # fmt: skip
    table = scores_table(by_role)
    assert list(table.columns) == [
        "Role", "Sessions", "Candidates", "Strong matches", "Strong share", "Mean score",
        "Top score",
    ]  # fmt: skip
    assert table.loc[0, "Strong share"] == 25.0 and by_role.loc[0, "strong_share"] == 0.25
    best = by_role.drop(columns="sessions").assign(session_id="s1", session_title="T")
    assert list(scores_table(best).columns) == [
        "Session", "Role", "Candidates", "Strong matches", "Strong share", "Mean score",
        "Top score", "Session ID",
    ]  # fmt: skip
