"""The baseline of ``bench_figures``: the pages' figures as plotly express built them.

This is ``fj/charts.py`` as it was before issue 17 (commit 607e650), kept
unchanged below this note so that every run of ``python -m benchmarks --only
figures`` measures the graph_objects build against it on the same machine,
in the same process. It is not used by the app.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from fj.filters import NOT_STATED
from fj.metrics import OTHER

#: Mid-luminance qualitative colours (Tableau 10 without its grey, then four of
#: plotly's Bold) that stay readable on white and on Streamlit's dark background.
PALETTE: tuple[str, ...] = (
    "#4C78A8",
    "#F58518",
    "#E45756",
    "#72B7B2",
    "#54A24B",
    "#EECA3B",
    "#B279A2",
    "#FF9DA6",
    "#9D755D",
    "#7F3C8D",
    "#11A579",
    "#008695",
    "#CF1C90",
)

#: Colour of the groups that are not one role: OTHER and NOT_STATED.
GREY = "#A0A0A0"

_PERIODS = {"D": "day", "W": "week", "M": "month"}

_METRICS = {  # metric: (what, unit on the axis, hover number format)
    "sessions": ("Sessions", "sessions", ",d"),
    "profiles": ("Profiles sourced", "profiles", ",d"),
    "avg_profiles": ("Average profiles per session", "profiles per session", ",.1f"),
    "median_profiles": ("Median profiles per session", "profiles per session", ",.1f"),
    "median_sourcing_minutes": ("Median sourcing time", "minutes", ",.1f"),
}

_GROUP_NOUNS = {"role": "role", "location": "location", "experience": "experience band"}

_MARGIN = {"l": 8, "r": 8, "t": 56, "b": 8}


def role_colors(roles: Sequence[str]) -> dict[str, str]:
    """Return a colour for each role, stable while filters change; OTHER and NOT_STATED grey.

    Pass every role of the project, not only the filtered ones, in a fixed
    order: colours follow that order, so a role keeps its colour whatever
    else is selected. Ordering the roles by their weight in the whole
    project (``roles_by_weight``) gives the biggest roles distinct colours;
    past the palette's length colours repeat.
    """
    named = list(dict.fromkeys(str(r) for r in roles if r not in (OTHER, NOT_STATED)))
    colors = {role: PALETTE[i % len(PALETTE)] for i, role in enumerate(named)}
    return {**colors, OTHER: GREY, NOT_STATED: GREY}


def roles_by_weight(frame: pd.DataFrame) -> list[str]:
    """Return the project's roles, most profiles first (ties by name), for ``role_colors``."""
    totals = frame.groupby("role", observed=True)["total_profiles"].sum()
    ranked = sorted(totals.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return [str(role) for role, _ in ranked]


def sessions_over_time(
    ts: pd.DataFrame,
    *,
    metric: str = "profiles",
    stacked: bool = False,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Return a line (or stacked area) chart of ``fj.metrics.timeseries``, one line per role if any.

    ``metric`` is "sessions" or "profiles". Lines carry no drill-down data
    (it would double the payload of a long daily series): drill down from
    the bars.
    """
    if metric not in ("sessions", "profiles"):
        raise ValueError(f"metric must be 'sessions' or 'profiles', not {metric!r}")
    period = _PERIODS[ts.attrs.get("freq", "W")]
    what = "Profiles sourced" if metric == "profiles" else "Sessions created"
    data = ts.assign(bucket=_local_dates(ts["bucket"]))
    draw = px.area if stacked else px.line
    by_role = "role" in ts.columns
    if by_role:
        order = _role_order(ts, metric)
        data["label"] = _escape(data["role"])
        fig = draw(
            data,
            x="bucket",
            y=metric,
            color="label",
            color_discrete_map=_escaped_keys(colors or role_colors(order)),
            category_orders={"label": _escape(order)},
        )
        name = "%{fullData.name}<br>"
    else:
        fig = draw(data, x="bucket", y=metric)
        name = ""
    fig.update_traces(
        hovertemplate=f"{name}{period.title()} of %{{x|%d %b %Y}}: %{{y:,d}} {metric}"
        "<extra></extra>"
    )
    title = f"{what} per {period}" + (", by role" if by_role else "")
    _finish(fig, title, f"{period.title()} starting{_in_tz(ts)}", f"{what} ({metric} per {period})")
    fig.update_layout(legend_title_text="Role")
    fig.update_xaxes(type="date")
    _whole_number_ticks(fig.update_yaxes, ts[metric])
    return fig


def cumulative_chart(cum: pd.DataFrame) -> go.Figure:
    """Return a line chart of ``fj.metrics.cumulative_from``: profiles sourced to date."""
    period = _PERIODS[cum.attrs.get("freq", "W")]
    data = cum.assign(bucket=_local_dates(cum["bucket"]))
    fig = px.line(data, x="bucket", y="cumulative_profiles")
    fig.update_traces(
        hovertemplate=f"Up to the {period} of %{{x|%d %b %Y}}: %{{y:,d}} profiles<extra></extra>"
    )
    _finish(
        fig,
        f"Profiles sourced, running total by {period} of session creation",
        f"{period.title()} starting{_in_tz(cum)}",
        "Profiles (running total)",
    )
    fig.update_xaxes(type="date")
    return fig


def top_roles_chart(top: pd.DataFrame, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Return horizontal bars of ``fj.metrics.top_roles``, the most profiles at the top.

    Clicking a bar gives its raw role through ``selected_groups``.
    """
    bars = top.rename(columns={"role": "group"})
    fig = _bars(bars, "profiles", colors or role_colors(bars["group"]))
    _finish(fig, "Top roles by profiles sourced", "Profiles sourced (profiles)", None)
    return fig


def breakdown_chart(
    bd: pd.DataFrame,
    *,
    by: str,
    metric: str = "profiles",
    colors: Mapping[str, str] | None = None,
    limit: int = 25,
) -> go.Figure:
    """Return horizontal bars of one metric of ``fj.metrics.breakdown``, largest at the top.

    Shows the ``limit`` largest groups (the title says when some are left
    out); groups without a value for ``metric`` are left out. Pass
    ``colors`` (``role_colors``) for roles; other groups share one colour.
    Clicking a bar gives its raw group through ``selected_groups``.
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {tuple(_METRICS)}, not {metric!r}")
    what, unit, number = _METRICS[metric]
    shown = bd.dropna(subset=[metric]).sort_values(metric, ascending=False, kind="stable")
    left_out = len(shown) > limit
    fig = _bars(shown.head(limit), metric, colors, number=number, unit=unit)
    noun = _GROUP_NOUNS.get(by, by)
    title = f"{what} by {noun}" + (f" (top {limit} of {len(shown)})" if left_out else "")
    _finish(fig, title, f"{what} ({unit})", None)
    return fig


def profiles_histogram_chart(hist: pd.DataFrame) -> go.Figure:
    """Return bars of ``fj.metrics.profiles_histogram``: sessions per range of profiles sourced.

    Clicking a bar gives its profile range through ``selected_profile_range``.
    """
    last = hist["bin_end"] - 1
    labels = [
        str(a) if a == b else f"{a}–{b}" for a, b in zip(hist["bin_start"], last, strict=True)
    ]
    data = hist.assign(label=labels, last=last)
    fig = px.bar(data, x="label", y="sessions", custom_data=["bin_start", "last"])
    fig.update_traces(hovertemplate="%{x} profiles: %{y:,d} sessions<extra></extra>")
    _finish(
        fig,
        "Sessions by number of profiles sourced",
        "Profiles sourced per session",
        "Sessions (count)",
    )
    fig.update_xaxes(type="category")
    fig.update_layout(bargap=0.05)
    _whole_number_ticks(fig.update_yaxes, hist["sessions"])
    return fig


def sourcing_vs_profiles_chart(
    bd: pd.DataFrame, *, by: str = "role", colors: Mapping[str, str] | None = None
) -> go.Figure:
    """Return one point per group of ``fj.metrics.breakdown``: sourcing time vs profiles.

    Point size is the number of sessions. Groups missing either value are
    left out. Clicking a point gives its raw group through ``selected_groups``.
    """
    data = bd.dropna(subset=["median_sourcing_minutes", "avg_profiles"])
    data = data.assign(label=_escape(data["group"]))
    color = {}
    if colors is not None:
        color = {"color": "label", "color_discrete_map": _escaped_keys(colors, data["group"])}
    fig = px.scatter(
        data,
        x="median_sourcing_minutes",
        y="avg_profiles",
        size="sessions",
        hover_name="label",
        custom_data=["group", "sessions"],
        **color,
    )
    fig.update_traces(
        hovertemplate="%{hovertext}<br>Median sourcing time: %{x:,.1f} minutes"
        "<br>Average profiles: %{y:,.1f}<br>Sessions: %{customdata[1]:,d}<extra></extra>"
    )
    noun = _GROUP_NOUNS.get(by, by)
    _finish(
        fig,
        f"Median sourcing time vs average profiles, per {noun}",
        "Median sourcing time (minutes)",
        "Average profiles per session",
    )
    fig.update_layout(showlegend=False)
    return fig


def selected_groups(points: Iterable[Mapping[str, Any]]) -> list[str]:
    """Return the raw group names (roles, locations, bands) of the clicked points, in order."""
    found = [p["customdata"][0] for p in points if p.get("customdata")]
    return list(dict.fromkeys(str(g) for g in found))


def selected_profile_range(points: Iterable[Mapping[str, Any]]) -> tuple[int, int] | None:
    """Return the (min, max) profile counts covered by the clicked histogram bars, inclusive."""
    ranges = [p["customdata"] for p in points if p.get("customdata")]
    if not ranges:
        return None
    return int(min(r[0] for r in ranges)), int(max(r[1] for r in ranges))


def _bars(
    groups: pd.DataFrame,
    metric: str,
    colors: Mapping[str, str] | None,
    *,
    number: str = ",d",
    unit: str = "profiles",
) -> go.Figure:
    """Horizontal bars of ``metric`` per ``group``, first row on top, raw group in customdata."""
    data = groups.assign(label=_escape(groups["group"]))
    color = {}
    if colors is not None:
        color = {"color": "label", "color_discrete_map": _escaped_keys(colors, groups["group"])}
    fig = px.bar(
        data,
        x=metric,
        y="label",
        orientation="h",
        custom_data=["group", "sessions"],
        category_orders={"label": list(data["label"])},
        **color,
    )
    fig.update_traces(
        hovertemplate=f"%{{y}}<br>%{{x:{number}}} {unit}"
        "<br>Sessions: %{customdata[1]:,d}<extra></extra>"
    )
    fig.update_yaxes(type="category", title=None)
    # One readable row per bar: plotly hides every other label when rows are crowded.
    fig.update_layout(showlegend=False, height=max(320, 22 * len(groups) + 130))
    if number == ",d":
        _whole_number_ticks(fig.update_xaxes, groups[metric])
    return fig


def _finish(fig: go.Figure, title: str, x_title: str | None, y_title: str | None) -> None:
    fig.update_layout(title_text=title, margin=_MARGIN)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)


def _whole_number_ticks(update_axis: Any, values: pd.Series) -> None:
    """Ticks 0, 1, 2... on a count axis whose values are small (plotly would put 0.5 ticks)."""
    if len(values) and values.max() <= 10:
        update_axis(dtick=1, rangemode="tozero")


def _escape(values: Iterable[Any]) -> list[str]:
    """Values as text plotly shows literally: ``&``, ``<``, ``>`` escaped."""
    return [html.escape(str(v), quote=False) for v in values]


def _escaped_keys(colors: Mapping[str, str], groups: Iterable[str] = ()) -> dict[str, str]:
    """A colour map keyed by escaped labels; groups it lacks get GREY."""
    mapped = {html.escape(str(k), quote=False): v for k, v in colors.items()}
    for label in _escape(groups):
        mapped.setdefault(label, GREY)
    return mapped


def _role_order(ts: pd.DataFrame, metric: str) -> list[str]:
    """Roles by total ``metric``, largest first, with OTHER and NOT_STATED last."""
    totals = ts.groupby("role", sort=False)[metric].sum().sort_values(ascending=False)
    named = [r for r in totals.index if r not in (OTHER, NOT_STATED)]
    return named + [r for r in (OTHER, NOT_STATED) if r in totals.index]


def _local_dates(buckets: pd.Series) -> pd.Series:
    """Bucket starts as local dates: plotly.js has no timezones, so it gets wall-clock days."""
    return buckets.dt.strftime("%Y-%m-%d")


def _in_tz(frame: pd.DataFrame) -> str:
    tz = frame.attrs.get("tz")
    return f" ({tz})" if tz else ""


# -- the candidates' figures, as fj/candidates.py built them with plotly express until the
# -- candidates were split (issue 16): the baseline of the Session and Candidates pages.

_STRONG_SCORE = 4.0


def score_chart(distribution: pd.DataFrame) -> go.Figure:
    """Return bars of :func:`score_distribution`: candidates per score range."""
    fig = px.bar(distribution, x="label", y="candidates")
    fig.update_traces(hovertemplate="Score %{x}: %{y:,d} candidates<extra></extra>")
    fig.update_layout(showlegend=False)
    _finish(fig, "Candidates by score", "Score (0–5)", "Candidates")
    fig.update_xaxes(type="category")
    fig.update_layout(bargap=0.05)
    _whole_number_ticks(fig.update_yaxes, distribution["candidates"])
    return fig


def counts_chart(
    counts: pd.DataFrame, *, label: str, value: str = "candidates", title: str, x_title: str
) -> go.Figure:
    """Return horizontal bars of a counts frame (largest on top), labels HTML-escaped."""
    data = counts.assign(shown=[html.escape(str(v), quote=False) for v in counts[label]])
    fig = px.bar(
        data,
        x=value,
        y="shown",
        orientation="h",
        category_orders={"shown": list(data["shown"])},
    )
    fig.update_traces(hovertemplate="%{y}: %{x:,d} candidates<extra></extra>")
    fig.update_layout(showlegend=False)
    _finish(fig, title, x_title, None)
    fig.update_yaxes(type="category")
    _whole_number_ticks(fig.update_xaxes, counts[value])
    return fig


def experience_chart(bands: pd.DataFrame) -> go.Figure:
    """Return bars of :func:`experience_bands`: candidates per band of years of experience."""
    data = bands.assign(shown=[html.escape(str(v), quote=False) for v in bands["band"]])
    fig = px.bar(data, x="shown", y="candidates")
    fig.update_traces(hovertemplate="%{x}: %{y:,d} candidates<extra></extra>")
    fig.update_layout(showlegend=False)
    _finish(fig, "Candidates by years of experience", "Years of experience", "Candidates")
    fig.update_xaxes(type="category")
    _whole_number_ticks(fig.update_yaxes, bands["candidates"])
    return fig


def role_scores_chart(by_role: pd.DataFrame, limit: int = 15) -> go.Figure:
    """Return horizontal bars of :func:`best_by_role`: strong candidates per role."""
    shown = by_role.head(limit)
    data = shown.assign(shown=[html.escape(str(v), quote=False) for v in shown["role"]])
    fig = px.bar(
        data,
        x="strong",
        y="shown",
        orientation="h",
        custom_data=["candidates", "mean_score"],
        category_orders={"shown": list(data["shown"])},
    )
    fig.update_traces(
        hovertemplate="%{y}<br>Strong matches: %{x:,d}<br>Candidates: %{customdata[0]:,d}"
        "<br>Mean score: %{customdata[1]:.2f}<extra></extra>"
    )
    left_out = len(by_role) > limit
    title = f"Strong matches (score ≥ {_STRONG_SCORE:g}) by role" + (
        f" (top {limit} of {len(by_role)})" if left_out else ""
    )
    fig.update_layout(showlegend=False)
    _finish(fig, title, "Candidates scoring at least 4", None)
    fig.update_yaxes(type="category")
    _whole_number_ticks(fig.update_xaxes, shown["strong"])
    return fig
