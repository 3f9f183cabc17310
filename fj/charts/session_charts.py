"""The sessions' figures: the Overview's and the Breakdown's, from the small frames of
``fj.metrics``.

Figures are drawn from aggregates, never from sessions: each figure's size
grows with its buckets or groups, not with the sessions.

Drill-down: every clickable mark carries the raw value in ``customdata``.
With ``event = st.plotly_chart(fig, on_select="rerun")``:

- bars and points of ``top_roles_chart``, ``breakdown_chart`` and
  ``sourcing_vs_profiles_chart``:
  ``selected_groups(event.selection.points)`` gives the raw role (or
  location, band) names, ``NOT_STATED`` included, ready for
  ``Filters(roles=...)``;
- bars of ``profiles_histogram_chart``:
  ``selected_profile_range(event.selection.points)`` gives
  ``(profiles_min, profiles_max)``, inclusive, ready for ``Filters``.

Never map a click through the displayed text (``x``/``y``): it is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fj.charts.build import PERIODS, count_axis, escape, escape_one, figure, local_dates
from fj.charts.colors import (
    OTHER_COLOR,
    PALETTE,
    colors_of,
    named_colors,
    role_colors,
)
from fj.filters import FACETS, NOT_STATED
from fj.metrics import OTHER

#: How much lighter the bar of a period that is not over yet is drawn.
PARTIAL_OPACITY = 0.45

_METRICS = {  # metric: (what, unit on the axis, hover number format)
    "sessions": ("Sessions", "sessions", ",d"),
    "profiles": ("Profiles sourced", "profiles", ",d"),
    "avg_profiles": ("Average profiles per session", "profiles per session", ",.1f"),
    "median_profiles": ("Median profiles per session", "profiles per session", ",.1f"),
    "median_sourcing_minutes": ("Median sourcing time", "minutes", ",.1f"),
}

_GROUP_NOUNS = {facet.column: facet.noun for facet in FACETS}

#: Legends sit under the plot, in rows: beside it, on a 390 px phone, a legend
#: took more than half the chart's width.
_LEGEND_BELOW = {
    "title": {"text": "Role"},
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "tracegroupgap": 0,
}

#: How many of the scatter's bubbles (the most sessions) are named beside them.
_SCATTER_LABELS = 8

#: Characters of a group's name on a bar chart's axis (the hover has it all): longer
#: names would squeeze the bars on a phone.
_TICK_CHARS = 16


def sessions_over_time(
    ts: pd.DataFrame,
    *,
    metric: str = "profiles",
    stacked: bool = False,
    colors: Mapping[str, str] | None = None,
    partial: pd.Timestamp | None = None,
) -> go.Figure:
    """Return bars of ``fj.metrics.timeseries`` per period, stacked by role when ``stacked``.

    ``metric`` is "sessions" or "profiles". A by-role series drawn unstacked
    is summed per period. ``partial`` (``fj.periods.incomplete_period``) is
    the period that is not over yet: its bars are lighter and say "so far".
    Bars carry no drill-down data (it would double the payload of a long
    daily series): drill down from the Top roles and Breakdown bars.
    """
    if metric not in ("sessions", "profiles"):
        raise ValueError(f"metric must be 'sessions' or 'profiles', not {metric!r}")
    period = PERIODS[ts.attrs.get("freq", "W")]
    what = "Profiles sourced" if metric == "profiles" else "Sessions created"
    by_role = stacked and "role" in ts.columns
    noun = ts.attrs.get("group", "role")  # the series' groups: roles, or projects
    if "role" in ts.columns and not by_role:
        attrs = dict(ts.attrs)
        ts = ts.groupby("bucket", sort=True)[[metric]].sum().reset_index()
        ts.attrs.update(attrs)
    dates = local_dates(ts["bucket"])
    values = ts[metric].to_numpy()
    so_far = _so_far(ts["bucket"], partial)
    words = np.where(so_far, " (so far)", "")
    opacity = np.where(so_far, PARTIAL_OPACITY, 1.0)
    hover = f"{period.title()} of %{{x|%d %b %Y}}: %{{y:,d}} {metric}"
    hover += "%{customdata}<extra></extra>" if so_far.any() else "<extra></extra>"

    def bars(rows: Any, color: str | None = None) -> dict[str, Any]:
        trace: dict[str, Any] = {"type": "bar", "x": dates[rows], "y": values[rows]}
        trace["marker"] = {} if color is None else {"color": color}
        if so_far.any():
            trace["marker"]["opacity"] = opacity[rows]
            trace["customdata"] = words[rows]
        return trace

    if by_role:
        order = _role_order(ts, metric)
        colors = named_colors(colors or role_colors(order), order)
        roles = ts["role"].astype(str).to_numpy()
        traces = []
        for role in order:
            label = escape_one(role)
            traces.append(
                {
                    **bars(roles == role, colors.get(role, OTHER_COLOR)),
                    "name": label,
                    "legendgroup": label,
                    "hovertemplate": "%{fullData.name}<br>" + hover,
                }
            )
    else:
        traces = [{**bars(slice(None)), "showlegend": False, "hovertemplate": hover}]
    return figure(
        traces,
        f"{what} per {period}" + (f", by {noun}" if by_role else ""),
        {"type": "date", "title": {"text": f"{period.title()} starting{_in_tz(ts)}"}},
        count_axis(values, f"{what} ({metric} per {period})"),
        barmode="stack",
        bargap=0.1,
        legend={**_LEGEND_BELOW, "title": {"text": noun.title()}},
        annotations=_so_far_note(dates, so_far, ts, metric),
    )


def cumulative_chart(
    cum: pd.DataFrame, *, metric: str = "profiles", partial: pd.Timestamp | None = None
) -> go.Figure:
    """Return a line of ``fj.metrics.cumulative_from``: profiles (or sessions) to date.

    With ``partial`` (the period not over yet), the last step, into that
    period, is dashed and says "so far".
    """
    if metric not in ("sessions", "profiles"):
        raise ValueError(f"metric must be 'sessions' or 'profiles', not {metric!r}")
    period = PERIODS[cum.attrs.get("freq", "W")]
    dates = local_dates(cum["bucket"])
    values = cum[f"cumulative_{metric}"].to_numpy()
    so_far = _so_far(cum["bucket"], partial)
    hover = f"Up to the {period} of %{{x|%d %b %Y}}: %{{y:,d}} {metric}"
    line = {"type": "scatter", "mode": "lines", "showlegend": False, "line": {"color": PALETTE[0]}}
    done = ~so_far
    traces = [
        {**line, "x": dates[done], "y": values[done], "hovertemplate": hover + "<extra></extra>"}
    ]
    if so_far.any():
        # The dashed step joins the last complete period to the one not over yet.
        tail = np.flatnonzero(so_far)
        tail = np.concatenate([tail[:1] - 1, tail]) if tail[0] > 0 else tail
        traces.append(
            {
                **line,
                "x": dates[tail],
                "y": values[tail],
                "line": {"color": PALETTE[0], "dash": "dash"},
                "hovertemplate": hover + " (so far)<extra></extra>",
            }
        )
    what = "Profiles sourced" if metric == "profiles" else "Sessions created"
    return figure(
        traces,
        f"{what}, running total by {period} of session creation",
        {"type": "date", "title": {"text": f"{period.title()} starting{_in_tz(cum)}"}},
        {"title": {"text": f"{what.split()[0]} (running total)"}, "rangemode": "tozero"},
        showlegend=False,
        annotations=_so_far_note(dates, so_far, cum, f"cumulative_{metric}"),
    )


def top_roles_chart(
    top: pd.DataFrame, colors: Mapping[str, str] | None = None, *, metric: str = "profiles"
) -> go.Figure:
    """Return horizontal bars of ``fj.metrics.role_totals`` (or ``top_roles``), in its order.

    With ``role_totals`` these are the roles the stacked chart names, then
    OTHER and NOT_STATED. Clicking a bar gives its raw role through
    ``selected_groups``.
    """
    what, unit, _ = _METRICS[metric]
    bars = top.rename(columns={"role": "group"})
    return _bars(
        bars,
        metric,
        named_colors(colors or role_colors(bars["group"]), bars["group"]),
        title=f"Roles by {what.lower()}",
        x_title=f"{what} ({unit})",
        unit=unit,
    )


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
    noun = _GROUP_NOUNS.get(by, by)
    return _bars(
        shown.head(limit),
        metric,
        colors,
        title=f"{what} by {noun}" + (f" (top {limit} of {len(shown)})" if left_out else ""),
        x_title=f"{what} ({unit})",
        number=number,
        unit=unit,
    )


def profiles_histogram_chart(hist: pd.DataFrame) -> go.Figure:
    """Return bars of ``fj.metrics.profiles_histogram``: sessions per range of profiles sourced.

    Clicking a bar gives its profile range through ``selected_profile_range``.
    """
    start = hist["bin_start"].to_numpy()
    last = hist["bin_end"].to_numpy() - 1
    sessions = hist["sessions"].to_numpy()
    trace = {
        "type": "bar",
        "x": [str(a) if a == b else f"{a}–{b}" for a, b in zip(start, last, strict=True)],
        "y": sessions,
        "customdata": np.column_stack([start, last]),
        "hovertemplate": "%{x} profiles: %{y:,d} sessions<extra></extra>",
    }
    return figure(
        [trace],
        "Sessions by number of profiles sourced",
        {"type": "category", "title": {"text": "Profiles sourced per session"}},
        count_axis(sessions, "Sessions (count)"),
        bargap=0.05,
    )


def sourcing_vs_profiles_chart(
    bd: pd.DataFrame, *, by: str = "role", colors: Mapping[str, str] | None = None
) -> go.Figure:
    """Return one point per group of ``fj.metrics.breakdown``: sourcing time vs profiles.

    Point size is the number of sessions. Groups missing either value are
    left out. Clicking a point gives its raw group through ``selected_groups``.
    """
    data = bd.dropna(subset=["median_sourcing_minutes", "avg_profiles"])
    groups = data["group"].astype(str).tolist()
    sessions = data["sessions"].to_numpy()
    # Names beside the largest bubbles only: 25 names on one scatter cover each other.
    labelled = set(data.nlargest(_SCATTER_LABELS, "sessions")["group"].astype(str))
    marker: dict[str, Any] = {
        "size": sessions,
        # Bubble areas in proportion to sessions, the largest 20 px across.
        "sizemode": "area",
        "sizeref": max(float(sessions.max()) if len(sessions) else 1.0, 1.0) / 20**2,
    }
    if colors is not None:
        marker["color"] = colors_of(groups, colors)
    trace = {
        "type": "scatter",
        "mode": "markers+text",
        "x": data["median_sourcing_minutes"].to_numpy(),
        "y": data["avg_profiles"].to_numpy(),
        "hovertext": escape(groups),
        "text": escape(_short(g if g in labelled else "" for g in groups)),
        "textposition": "top center",
        "customdata": _custom(groups, sessions),
        "marker": marker,
        "showlegend": False,
        "hovertemplate": "%{hovertext}<br>Median sourcing time: %{x:,.1f} minutes"
        "<br>Average profiles: %{y:,.1f}<br>Sessions: %{customdata[1]:,d}<extra></extra>",
    }
    noun = _GROUP_NOUNS.get(by, by)
    return figure(
        [trace],
        f"Median sourcing time vs average profiles, per {noun}"
        "<br><sup>Each bubble is one group; its area is the group's number of sessions</sup>",
        # From zero: one group (after a drill-down) is not drawn on a 70.5-72 axis.
        {"title": {"text": "Median sourcing time (minutes)"}, "rangemode": "tozero"},
        {"title": {"text": "Average profiles per session"}, "rangemode": "tozero"},
        showlegend=False,
    )


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
    title: str,
    x_title: str,
    number: str = ",d",
    unit: str = "profiles",
) -> go.Figure:
    """Horizontal bars of ``metric`` per ``group``, first row on top, raw group in customdata."""
    names = groups["group"].astype(str).tolist()
    labels = escape(names)
    short = escape(_short(names, _TICK_CHARS))
    values = groups[metric].to_numpy()
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "customdata": _custom(names, groups["sessions"].to_numpy()),
        "hovertemplate": f"%{{y}}<br>%{{x:{number}}} {unit}"
        "<br>Sessions: %{customdata[1]:,d}<extra></extra>",
    }
    if colors is not None:
        trace["marker"] = {"color": colors_of(names, colors)}
    x_axis = {"title": {"text": x_title}}
    if number == ",d":
        x_axis = count_axis(values, x_title)
    return figure(
        [trace],
        title,
        x_axis,
        # A category axis lists its categories bottom-up: reversed, the first row is on top.
        {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels[::-1],
            **({"tickvals": labels, "ticktext": short} if short != labels else {}),
        },
        showlegend=False,
        # One readable row per bar: plotly hides every other label when rows are crowded.
        height=max(320, 22 * len(groups) + 130),
    )


def _so_far(buckets: pd.Series, partial: pd.Timestamp | None) -> np.ndarray:
    """Which buckets are the period not over yet (``partial``; a later one too)."""
    if partial is None or buckets.empty:
        return np.zeros(len(buckets), dtype=bool)
    return (buckets >= partial).to_numpy()


def _so_far_note(
    dates: np.ndarray, so_far: np.ndarray, frame: pd.DataFrame, column: str
) -> list[dict[str, Any]]:
    """The words "so far" above the period not over yet, if it is drawn."""
    if not so_far.any():
        return []
    first = int(np.flatnonzero(so_far)[0])
    top = frame.loc[frame["bucket"] == frame["bucket"].iloc[first], column].sum()
    return [
        {
            "x": dates[first],
            "y": top,
            "text": "so far",
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 11},
        }
    ]


def _short(groups: Iterable[str], width: int = 18) -> list[str]:
    """Point labels short enough to sit beside a bubble; the hover has the whole name."""
    return [g if len(g) <= width else g[: width - 1] + "…" for g in groups]


def _custom(groups: Sequence[str], sessions: np.ndarray) -> list[list[Any]]:
    """Drill-down data per mark: the raw group and its session count."""
    return [[group, int(n)] for group, n in zip(groups, sessions, strict=True)]


def _role_order(ts: pd.DataFrame, metric: str) -> list[str]:
    """Roles by total ``metric``, largest first, with OTHER and NOT_STATED last."""
    totals = ts.groupby("role", sort=False)[metric].sum().sort_values(ascending=False)
    named = [r for r in totals.index if r not in (OTHER, NOT_STATED)]
    return named + [r for r in (OTHER, NOT_STATED) if r in totals.index]


def _in_tz(frame: pd.DataFrame) -> str:
    tz = frame.attrs.get("tz")
    return f" ({tz})" if tz else ""
