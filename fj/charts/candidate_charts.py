"""The candidates' figures: the Session page's and the Candidates page's, from the small
frames of ``fj.candidate_metrics``.

Built like the sessions' figures (``fj.charts.build.figure``: one ``go.Figure``
call, unvalidated, no template). Names from the API (skills, regions,
employers, roles) are HTML-escaped on axes and in the hover. These bars are
not clickable: they carry no drill-down data beyond what the hover shows.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from fj.candidate_metrics import STRONG_SCORE, SessionAggregates
from fj.charts.build import count_axis, escape, figure


def score_chart(distribution: pd.DataFrame) -> go.Figure:
    """Return bars of ``score_distribution``: candidates per score range."""
    counts = distribution["candidates"].to_numpy()
    trace = {
        "type": "bar",
        "x": distribution["label"].tolist(),
        "y": counts,
        "showlegend": False,
        "hovertemplate": "Score %{x}: %{y:,d} candidates<extra></extra>",
    }
    return figure(
        [trace],
        "Candidates by score",
        {"type": "category", "title": {"text": "Score (0–5)"}},
        count_axis(counts, "Candidates"),
        showlegend=False,
        bargap=0.05,
    )


def counts_chart(
    counts: pd.DataFrame, *, label: str, value: str = "candidates", title: str, x_title: str
) -> go.Figure:
    """Return horizontal bars of a counts frame (``top_skills``, ``top_values``), its first row
    on top."""
    labels = escape(counts[label])
    values = counts[value].to_numpy()
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "showlegend": False,
        "hovertemplate": "%{y}: %{x:,d} candidates<extra></extra>",
    }
    return figure(
        [trace],
        title,
        count_axis(values, x_title),
        # A category axis lists its categories bottom-up: reversed, the first row is on top.
        {"type": "category", "categoryorder": "array", "categoryarray": labels[::-1]},
        showlegend=False,
    )


def experience_chart(bands: pd.DataFrame) -> go.Figure:
    """Return bars of ``experience_bands``: candidates per band of years of experience."""
    counts = bands["candidates"].to_numpy()
    trace = {
        "type": "bar",
        "x": escape(bands["band"]),
        "y": counts,
        "showlegend": False,
        "hovertemplate": "%{x}: %{y:,d} candidates<extra></extra>",
    }
    return figure(
        [trace],
        "Candidates by years of experience",
        {"type": "category", "title": {"text": "Years of experience"}},
        count_axis(counts, "Candidates"),
        showlegend=False,
    )


def role_scores_chart(by_role: pd.DataFrame, limit: int = 15) -> go.Figure:
    """Return horizontal bars of ``best_by_role``: strong candidates per role, the first
    ``limit`` roles (the title says when some are left out)."""
    shown = by_role.head(limit)
    labels = escape(shown["role"])
    strong = shown["strong"].to_numpy()
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": strong,
        "y": labels,
        "customdata": shown[["candidates", "mean_score"]].to_numpy(),
        "showlegend": False,
        "hovertemplate": "%{y}<br>Strong matches: %{x:,d}<br>Candidates: %{customdata[0]:,d}"
        "<br>Mean score: %{customdata[1]:.2f}<extra></extra>",
    }
    left_out = len(by_role) > limit
    title = f"Strong matches (score ≥ {STRONG_SCORE:g}) by role" + (
        f" (top {limit} of {len(by_role)})" if left_out else ""
    )
    return figure(
        [trace],
        title,
        count_axis(strong, f"Candidates scoring at least {STRONG_SCORE:g}"),
        {"type": "category", "categoryorder": "array", "categoryarray": labels[::-1]},
        showlegend=False,
    )


def session_figures(aggregates: SessionAggregates) -> dict[str, go.Figure]:
    """Return the Session page's figures of one session's candidates, by name: scores,
    experience, skills, regions, employers (``session_aggregates`` gives their data)."""
    return {
        "scores": score_chart(aggregates.scores),
        "experience": experience_chart(aggregates.years),
        "skills": counts_chart(
            aggregates.skills,
            label="skill",
            title="Top skills",
            x_title="Candidates with the skill",
        ),
        "regions": counts_chart(
            aggregates.regions, label="value", title="Regions", x_title="Candidates"
        ),
        "employers": counts_chart(
            aggregates.employers,
            label="value",
            title="Current employers",
            x_title="Candidates",
        ),
    }
