"""What the dashboard pages show, as small DataFrames computed from a sessions frame.

Every function is vectorised (numpy day arithmetic, grouped aggregations on
categorical codes) so its cost grows with the sessions but its result grows
only with buckets and groups. ``total_profiles`` is a snapshot per session;
sums and means skip sessions whose count is missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from fj.filters import FACETS, NOT_STATED

#: Label of the roles beyond the top N in a by-role time series.
OTHER = "Other"

#: How many roles the by-role charts name; the others are summed as OTHER.
NAMED_ROLES = 8

#: Time-series frequencies: day, week starting Monday, calendar month.
FREQS = ("D", "W", "M")

BREAKDOWN_COLUMNS = tuple(facet.column for facet in FACETS)

_MS_PER_DAY = 86_400_000


@dataclass(frozen=True)
class Kpis:
    """The headline numbers of a set of sessions."""

    sessions: int
    total_profiles: int
    avg_profiles: float | None  # per session with a profile count; None when there is none
    zero_profile_sessions: int


def kpis(frame: pd.DataFrame) -> Kpis:
    """Return the session count, profiles sourced, average per session and sessions with none."""
    profiles = frame["total_profiles"]
    counted = int(profiles.count())
    total = int(profiles.sum())
    return Kpis(
        sessions=len(frame),
        total_profiles=total,
        avg_profiles=total / counted if counted else None,
        zero_profile_sessions=int((profiles == 0).sum()),
    )


def kpis_by_project(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the KPIs of each project of a combined frame (``fj.tables.combine_projects``).

    Columns: project, sessions, total_profiles, avg_profiles,
    zero_profile_sessions; one row per project, in the frame's project order,
    projects without a session in the view included (zeros). Sessions and
    profiles add up to ``kpis`` of the whole frame.
    """
    rows = [
        {"project": str(name), **asdict(kpis(frame[frame["project"] == name]))}
        for name in frame["project"].cat.categories
    ]
    result = pd.DataFrame(rows, columns=["project", *asdict(Kpis(0, 0, None, 0))])
    return result.astype({"avg_profiles": "float64"})


#: The most buckets a time series has, whatever the data: beyond it only the newest
#: MAX_BUCKETS are kept (``attrs["left_out"]`` counts the sessions of the older ones).
#: Far-off dates never get here (the loader leaves implausible dates out), but a
#: daily series over many years could still ask for thousands of points per line.
MAX_BUCKETS = 1500


