"""Filters: from a link, to a link, applied to a frame, in words."""

import datetime as dt
import re

import pandas as pd
import pytest
from frames import frame_of_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from fj.filters import (
    DATE_PRESETS,
    FACETS,
    NOT_STATED,
    PROFILES_LIMIT,
    FilterOptions,
    Filters,
    filter_options,
    normalise,
    slugify,
    undated_hidden,
)

# Now is Wednesday 2024-05-15 12:00 UTC (17:30 in Kolkata); the quarter began on 1 April.
NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)

FRAME = frame_of_rows(
    ("s1", "2024-05-15T08:00:00Z", 25, ".NET Developer", "Pune", "1-5 yrs"),
    ("s2", "2024-05-10T09:00:00Z", 35, "Senior .NET Developer", "Pune", "4-8 yrs"),
    ("s3", "2024-05-09T23:30:00Z", 0, "Data Engineer", "Bengaluru", "1-5 yrs"),
    # 23:30 UTC on 8 May is 05:00 on 9 May in Kolkata: inside Kolkata's 7 days only.
    ("s4", "2024-05-08T23:30:00Z", 12, "Data Engineer", "Remote", "3+ yrs"),
    ("s5", "2024-04-20T12:00:00Z", 50, ".NET Developer", "Bengaluru", "4-8 yrs"),
    # 20:00 UTC on 31 March is 01:30 on 1 April in Kolkata: this quarter there, not in UTC.
    ("s6", "2024-03-31T20:00:00Z", 8, "QA Engineer", "Pune", "1-5 yrs"),
    ("s7", "2024-01-05T10:00:00Z", 40, "Data Engineer", "Pune", "1-5 yrs"),
    ("s8", None, 7, ".NET Developer", "Pune", "1-5 yrs"),
    ("s9", "2024-05-14T10:00:00Z", None, None, None, None, "Untitled"),
)

OPTIONS = filter_options(FRAME)


def ids(filters: Filters, tz: str = "UTC", now: dt.datetime = NOW) -> set[str]:
    return set(filters.apply(FRAME, now=now, tz=tz)["session_id"])


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# -- apply: each filter narrows to exactly the expected sessions --------------


def test_default_filters_return_the_frame_itself():
    assert Filters().apply(FRAME, now=NOW, tz="UTC") is FRAME


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(roles=(".NET Developer",)), {"s1", "s5", "s8"}),
        (Filters(roles=(".NET Developer", "Data Engineer")), {"s1", "s3", "s4", "s5", "s7", "s8"}),
        (Filters(roles=(NOT_STATED,)), {"s9"}),
        (Filters(roles=("No Such Role",)), set()),
        (Filters(locations=("Bengaluru",)), {"s3", "s5"}),
        (Filters(locations=("Pune", NOT_STATED)), {"s1", "s2", "s6", "s7", "s8", "s9"}),
        (Filters(experience=("4-8 yrs",)), {"s2", "s5"}),
        (Filters(experience=("3+ yrs", "4-8 yrs")), {"s2", "s4", "s5"}),
        (Filters(q="net"), {"s1", "s2", "s5", "s8"}),
        (Filters(q="PUNE"), {"s1", "s2", "s6", "s7", "s8"}),  # found in the JD text only
        (Filters(q="D.ta"), set()),  # literal text, not a regular expression
        (Filters(profiles_min=25), {"s1", "s2", "s5", "s7"}),
        (Filters(profiles_max=8), {"s3", "s6", "s8"}),
        (Filters(profiles_min=10, profiles_max=30), {"s1", "s4"}),
        (Filters(date="30d", roles=("Data Engineer",)), {"s3", "s4"}),
    ],
)
def test_each_filter_selects_exactly_the_matching_sessions(filters, expected):
    assert ids(filters) == expected


def test_profile_range_leaves_out_sessions_without_a_count():
    assert "s9" not in ids(Filters(profiles_min=0))
    assert "s9" in ids(Filters())


def test_apply_works_on_an_already_filtered_frame_with_unused_categories():
    part = Filters(locations=("Bengaluru",)).apply(FRAME, now=NOW, tz="UTC")
    assert set(part["role"].cat.categories) > set(part["role"].dropna())
    result = Filters(roles=("Data Engineer",)).apply(part, now=NOW, tz="UTC")
    assert set(result["session_id"]) == {"s3"}


