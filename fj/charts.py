"""Plotly figures, built with ``graph_objects``, from the small frames of ``fj.metrics``.

Figures are drawn from aggregates, never from sessions.

Each figure's size grows with its buckets or groups, not with the sessions.
No template is set: the host applies its own (Streamlit's theme follows the
viewer's light or dark mode). Text from the API is HTML-escaped wherever
plotly would render it (ticks, legend, hover), because plotly reads a subset
of HTML in labels.

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

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fj.filters import FACETS, NOT_STATED
from fj.metrics import OTHER

#: Mid-luminance qualitative colours, no two alike and none grey, that stay
#: readable on white and on Streamlit's dark background: Tableau 10 without its
#: grey, then six of plotly's Bold and Vivid. A view names at most
#: ``fj.metrics.NAMED_ROLES`` roles, fewer than these, so no two roles shown
#: together ever share a colour.
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
    "#3969AC",
    "#CF1C90",
    "#80BA5A",
    "#E68310",
)

#: The two groups that are not one role, each its own neutral: OTHER (the
#: roles not named, summed) a light grey, NOT_STATED (no role in the JD) a dark one.
OTHER_COLOR = "#B4B4B4"
NOT_STATED_COLOR = "#6E6E6E"
GREY = OTHER_COLOR  # groups without a colour of their own

#: How much lighter the bar of a period that is not over yet is drawn.
PARTIAL_OPACITY = 0.45

_PERIODS = {"D": "day", "W": "week", "M": "month"}

_METRICS = {  # metric: (what, unit on the axis, hover number format)
    "sessions": ("Sessions", "sessions", ",d"),
    "profiles": ("Profiles sourced", "profiles", ",d"),
    "avg_profiles": ("Average profiles per session", "profiles per session", ",.1f"),
    "median_profiles": ("Median profiles per session", "profiles per session", ",.1f"),
    "median_sourcing_minutes": ("Median sourcing time", "minutes", ",.1f"),
}

_GROUP_NOUNS = {facet.column: facet.noun for facet in FACETS}

_MARGIN = {"l": 8, "r": 8, "t": 56, "b": 8}

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


def role_colors(roles: Sequence[str]) -> dict[str, str]:
    """Return a colour for each role, stable while filters change, and for OTHER and NOT_STATED.

    Pass every role of the project in a fixed order (``roles_by_weight``):
    the first ``len(PALETTE)`` roles keep their colour whatever else is
    selected; ``named_colors`` gives the others one when they are shown.
    OTHER and NOT_STATED get their own neutrals.
    """
    named = list(dict.fromkeys(str(r) for r in roles if r not in (OTHER, NOT_STATED)))
    return {
        **dict(zip(named, PALETTE, strict=False)),
        OTHER: OTHER_COLOR,
        NOT_STATED: NOT_STATED_COLOR,
    }


def named_colors(colors: Mapping[str, str], named: Iterable[str]) -> dict[str, str]:
    """Return the colours of the roles a view names, none shared, and of OTHER and NOT_STATED.

    ``colors`` is ``role_colors`` of the project. A named role past the
    palette's fixed colours takes one no other named role has (in name
    order, so every chart of the view picks the same). Roles not named are
    left out: charts draw them in OTHER's colour, as the Overview sums them.
    """
    roles = [str(r) for r in dict.fromkeys(named) if r not in (OTHER, NOT_STATED)]
    shown = {r: colors[r] for r in roles if r in colors}
    free = iter(c for c in PALETTE if c not in shown.values())
    for role in sorted(r for r in roles if r not in shown):
        shown[role] = next(free, OTHER_COLOR)
    return {**shown, OTHER: OTHER_COLOR, NOT_STATED: NOT_STATED_COLOR}


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
    partial: pd.Timestamp | None = None,
) -> go.Figure:
    """Return bars of ``fj.metrics.timeseries`` per period, stacked by role when ``stacked``.

    ``metric`` is "sessions" or "profiles". A by-role series drawn unstacked
    is summed per period. ``partial`` (``fj.metrics.incomplete_period``) is
    the period that is not over yet: its bars are lighter and say "so far".
    Bars carry no drill-down data (it would double the payload of a long
    daily series): drill down from the Top roles and Breakdown bars.
    """
    if metric not in ("sessions", "profiles"):
        raise ValueError(f"metric must be 'sessions' or 'profiles', not {metric!r}")
    period = _PERIODS[ts.attrs.get("freq", "W")]
    what = "Profiles sourced" if metric == "profiles" else "Sessions created"
    by_role = stacked and "role" in ts.columns
    noun = ts.attrs.get("group", "role")  # the series' groups: roles, or projects
    if "role" in ts.columns and not by_role:
        attrs = dict(ts.attrs)
        ts = ts.groupby("bucket", sort=True)[[metric]].sum().reset_index()
        ts.attrs.update(attrs)
    dates = _local_dates(ts["bucket"])
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
            label = _escape_one(role)
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
    return _figure(
        traces,
        f"{what} per {period}" + (f", by {noun}" if by_role else ""),
        {"type": "date", "title": {"text": f"{period.title()} starting{_in_tz(ts)}"}},
        _count_axis(values, f"{what} ({metric} per {period})"),
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
    period = _PERIODS[cum.attrs.get("freq", "W")]
    dates = _local_dates(cum["bucket"])
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
    return _figure(
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
    return _figure(
        [trace],
        "Sessions by number of profiles sourced",
        {"type": "category", "title": {"text": "Profiles sourced per session"}},
        _count_axis(sessions, "Sessions (count)"),
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
        marker["color"] = _colors_of(groups, colors)
    trace = {
        "type": "scatter",
        "mode": "markers+text",
        "x": data["median_sourcing_minutes"].to_numpy(),
        "y": data["avg_profiles"].to_numpy(),
        "hovertext": _escape(groups),
        "text": _escape(_short(g if g in labelled else "" for g in groups)),
        "textposition": "top center",
        "customdata": _custom(groups, sessions),
        "marker": marker,
        "showlegend": False,
        "hovertemplate": "%{hovertext}<br>Median sourcing time: %{x:,.1f} minutes"
        "<br>Average profiles: %{y:,.1f}<br>Sessions: %{customdata[1]:,d}<extra></extra>",
    }
    noun = _GROUP_NOUNS.get(by, by)
    return _figure(
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
    labels = _escape(names)
    short = _escape(_short(names, _TICK_CHARS))
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
        trace["marker"] = {"color": _colors_of(names, colors)}
    x_axis = {"title": {"text": x_title}}
    if number == ",d":
        x_axis = _count_axis(values, x_title)
    return _figure(
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


def _figure(
    traces: list[dict[str, Any]],
    title: str,
    x_axis: dict[str, Any],
    y_axis: dict[str, Any],
    **layout: Any,
) -> go.Figure:
    """One figure built in one call, without plotly's per-property validation.

    ``update_*`` calls cost more than the whole build, and validating every
    property is half of what is left (measured in ``benchmarks/bench_figures.py``).
    plotly.js ignores what it does not know, so ``tests/test_charts.py``
    rebuilds every figure with validation on: a misspelt property fails there.
    """
    return go.Figure(
        _validate=False,
        data=traces,
        layout={
            "title": {"text": title},
            "margin": _MARGIN,
            "xaxis": x_axis,
            "yaxis": y_axis,
            **layout,
        },
    )


def _count_axis(values: np.ndarray, title: str) -> dict[str, Any]:
    """A count axis; ticks 0, 1, 2... when values are small (plotly would put 0.5 ticks)."""
    axis: dict[str, Any] = {"title": {"text": title}}
    if len(values) and values.max() <= 10:
        axis.update(dtick=1, rangemode="tozero")
    return axis


def _escape(values: Iterable[Any]) -> list[str]:
    """Values as text plotly shows literally: ``&``, ``<``, ``>`` escaped."""
    return [html.escape(str(v), quote=False) for v in values]


def _escape_one(value: Any) -> str:
    return html.escape(str(value), quote=False)


def _colors_of(groups: Sequence[str], colors: Mapping[str, str]) -> list[str]:
    """The colour of each group, in order; groups the map lacks get GREY."""
    return [colors.get(group, GREY) for group in groups]


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


def _local_dates(buckets: pd.Series) -> np.ndarray:
    """Bucket starts as local dates: plotly.js has no timezones, so it gets wall-clock days."""
    return buckets.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)


def _in_tz(frame: pd.DataFrame) -> str:
    tz = frame.attrs.get("tz")
    return f" ({tz})" if tz else ""


# -- history (fj.history): activity and a session's growth ----------------------------------


def activity_chart(
    table: pd.DataFrame,
    *,
    since: pd.Timestamp | None = None,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Return bars of profiles added per period (``fj.history.History.activity``), stacked by
    role when the table has a ``role`` column, with the day history starts on marked."""
    freq = table.attrs.get("freq", "W")
    tz = table.attrs.get("tz") or "UTC"
    period = _PERIODS[freq]
    dates = _local_dates(table["period"]) if len(table) else np.array([], dtype=object)
    hover = f"{period.title()} of %{{x|%d %b %Y}}: %{{y:+,d}} profiles<extra></extra>"
    traces = []
    if "role" in table.columns:
        totals = table.groupby("role")["added"].sum().sort_values(ascending=False)
        colors = colors or role_colors(list(totals.index))
        for role in totals.index:
            rows = (table["role"] == role).to_numpy()
            label = _escape_one(role)
            traces.append(go.Bar(x=dates[rows], y=table["added"].to_numpy()[rows], name=label,
                                 marker_color=colors.get(role, GREY),
                                 hovertemplate=label + "<br>" + hover))  # fmt: skip
    else:
        traces.append(go.Bar(x=dates, y=table["added"].to_numpy(), showlegend=False,
                             marker_color=PALETTE[0],
                             hovertemplate=hover))  # fmt: skip
    fig = go.Figure(traces)
    fig.update_layout(
        title={"text": f"Profiles added per {period} (when sourced)"},
        barmode="relative",
        xaxis={"type": "date", "title": {"text": f"{period.title()} starting ({tz})"}},
        yaxis={"title": {"text": f"Profiles added per {period}"}},
        legend={"title": {"text": "Role"}},
        margin=_MARGIN,
    )
    if since is not None and pd.notna(since):
        day = pd.Timestamp(since).tz_convert(tz).strftime("%Y-%m-%d")
        fig.add_vline(x=day, line_dash="dot", line_color=GREY)
        fig.add_annotation(x=day, y=1, yref="paper", text=f"history since {day}",
                           showarrow=False, xanchor="left", yanchor="bottom")  # fmt: skip
    return fig


def growth_chart(curve: pd.DataFrame, tz: str = "UTC") -> go.Figure:
    """Return a session's profiles over time (``fj.history.History.growth``) as a step line."""
    times = curve["at"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M").to_numpy(dtype=object)
    fig = go.Figure(
        go.Scatter(x=times, y=curve["total"].to_numpy(), mode="lines+markers",
                   line={"shape": "hv"}, showlegend=False,
                   hovertemplate="%{x}: %{y:,d} profiles<extra></extra>")  # fmt: skip
    )
    fig.update_layout(
        title={"text": "Profiles over time (from history)"},
        xaxis={"type": "date", "title": {"text": f"When the API last updated the session ({tz})"}},
        yaxis={"title": {"text": "Profiles"}, "rangemode": "tozero"},
        margin=_MARGIN,
    )
    return fig
