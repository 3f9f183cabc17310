"""Charts: literal labels, stable role colours, bounded payloads, clicks that map back to groups."""

import datetime as dt

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from frames import frame_of_rows, synthetic_sessions

from fj.charts import (
    NOT_STATED_COLOR,
    OTHER_COLOR,
    PALETTE,
    PARTIAL_OPACITY,
    breakdown_chart,
    cumulative_chart,
    named_colors,
    profiles_histogram_chart,
    role_colors,
    roles_by_weight,
    selected_groups,
    selected_profile_range,
    sessions_over_time,
    sourcing_vs_profiles_chart,
    top_roles_chart,
)
from fj.filters import NOT_STATED, Filters, filter_options
from fj.metrics import (
    NAMED_ROLES,
    OTHER,
    breakdown,
    cumulative_from,
    named_roles,
    profiles_histogram,
    role_totals,
    timeseries,
    top_roles,
)
from fj.periods import incomplete_period

NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)
BOLD = "<b>x</b>"
SCRIPT = "<script>alert(1)</script>"
AMP = "Tom & Jerry"

FRAME = frame_of_rows(
    ("a", "2024-05-14T09:00:00Z", 30, BOLD, "Pune", "1-5 yrs", None, 20),
    ("b", "2024-05-03T10:00:00Z", 10, SCRIPT, "<a href='x'>l</a>", "1-5 yrs", None, 5),
    ("c", "2024-04-10T10:00:00Z", 15, AMP, "Pune", "3+ yrs", None, 40),
    ("d", "2024-04-08T23:00:00Z", 20, "2024", "A & B", "4-8 yrs", None, 30),
    ("e", "2024-04-02T00:00:00Z", 0, None, "Pune", "1-5 yrs", None, 10),
    ("f", "2024-04-03T00:00:00Z", 4, "Data Engineer", "Pune", "1-5 yrs", None, 10),
)
COLORS = role_colors(filter_options(FRAME).roles)


def all_charts(frame, colors=COLORS, tz="Asia/Kolkata", freq="D"):
    by_role = breakdown(frame, "role")
    return {
        "by role over time": sessions_over_time(
            timeseries(frame, freq=freq, tz=tz, by_role=True), stacked=True, colors=colors
        ),
        "over time": sessions_over_time(timeseries(frame, freq=freq, tz=tz), metric="sessions"),
        "cumulative": cumulative_chart(cumulative_from(timeseries(frame, freq=freq, tz=tz))),
        "top roles": top_roles_chart(top_roles(frame), colors),
        "breakdown role": breakdown_chart(by_role, by="role", colors=colors),
        "breakdown location": breakdown_chart(
            breakdown(frame, "location"), by="location", metric="avg_profiles"
        ),
        "histogram": profiles_histogram_chart(profiles_histogram(frame)),
        "scatter": sourcing_vs_profiles_chart(by_role, colors=colors),
    }


def shown_text(fig) -> list[str]:
    """Every string plotly renders as (HTML-capable) text: not customdata or our hovertemplate."""
    found = []

    def walk(value, key=""):
        if key in ("customdata", "hovertemplate"):
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            found.append(value)

    spec = fig.to_plotly_json()
    walk(spec["data"])
    walk({k: v for k, v in spec["layout"].items() if k != "template"})
    return found


def bar_points(fig):
    """The points Streamlit reports when every bar is clicked: customdata and the shown label."""
    return [
        {"customdata": list(custom), "y": label, "curve_number": n}
        for n, trace in enumerate(fig.data)
        for custom, label in zip(trace.customdata, trace.y, strict=True)
    ]


# -- literal labels -----------------------------------------------------------


@pytest.mark.parametrize("name", list(all_charts(FRAME)))
def test_every_figure_passes_plotlys_validation(name):
    """Figures are built unvalidated for speed and plotly.js ignores what it does not know."""
    spec = all_charts(FRAME)[name].to_dict()
    go.Figure(spec)  # raises on any property or value plotly does not accept


@pytest.mark.parametrize("name", list(all_charts(FRAME)))
def test_text_from_the_api_is_escaped_in_every_chart(name):
    text = " ".join(shown_text(all_charts(FRAME)[name]))
    for raw in (BOLD, SCRIPT, "<a href", "Tom & Jerry", "A & B"):
        assert raw not in text


def test_escaped_labels_say_the_original_characters():
    text = shown_text(top_roles_chart(top_roles(FRAME), COLORS))
    assert "&lt;b&gt;x&lt;/b&gt;" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Tom &amp; Jerry" in text


def test_group_axes_are_categories_even_for_numeric_looking_names():
    fig = top_roles_chart(top_roles(FRAME), COLORS)
    assert fig.layout.yaxis.type == "category"
    assert "2024" in fig.layout.yaxis.categoryarray


