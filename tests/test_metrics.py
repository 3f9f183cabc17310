"""Metrics: KPIs and their change, time series, top roles, breakdowns, histogram.

Expected numbers are worked out by hand from FRAME below.
"""

import datetime as dt

import pandas as pd
import pytest
from frames import frame_of_rows, synthetic_sessions

from fj.filters import NOT_STATED, Filters
from fj.metrics import (
    OTHER,
    Kpis,
    breakdown,
    cumulative_from,
    kpis,
    profiles_histogram,
    timeseries,
    top_roles,
)
from fj.periods import Change, compare_periods, incomplete_period, latest_complete_period

# Now is Wednesday 2024-05-15 12:00 UTC. "7d" is 9-15 May; its previous period is 2-8 May.
NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)

FRAME = frame_of_rows(
    # id, created_at, profiles, role, location, experience, title, sourcing minutes
    ("a", "2024-05-14T09:00:00Z", 30, "Data Engineer", "Pune", "1-5 yrs", None, 20),
    ("b", "2024-05-13T10:00:00Z", 0, "Data Engineer", "Remote", "1-5 yrs", None, 5),
    ("c", "2024-05-10T10:00:00Z", 10, "QA Engineer", "Pune", "3+ yrs", None, 40),
    ("d", "2024-05-08T23:00:00Z", 20, "Data Engineer", "Pune", "4-8 yrs", None, 30),
    ("e", "2024-05-02T00:00:00Z", 0, "QA Engineer", "Pune", "1-5 yrs", None, 10),
    ("f", "2024-05-01T23:59:00Z", 100, "Data Engineer", "Remote", "4-8 yrs", None, 10),
    ("g", None, 7, "Data Engineer", "Pune", "1-5 yrs"),
    ("h", "2024-05-12T08:00:00Z", None, None, None, None, "Untitled", 10),
)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# -- KPIs ---------------------------------------------------------------------


def test_kpis_count_sessions_and_sum_profiles_skipping_missing_counts():
    # Profiles 30+0+10+20+0+100+7 = 167 over 7 counted sessions; b and e have none.
    assert kpis(FRAME) == Kpis(
        sessions=8, total_profiles=167, avg_profiles=167 / 7, zero_profile_sessions=2
    )


def test_kpis_of_no_sessions_have_no_average():
    assert kpis(FRAME.iloc[:0]) == Kpis(0, 0, None, 0)
    assert kpis(FRAME[FRAME["session_id"] == "h"]) == Kpis(1, 0, None, 0)


def changes(comparison) -> dict:
    return {name: c.absolute for name, c in comparison.changes.items()}


def test_a_date_filter_compares_with_the_previous_period_of_the_same_length():
    # Now a, b, c, h: 4 sessions, 40 profiles over 3 counted, 1 with none.
    # Before d, e:     2 sessions, 20 profiles over 2 counted, 1 with none.
    comparison = compare_periods(FRAME, Filters(date="7d"), now=NOW, tz="UTC")
    assert changes(comparison) == pytest.approx(
        {
            "sessions": 2,
            "total_profiles": 20,
            "avg_profiles": 40 / 3 - 10,
            "zero_profile_sessions": 0,
        }
    )
    assert comparison.label == "the last 7 days vs the 7 days before"
    assert (comparison.start, comparison.end) == (dt.date(2024, 5, 9), dt.date(2024, 5, 15))
    assert (comparison.before_start, comparison.before_end) == (
        dt.date(2024, 5, 2),
        dt.date(2024, 5, 8),
    )
    assert comparison.change("sessions").percent == 100.0
    assert comparison.change("total_profiles").percent == 100.0


def test_the_comparison_keeps_the_other_filters():
    # Data Engineer now: a, b (30 profiles, avg 15, one with none); before: d (20, avg 20).
    comparison = compare_periods(
        FRAME, Filters(date="7d", roles=("Data Engineer",)), now=NOW, tz="UTC"
    )
    assert changes(comparison) == {
        "sessions": 1,
        "total_profiles": 10,
        "avg_profiles": -5.0,
        "zero_profile_sessions": 1,
    }
    assert comparison.change("total_profiles").percent == 50.0
    assert comparison.change("avg_profiles").percent == -25.0
    # Nothing was at zero before: "new", not a percent of nothing.
    assert comparison.change("zero_profile_sessions").is_new
    assert comparison.change("zero_profile_sessions").percent is None


