"""What a viewer selected, as one ``Filters`` object with four faces: from a link, to a
link, applied to a frame, in words (modelled on datasette's ``Filters``).

- :mod:`fj.filters.selection`: the ``Filters`` object and its faces, the date presets;
- :mod:`fj.filters.normalise`: what a viewer typed or linked to the nearest valid filters;
- :mod:`fj.filters.facets`: the table of the categorical filters (role, location,
  experience) and the values a project offers for them.
"""

from fj.filters.facets import (
    FACET_BY_COLUMN,
    FACETS,
    NOT_STATED,
    Facet,
    FilterOptions,
    filter_options,
)
from fj.filters.normalise import normalise
from fj.filters.selection import (
    DATE_PRESETS,
    DATE_RANGE,
    EPOCH,
    PROFILES_LIMIT,
    Filters,
    slugify,
    undated_hidden,
)

__all__ = [
    "DATE_PRESETS", "DATE_RANGE", "EPOCH", "FACETS", "FACET_BY_COLUMN", "NOT_STATED",
    "PROFILES_LIMIT", "Facet", "FilterOptions", "Filters", "filter_options", "normalise",
    "slugify", "undated_hidden",
]  # fmt: skip