# -- date windows -------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "tz", "expected"),
    [
        ("7d", "UTC", {"s1", "s2", "s3", "s9"}),
        ("7d", "Asia/Kolkata", {"s1", "s2", "s3", "s4", "s9"}),
        ("30d", "UTC", {"s1", "s2", "s3", "s4", "s5", "s9"}),
        ("90d", "UTC", {"s1", "s2", "s3", "s4", "s5", "s6", "s9"}),
        ("quarter", "UTC", {"s1", "s2", "s3", "s4", "s5", "s9"}),
        ("quarter", "Asia/Kolkata", {"s1", "s2", "s3", "s4", "s5", "s6", "s9"}),
    ],
)
def test_date_presets_count_calendar_days_in_the_viewers_timezone(date, tz, expected):
    assert ids(Filters(date=date), tz=tz) == expected


def test_seven_days_in_kolkata_run_from_local_midnight_six_days_ago_to_local_midnight_tonight():
    assert Filters(date="7d").window(NOW, "Asia/Kolkata") == (
        utc("2024-05-08T18:30"),
        utc("2024-05-15T18:30"),
    )


def test_today_is_the_viewers_today_not_utcs():
    # 02:00 UTC on 15 May is still 22:00 on 14 May in New York.
    now = dt.datetime(2024, 5, 15, 2, 0, tzinfo=dt.UTC)
    window = Filters(date="7d").window(now, "America/New_York")
    assert window == (utc("2024-05-08T04:00"), utc("2024-05-15T04:00"))
    assert ids(Filters(date="7d"), tz="America/New_York", now=now) == {"s2", "s3", "s4", "s9"}


def test_window_across_a_dst_change_starts_and_ends_at_local_midnight():
    # New York moved to summer time on 10 March 2024: EST (-5) before, EDT (-4) after.
    now = dt.datetime(2024, 3, 20, 12, 0, tzinfo=dt.UTC)
    assert Filters(date="30d").window(now, "America/New_York") == (
        utc("2024-02-20T05:00"),
        utc("2024-03-21T04:00"),
    )


def test_quarter_runs_from_the_first_day_of_the_quarter_to_the_end_of_today():
    assert Filters(date="quarter").window(NOW, "UTC") == (utc("2024-04-01"), utc("2024-05-16"))
    january = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC)
    assert Filters(date="quarter").window(january, "UTC") == (utc("2024-01-01"), utc("2024-01-03"))


def test_custom_dates_are_inclusive_local_days():
    custom = Filters(date="custom", date_from=dt.date(2024, 5, 9), date_to=dt.date(2024, 5, 10))
    assert custom.window(NOW, "UTC") == (utc("2024-05-09"), utc("2024-05-11"))
    assert ids(custom) == {"s2", "s3"}
    assert ids(custom, tz="Asia/Kolkata") == {"s2", "s3", "s4"}


def test_custom_with_one_bound_is_open_on_the_other_side():
    since = Filters(date="custom", date_from=dt.date(2024, 5, 10))
    assert since.window(NOW, "UTC") == (utc("2024-05-10"), utc("2024-05-16"))
    until = Filters(date="custom", date_to=dt.date(2024, 1, 31))
    assert ids(until) == {"s7"}
    future = Filters(date="custom", date_from=dt.date(2030, 1, 1))
    assert ids(future) == set()
    assert future.previous_period(NOW, "UTC") is None


def test_naive_now_is_read_as_utc():
    naive = dt.datetime(2024, 5, 15, 12, 0)
    assert Filters(date="7d").window(naive, "UTC") == Filters(date="7d").window(NOW, "UTC")


def test_all_has_no_window_and_keeps_undated_sessions():
    assert Filters().window(NOW, "UTC") is None
    assert "s8" in ids(Filters(roles=(".NET Developer",)))


def test_date_window_hides_undated_sessions_and_says_how_many():
    assert "s8" not in ids(Filters(date="90d"))
    assert undated_hidden(FRAME, Filters(date="90d")) == 1
    assert undated_hidden(FRAME, Filters(date="90d", roles=(".NET Developer",))) == 1
    assert undated_hidden(FRAME, Filters(date="90d", roles=("Data Engineer",))) == 0
    assert undated_hidden(FRAME, Filters(roles=(".NET Developer",))) == 0


def test_previous_period_is_the_same_number_of_days_just_before():
    previous = Filters(date="30d", roles=("Data Engineer",)).previous_period(NOW, "UTC")
    assert previous == Filters(
        date="custom",
        date_from=dt.date(2024, 3, 17),
        date_to=dt.date(2024, 4, 15),
        roles=("Data Engineer",),
    )
    window = Filters(date="30d").previous_period(NOW, "UTC").window(NOW, "UTC")
    assert window == (utc("2024-03-17"), utc("2024-04-16"))
    assert Filters().previous_period(NOW, "UTC") is None
    assert Filters(date="custom", date_to=dt.date(2024, 5, 1)).previous_period(NOW, "UTC") is None
    since_1970 = Filters(date="custom", date_from=dt.date(1970, 1, 1), date_to=dt.date(2200, 1, 1))
    assert since_1970.previous_period(NOW, "UTC") is None