def timeseries(
    frame: pd.DataFrame,
    *,
    freq: str = "W",
    tz: str,
    by_role: bool = False,
    top_roles: int = NAMED_ROLES,
    group: str = "role",
) -> pd.DataFrame:
    """Return sessions and profiles per day, week (from Monday) or month in ``tz``.

    Columns: ``bucket`` (tz-aware start of the period), ``role`` when
    ``by_role``, ``sessions``, ``profiles``. Every bucket from the first to the
    last is present (zeros filled) for every role listed. With ``by_role`` the
    ``top_roles`` roles with the most profiles keep their name, the rest are
    summed as ``OTHER`` and missing roles as ``NOT_STATED``. ``group="project"``
    does the same by project (in All projects), still in the ``role`` column.
    Sessions without ``created_at`` are left out. At most :data:`MAX_BUCKETS`
    buckets (the newest). ``attrs`` records ``freq``, ``tz``, ``group`` and
    ``left_out``, the sessions of older buckets beyond that bound.
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
    dated = frame["created_at"].notna().to_numpy()
    periods = _periods(frame["created_at"], tz, freq)[dated]
    profiles = frame["total_profiles"].to_numpy("float64", na_value=0)[dated]
    labels, names = np.zeros(len(periods), dtype="int64"), [""]
    if by_role:
        labels, names = _role_labels(frame[group], dated, profiles, top_roles)
    left_out = 0
    if periods.size and periods.max() - periods.min() >= MAX_BUCKETS:
        keep = periods > periods.max() - MAX_BUCKETS
        left_out = int((~keep).sum())
        periods, profiles, labels = periods[keep], profiles[keep], labels[keep]
    if periods.size == 0:
        result = pd.DataFrame({"bucket": pd.Series([], dtype=f"datetime64[ms, {tz}]")})
        if by_role:
            result["role"] = pd.Series([], dtype="str")
        empty = _with_attrs(result.assign(sessions=0, profiles=0), freq, tz, left_out)
        return empty if not by_role else _with_group(empty, group)
    # One dense grid of buckets x labels: bincount fills the empty cells with zeros.
    first, count, width = periods.min(), periods.max() - periods.min() + 1, len(names)
    cells = (periods - first) * width + labels
    sessions = np.bincount(cells, minlength=count * width).reshape(count, width)
    sums = np.bincount(cells, weights=profiles, minlength=count * width).reshape(count, width)
    shown = np.flatnonzero(sessions.sum(axis=0) > 0)
    starts = _period_starts(first + np.arange(count), freq)
    result = pd.DataFrame(
        {
            "bucket": pd.DatetimeIndex(np.repeat(starts, len(shown)))
            .as_unit("ms")
            .tz_localize(tz, ambiguous=True, nonexistent="shift_forward"),
            "role": pd.Series(np.tile(np.array(names, dtype=object)[shown], count), dtype="str"),
            "sessions": sessions[:, shown].ravel().astype("int64"),
            "profiles": np.rint(sums[:, shown].ravel()).astype("int64"),
        }
    )
    if by_role:
        return _with_group(_with_attrs(result, freq, tz, left_out), group)
    return _with_attrs(result.drop(columns="role"), freq, tz, left_out)


def cumulative_from(series: pd.DataFrame) -> pd.DataFrame:
    """Return ``cumulative_profiles`` from a ``timeseries`` result, by role or not.

    Columns: bucket, profiles, cumulative_profiles, sessions, cumulative_sessions.
    A page that already holds the series (the Overview draws it stacked by
    role) gets the running totals without a second pass over the sessions.
    """
    freq, tz = series.attrs["freq"], series.attrs["tz"]
    if "role" in series.columns:
        # Every bucket is present for every role shown (see timeseries), so the
        # per-bucket totals are the by-role cells summed.
        series = series.groupby("bucket", sort=True)[["profiles", "sessions"]].sum().reset_index()
    result = series[["bucket", "profiles"]].assign(
        cumulative_profiles=series["profiles"].cumsum().to_numpy(),
        sessions=series["sessions"].to_numpy(),
        cumulative_sessions=series["sessions"].cumsum().to_numpy(),
    )
    result = result.reset_index(drop=True)
    result.attrs = {}  # a total over every role: the series' ``group`` does not apply
    return _with_attrs(result, freq, tz, series.attrs.get("left_out", 0))


def role_totals(series: pd.DataFrame, by: str = "profiles") -> pd.DataFrame:
    """Return role, sessions, profiles summed over a by-role ``timeseries``, in its legend's order.

    The named roles come first, largest ``by`` ("profiles" or "sessions")
    first, then ``OTHER`` and ``NOT_STATED`` when present: exactly the roles
    the stacked chart names, so the two charts never disagree.
    """
    totals = series.groupby("role", sort=False)[["sessions", "profiles"]].sum()
    folded = [r for r in (OTHER, NOT_STATED) if r in totals.index]
    other = "sessions" if by == "profiles" else "profiles"
    named = totals.drop(index=folded).sort_values([by, other], ascending=False, kind="stable")
    result = pd.concat([named, totals.loc[folded]]).reset_index()
    result["role"] = result["role"].astype("str")
    return result[["role", "sessions", "profiles"]].astype(
        {"sessions": "int64", "profiles": "int64"}
    )


def named_roles(frame: pd.DataFrame, n: int = NAMED_ROLES) -> list[str]:
    """Return the roles a by-role ``timeseries`` of ``frame`` names (the others are ``OTHER``)."""
    dated = frame["created_at"].notna().to_numpy()
    profiles = frame["total_profiles"].to_numpy("float64", na_value=0)[dated]
    _, names = _role_labels(frame["role"], dated, profiles, n)
    return names[:-2]


def top_roles(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Return the ``n`` roles with the most profiles: role, sessions, profiles (most first)."""
    role = frame["role"]
    if not isinstance(role.dtype, pd.CategoricalDtype):
        role = role.astype("category")
    profiles = frame["total_profiles"].to_numpy("float64", na_value=0)
    names, sessions, sums, _ = _category_totals(role, profiles)
    order = _most_profiles_order([*names, NOT_STATED], sessions, sums)[:n]
    return pd.DataFrame(
        {
            "role": pd.Series([(*names, NOT_STATED)[i] for i in order], dtype="str"),
            "sessions": sessions[order].astype("int64"),
            "profiles": np.rint(sums[order]).astype("int64"),
        }
    )


