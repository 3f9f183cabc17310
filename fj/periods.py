"""Periods: the view's latest period against the one before it, and where periods begin.

The Overview's KPI cards, the digest and the charts' "so far" mark read these:
``compare_periods`` gives the KPIs of the latest complete week (or the date
filter's own window) beside the period of the same length before it, in the
viewer's zone; ``incomplete_period`` names the bucket that is not over yet.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

import pandas as pd

from fj.filters import Filters
from fj.metrics import FREQS, Kpis, kpis
from fj.wording import span_text

#: Words for a period of each frequency: (this one, the one before, the one before that).
PERIOD_WORDS = {
    "D": ("today", "yesterday", "the day before"),
    "W": ("this week", "last week", "the week before"),
    "M": ("this month", "last month", "the month before"),
}


@dataclass(frozen=True)
class Change:
    """One KPI in a period and in the period before it, and how it moved."""

    now: float | None
    before: float | None

    @property
    def absolute(self) -> float | None:
        """``now - before``; None when either is unknown (an average of no sessions)."""
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @property
    def percent(self) -> float | None:
        """The change in percent of ``before``; None when ``before`` is 0 or unknown."""
        if self.absolute is None or not self.before:
            return None
        return 100 * self.absolute / self.before

    @property
    def is_new(self) -> bool:
        """True when there was nothing before (0 or no average) and there is something now."""
        return bool(self.now) and not self.before


@dataclass(frozen=True)
class Comparison:
    """The KPIs of a period of the view and of the period of the same length before it.

    ``start``/``end`` and ``before_start``/``before_end`` are local calendar
    days, both inclusive. ``period`` and ``period_before`` name them in words
    ("last week" and "the week before", "the last 7 days" and "the 7 days
    before", or their dates).
    """

    period: str
    period_before: str
    start: datetime.date
    end: datetime.date
    before_start: datetime.date
    before_end: datetime.date
    now: Kpis
    before: Kpis

    @property
    def label(self) -> str:
        """The two periods in words: "last week vs the week before"."""
        return f"{self.period} vs {self.period_before}"

    def change(self, name: str) -> Change:
        """Return the change of one KPI (a field name of ``Kpis``)."""
        return Change(getattr(self.now, name), getattr(self.before, name))

    @property
    def changes(self) -> dict[str, Change]:
        """Every KPI's change, by ``Kpis`` field name."""
        return {name: self.change(name) for name in asdict(self.now)}


def period_start(day: datetime.date, freq: str) -> datetime.date:
    """Return the first day of the day, week (from Monday) or month that holds ``day``."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    if freq == "W":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1) if freq == "M" else day


def incomplete_period(freq: str, *, now: datetime.datetime, tz: str) -> pd.Timestamp:
    """Return the bucket (as ``timeseries`` labels it) of the period that is not over yet.

    That is the day, week (from Monday) or month holding ``now`` in ``tz``: a
    ``timeseries`` row whose ``bucket`` equals this value (or is later) counts
    only the sessions so far, and a chart should say so. ``now`` may be naive
    (read as UTC). The result is tz-aware in ``tz`` with millisecond unit, so
    ``series["bucket"] == incomplete_period(...)`` compares as it should.
    """
    today = _local_today(now, tz)
    start = pd.Timestamp(period_start(today, freq))
    return start.as_unit("ms").tz_localize(tz, ambiguous=True, nonexistent="shift_forward")


def latest_complete_period(
    freq: str, *, now: datetime.datetime, tz: str
) -> tuple[datetime.date, datetime.date]:
    """Return the first and last local day (inclusive) of the last period that is over."""
    current = period_start(_local_today(now, tz), freq)
    last_day = current - datetime.timedelta(days=1)
    return period_start(last_day, freq), last_day


def compare_periods(
    full_frame: pd.DataFrame,
    filters: Filters,
    *,
    now: datetime.datetime,
    tz: str,
    freq: str = "W",
    current: Kpis | None = None,
) -> Comparison | None:
    """Return how the view's latest period compares with the one before it.

    With a date filter, the period is the filter's own window and the one
    before is the previous period of the same length (``Filters.previous_period``).
    Without one (the whole project), the period is the latest complete week
    (day, month: ``freq``) in ``tz``, compared with the week before it, so a
    week that has just begun never reads as a collapse. Every other filter
    applies to both periods. None when there is no period before (a window
    with no start, or one reaching back before 1970). With a date filter, pass
    ``current`` (the KPIs of the filtered frame) to skip filtering twice.
    """
    window = filters.window(now, tz)
    if window is None:
        first, last = latest_complete_period(freq, now=now, tz=tz)
        others = {k: v for k, v in filters.to_query().items() if k not in ("date", "from", "to")}
        period, _ = Filters.from_query({**others, "from": str(first), "to": str(last)})
    else:
        period = filters
    before = period.previous_period(now, tz)
    if before is None:
        return None
    first, last = _days(period.window(now, tz), tz)
    before_first, before_last = _days(before.window(now, tz), tz)
    preset = filters.to_query().get("date")
    if window is None:
        words = PERIOD_WORDS[freq][1:]
        current = None  # the cards show the whole view; the period is a part of it
    elif preset in ("7d", "30d", "90d"):
        words = (f"the last {preset[:-1]} days", f"the {preset[:-1]} days before")
    else:
        words = (span_text(first, last), span_text(before_first, before_last))
    return Comparison(
        period=words[0],
        period_before=words[1],
        start=first,
        end=last,
        before_start=before_first,
        before_end=before_last,
        now=current or kpis(period.apply(full_frame, now=now, tz=tz)),
        before=kpis(before.apply(full_frame, now=now, tz=tz)),
    )


def _local_today(now: datetime.datetime, tz: str) -> datetime.date:
    stamp = pd.Timestamp(now)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(tz).date()


def _days(
    window: tuple[pd.Timestamp, pd.Timestamp], tz: str
) -> tuple[datetime.date, datetime.date]:
    """A [start, end) UTC window as its first and last local day, inclusive."""
    return window[0].tz_convert(tz).date(), window[1].tz_convert(tz).date() - datetime.timedelta(
        days=1
    )
