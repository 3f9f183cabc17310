"""The facets: one table of the categorical filters (role, location, experience), and the
values a project's data offers for them.

datasette's lookups as data: every face of :class:`fj.filters.Filters` and the
sidebar loop over :data:`FACETS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Label of the group of sessions whose role/location/experience was not stated.
#: Also accepted as a filter value: it selects the sessions where that field is missing.
NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class Facet:
    """One categorical filter, written once: every face of ``Filters`` and the UI loop over these.

    datasette's lookups as data: adding a facet is one row of ``FACETS`` (and
    a field of ``Filters`` and ``FilterOptions`` named ``name``).
    """

    name: str  #: attribute of Filters and FilterOptions ("roles")
    column: str  #: column of the sessions frame ("role"); also the drill-down/breakdown name
    param: str  #: URL parameter, repeated for several values ("role")
    widget: str  #: session-state key of the sidebar widget ("f_roles")
    label: str  #: widget label ("Roles")
    title: str  #: column heading and breakdown dimension ("Role")
    words: str  #: in a description: "<words> is A or B" ("role")
    noun: str  #: one value, in notices and chart titles ("role", "experience band")
    slug: str  #: prefix in the CSV file name ("role")
    placeholder: str  #: empty widget text ("All roles")


FACETS: tuple[Facet, ...] = (
    Facet("roles", "role", "role", "f_roles", "Roles", "Role", "role", "role", "role",
          "All roles"),
    Facet("locations", "location", "location", "f_locations", "Locations", "Location",
          "location", "location", "loc", "All locations"),
    Facet("experience", "experience", "exp", "f_exp", "Experience", "Experience",
          "experience", "experience band", "exp", "Any experience"),
)  # fmt: skip

#: The facets by frame column ("role", "location", "experience").
FACET_BY_COLUMN: dict[str, Facet] = {f.column: f for f in FACETS}


@dataclass(frozen=True)
class FilterOptions:
    """The values the data offers: choices for the widgets, and what a link may select."""

    roles: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    experience: tuple[str, ...] = ()
    profiles_max: int = 0


def filter_options(frame: pd.DataFrame) -> FilterOptions:
    """Return the roles, locations and experience bands present in ``frame``, sorted for widgets.

    Roles and locations sort case-insensitively; experience bands by their
    years (``exp_min_years``, then ``exp_max_years``, open-ended last).
    ``NOT_STATED`` comes last in a list when some sessions lack that field.
    """

    def present(column: str) -> list[str]:
        series = frame[column]
        codes = series.cat.codes.to_numpy()
        found = series.cat.categories.take(np.unique(codes[codes >= 0]))
        return [str(v) for v in found]

    def with_missing(column: str, values: list[str]) -> tuple[str, ...]:
        missing = bool(frame[column].isna().any())
        return (*values, NOT_STATED) if missing else tuple(values)

    years = (
        frame.groupby("experience", observed=True)[["exp_min_years", "exp_max_years"]]
        .agg({"exp_min_years": "min", "exp_max_years": "max"})
        .fillna(math.inf)
    )
    ordered = {
        "experience": sorted(
            present("experience"),
            key=lambda b: (years.at[b, "exp_min_years"], years.at[b, "exp_max_years"], b),
        )
    }
    profiles_max = frame["total_profiles"].max()
    return FilterOptions(
        **{
            f.name: with_missing(
                f.column, ordered.get(f.column) or sorted(present(f.column), key=str.casefold)
            )
            for f in FACETS
        },
        profiles_max=0 if pd.isna(profiles_max) else int(profiles_max),
    )


def category_mask(series: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """Rows whose category is one of ``values`` (``NOT_STATED`` selects missing), by codes."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    wanted = series.cat.categories.get_indexer(list(values))
    wanted = wanted[wanted >= 0]
    if NOT_STATED in values:
        wanted = np.append(wanted, -1)
    return np.isin(series.cat.codes.to_numpy(), wanted)
