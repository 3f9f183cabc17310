"""The ``Filters`` object: what a viewer selected, and its faces (a link, a frame, words).

Modelled on datasette's ``Filters``: the URL is the view. ``Filters.from_query``
reads the query string (never raising: what it cannot use it drops, with a
notice), ``to_query`` writes it back, ``apply`` narrows a sessions frame (see
``fj.schema``) with vectorised masks, and ``describe``/``slug`` say the view in
words and in a file name.

Dates are calendar days in the viewer's timezone: "7d" is today and the six
days before it, from local midnight to local midnight, converted to UTC.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from fj.filters.facets import FACETS, Facet, FilterOptions, category_mask
from fj.jd import experience_band

#: Date presets and how many calendar days each covers (None: not a fixed length).
DATE_PRESETS: dict[str, int | None] = {
    "all": None,
    "7d": 7,
    "30d": 30,
    "90d": 90,
    "quarter": None,
    "custom": None,
}

#: The lower bound of a custom window that has only a `to` date: nothing predates the epoch.
EPOCH = pd.Timestamp("1970-01-01", tz="UTC")

#: Custom dates must fall in this range (pandas cannot place far dates in a timezone).
DATE_RANGE = (datetime.date(1970, 1, 1), datetime.date(2200, 12, 31))

_NOTICE_VALUE_CHARS = 40

#: The largest profile count a filter keeps (the browser's largest exact whole number).
PROFILES_LIMIT = 2**53 - 1


@dataclass(frozen=True)
class Filters:
    """What the viewer selected; equal filters select the same sessions.

    Values are normalised on creation so that equality means "same view": the
    role/location/experience tuples are sorted and de-duplicated, ``q`` is
    stripped, dates are dropped unless ``date == "custom"``, and "custom" with
    no date at all becomes "all". Contradictions raise ``ValueError``; what a
    viewer typed or linked goes through ``normalise`` first, which never raises
    (``from_query`` and the sidebar both do).
    """

    date: str = "all"
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    roles: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    experience: tuple[str, ...] = ()
    q: str = ""
    profiles_min: int | None = None
    profiles_max: int | None = None

    def __post_init__(self) -> None:
        if self.date not in DATE_PRESETS:
            raise ValueError(f"unknown date preset {self.date!r}")
        set_ = object.__setattr__  # frozen: normalise in place, once
        for facet in FACETS:
            set_(self, facet.name, tuple(sorted({str(v) for v in getattr(self, facet.name)})))
        set_(self, "q", self.q.strip())
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if isinstance(value, datetime.datetime):
                set_(self, name, value.date())
        if self.date != "custom":
            set_(self, "date_from", None)
            set_(self, "date_to", None)
        elif self.date_from is None and self.date_to is None:
            set_(self, "date", "all")
        for value in (self.date_from, self.date_to):
            if value is not None and not DATE_RANGE[0] <= value <= DATE_RANGE[1]:
                raise ValueError(f"date {value} is outside {DATE_RANGE[0]}..{DATE_RANGE[1]}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        for name in ("profiles_min", "profiles_max"):
            value = getattr(self, name)
            if value is not None:
                if int(value) < 0:
                    raise ValueError(f"{name} must be 0 or more, not {value}")
                set_(self, name, int(value))
        lo, hi = self.profiles_min, self.profiles_max
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"profiles_min {lo} is above profiles_max {hi}")

    # -- face 1 and 2: the link -------------------------------------------------

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, str | Sequence[str]],
        *,
        options: FilterOptions | None = None,
    ) -> tuple[Filters, list[str]]:
        """Return the filters a link asks for, and a notice for each value that was dropped.

        ``params`` maps a name to one value or to a list of values (repeated
        names); from Streamlit pass ``{k: st.query_params.get_all(k) for k in
        st.query_params}`` so repeated ``role=`` values survive. Unknown names
        are ignored silently. With ``options``, role/location/experience values
        the project does not have are dropped. A reversed date or profile range
        is swapped (``normalise``). Notices quote (shortened) text from the
        link: show them as plain text, not markdown. Never raises.
        """
        notices: list[str] = []

        def values(name: str) -> list[str]:
            raw = params.get(name)
            if raw is None:
                return []
            items = [raw] if isinstance(raw, str) else list(raw)
            return [str(v) for v in items if str(v).strip()]

        def last(name: str) -> str | None:
            found = values(name)
            return found[-1].strip() if found else None

        def parse_date(name: str) -> datetime.date | None:
            text = last(name)
            if text is None:
                return None
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                notices.append(
                    f"Ignored {name} date {quote(text)} from the link: not a date (use YYYY-MM-DD)."
                )
                return None

        date = last("date") or "all"
        if date not in DATE_PRESETS:
            notices.append(
                f"Ignored date {quote(date)} from the link: "
                "use 7d, 30d, 90d, quarter, or from/to dates."
            )
            date = "all"
        date_from, date_to = parse_date("from"), parse_date("to")
        if date_from or date_to:
            if date not in ("all", "custom"):
                notices.append(
                    f"Ignored date {quote(date)} from the link: it also gives from/to dates."
                )
            date = "custom"
        elif date == "custom":
            if last("from") is None and last("to") is None:
                notices.append("Ignored date 'custom' from the link: it gives no from/to date.")
            date = "all"

        def choices(facet: Facet) -> tuple[str, ...]:
            allowed = getattr(options, facet.name) if options else None
            kept = []
            for value in values(facet.param):
                band = experience_band(value) if facet.column == "experience" else None
                if band is not None and band != value and (allowed is None or band in allowed):
                    # An older link names a range ("5-9 yrs"): its band selects those sessions.
                    notices.append(f"Read experience {quote(value)} from the link as {band}.")
                    value = band
                if allowed is not None and value not in allowed:
                    notices.append(
                        f"Ignored {facet.noun} {quote(value)} from the link: "
                        f"no such {facet.noun} in this project."
                    )
                else:
                    kept.append(value)
            return tuple(kept)

        def count(name: str) -> int | None:
            text = last(name)
            if text is None:
                return None
            if not text.isascii() or not text.isdigit():
                notices.append(
                    f"Ignored {name} {quote(text)} from the link: not a whole number of 0 or more."
                )
                return None
            return int(text)

        from fj.filters.normalise import normalise  # (it builds Filters: imported here)

        filters, more = normalise(
            date=date,
            date_from=date_from,
            date_to=date_to,
            q=last("q") or "",
            profiles_min=count("pmin"),
            profiles_max=count("pmax"),
            **{facet.name: choices(facet) for facet in FACETS},
        )
        return filters, notices + more

    def to_query(self) -> dict[str, str | list[str]]:
        """Return the query-string parameters of these filters (only the non-default ones)."""
        query: dict[str, str | list[str]] = {}
        if self.date == "custom":
            if self.date_from:
                query["from"] = self.date_from.isoformat()
            if self.date_to:
                query["to"] = self.date_to.isoformat()
        elif self.date != "all":
            query["date"] = self.date
        for facet in FACETS:
            if values := getattr(self, facet.name):
                query[facet.param] = list(values)
        if self.q:
            query["q"] = self.q
        if self.profiles_min is not None:
            query["pmin"] = str(self.profiles_min)
        if self.profiles_max is not None:
            query["pmax"] = str(self.profiles_max)
        return query

    # -- face 3: applied to a frame ----------------------------------------------

    def window(self, now: datetime.datetime, tz: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """Return the [start, end) UTC instants of the date filter, or None for "all".

        ``now`` may be naive (read as UTC); ``tz`` is the viewer's IANA zone,
        whose calendar days the presets count.
        """
        days = self._local_days(now, tz)
        if days is None:
            return None
        start, end = days
        return (EPOCH if start is None else _midnight(start, tz), _midnight(end, tz))

    def previous_period(self, now: datetime.datetime, tz: str) -> Filters | None:
        """Return the same filters over the period just before this window, of equal length.

        The period is counted in local calendar days ("30d" compares with
        the 30 days before). None when there is no window, it has no start
        or is empty, or the period before it would start before 1970.
        """
        days = self._local_days(now, tz)
        if days is None or days[0] is None:
            return None
        start, end = days
        length = end - start
        if length.days <= 0 or start - length < DATE_RANGE[0]:
            return None  # an empty window (a future start), or one reaching before 1970
        return replace(
            self,
            date="custom",
            date_from=start - length,
            date_to=start - datetime.timedelta(days=1),
        )

    def apply(self, frame: pd.DataFrame, *, now: datetime.datetime, tz: str) -> pd.DataFrame:
        """Return the sessions these filters select (the frame itself when they are default).

        With a date window, sessions without ``created_at`` are left out; a
        profile range leaves out sessions without ``total_profiles``.
        """
        mask = self._mask(frame, self.window(now, tz))
        return frame if mask is None else frame[mask]

    def _mask(
        self, frame: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp] | None
    ) -> np.ndarray | None:
        masks: list[np.ndarray] = []
        if window is not None:
            created = frame["created_at"].array
            start, end = (t.as_unit(created.unit).asm8.view("i8") for t in window)
            instants = created.asi8  # NaT is the smallest int64, so never in a window
            masks.append((instants >= start) & (instants < end))
        for facet in FACETS:
            if values := getattr(self, facet.name):
                masks.append(category_mask(frame[facet.column], values))
        if self.profiles_min is not None or self.profiles_max is not None:
            profiles = frame["total_profiles"].to_numpy(dtype="float64", na_value=np.nan)
            if self.profiles_min is not None:
                masks.append(profiles >= self.profiles_min)
            if self.profiles_max is not None:
                masks.append(profiles <= self.profiles_max)
        mask = np.logical_and.reduce(masks) if masks else None
        if self.q:
            # Text search is the costly mask: run it only on the rows the others keep.
            rows = np.arange(len(frame)) if mask is None else np.flatnonzero(mask)
            found = np.zeros(len(frame), dtype=bool)
            for column in ("title", "jd_text"):
                hit = _contains(frame[column], rows, self.q)
                found[rows[hit]] = True
                rows = rows[~hit]  # a row found in the title needs no look at its JD
            mask = found
        return mask

    def _local_days(
        self, now: datetime.datetime, tz: str
    ) -> tuple[datetime.date | None, datetime.date] | None:
        """The window as local dates [start, end); start None means unbounded."""
        if self.date == "all":
            return None
        stamp = pd.Timestamp(now)
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize("UTC")
        today = stamp.tz_convert(tz).date()
        tomorrow = today + datetime.timedelta(days=1)
        if self.date == "quarter":
            return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), tomorrow
        if self.date == "custom":
            end = (self.date_to or today) + datetime.timedelta(days=1)
            return self.date_from, end
        return today - datetime.timedelta(days=DATE_PRESETS[self.date] - 1), tomorrow

    # -- face 4: in words -----------------------------------------------------

    def describe(self) -> str:
        """Return the filters in words, e.g. "role is Data Engineer, created in the last 30 days".

        "all sessions" when nothing is filtered. Plain text: values from the
        data appear as they are, so escape it before rendering as markdown.
        """
        parts = []
        for facet in FACETS:
            if values := getattr(self, facet.name):
                parts.append(f"{facet.words} is {' or '.join(values)}")
        if self.date in ("7d", "30d", "90d"):
            parts.append(f"created in the last {DATE_PRESETS[self.date]} days")
        elif self.date == "quarter":
            parts.append("created this quarter")
        elif self.date == "custom":
            start, end = self.date_from, self.date_to
            if start and end:
                parts.append(
                    f"created on {start}" if start == end else f"created from {start} to {end}"
                )
            else:
                parts.append(
                    f"created on or after {start}" if start else f"created on or before {end}"
                )
        if self.q:
            parts.append(f'title or job description contains "{self.q}"')
        lo, hi = self.profiles_min, self.profiles_max
        if lo is not None and hi is not None:
            parts.append(f"with {lo} to {hi} profiles")
        elif lo is not None:
            parts.append(f"with at least {lo} profiles")
        elif hi is not None:
            parts.append(f"with at most {hi} profiles")
        return ", ".join(parts) if parts else "all sessions"

    def slug(self) -> str:
        """Return a short ASCII, filename-safe summary: "all", "30d_role-net-developer", ..."""
        parts = []
        if self.date == "custom":
            parts.append(f"{self.date_from or 'start'}-to-{self.date_to or 'today'}")
        elif self.date != "all":
            parts.append(self.date)
        for facet in FACETS:
            if values := getattr(self, facet.name):
                more = f"-plus{len(values) - 1}" if len(values) > 1 else ""
                parts.append(f"{facet.slug}-{slugify(values[0], 30)}{more}")
        if self.q:
            parts.append(f"q-{slugify(self.q, 20)}")
        lo, hi = self.profiles_min, self.profiles_max
        if lo is not None and hi is not None:
            parts.append(f"p{lo}-{hi}")
        elif lo is not None:
            parts.append(f"pmin{lo}")
        elif hi is not None:
            parts.append(f"pmax{hi}")
        return "_".join(parts)[:100].rstrip("-_") if parts else "all"

    def without_dates(self) -> Filters:
        """Return these filters with the date filter removed."""
        return replace(self, date="all", date_from=None, date_to=None)


def undated_hidden(frame: pd.DataFrame, filters: Filters) -> int:
    """Return how many sessions the date filter hides only because they have no ``created_at``.

    Counts the undated sessions that pass every other filter; 0 for "all".
    """
    if filters.date == "all":
        return 0
    undated = frame["created_at"].isna().to_numpy()
    others = filters.without_dates()._mask(frame, None)
    return int((undated if others is None else undated & others).sum())


def slugify(text: str, limit: int = 40) -> str:
    """Return ``text`` as lowercase ASCII words joined by "-", at most ``limit`` characters.

    "+" reads as "plus" (C++, "3+ yrs"); text with no ASCII letters or digits
    becomes a short hash so that distinct values keep distinct names.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("+", "plus")).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].rstrip("-")
    return slug or hashlib.sha256(text.encode()).hexdigest()[:8]


def _contains(text: pd.Series, rows: np.ndarray, q: str) -> np.ndarray:
    """Which of ``rows`` hold ``q`` in ``text``, ignoring case (missing text never does).

    Titles and job descriptions repeat across sessions, so each distinct text
    among the rows is searched once and the answer spread back through the codes.
    """
    codes, uniques = pd.factorize(text.iloc[rows], use_na_sentinel=True)
    hit = pd.Series(uniques, dtype=text.dtype).str.contains(q, case=False, regex=False)
    # Code -1 (missing text) reads the appended False.
    return np.append(hit.to_numpy(bool, na_value=False), False)[codes]


def _midnight(day: datetime.date, tz: str) -> pd.Timestamp:
    """The UTC instant at which ``day`` starts in ``tz`` (first instant when DST makes it odd)."""
    local = pd.Timestamp(day).tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    return local.tz_convert("UTC")


def quote(text: str) -> str:
    short = text if len(text) <= _NOTICE_VALUE_CHARS else text[: _NOTICE_VALUE_CHARS - 1] + "…"
    return f"'{short}'"