# -- normalisation ------------------------------------------------------------


def test_filters_are_equal_whatever_the_order_of_their_values():
    assert Filters(roles=("b", "a", "a"), q=" x ") == Filters(roles=["a", "b"], q="x")
    assert Filters(date="30d", date_from=dt.date(2024, 1, 1)) == Filters(date="30d")
    assert Filters(date="custom") == Filters()
    assert Filters(date="7d", q="x").without_dates() == Filters(q="x")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"date": "fortnight"},
        {"date": "custom", "date_from": dt.date(2024, 2, 1), "date_to": dt.date(2024, 1, 1)},
        {"profiles_min": -1},
        {"date": "custom", "date_from": dt.date(1, 1, 1)},
        {"profiles_min": 5, "profiles_max": 4},
    ],
)
def test_contradictory_filters_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        Filters(**kwargs)


# -- the link -----------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(date="7d"),
        Filters(date="quarter", roles=(".NET Developer", "Data Engineer")),
        Filters(date="custom", date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 5, 31)),
        Filters(date="custom", date_to=dt.date(2024, 5, 31)),
        Filters(locations=("Pune", NOT_STATED), experience=("3+ yrs",), q="C# & <b>"),
        Filters(profiles_min=0),
        Filters(profiles_min=3, profiles_max=3),
    ],
)
def test_query_round_trip_gives_the_same_filters(filters):
    again, notices = Filters.from_query(filters.to_query(), options=OPTIONS)
    assert again == filters
    assert notices == []


def test_to_query_writes_only_non_default_values_with_lists_for_repeatable_names():
    filters = Filters(date="custom", date_from=dt.date(2024, 5, 1), roles=("B", "A"))
    assert filters.to_query() == {"from": "2024-05-01", "role": ["A", "B"]}
    assert Filters(date="30d", profiles_min=5, q="net").to_query() == {
        "date": "30d",
        "q": "net",
        "pmin": "5",
    }
    assert Filters().to_query() == {}


def test_from_query_reads_a_link_and_ignores_unknown_names_silently():
    filters, notices = Filters.from_query(
        {"role": [".NET Developer", "QA Engineer"], "date": "30d", "utm_source": "mail"},
        options=OPTIONS,
    )
    assert filters == Filters(date="30d", roles=(".NET Developer", "QA Engineer"))
    assert notices == []


def test_from_query_accepts_any_value_without_options():
    filters, notices = Filters.from_query({"role": "Anything", "location": ["X"]})
    assert filters == Filters(roles=("Anything",), locations=("X",))
    assert notices == []


@pytest.mark.parametrize(
    ("params", "expected", "notice"),
    [
        ({"date": "fortnight"}, Filters(), "Ignored date 'fortnight' from the link"),
        ({"from": "2024-13-01"}, Filters(), "Ignored from date '2024-13-01' from the link"),
        ({"to": "yesterday"}, Filters(), "Ignored to date 'yesterday'"),
        (
            {"from": "0001-01-01"},
            Filters(),
            "Ignored from date 0001-01-01: dates run",
        ),
        ({"to": "9999-12-31"}, Filters(), "Ignored to date 9999-12-31"),
        ({"date": "custom"}, Filters(), "Ignored date 'custom' from the link"),
        ({"pmin": "-3"}, Filters(), "Ignored pmin '-3' from the link"),
        ({"pmin": "ten"}, Filters(), "Ignored pmin 'ten'"),
        ({"pmax": "2.5"}, Filters(), "Ignored pmax '2.5'"),
        (
            {"role": "Foo"},
            Filters(),
            "Ignored role 'Foo' from the link: no such role in this project.",
        ),
        (
            {"location": ["Pune", "Atlantis"]},
            Filters(locations=("Pune",)),
            "Ignored location 'Atlantis' from the link: no such location in this project.",
        ),
        ({"exp": "99 yrs"}, Filters(), "Ignored experience band '99 yrs'"),
        (
            {"date": "30d", "from": "2024-05-01"},
            Filters(date="custom", date_from=dt.date(2024, 5, 1)),
            "Ignored date '30d' from the link: it also gives from/to dates.",
        ),
    ],
)
def test_each_unusable_value_is_dropped_with_one_notice(params, expected, notice):
    filters, notices = Filters.from_query(params, options=OPTIONS)
    assert filters == expected
    assert len(notices) == 1
    assert notice in notices[0]


