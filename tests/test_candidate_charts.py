"""The candidates' figures (fj.charts.candidate_charts): the same figures plotly express drew.

``benchmarks/px_figures.py`` keeps the plotly-express code these figures had until
the candidates were split; each figure here must draw the same traces (type,
orientation, data, customdata, hover), axes and title, built in one
``go.Figure`` call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from benchmarks import px_figures
from fj import charts, synthetic
from fj.candidate_frame import candidates_frame
from fj.candidate_metrics import (
    best_by_role,
    experience_bands,
    score_distribution,
    top_skills,
    top_values,
)

SESSION = {
    "_id": "0" * 23 + "1",
    "sessionTitle": "Data Engineer",
    "jdDetail": {"userText": "Job Title: Data Engineer, Location: Pune"},
    "totalProfiles": 60,
    "createdAt": "2026-01-10T10:00:00.000Z",
}
FRAME = candidates_frame(
    [
        *synthetic.generate_candidates(SESSION),
        {"_id": "x1", "finalScore": 4.9, "profile": {"region": "<b>Pune</b> & co",
                                                      "skills": ["C<#>", "SQL"]}},
        {"_id": "x2", "finalScore": None, "profile": {"region": None}},
    ]
)  # fmt: skip


def project_frame() -> pd.DataFrame:
    roles = np.resize(["Data Engineer", "<i>Java</i> & Co", "Analyst"], len(FRAME))
    sessions = np.resize(["s1", "s2", "s3", "s4"], len(FRAME))
    return FRAME.assign(session_id=sessions, session_title="T", role=roles)


def figures(lib) -> dict[str, go.Figure]:
    many_roles = best_by_role(
        project_frame().assign(role=[f"Role {i % 20}" for i in range(len(FRAME))])
    )
    return {
        "scores": lib.score_chart(score_distribution(FRAME)),
        "experience": lib.experience_chart(experience_bands(FRAME)),
        "skills": lib.counts_chart(
            top_skills(FRAME, n=100), label="skill", title="Top skills", x_title="Candidates"
        ),
        "regions": lib.counts_chart(
            top_values(FRAME, "region"), label="value", title="Regions", x_title="Candidates"
        ),
        "roles": lib.role_scores_chart(best_by_role(project_frame())),
        "roles, some left out": lib.role_scores_chart(many_roles, limit=5),
    }


def plain(value):
    """A figure's value as plain Python lists, whatever way plotly stored it."""
    if value is None:
        return None
    return np.asarray(value).tolist()


TRACE_KEYS = ("type", "orientation", "x", "y", "customdata", "hovertemplate", "showlegend")
AXIS_KEYS = ("type", "categoryorder", "categoryarray", "dtick", "rangemode")


@pytest.mark.parametrize("name", list(figures(charts)))
def test_each_figure_draws_what_the_plotly_express_figure_drew(name):
    ours, before = figures(charts)[name], figures(px_figures)[name]
    assert len(ours.data) == len(before.data) == 1
    for key in TRACE_KEYS:
        mine, theirs = ours.data[0][key], before.data[0][key]
        if key == "orientation" and theirs == "v":
            theirs = None  # plotly's default: px writes it out
        assert plain(mine) == plain(theirs), (name, key)
    for axis in ("xaxis", "yaxis"):
        for key in AXIS_KEYS:
            mine, theirs = ours.layout[axis][key], before.layout[axis][key]
            assert plain(mine) == plain(theirs), (name, axis, key)
        assert ours.layout[axis].title.text == before.layout[axis].title.text, (name, axis)
    assert ours.layout.title.text == before.layout.title.text
    assert ours.layout.showlegend is False
    assert ours.layout.bargap == before.layout.bargap


@pytest.mark.parametrize("name", list(figures(charts)))
def test_every_figure_passes_plotlys_validation(name):
    go.Figure(figures(charts)[name].to_dict())  # raises on anything plotly does not accept


def test_names_from_the_api_are_shown_literally():
    figs = figures(charts)
    assert "&lt;b&gt;Pune&lt;/b&gt; &amp; co" in figs["regions"].data[0].y
    assert "C&lt;#&gt;" in figs["skills"].data[0].y
    assert "&lt;i&gt;Java&lt;/i&gt; &amp; Co" in figs["roles"].data[0].y
    for fig in figs.values():
        shown = [*map(str, fig.data[0].x), *map(str, fig.data[0].y)]
        assert not [s for s in shown if "<" in s or "& " in s]


def test_the_roles_chart_carries_candidates_and_mean_score_for_its_hover():
    by_role = best_by_role(project_frame())
    fig = charts.role_scores_chart(by_role)
    expected = by_role[["candidates", "mean_score"]].to_numpy().tolist()
    assert plain(fig.data[0].customdata) == expected
    assert list(fig.layout.yaxis.categoryarray) == list(fig.data[0].y)[::-1]  # first on top


def test_no_plotly_express_is_left_in_the_library():
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent / "fj"
    users = [p for p in root.rglob("*.py") if "plotly.express" in p.read_text()]
    assert users == []


def test_the_session_figures_are_the_five_charts_of_the_session_page():
    from fj.candidate_metrics import session_aggregates

    figs = charts.session_figures(session_aggregates(FRAME))
    assert list(figs) == ["scores", "experience", "skills", "regions", "employers"]
    assert figs["scores"].to_dict() == charts.score_chart(score_distribution(FRAME)).to_dict()
    skills = charts.counts_chart(
        top_skills(FRAME, n=12),
        label="skill",
        title="Top skills",
        x_title="Candidates with the skill",
    )
    assert figs["skills"].to_dict() == skills.to_dict()
    assert figs["employers"].layout.title.text == "Current employers"
