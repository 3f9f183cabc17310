"""Charts: the JSON size of every figure the app draws from sessions, at each size.

``len(fig.to_json())`` is what Streamlit sends to the browser for a figure
(the theme is applied in the browser). Each figure is drawn in every variant
a viewer can pick (day, week or month; stacked or not; role, location or
experience), and the largest variant is reported. A chart's size should grow
with its buckets and groups, never with the sessions: the largest case is a
long history grouped by day, so a two-year project is measured as well.

    .venv/bin/python -m benchmarks.bench_charts [--full]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd
import plotly.graph_objects as go

from benchmarks.harness import Config, Section, fmt_kb, fmt_n, loaded_sessions
from fj import charts, metrics
from fj.filters import filter_options

TZ = "Asia/Kolkata"
MAX_BYTES = 250_000
LONG_HISTORY_DAYS = 730


def figures(frame: pd.DataFrame) -> Iterator[tuple[str, str, Callable[[], go.Figure]]]:
    """Yield (chart, variant, build) for every figure and variant the pages can draw."""
    colors = charts.role_colors(filter_options(frame).roles)
    for freq in metrics.FREQS:
        for stacked in (True, False):
            ts = metrics.timeseries(frame, freq=freq, tz=TZ, by_role=stacked)
            for metric in ("profiles", "sessions"):
                yield (
                    "Overview: sessions_over_time",
                    f"{freq}, {'by role' if stacked else 'total'}, {metric}",
                    lambda ts=ts, m=metric, s=stacked: charts.sessions_over_time(
                        ts, metric=m, stacked=s, colors=colors
                    ),
                )
        cumulative = metrics.cumulative_from(metrics.timeseries(frame, freq=freq, tz=TZ))
        yield "Overview: cumulative_chart", freq, lambda c=cumulative: charts.cumulative_chart(c)
    top = metrics.top_roles(frame, n=10)
    yield "Overview: top_roles_chart", "top 10", lambda: charts.top_roles_chart(top, colors=colors)
    for by in metrics.BREAKDOWN_COLUMNS:
        breakdown = metrics.breakdown(frame, by)
        for metric in ("profiles", "sessions"):
            yield (
                "Breakdown: breakdown_chart",
                f"{by}, {metric}",
                lambda b=breakdown, by=by, m=metric: charts.breakdown_chart(
                    b, by=by, metric=m, colors=colors
                ),
            )
        yield (
            "Breakdown: sourcing_vs_profiles_chart",
            by,
            lambda b=breakdown, by=by: charts.sourcing_vs_profiles_chart(b, by=by),
        )
    histogram = metrics.profiles_histogram(frame)
    yield (
        "Breakdown: profiles_histogram_chart",
        "20 bins",
        lambda: charts.profiles_histogram_chart(histogram),
    )


def largest(frame: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """Return, per chart, the size in bytes of its largest variant and that variant."""
    sizes: dict[str, tuple[int, str]] = {}
    for chart, variant, build in figures(frame):
        size = len(build().to_json())
        if size > sizes.get(chart, (-1, ""))[0]:
            sizes[chart] = (size, variant)
    return sizes


def run(config: Config) -> list[Section]:
    """Return one row per chart and size: the largest variant's JSON size against 250 KB."""
    section = Section(
        "5. Charts: JSON size of every figure (largest variant)",
        ["sessions", "history", "chart", "largest variant", "JSON size", "target"],
    )
    cases = [(n, 180) for n in config.sizes]
    cases.append((100_000, LONG_HISTORY_DAYS))
    if config.full:
        cases.append((1_000_000, LONG_HISTORY_DAYS))
    worst = (0, "")
    for n, days in cases:
        for chart, (size, variant) in largest(loaded_sessions(n, days).frame).items():
            section.rows.append(
                [fmt_n(n), f"{days} days", chart, variant, fmt_kb(size), "≤ 250.0 KB"]
            )
            if size > worst[0]:
                worst = (size, f"{chart} ({variant}), {fmt_n(n)} over {days} days")
    section.check(
        "largest figure at any size",
        fmt_kb(worst[0]),
        "≤ 250 KB",
        worst[0] <= MAX_BYTES,
        note=worst[1],
    )
    section.notes.append(
        "KB = 1,000 bytes. Every variant a viewer can pick is drawn; the table shows the "
        "largest per chart. The candidate pages' charts draw one session's candidates, "
        "not the project's sessions, so they do not grow with these sizes."
    )
    return [section]


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