def test_notices_shorten_long_values_from_the_link():
    _, notices = Filters.from_query({"role": "x" * 500}, options=OPTIONS)
    assert len(notices) == 1
    assert len(notices[0]) < 120


NAMES = st.sampled_from(["date", "from", "to", "role", "location", "exp", "q", "pmin", "pmax"])
VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["7d", "quarter", "custom", "2024-05-01", "2024-02-30", "12", "-1"]),
    st.dates().map(str),
)


@given(st.dictionaries(st.one_of(NAMES, st.text(max_size=5)), st.one_of(VALUES, st.lists(VALUES))))
def test_from_query_never_raises_and_its_result_round_trips_and_applies(params):
    filters, notices = Filters.from_query(params)
    assert all(isinstance(n, str) for n in notices)
    assert Filters.from_query(filters.to_query())[0] == filters
    for tz in ("UTC", "Pacific/Kiritimati", "America/St_Johns"):
        filters.apply(FRAME, now=NOW, tz=tz)
        previous = filters.previous_period(NOW, tz)
        if previous is not None:
            previous.window(NOW, tz)


# -- options ------------------------------------------------------------------


def test_filter_options_come_from_the_data_sorted_with_not_stated_last():
    assert (
        FilterOptions(
            roles=(
                ".NET Developer",
                "Data Engineer",
                "QA Engineer",
                "Senior .NET Developer",
                NOT_STATED,
            ),
            locations=("Bengaluru", "Pune", "Remote", NOT_STATED),
            experience=("1-5 yrs", "3+ yrs", "4-8 yrs", NOT_STATED),
            profiles_max=50,
        )
        == OPTIONS
    )


def test_experience_bands_sort_by_years_and_roles_ignore_case():
    frame = frame_of_rows(
        ("a", None, 1, "Zeta", "P", "10+ yrs"),
        ("b", None, 1, "Zeta", "P", "2-4 yrs"),
        ("c", None, 1, "Zeta", "P", "2 yrs"),
        ("d", None, 1, "Zeta", "P", "0-1 yrs"),
        ("e", None, 1, "analyst", "P", "2+ yrs"),
    )
    options = filter_options(frame)
    assert options.experience == ("0-1 yrs", "2 yrs", "2-4 yrs", "2+ yrs", "10+ yrs")
    assert options.roles == ("analyst", "Zeta")  # case-insensitive, no NOT_STATED: none missing


def test_filter_options_of_an_empty_frame_are_empty():
    assert filter_options(FRAME.iloc[:0]) == FilterOptions()


# -- in words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "words", "slug"),
    [
        (Filters(), "all sessions", "all"),
        (
            Filters(date="30d", roles=(".NET Developer", "Data Engineer")),
            "role is .NET Developer or Data Engineer, created in the last 30 days",
            "30d_role-net-developer-plus1",
        ),
        (
            Filters(
                date="custom",
                date_from=dt.date(2024, 5, 1),
                date_to=dt.date(2024, 5, 31),
                locations=("Pune",),
                profiles_min=10,
            ),
            "location is Pune, created from 2024-05-01 to 2024-05-31, with at least 10 profiles",
            "2024-05-01-to-2024-05-31_loc-pune_pmin10",
        ),
        (
            Filters(experience=("3+ yrs",), date="quarter", profiles_min=1, profiles_max=9),
            "experience is 3+ yrs, created this quarter, with 1 to 9 profiles",
            "quarter_exp-3plus-yrs_p1-9",
        ),
        (
            Filters(q="C++", profiles_max=0, date="custom", date_to=dt.date(2024, 1, 1)),
            'created on or before 2024-01-01, title or job description contains "C++", '
            "with at most 0 profiles",
            "start-to-2024-01-01_q-cplusplus_pmax0",
        ),
    ],
)
def test_describe_and_slug_say_the_filters(filters, words, slug):
    assert filters.describe() == words
    assert filters.slug() == slug


def test_slug_is_short_ascii_and_filename_safe_for_any_value():
    filters = Filters(roles=("データ エンジニア",), locations=("Zürich/../" * 30,), q="a\\b:c*?")
    slug = filters.slug()
    assert re.fullmatch(r"[a-z0-9_-]+", slug)
    assert len(slug) <= 100
    assert slugify("データ") != slugify("エンジニア")  # distinct non-ASCII values stay distinct
    assert slugify("Zürich") == "zurich"


# -- one normalising step, shared by links and the sidebar -------------------