def test_the_comparison_uses_given_current_kpis():
    filters = Filters(date="7d")
    current = kpis(filters.apply(FRAME, now=NOW, tz="UTC"))
    given = compare_periods(FRAME, filters, now=NOW, tz="UTC", current=current)
    assert given == compare_periods(FRAME, filters, now=NOW, tz="UTC")


def test_the_change_of_the_average_is_none_when_a_period_has_none():
    comparison = compare_periods(
        FRAME, Filters(date="7d", locations=(NOT_STATED,)), now=NOW, tz="UTC"
    )
    assert changes(comparison) == {
        "sessions": 1,
        "total_profiles": 0,
        "avg_profiles": None,
        "zero_profile_sessions": 0,
    }
    # h alone now, nothing before: one new session, whose count is unknown.
    assert comparison.change("sessions").is_new
    assert not comparison.change("total_profiles").is_new  # 0 against 0: no change
    assert comparison.change("total_profiles").percent is None


def test_without_a_date_filter_the_last_complete_week_is_compared_with_the_week_before():
    # Wednesday 15 May: the week of 13-19 May is not over. Last week is 6-12 May
    # (c, d, h: 2 sessions counted, 30 profiles), the week before 29 Apr-5 May (e, f).
    comparison = compare_periods(FRAME, Filters(), now=NOW, tz="UTC")
    assert comparison.label == "last week vs the week before"
    assert (comparison.start, comparison.end) == (dt.date(2024, 5, 6), dt.date(2024, 5, 12))
    assert (comparison.before_start, comparison.before_end) == (
        dt.date(2024, 4, 29),
        dt.date(2024, 5, 5),
    )
    assert comparison.now == Kpis(3, 30, 15.0, 0)
    assert comparison.before == Kpis(2, 100, 50.0, 1)
    assert comparison.change("sessions").percent == 50.0
    assert comparison.change("total_profiles").percent == -70.0
    assert comparison.change("zero_profile_sessions").absolute == -1


def test_weeks_are_counted_in_the_viewers_timezone():
    # d is 2024-05-08T23:00Z: Thursday 9 May in Kolkata, still last week; in Los Angeles
    # "now" is Wednesday 05:00, so the same weeks; f (1 May 23:59Z) is 2 May in Kolkata.
    kolkata = compare_periods(FRAME, Filters(roles=("Data Engineer",)), now=NOW, tz="Asia/Kolkata")
    assert kolkata.now == Kpis(1, 20, 20.0, 0)
    assert kolkata.before == Kpis(1, 100, 100.0, 0)
    # On Monday 13 May 02:00 in Kolkata (12 May 20:30 UTC) the week of the 13th has begun.
    monday = dt.datetime(2024, 5, 12, 20, 30, tzinfo=dt.UTC)
    assert compare_periods(FRAME, Filters(), now=monday, tz="Asia/Kolkata").start == dt.date(
        2024, 5, 6
    )
    assert compare_periods(FRAME, Filters(), now=monday, tz="UTC").start == dt.date(2024, 4, 29)


def test_no_comparison_for_a_window_without_a_start():
    until = Filters(date="custom", date_to=dt.date(2024, 5, 1))
    assert compare_periods(FRAME, until, now=NOW, tz="UTC") is None


def test_a_custom_window_is_named_by_its_dates():
    custom = Filters(date="custom", date_from=dt.date(2024, 5, 9), date_to=dt.date(2024, 5, 15))
    comparison = compare_periods(FRAME, custom, now=NOW, tz="UTC")
    assert comparison.label == "9–15 May 2024 vs 2–8 May 2024"
    assert changes(comparison)["sessions"] == 2


def test_changes_in_number_percent_and_new():
    assert Change(12, 10).absolute == 2 and Change(12, 10).percent == 20.0
    assert Change(5, 0).is_new and Change(5, 0).percent is None
    assert Change(4.5, None).is_new and Change(4.5, None).absolute is None
    assert not Change(0, 0).is_new and Change(0, 0).absolute == 0
    assert not Change(0, 3).is_new and Change(0, 3).percent == -100.0


# -- the period that is not over yet ------------------------------------------------


@pytest.mark.parametrize(
    ("freq", "start"),
    [("D", "2024-05-15"), ("W", "2024-05-13"), ("M", "2024-05-01")],
)
def test_incomplete_period_is_the_bucket_that_holds_now(freq, start):
    bucket = incomplete_period(freq, now=NOW, tz="UTC")
    assert bucket == pd.Timestamp(start, tz="UTC")
    series = timeseries(FRAME, freq=freq, tz="UTC")
    # The same value and dtype as the series' buckets: the last one is the partial one.
    assert series["bucket"].iloc[-1] <= bucket
    assert (series["bucket"] == bucket).sum() == (1 if freq != "D" else 0)


