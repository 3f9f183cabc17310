"""Charts: literal labels, stable role colours, bounded payloads, clicks that map back to groups."""

import datetime as dt

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from frames import sessions_frame, synthetic_sessions

from fj.charts import (
    GREY,
    PALETTE,
    breakdown_chart,
    cumulative_chart,
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
    OTHER,
    breakdown,
    cumulative_profiles,
    profiles_histogram,
    suggest_freq,
    timeseries,
    top_roles,
)

NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)
BOLD = "<b>x</b>"
SCRIPT = "<script>alert(1)</script>"
AMP = "Tom & Jerry"

FRAME = sessions_frame(
    ("a", "2024-05-14T09:00:00Z", 30, BOLD, "Pune", "1-5 yrs", None, 20),
    ("b", "2024-05-03T10:00:00Z", 10, SCRIPT, "<a href='x'>l</a>", "1-5 yrs", None, 5),
    ("c", "2024-04-10T10:00:00Z", 15, AMP, "Pune", "3+ yrs", None, 40),
    ("d", "2024-04-08T23:00:00Z", 20, "2024", "A & B", "4-8 yrs", None, 30),
    ("e", "2024-04-02T00:00:00Z", 0, None, "Pune", "1-5 yrs", None, 10),
    ("f", "2024-04-03T00:00:00Z", 4, "Data Engineer", "Pune", "1-5 yrs", None, 10),
)
COLORS = role_colors(filter_options(FRAME).roles)


def all_charts(frame, colors=COLORS, tz="Asia/Kolkata"):
    freq = suggest_freq(frame)
    by_role = breakdown(frame, "role")
    return {
        "by role over time": sessions_over_time(
            timeseries(frame, freq=freq, tz=tz, by_role=True), stacked=True, colors=colors
        ),
        "over time": sessions_over_time(timeseries(frame, freq=freq, tz=tz), metric="sessions"),
        "cumulative": cumulative_chart(cumulative_profiles(frame, freq=freq, tz=tz)),
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
        OTHER: GREY,
        NOT_STATED: GREY,
    }
    many = role_colors([f"r{i:02d}" for i in range(len(PALETTE))])
    assert len(set(many.values()) - {GREY}) == len(PALETTE)


def test_the_biggest_roles_come_first_so_they_get_distinct_colours():
    frame = sessions_frame(
        ("s1", None, 5, "Small"),
        ("s2", None, 50, "Big"),
        ("s3", None, 10, "Big"),
        ("s4", None, 20, "Middle"),
        ("s5", None, 500, None),
    )
    assert roles_by_weight(frame) == ["Big", "Middle", "Small"]


def trace_colors(fig):
    """The colour of each bar (one trace of bars) or of each trace, by its shown label."""
    found = {}
    for trace in fig.data:
        if trace.type == "bar":
            found.update(zip(trace.y, trace.marker.color, strict=True))
        else:
            found[trace.name] = trace.line.color
    return found


def test_a_role_keeps_its_colour_when_filters_change():
    whole = trace_colors(top_roles_chart(top_roles(FRAME), COLORS))
    part = Filters(locations=("Pune",)).apply(FRAME, now=NOW, tz="UTC")
    narrowed = trace_colors(top_roles_chart(top_roles(part), COLORS))
    assert narrowed.keys() < whole.keys()
    assert all(whole[name] == color for name, color in narrowed.items())
    assert narrowed["(not stated)"] == GREY


def test_other_and_not_stated_lines_are_grey():
    frame = synthetic_sessions(2_000, roles=12)
    colors = role_colors(filter_options(frame).roles)
    series = timeseries(frame, tz="UTC", by_role=True, top_roles=3)
    fig = sessions_over_time(series, colors=colors)
    lines = {trace.name: trace.line.color for trace in fig.data}
    assert lines[OTHER] == lines[NOT_STATED] == GREY
    assert len(lines) == 5
    assert len({lines[name] for name in lines if name not in (OTHER, NOT_STATED)}) == 3


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
    small = {
        name: len(fig.to_json()) for name, fig in all_charts(synthetic_sessions(20_000)).items()
    }
    large = {
        name: len(fig.to_json()) for name, fig in all_charts(synthetic_sessions(200_000)).items()
    }
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
