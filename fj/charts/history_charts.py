"""The history's figures (``fj.history``): what was sourced when, and one session's growth."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from fj.charts.build import MARGIN, PERIODS, escape_one, local_dates
from fj.charts.colors import GREY, PALETTE, role_colors


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
    period = PERIODS[freq]
    dates = local_dates(table["period"]) if len(table) else np.array([], dtype=object)
    hover = f"{period.title()} of %{{x|%d %b %Y}}: %{{y:+,d}} profiles<extra></extra>"
    traces = []
    if "role" in table.columns:
        totals = table.groupby("role")["added"].sum().sort_values(ascending=False)
        colors = colors or role_colors(list(totals.index))
        for role in totals.index:
            rows = (table["role"] == role).to_numpy()
            label = escape_one(role)
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
        margin=MARGIN,
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
        margin=MARGIN,
    )
    return fig