# -- drill-down ---------------------------------------------------------------


def test_clicked_bar_gives_the_raw_group_that_filters_to_its_sessions():
    fig = breakdown_chart(breakdown(FRAME, "role"), by="role", metric="sessions", colors=COLORS)
    points = bar_points(fig)
    groups = selected_groups(points)
    assert set(groups) == {BOLD, SCRIPT, AMP, "2024", "Data Engineer", NOT_STATED}
    for point, group in zip(points, groups, strict=True):
        chosen = Filters(roles=(group,)).apply(FRAME, now=NOW, tz="UTC")
        assert len(chosen) == point["customdata"][1]  # the bar's session count


def test_clicked_location_and_scatter_point_map_back_too():
    location = breakdown_chart(breakdown(FRAME, "location"), by="location")
    assert "<a href='x'>l</a>" in selected_groups(bar_points(location))
    scatter = sourcing_vs_profiles_chart(breakdown(FRAME, "role"), colors=COLORS)
    points = [{"customdata": list(c)} for trace in scatter.data for c in trace.customdata]
    assert set(selected_groups(points)) == {BOLD, SCRIPT, AMP, "2024", "Data Engineer", NOT_STATED}


def test_selected_groups_ignores_points_without_data_and_repeats():
    assert selected_groups([{"customdata": ["A", 1]}, {"x": 3}, {"customdata": ["A", 1]}]) == ["A"]
    assert selected_groups([]) == []


def test_clicked_histogram_bars_give_a_profile_range_that_selects_their_sessions():
    frame = synthetic_sessions(5_000)
    histogram = profiles_histogram(frame, bins=10)
    fig = profiles_histogram_chart(histogram)
    trace = fig.data[0]
    points = [{"customdata": list(trace.customdata[i]), "x": trace.x[i]} for i in (2, 3)]
    low, high = selected_profile_range(points)
    assert (low, high) == (histogram["bin_start"][2], histogram["bin_end"][3] - 1)
    chosen = Filters(profiles_min=low, profiles_max=high).apply(frame, now=NOW, tz="UTC")
    assert len(chosen) == histogram["sessions"][2] + histogram["sessions"][3]
    assert selected_profile_range([]) is None


# -- colours ------------------------------------------------------------------


def test_role_colours_follow_the_given_order():
    colors = role_colors(["b", "a", "c", "a", NOT_STATED])
    assert colors == {
        "b": PALETTE[0],
        "a": PALETTE[1],
        "c": PALETTE[2],
        OTHER: OTHER_COLOR,
        NOT_STATED: NOT_STATED_COLOR,
    }
    many = role_colors([f"r{i:02d}" for i in range(len(PALETTE))])
    assert len(set(many.values()) - {OTHER_COLOR, NOT_STATED_COLOR}) == len(PALETTE)


def test_the_palette_has_no_repeats_no_greys_and_two_distinct_neutrals():
    assert len(set(PALETTE)) == len(PALETTE) > NAMED_ROLES
    assert OTHER_COLOR != NOT_STATED_COLOR
    assert not {OTHER_COLOR, NOT_STATED_COLOR} & set(PALETTE)
    for color in PALETTE:
        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        assert max(r, g, b) - min(r, g, b) > 40, color  # a hue, not a grey


def test_the_biggest_roles_come_first_so_they_get_distinct_colours():
    frame = frame_of_rows(
        ("s1", None, 5, "Small"),
        ("s2", None, 50, "Big"),
        ("s3", None, 10, "Big"),
        ("s4", None, 20, "Middle"),
        ("s5", None, 500, None),
    )
    assert roles_by_weight(frame) == ["Big", "Middle", "Small"]


def trace_colors(fig):
    """The colour of each group, by its shown label: per mark of one trace, or per named trace."""
    found = {}
    for trace in fig.data:
        if trace.name is not None:
            found[trace.name] = trace.marker.color
        else:
            found.update(zip(trace.y, trace.marker.color, strict=True))
    return found


def test_a_role_keeps_its_colour_when_filters_change():
    whole = trace_colors(top_roles_chart(top_roles(FRAME), COLORS))
    part = Filters(locations=("Pune",)).apply(FRAME, now=NOW, tz="UTC")
    narrowed = trace_colors(top_roles_chart(top_roles(part), COLORS))
    assert narrowed.keys() < whole.keys()
    assert all(whole[name] == color for name, color in narrowed.items())
    assert narrowed["(not stated)"] == NOT_STATED_COLOR


