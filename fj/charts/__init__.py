"""Plotly figures, built with ``graph_objects``, from the small frames of the aggregates.

One module per kind of figure, one set of helpers for all:

- ``fj.charts.session_charts``: the sessions' figures (Overview, Breakdown), from
  ``fj.metrics``, and the drill-down of their clicks (``selected_groups``,
  ``selected_profile_range``);
- ``fj.charts.candidate_charts``: the candidates' figures (Session, Candidates pages),
  from ``fj.candidate_metrics``;
- ``fj.charts.history_charts``: what was sourced when, and a session's growth, from
  ``fj.history``;
- ``fj.charts.colors``: one colour per role, the same on every chart;
- ``fj.charts.build``: what every figure is built with (one ``go.Figure`` call, count
  axes, escaped labels).

Every public name is also here: ``from fj import charts; charts.score_chart(...)``.
"""

from fj.charts.candidate_charts import (
    counts_chart,
    experience_chart,
    role_scores_chart,
    score_chart,
    session_figures,
)
from fj.charts.colors import (
    GREY,
    NOT_STATED_COLOR,
    OTHER_COLOR,
    PALETTE,
    named_colors,
    role_colors,
    roles_by_weight,
)
from fj.charts.history_charts import activity_chart, growth_chart
from fj.charts.session_charts import (
    PARTIAL_OPACITY,
    breakdown_chart,
    cumulative_chart,
    profiles_histogram_chart,
    selected_groups,
    selected_profile_range,
    sessions_over_time,
    sourcing_vs_profiles_chart,
    top_roles_chart,
)

__all__ = [
    "GREY",
    "NOT_STATED_COLOR",
    "OTHER_COLOR",
    "PALETTE",
    "PARTIAL_OPACITY",
    "activity_chart",
    "breakdown_chart",
    "counts_chart",
    "cumulative_chart",
    "experience_chart",
    "growth_chart",
    "named_colors",
    "profiles_histogram_chart",
    "role_colors",
    "role_scores_chart",
    "roles_by_weight",
    "score_chart",
    "selected_groups",
    "selected_profile_range",
    "session_figures",
    "sessions_over_time",
    "sourcing_vs_profiles_chart",
    "top_roles_chart",
]