@pytest.mark.parametrize(
    ("params", "expected", "notice"),
    [
        (
            {"from": "2024-05-10", "to": "2024-05-01"},
            Filters(date="custom", date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 5, 10)),
            "The from date 2024-05-10 was after the to date 2024-05-01: swapped them.",
        ),
        (
            {"pmin": "200", "pmax": "50"},
            Filters(profiles_min=50, profiles_max=200),
            "Min profiles 200 was above max profiles 50: swapped them.",
        ),
    ],
)
def test_a_reversed_range_is_swapped_the_same_way_from_a_link_and_from_the_sidebar(
    params, expected, notice
):
    from_link, link_notices = Filters.from_query(params, options=OPTIONS)
    typed, typed_notices = normalise(
        date="custom" if "from" in params else "all",
        date_from=dt.date.fromisoformat(params["from"]) if "from" in params else None,
        date_to=dt.date.fromisoformat(params["to"]) if "to" in params else None,
        profiles_min=int(params["pmin"]) if "pmin" in params else None,
        profiles_max=int(params["pmax"]) if "pmax" in params else None,
    )
    assert from_link == typed == expected
    assert link_notices == typed_notices == [notice]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2026-04-01"}, Filters(date="custom", date_from=dt.date(2026, 4, 1))),
        ({"to": "2026-04-30"}, Filters(date="custom", date_to=dt.date(2026, 4, 30))),
    ],
)
def test_a_link_with_one_end_of_a_date_range_keeps_it_open_at_the_other(params, expected):
    filters, notices = Filters.from_query(params)
    assert filters == expected
    assert notices == []
    assert Filters.from_query(filters.to_query()) == (filters, [])


@pytest.mark.parametrize(
    ("kwargs", "expected", "notice"),
    [
        ({"profiles_min": -5}, Filters(), "Ignored min profiles '-5': profiles are 0 or more."),
        ({"profiles_max": 10**400}, Filters(profiles_max=PROFILES_LIMIT), "Read max profiles"),
        ({"profiles_min": float("inf")}, Filters(profiles_min=PROFILES_LIMIT), "Read min"),
        ({"profiles_min": "ten"}, Filters(), "Ignored min profiles 'ten': not a number."),
        ({"profiles_min": 3.9}, Filters(profiles_min=3), None),
        ({"profiles_min": float("nan")}, Filters(), None),
        ({"date": "fortnight"}, Filters(), "Ignored date 'fortnight'"),
        ({"date": "custom", "date_from": dt.date(1, 1, 1)}, Filters(), "Ignored from date"),
        ({"date": "7d", "date_from": dt.date(2024, 1, 1)}, Filters(date="7d"), None),
        ({"roles": "Data Engineer"}, Filters(roles=("Data Engineer",)), None),
        ({"roles": [None, " ", "B", "A", "B"]}, Filters(roles=("A", "B")), None),
        ({"unknown": ["x"]}, Filters(), None),
    ],
)
def test_normalise_never_raises_and_says_what_it_changed(kwargs, expected, notice):
    filters, notices = normalise(**kwargs)
    assert filters == expected
    if notice is None:
        assert notices == []
    else:
        assert len(notices) == 1 and notice in notices[0]


_anything = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.dates(),
    st.booleans(),
)


@given(
    date=st.one_of(st.sampled_from(sorted(DATE_PRESETS)), st.text(max_size=5), st.none()),
    date_from=_anything,
    date_to=_anything,
    lo=_anything,
    hi=_anything,
    q=_anything,
    roles=st.one_of(st.none(), st.text(max_size=5), st.lists(_anything, max_size=3)),
)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_normalise_never_raises_on_anything(date, date_from, date_to, lo, hi, q, roles):
    filters, _ = normalise(
        date=date,
        date_from=date_from,
        date_to=date_to,
        profiles_min=lo,
        profiles_max=hi,
        q=q,
        roles=roles,
    )
    # What it returns is a valid view that a link carries unchanged.
    assert Filters.from_query(filters.to_query()) == (filters, [])


def test_every_face_of_filters_covers_every_facet():
    """Adding a facet is one row of FACETS: each face reads it from there."""
    picked = Filters(**{f.name: (f"{f.title} value",) for f in FACETS})
    query = picked.to_query()
    assert {f.param for f in FACETS} <= set(query)
    assert Filters.from_query(query) == (picked, [])
    words = picked.describe()
    slug = picked.slug()
    for facet in FACETS:
        assert f"{facet.words} is {facet.title} value" in words
        assert f"{facet.slug}-{facet.title.lower()}-value" in slug
    options = filter_options(FRAME)
    assert all(getattr(options, f.name) for f in FACETS)
    assert len({f.widget for f in FACETS}) == len({f.param for f in FACETS}) == len(FACETS)
