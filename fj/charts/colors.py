"""Colours of the charts: one per role, stable while filters change, never two alike in a view.

A role keeps its colour on every chart and page (``role_colors`` over the
project's roles by weight); OTHER and NOT_STATED have their own neutrals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from fj.filters import NOT_STATED
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


def colors_of(groups: Sequence[str], colors: Mapping[str, str]) -> list[str]:
    """Return the colour of each group, in order; groups the map lacks get GREY."""
    return [colors.get(group, GREY) for group in groups]