def breakdown(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Return one row per role, location or experience band, the most profiles first.

    ``by="project"`` also works on a frame of several projects (All projects).

    Columns: group (``NOT_STATED`` for missing), sessions, profiles,
    avg_profiles, median_profiles, median_sourcing_minutes.
    """
    if by not in BREAKDOWN_COLUMNS and not (by == "project" and "project" in frame.columns):
        raise ValueError(f"by must be one of {BREAKDOWN_COLUMNS}, not {by!r}")
    data = pd.DataFrame(
        {
            "group": frame[by],
            "profiles": frame["total_profiles"],
            "minutes": frame["sourcing_seconds"] / 60,
        }
    )
    grouped = data.groupby("group", observed=True, dropna=False, sort=False).agg(
        sessions=("profiles", "size"),
        profiles=("profiles", "sum"),
        avg_profiles=("profiles", "mean"),
        median_profiles=("profiles", "median"),
        median_sourcing_minutes=("minutes", "median"),
    )
    result = _named_groups(grouped)
    result["profiles"] = result["profiles"].astype("int64")
    for column in ("avg_profiles", "median_profiles", "median_sourcing_minutes"):
        result[column] = result[column].astype("float64")
    return _most_profiles_first(result)


def profiles_histogram(frame: pd.DataFrame, bins: int = 20) -> pd.DataFrame:
    """Return how many sessions fall in each range of profile counts.

    Columns: bin_start (inclusive), bin_end (exclusive), sessions. Bins are
    of one round width (1, 2 or 5 times a power of ten: 0-9, 10-19...), the
    first starting at a multiple of it, at most ``bins`` of them; sessions
    without a count are left out.
    """
    counts = frame["total_profiles"].dropna().to_numpy("int64")
    if counts.size == 0:
        return pd.DataFrame({"bin_start": [], "bin_end": [], "sessions": []}, dtype="int64")
    low, high = int(counts.min()), int(counts.max())
    width = round_bin_width(low, high, bins)
    first = low // width * width
    edges = first + width * np.arange((high - first) // width + 2)
    sessions, _ = np.histogram(counts, edges)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "sessions": sessions})


def round_bin_width(low: int, high: int, bins: int) -> int:
    """Return the smallest width of 1, 2 or 5 times a power of ten that covers low..high in bins."""
    width = 1
    while True:
        for step in (1, 2, 5):
            if (high - low // (width * step) * (width * step)) // (width * step) + 1 <= bins:
                return width * step
        width *= 10


def _periods(created: pd.Series, tz: str, freq: str) -> np.ndarray:
    """Each session's period number in ``tz``: days or months since 1970, or weeks.

    Week numbers count from Monday 1969-12-29, so weeks start on Mondays.
    """
    local = created.dt.tz_convert(tz).dt.tz_localize(None).to_numpy()
    if freq == "M":
        return local.astype("datetime64[M]").astype("int64")
    days = local.astype("datetime64[D]").astype("int64")
    return (days + 3) // 7 if freq == "W" else days  # 1970-01-01 was a Thursday


def _period_starts(periods: np.ndarray, freq: str) -> np.ndarray:
    """The local calendar day (datetime64[D]) on which each period number starts."""
    if freq == "M":
        return periods.astype("datetime64[M]").astype("datetime64[D]")
    return (periods * 7 - 3 if freq == "W" else periods).astype("datetime64[D]")


def _role_labels(
    role: pd.Series, rows: np.ndarray, profiles: np.ndarray, n: int
) -> tuple[np.ndarray, list[str]]:
    """Label number of each selected row (top ``n`` roles, OTHER, NOT_STATED), and the labels."""
    if not isinstance(role.dtype, pd.CategoricalDtype):
        role = role.astype("category")
    names, sessions, sums, codes = _category_totals(role, profiles, rows)
    top = _most_profiles_order(names, sessions, sums)[:n]
    lookup = np.full(len(names) + 1, len(top), dtype="int64")  # default: OTHER
    lookup[top] = np.arange(len(top))
    lookup[-1] = len(top) + 1  # missing role: NOT_STATED
    return lookup[codes], [*(names[i] for i in top), OTHER, NOT_STATED]


def _category_totals(
    series: pd.Series, profiles: np.ndarray, rows: np.ndarray | None = None
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Sessions and profiles per category; missing values are counted at the last position.

    Returns the category names, sessions and profile sums (one longer than the
    names), and each row's position (``-1`` codes moved to the end).
    """
    names = [str(c) for c in series.cat.categories]
    codes = series.cat.codes.to_numpy().astype("int64")
    if rows is not None:
        codes = codes[rows]
    codes[codes < 0] = len(names)
    sessions = np.bincount(codes, minlength=len(names) + 1)
    sums = np.bincount(codes, weights=profiles, minlength=len(names) + 1)
    return names, sessions, sums, codes


def _most_profiles_order(names: list[str], sessions: np.ndarray, sums: np.ndarray) -> list[int]:
    """Positions of the named categories present, most profiles first (then sessions, name)."""
    present = np.flatnonzero(sessions[: len(names)] > 0)
    return sorted(present, key=lambda i: (-sums[i], -sessions[i], names[i]))


def _named_groups(grouped: pd.DataFrame) -> pd.DataFrame:
    """Grouped result with its index as a plain-text ``group`` column, missing as NOT_STATED."""
    group = pd.Series(grouped.index.astype(object), dtype="str").fillna(NOT_STATED)
    result = grouped.reset_index(drop=True)
    result.insert(0, "group", group)
    result["sessions"] = result["sessions"].astype("int64")
    return result


def _most_profiles_first(result: pd.DataFrame) -> pd.DataFrame:
    return result.sort_values(
        ["profiles", "sessions", "group"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def _with_group(result: pd.DataFrame, group: str) -> pd.DataFrame:
    result.attrs["group"] = group
    return result


def _with_attrs(result: pd.DataFrame, freq: str, tz: str, left_out: int = 0) -> pd.DataFrame:
    result.attrs.update(freq=freq, tz=tz, left_out=left_out)
    return result