def test_other_and_not_stated_have_their_own_neutrals_in_the_stacked_bars():
    frame = synthetic_sessions(2_000, roles=12)
    colors = role_colors(filter_options(frame).roles)
    series = timeseries(frame, tz="UTC", by_role=True, top_roles=3)
    fig = sessions_over_time(series, colors=colors, stacked=True)
    bars = {trace.name: trace.marker.color for trace in fig.data}
    assert bars[OTHER] == OTHER_COLOR
    assert bars[NOT_STATED] == NOT_STATED_COLOR
    assert len(bars) == 5
    assert len({bars[name] for name in bars if name not in (OTHER, NOT_STATED)}) == 3


def overview_and_breakdown(frame, colors, metric="profiles", partial=None):
    """The figures the Overview and the Breakdown draw for a view, as the pages build them."""
    series = timeseries(frame, freq="W", tz="UTC", by_role=True)
    named = named_colors(colors, named_roles(frame))
    by_role = breakdown(frame, "role")
    return {
        "stacked": sessions_over_time(
            series, metric=metric, stacked=True, colors=colors, partial=partial
        ),
        "cumulative": cumulative_chart(cumulative_from(series), metric=metric, partial=partial),
        "top roles": top_roles_chart(role_totals(series, by=metric), colors, metric=metric),
        "breakdown": breakdown_chart(by_role, by="role", metric=metric, colors=named),
        "scatter": sourcing_vs_profiles_chart(by_role, colors=named),
    }


@pytest.mark.parametrize("ranks", [range(0, 30), range(14, 30), range(20, 26)])
def test_every_named_role_has_its_own_colour_the_same_on_every_chart(ranks):
    """Views whose roles are past the palette's fixed colours (ranks 16-30) included."""
    project = synthetic_sessions(20_000, roles=30)
    colors = role_colors(roles_by_weight(project))
    chosen = tuple(roles_by_weight(project)[i] for i in ranks)
    view = Filters(roles=chosen).apply(project, now=NOW, tz="UTC")
    figs = overview_and_breakdown(view, colors)
    stacked = trace_colors(figs["stacked"])
    named = [name for name in stacked if name not in (OTHER, NOT_STATED)]
    assert 0 < len(named) <= NAMED_ROLES
    assert len({stacked[name] for name in named}) == len(named)  # none shared
    assert not {stacked[name] for name in named} & {OTHER_COLOR, NOT_STATED_COLOR}
    for chart in ("top roles", "breakdown"):
        shown = trace_colors(figs[chart])
        assert all(shown[name] == stacked[name] for name in named if name in shown), chart
        unnamed = set(shown) - set(stacked)
        assert all(shown[name] == OTHER_COLOR for name in unnamed), chart  # summed as Other


def test_top_roles_and_the_stacked_chart_name_the_same_roles():
    frame = synthetic_sessions(20_000, roles=30)
    figs = overview_and_breakdown(frame, role_colors(roles_by_weight(frame)))
    stacked = [trace.name for trace in figs["stacked"].data]
    top = list(figs["top roles"].data[0].y)
    assert set(top) == set(stacked)
    assert OTHER in top and NOT_STATED in top
    assert top[-2:] == [OTHER, NOT_STATED]


def test_over_time_is_stacked_bars_and_the_running_total_a_line():
    for freq in ("D", "W", "M"):
        series = timeseries(FRAME, freq=freq, tz="UTC", by_role=True)
        stacked = sessions_over_time(series, stacked=True, colors=COLORS)
        assert {trace.type for trace in stacked.data} == {"bar"}
        assert stacked.layout.barmode == "stack"
        total = sessions_over_time(series, stacked=False)
        assert [trace.type for trace in total.data] == ["bar"]
        assert list(total.data[0].y) == list(
            timeseries(FRAME, freq=freq, tz="UTC")["profiles"]
        )  # summed over roles
    cumulative = cumulative_chart(cumulative_from(timeseries(FRAME, freq="W", tz="UTC")))
    assert [(trace.type, trace.mode) for trace in cumulative.data] == [("scatter", "lines")]


def test_the_sessions_choice_applies_to_the_running_total_and_the_roles():
    frame = synthetic_sessions(5_000, roles=12)
    figs = overview_and_breakdown(frame, role_colors(roles_by_weight(frame)), metric="sessions")
    series = timeseries(frame, freq="W", tz="UTC")
    assert figs["cumulative"].data[0].y[-1] == series["sessions"].sum()
    assert "Sessions" in figs["cumulative"].layout.title.text
    totals = role_totals(timeseries(frame, freq="W", tz="UTC", by_role=True), by="sessions")
    assert list(figs["top roles"].data[0].x) == list(totals["sessions"])
    named = totals["sessions"][~totals["role"].isin([OTHER, NOT_STATED])]
    assert named.is_monotonic_decreasing
    assert figs["top roles"].layout.title.text == "Roles by sessions"


