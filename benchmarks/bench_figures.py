"""Figures: the time a rerun spends building each page's plotly figures, against plotly express.

For each page, the figures its default view draws (and the heaviest
variant a viewer can pick) are built from aggregates computed beforehand,
as ``pages/*.py`` do on every rerun: ``fj.charts`` (``graph_objects``, one
``go.Figure`` call per figure) against ``benchmarks/px_figures.py`` (the same
figures as plotly express built them until issue 17), taken in turn in one
run. Beside it, what Streamlit then does to each figure before sending it
(``to_dict`` and ``plotly.io.to_json``), which no build choice removes.

    .venv/bin/python -m benchmarks.bench_figures [--repeats 7]
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.io
import plotly.tools

from benchmarks import px_figures
from benchmarks.harness import Config, Section, fmt_ms, fmt_n, interleaved, loaded_sessions
from fj import candidate_metrics, charts, metrics, paging, periods, synthetic
from fj.candidate_frame import candidates_frame

TZ = "Asia/Kolkata"
TARGETS_MS = {"Overview": 20.0}
EVERY_PAGE_MS = 40.0


def pages(frame, lib) -> dict[str, Callable[[], list]]:
    """Return, per page and variant, a function building that page's figures with ``lib``.

    ``fj.charts`` is called as the pages call it now; the plotly express
    baseline as the pages called it before issue 17 (no "so far" period,
    Top roles from ``top_roles``).
    """
    now = frame["created_at"].max()  # the newest session's period is the one not over
    colors = charts.role_colors(charts.roles_by_weight(frame))
    by_role = metrics.breakdown(frame, "role")
    by_location = metrics.breakdown(frame, "location")
    histogram = metrics.profiles_histogram(frame)
    named = charts.named_colors(colors, metrics.named_roles(frame))

    def overview(freq):
        ts = metrics.timeseries(frame, freq=freq, tz=TZ, by_role=True)
        cumulative = metrics.cumulative_from(ts)
        if lib is px_figures:
            top = metrics.top_roles(frame, n=10)
            return lambda: [
                lib.sessions_over_time(ts, metric="profiles", stacked=True, colors=colors),
                lib.cumulative_chart(cumulative),
                lib.top_roles_chart(top, colors=colors),
            ]
        partial = periods.incomplete_period(freq, now=now, tz=TZ)
        totals = metrics.role_totals(ts)
        return lambda: [
            lib.sessions_over_time(ts, stacked=True, colors=colors, partial=partial),
            lib.cumulative_chart(cumulative, partial=partial),
            lib.top_roles_chart(totals, colors=colors),
        ]

    def breakdown(bd, by):
        shown = (named if lib is charts else colors) if by == "role" else None
        return lambda: [
            lib.breakdown_chart(bd, by=by, metric="profiles", colors=shown),
            lib.profiles_histogram_chart(histogram),
            lib.sourcing_vs_profiles_chart(bd, by=by, colors=shown),
        ]

    def session(cands):
        score = candidate_metrics.score_distribution(cands)
        bands = candidate_metrics.experience_bands(cands)
        counts = [
            (candidate_metrics.top_skills(cands, n=12), "skill", "Top skills"),
            (candidate_metrics.top_values(cands, "region"), "value", "Regions"),
            (candidate_metrics.top_values(cands, "current_company"), "value", "Employers"),
        ]
        return lambda: [
            lib.score_chart(score),
            lib.experience_chart(bands),
            *(
                lib.counts_chart(table, label=label, title=title, x_title="Candidates")
                for table, label, title in counts
            ),
        ]

    by_role_scores = candidate_metrics.best_by_role(project_candidates(frame))
    return {
        "Overview: by week, by role (default)": overview("W"),
        "Overview: by day, by role": overview("D"),
        "Breakdown: by role (default)": breakdown(by_role, "role"),
        "Breakdown: by location": breakdown(by_location, "location"),
        "Session: 1,000 candidates (the page cap)": session(session_candidates(frame, 1000)),
        "Candidates: 100 sessions, strong matches by role": lambda: [
            lib.role_scores_chart(by_role_scores)
        ],
    }


def session_candidates(frame, count: int):
    """The candidates frame of the project's newest session with profiles, ``count`` rows."""
    newest = paging.sessions_to_scan(frame, 1).iloc[0]
    record = {"_id": newest["session_id"], "sessionTitle": newest["title"], "totalProfiles": count}
    return candidates_frame(synthetic.generate_candidates(record, count))


def project_candidates(frame):
    """The Candidates page's frame: the newest 100 sessions' candidates (as the stand-in
    serves them), with their role."""
    scan = paging.sessions_to_scan(frame, 100)

    def fetch(session_id):
        row = scan[scan["session_id"] == session_id].iloc[0]
        record = {"_id": session_id, "sessionTitle": row["title"], "totalProfiles": 200}
        return candidates_frame(synthetic.generate_candidates(record))

    return paging.project_candidates(fetch, scan).frame


def sent(figures: list) -> None:
    """What ``st.plotly_chart`` does to each figure before sending it."""
    for fig in figures:
        plotly.io.to_json(
            plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True),
            validate=False,
        )


def run(config: Config) -> list[Section]:
    """Return one row per size and page view: build time with graph_objects vs plotly express."""
    section = Section(
        "Figures: building each page's figures per rerun (graph_objects vs plotly express)",
        [
            "sessions",
            "page, view",
            "figures",
            "graph_objects",
            "plotly express",
            "ratio",
            "Streamlit's to_json",
            "target",
        ],
    )
    worst: dict[str, float] = {}
    for n in config.sizes:
        frame = loaded_sessions(n).frame
        ours, baseline = pages(frame, charts), pages(frame, px_figures)
        for view, build in ours.items():
            figures = build()
            times = interleaved(
                {"go": build, "px": baseline[view], "sent": lambda f=figures: sent(f)},
                config.repeats_at(n),
            )
            page = view.split(":")[0]
            target = TARGETS_MS.get(page, EVERY_PAGE_MS)
            worst[page] = max(worst.get(page, 0.0), times["go"])
            section.rows.append(
                [
                    fmt_n(n),
                    view,
                    str(len(figures)),
                    fmt_ms(times["go"]),
                    fmt_ms(times["px"]),
                    f"{times['px'] / times['go']:.1f}x",
                    fmt_ms(times["sent"]),
                    f"≤ {target:.0f} ms",
                ]
            )
    for page, seconds in worst.items():
        target = TARGETS_MS.get(page, EVERY_PAGE_MS)
        section.check(
            f"{page} figures per rerun, slowest view and size",
            fmt_ms(seconds),
            f"≤ {target:.0f} ms",
            seconds * 1000 <= target,
        )
    section.notes.append(
        "Aggregates are computed beforehand (bench_rerun times them); a page's figures are "
        "built from them as its script does. Medians of interleaved rounds. 'ratio' is plotly "
        "express time over graph_objects time. 'Streamlit's to_json' is the serialisation "
        "st.plotly_chart adds, the same whichever way a figure is built."
    )
    return [section]


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
