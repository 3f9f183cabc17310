"""From what a viewer typed or linked to the nearest valid :class:`Filters`, never raising."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from fj.filters.facets import FACETS
from fj.filters.selection import DATE_PRESETS, DATE_RANGE, PROFILES_LIMIT, Filters, quote


def normalise(
    *,
    date: object = "all",
    date_from: object = None,
    date_to: object = None,
    q: object = "",
    profiles_min: object = None,
    profiles_max: object = None,
    **facets: Iterable[object] | None,
) -> tuple[Filters, list[str]]:
    """Return the ``Filters`` nearest to what a viewer typed or linked, and a notice per change.

    The one normalising step of the sidebar and of links; it never raises.
    A reversed date or profile range is swapped; a negative count, a date
    outside ``DATE_RANGE`` or an unknown preset is dropped; a count above
    ``PROFILES_LIMIT`` is read as the limit. ``facets`` are keyed by
    ``Facet.name`` (``roles=[...]``); unknown names are ignored. Notices are
    plain text (they may quote values): escape them before markdown.
    """
    notices: list[str] = []
    if not isinstance(date, str) or date not in DATE_PRESETS:
        notices.append(f"Ignored date {quote(str(date))}: use 7d, 30d, 90d, quarter or custom.")
        date = "all"

    def day(value: object, name: str) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if value is None or not isinstance(value, datetime.date):
            return None
        if not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
            notices.append(
                f"Ignored {name} date {value}: dates run from "
                f"{DATE_RANGE[0].year} to {DATE_RANGE[1].year}."
            )
            return None
        return value

    start, end = day(date_from, "from"), day(date_to, "to")
    if date != "custom":
        start = end = None
    elif start is not None and end is not None and start > end:
        notices.append(f"The from date {start} was after the to date {end}: swapped them.")
        start, end = end, start

    def count(value: object, name: str) -> int | None:
        if value is None or isinstance(value, bool):
            return None
        try:
            number = value if isinstance(value, int) else float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            notices.append(f"Ignored {name} {quote(str(value))}: not a number.")
            return None
        if number != number:  # NaN: an emptied box
            return None
        if number < 0:
            notices.append(f"Ignored {name} {quote(str(value))}: profiles are 0 or more.")
            return None
        if number > PROFILES_LIMIT:
            notices.append(f"Read {name} {quote(str(value))} as {PROFILES_LIMIT:,}.")
            return PROFILES_LIMIT
        return int(value) if isinstance(value, int) else int(number)

    low, high = count(profiles_min, "min profiles"), count(profiles_max, "max profiles")
    if low is not None and high is not None and low > high:
        notices.append(f"Min profiles {low} was above max profiles {high}: swapped them.")
        low, high = high, low

    def texts(values: Iterable[object] | None) -> tuple[str, ...]:
        if values is None or isinstance(values, str):
            values = () if values is None else (values,)
        return tuple(str(v) for v in values if v is not None and str(v).strip())

    filters = Filters(
        date=date,
        date_from=start,
        date_to=end,
        q=q.strip() if isinstance(q, str) else "",
        profiles_min=low,
        profiles_max=high,
        **{facet.name: texts(facets.get(facet.name)) for facet in FACETS},
    )
    return filters, notices