def test_incomplete_period_in_the_viewers_timezone():
    # 15 May 12:00 UTC is 16 May 02:00 in Auckland (UTC+12).
    assert incomplete_period("D", now=NOW, tz="Pacific/Auckland") == pd.Timestamp(
        "2024-05-16", tz="Pacific/Auckland"
    )
    assert latest_complete_period("M", now=NOW, tz="UTC") == (
        dt.date(2024, 4, 1),
        dt.date(2024, 4, 30),
    )
    assert latest_complete_period("W", now=NOW, tz="UTC") == (
        dt.date(2024, 5, 6),
        dt.date(2024, 5, 12),
    )


# -- time series --------------------------------------------------------------


def test_weekly_series_starts_on_mondays_and_leaves_out_undated_sessions():
    series = timeseries(FRAME, freq="W", tz="UTC")
    assert list(series.columns) == ["bucket", "sessions", "profiles"]
    assert list(series["bucket"]) == [utc("2024-04-29"), utc("2024-05-06"), utc("2024-05-13")]
    assert list(series["sessions"]) == [2, 3, 2]  # f e | d c h | b a; g has no date
    assert list(series["profiles"]) == [100, 30, 30]


def test_daily_series_fills_every_missing_day_with_zeros():
    series = timeseries(FRAME, freq="D", tz="UTC")
    assert len(series) == 14  # 1 to 14 May
    by_day = dict(zip(series["bucket"].dt.day, series["sessions"], strict=True))
    assert by_day == {
        1: 1, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 0, 10: 1, 11: 0, 12: 1, 13: 1, 14: 1
    }  # fmt: skip


def test_buckets_are_local_days_in_the_viewers_timezone():
    # f (23:59 UTC on 1 May) is 05:29 on 2 May in Kolkata: it joins e.
    series = timeseries(FRAME, freq="D", tz="Asia/Kolkata")
    assert series["bucket"].iloc[0] == pd.Timestamp("2024-05-02", tz="Asia/Kolkata")
    assert (series["sessions"].iloc[0], series["profiles"].iloc[0]) == (2, 100)
    assert str(series["bucket"].dt.tz) == "Asia/Kolkata"


def test_sunday_night_utc_is_next_weeks_monday_in_kolkata():
    frame = frame_of_rows(("s", "2024-05-12T20:00:00Z", 3))
    assert timeseries(frame, tz="UTC")["bucket"].tolist() == [utc("2024-05-06")]
    assert timeseries(frame, tz="Asia/Kolkata")["bucket"].tolist() == [
        pd.Timestamp("2024-05-13", tz="Asia/Kolkata")
    ]


def test_monthly_series_has_every_month_at_local_midnight_across_dst():
    frame = frame_of_rows(
        ("jan", "2024-01-20T12:00:00Z", 4),
        ("apr", "2024-04-02T12:00:00Z", 6),
    )
    series = timeseries(frame, freq="M", tz="America/New_York")
    months = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert list(series["bucket"]) == [pd.Timestamp(m, tz="America/New_York") for m in months]
    assert list(series["profiles"]) == [4, 0, 0, 6]


def test_by_role_series_keeps_the_top_roles_and_groups_the_rest_as_other():
    # Dated profiles: Data Engineer 30+0+20+100 = 150, QA Engineer 10+0 = 10, h has no role.
    series = timeseries(FRAME, freq="W", tz="UTC", by_role=True, top_roles=1)
    assert list(series.columns) == ["bucket", "role", "sessions", "profiles"]
    assert list(series["role"]) == ["Data Engineer", OTHER, NOT_STATED] * 3
    assert list(series["sessions"]) == [1, 1, 0, 1, 1, 1, 2, 0, 0]
    assert list(series["profiles"]) == [100, 0, 0, 20, 10, 0, 30, 0, 0]


def test_by_role_series_has_no_other_when_every_role_fits():
    series = timeseries(FRAME, freq="W", tz="UTC", by_role=True)
    assert set(series["role"]) == {"Data Engineer", "QA Engineer", NOT_STATED}
    assert len(series) == 3 * 3