def test_the_period_not_over_yet_is_lighter_dashed_and_says_so_far():
    now = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)  # a Wednesday: its week is not over
    partial = incomplete_period("W", now=now, tz="UTC")
    figs = overview_and_breakdown(FRAME, COLORS, partial=partial)
    stacked = figs["stacked"]
    last = "2024-05-13"
    for trace in stacked.data:
        opacity = dict(zip(trace.x, trace.marker.opacity, strict=True))
        assert opacity[last] == PARTIAL_OPACITY
        assert all(value == 1.0 for day, value in opacity.items() if day != last)
    assert [note.text for note in stacked.layout.annotations] == ["so far"]
    assert stacked.layout.annotations[0].x == last
    solid, dashed = figs["cumulative"].data
    assert last not in solid.x and dashed.line.dash == "dash"
    assert list(dashed.x) == ["2024-05-06", last]  # from the last complete week
    assert [note.text for note in figs["cumulative"].layout.annotations] == ["so far"]
    # A week that is over is drawn plainly.
    over = overview_and_breakdown(
        FRAME,
        COLORS,
        partial=incomplete_period("W", now=dt.datetime(2024, 6, 30, tzinfo=dt.UTC), tz="UTC"),
    )
    assert not over["stacked"].layout.annotations
    assert len(over["cumulative"].data) == 1


def test_histogram_bars_say_round_ranges():
    frame = frame_of_rows(*((f"s{i}", None, n) for i, n in enumerate(range(0, 95))))
    fig = profiles_histogram_chart(profiles_histogram(frame))
    assert list(fig.data[0].x) == [f"{a}–{a + 4}" for a in range(0, 95, 5)]


def test_the_scatter_labels_its_bubbles_and_says_what_their_size_is():
    fig = sourcing_vs_profiles_chart(breakdown(FRAME, "role"), colors=COLORS)
    trace = fig.data[0]
    assert "text" in trace.mode
    assert "&lt;b&gt;x&lt;/b&gt;" in trace.text
    assert "number of sessions" in fig.layout.title.text
    one = sourcing_vs_profiles_chart(breakdown(FRAME.iloc[:1], "role"))
    assert one.layout.xaxis.rangemode == one.layout.yaxis.rangemode == "tozero"


# -- titles, axes, template ---------------------------------------------------


def test_titles_say_what_and_the_unit():
    charts = all_charts(FRAME)
    over_time = charts["by role over time"]
    assert over_time.layout.title.text == "Profiles sourced per day, by role"
    assert over_time.layout.xaxis.title.text == "Day starting (Asia/Kolkata)"
    assert charts["over time"].layout.title.text == "Sessions created per day"
    assert charts["breakdown location"].layout.title.text == (
        "Average profiles per session by location"
    )
    assert charts["histogram"].layout.xaxis.title.text == "Profiles sourced per session"


def test_time_axis_gets_local_calendar_days():
    series = timeseries(FRAME, freq="D", tz="Asia/Kolkata")
    fig = sessions_over_time(series, metric="sessions")
    assert fig.data[0].x[0] == "2024-04-02"  # e: midnight UTC on 2 April is 05:30 in Kolkata
    assert fig.layout.xaxis.type == "date"


def test_charts_take_the_hosts_default_template():
    before = pio.templates.default
    pio.templates.default = "simple_white"
    try:
        fig = top_roles_chart(top_roles(FRAME), COLORS)
    finally:
        pio.templates.default = before
    assert fig.layout.template == pio.templates["simple_white"]


def test_breakdown_chart_shows_the_largest_groups_and_says_so():
    frame = synthetic_sessions(3_000, roles=30)
    fig = breakdown_chart(breakdown(frame, "role"), by="role", limit=25)
    assert len(fig.data[0].y) == 25
    assert fig.layout.title.text == "Profiles sourced by role (top 25 of 31)"  # 30 + not stated


# -- payload size -------------------------------------------------------------


def test_chart_payloads_grow_with_buckets_not_with_sessions():
    small, large = (
        {name: len(fig.to_json()) for name, fig in all_charts(frame, freq="W").items()}
        for frame in (synthetic_sessions(20_000), synthetic_sessions(200_000))
    )
    for name, size in large.items():
        assert size < 250_000, name
        assert size < 1.25 * small[name], name


def test_a_daily_series_by_role_over_two_years_stays_under_250_kb():
    frame = synthetic_sessions(200_000, days=730)
    series = timeseries(frame, freq="D", tz="UTC", by_role=True)
    assert len(series) == 730 * 10  # a bucket a day, 8 roles + Other + not stated
    assert (
        len(sessions_over_time(series, colors=role_colors(filter_options(frame).roles)).to_json())
        < 250_000
    )


def test_every_chart_draws_no_sessions_without_error():
    for name, fig in all_charts(FRAME.iloc[:0]).items():
        assert all(len(trace.x if trace.x is not None else ()) == 0 for trace in fig.data), name
        assert fig.layout.title.text, name
