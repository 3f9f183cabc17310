"""What every figure of ``fj.charts`` is built with: one ``go.Figure`` call, count axes,
literal labels and local calendar days.

Text from the API is HTML-escaped wherever plotly would render it (ticks,
legend, hover), because plotly reads a subset of HTML in labels: ``escape``.
No template is set: the host applies its own (Streamlit's theme follows the
viewer's light or dark mode).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

#: Room around the plot: the title sits in the top margin (ui.charts moves it above).
MARGIN = {"l": 8, "r": 8, "t": 56, "b": 8}

#: Period codes of ``fj.metrics`` (and ``fj.history``) in words.
PERIODS = {"D": "day", "W": "week", "M": "month"}


def figure(
    traces: list[dict[str, Any]],
    title: str,
    x_axis: dict[str, Any],
    y_axis: dict[str, Any],
    **layout: Any,
) -> go.Figure:
    """Return one figure built in one call, without plotly's per-property validation.

    ``update_*`` calls cost more than the whole build, and validating every
    property is half of what is left (measured in ``benchmarks/bench_figures.py``).
    plotly.js ignores what it does not know, so ``tests/test_charts.py`` and
    ``tests/test_candidate_charts.py`` rebuild every figure with validation on: a
    misspelt property fails there.
    """
    return go.Figure(
        _validate=False,
        data=traces,
        layout={
            "title": {"text": title},
            "margin": MARGIN,
            "xaxis": x_axis,
            "yaxis": y_axis,
            **layout,
        },
    )


def count_axis(values: Any, title: str | None) -> dict[str, Any]:
    """Return a count axis; ticks 0, 1, 2... when values are small (plotly would put 0.5 ticks)."""
    axis: dict[str, Any] = {"title": {"text": title}}
    if len(values) and np.max(values) <= 10:
        axis.update(dtick=1, rangemode="tozero")
    return axis


def escape(values: Iterable[Any]) -> list[str]:
    """Return values as text plotly shows literally: ``&``, ``<``, ``>`` escaped."""
    return [html.escape(str(v), quote=False) for v in values]


def escape_one(value: Any) -> str:
    """Return one value as text plotly shows literally (see ``escape``)."""
    return html.escape(str(value), quote=False)


def local_dates(buckets: pd.Series) -> np.ndarray:
    """Return bucket starts as local dates (plotly.js has no timezones: it gets wall-clock days)."""
    return buckets.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