def test_series_of_no_dated_sessions_is_empty_with_its_columns():
    series = timeseries(FRAME[FRAME["session_id"] == "g"], tz="UTC", by_role=True)
    assert series.empty
    assert list(series.columns) == ["bucket", "role", "sessions", "profiles"]


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        timeseries(FRAME, freq="Q", tz="UTC")


def test_cumulative_profiles_add_up_bucket_by_bucket():
    series = cumulative_from(timeseries(FRAME, freq="W", tz="UTC"))
    assert list(series.columns) == [
        "bucket",
        "profiles",
        "cumulative_profiles",
        "sessions",
        "cumulative_sessions",
    ]
    assert list(series["cumulative_profiles"]) == [100, 130, 160]
    assert list(series["cumulative_sessions"]) == list(series["sessions"].cumsum())


# -- top roles, breakdown -----------------------------------------------------


def test_top_roles_are_sorted_by_profiles():
    assert top_roles(FRAME).to_dict("list") == {
        "role": ["Data Engineer", "QA Engineer", NOT_STATED],
        "sessions": [5, 2, 1],
        "profiles": [157, 10, 0],
    }
    assert list(top_roles(FRAME, n=1)["role"]) == ["Data Engineer"]


def test_breakdown_by_role_has_counts_averages_and_medians():
    table = breakdown(FRAME, "role")
    assert table.to_dict("list") == {
        "group": ["Data Engineer", "QA Engineer", NOT_STATED],
        "sessions": [5, 2, 1],
        "profiles": [157, 10, 0],
        "avg_profiles": pytest.approx([31.4, 5.0, float("nan")], nan_ok=True),
        "median_profiles": pytest.approx([20.0, 5.0, float("nan")], nan_ok=True),
        # g has no dates, so no sourcing time: median of 20, 5, 30, 10 minutes.
        "median_sourcing_minutes": [15.0, 25.0, 10.0],
    }


def test_breakdown_by_location_and_experience_sort_by_profiles():
    location = breakdown(FRAME, "location")
    assert list(location["group"]) == ["Remote", "Pune", NOT_STATED]
    assert list(location["profiles"]) == [100, 67, 0]
    assert location["median_profiles"].iloc[1] == 10.0  # Pune: 0, 7, 10, 20, 30
    experience = breakdown(FRAME, "experience")
    assert list(experience["group"]) == ["4-8 yrs", "1-5 yrs", "3+ yrs", NOT_STATED]
    assert list(experience["sessions"]) == [2, 4, 1, 1]


def test_breakdown_refuses_other_columns():
    with pytest.raises(ValueError):
        breakdown(FRAME, "title")


# -- histogram ----------------------------------------------------------------


def test_histogram_bins_are_round_ranges_of_equal_width():
    # Counts 0, 0, 7, 10, 20, 30, 100: 0..100 needs 6 bins of 20, so 3 of 50 (at most 5).
    assert profiles_histogram(FRAME, bins=5).to_dict("list") == {
        "bin_start": [0, 50, 100],
        "bin_end": [50, 100, 150],
        "sessions": [6, 0, 1],
    }
    assert profiles_histogram(FRAME, bins=20)["bin_start"].tolist() == list(range(0, 101, 10))


@pytest.mark.parametrize(
    ("low", "high"), [(0, 9), (0, 20), (3, 77), (26, 513), (0, 1), (990, 2011)]
)
def test_histogram_edges_are_round_numbers(low, high):
    frame = frame_of_rows(*((f"s{i}", None, n) for i, n in enumerate(range(low, high + 1))))
    histogram = profiles_histogram(frame, bins=20)
    width = int(histogram["bin_end"][0] - histogram["bin_start"][0])
    assert width in {m * 10**k for m in (1, 2, 5) for k in range(4)}
    assert (histogram["bin_start"] % width == 0).all()
    assert (histogram["bin_end"] - histogram["bin_start"] == width).all()
    assert len(histogram) <= 20
    assert histogram["sessions"].sum() == high - low + 1


def test_histogram_of_one_value_is_one_bin():
    frame = frame_of_rows(("a", None, 5), ("b", None, 5))
    assert profiles_histogram(frame).to_dict("list") == {
        "bin_start": [5],
        "bin_end": [6],
        "sessions": [2],
    }


def test_histogram_size_does_not_grow_with_the_sessions():
    frame = synthetic_sessions(100_000)
    histogram = profiles_histogram(frame, bins=20)
    assert len(histogram) <= 20
    assert histogram["sessions"].sum() == frame["total_profiles"].count()
    assert profiles_histogram(FRAME.iloc[:0]).empty
