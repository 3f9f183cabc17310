"""Time the work one dashboard rerun does on a loaded frame, and size the charts it sends.

For each size (default 100k and 1M synthetic sessions of the contract's
dtypes) and a few filter settings, prints the median over repeats of:
``Filters.apply`` plus every Overview aggregate (KPIs, KPI deltas, time
series by role, cumulative profiles, top roles, histogram), the breakdown
page's aggregates, and CSV export of the filtered rows; then the JSON size of
each chart. No assertions: the numbers are for the report.

    .venv/bin/python benchmarks/bench_rerun.py [--sizes 100000,1000000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import psutil

from fj.charts import (
    breakdown_chart,
    cumulative_chart,
    profiles_histogram_chart,
    role_colors,
    sessions_over_time,
    sourcing_vs_profiles_chart,
    top_roles_chart,
)
from fj.export import to_csv
from fj.filters import Filters, filter_options
from fj.metrics import (
    breakdown,
    cumulative_profiles,
    kpi_deltas,
    kpis,
    profiles_histogram,
    suggest_freq,
    timeseries,
    top_roles,
)
from fj.schema import SESSION_COLUMNS

NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)
TZ = "Asia/Kolkata"


def synthetic_frame(n: int, *, seed: int = 0, roles: int = 30, days: int = 730) -> pd.DataFrame:
    """``n`` sessions over ``days`` days before NOW, 1% undated, 2% without a role."""
    rng = np.random.default_rng(seed)
    role_names = [f"Role {i:02d}" for i in range(roles)]
    locations = ["Pune", "Bengaluru", "Remote", "London", "Austin"]
    bands = ["0-2 yrs", "1-5 yrs", "4-8 yrs", "10+ yrs"]
    band_years = np.array([[0, 2], [1, 5], [4, 8], [10, np.nan]])
    end_ms = pd.Timestamp(NOW).value // 1_000_000
    created_ms = end_ms - rng.integers(0, days * 86_400_000, n)
    minutes = rng.gamma(2.0, 5.0, n)
    role_codes = np.where(rng.random(n) < 0.02, -1, rng.integers(0, roles, n))
    band_codes = rng.integers(0, len(bands), n)
    undated = rng.random(n) < 0.01
    created = pd.Series(pd.to_datetime(created_ms, unit="ms", utc=True)).astype(
        "datetime64[ms, UTC]"
    )
    updated = created + pd.to_timedelta(np.round(minutes * 60_000), unit="ms")
    created[undated] = pd.NaT
    titles = pd.Series(np.array(role_names, dtype=object)[np.maximum(role_codes, 0)], dtype="str")
    frame = pd.DataFrame(
        {
            "session_id": pd.Series(np.char.mod("%024x", np.arange(n)), dtype="str"),
            "title": titles,
            "jd_text": "Job Title: " + titles + ", Experience: 1-5 years, Location: Pune",
            "project_id": pd.Series(["p1"] * n, dtype="str"),
            "created_at": created,
            "updated_at": updated,
            "total_profiles": pd.array(rng.integers(0, 120, n), dtype="Int64"),
            "role": pd.Categorical.from_codes(role_codes, categories=role_names),
            "exp_min_years": band_years[band_codes, 0],
            "exp_max_years": band_years[band_codes, 1],
            "location": pd.Categorical.from_codes(rng.integers(0, 5, n), categories=locations),
            "experience": pd.Categorical.from_codes(band_codes, categories=bands),
            "sourcing_seconds": np.where(undated, np.nan, minutes * 60),
        }
    ).astype(SESSION_COLUMNS)
    assert {c: str(t) for c, t in frame.dtypes.items()} == SESSION_COLUMNS
    return frame


def median_ms(work: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``work`` in milliseconds, after one warm-up call."""
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def overview(frame: pd.DataFrame, filters: Filters, freq: str) -> dict[str, object]:
    """Everything the Overview page computes on a rerun."""
    shown = filters.apply(frame, now=NOW, tz=TZ)
    current = kpis(shown)
    return {
        "shown": shown,
        "kpis": current,
        "deltas": kpi_deltas(frame, filters, now=NOW, tz=TZ, current=current),
        "timeseries": timeseries(shown, freq=freq, tz=TZ, by_role=True),
        "cumulative": cumulative_profiles(shown, freq=freq, tz=TZ),
        "top_roles": top_roles(shown),
        "histogram": profiles_histogram(shown),
    }


def breakdowns(shown: pd.DataFrame) -> list[pd.DataFrame]:
    return [breakdown(shown, by) for by in ("role", "location", "experience")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    scenarios = {
        "all sessions": Filters(),
        "30d, 2 roles": Filters(date="30d", roles=("Role 01", "Role 02")),
        "90d, search 'role 1'": Filters(date="90d", q="role 1"),
        "search 'role 1'": Filters(q="role 1"),
        "profiles 10-60": Filters(profiles_min=10, profiles_max=60),
    }
    process = psutil.Process()
    for n in (int(s) for s in args.sizes.split(",")):
        frame = synthetic_frame(n)
        freq = suggest_freq(frame)
        print(
            f"\n== {n:,} sessions (freq {freq}, RSS {process.memory_info().rss / 2**20:,.0f} MiB)"
        )
        print(f"{'filters':24} {'apply':>8} {'+overview':>10} {'breakdowns':>11} {'csv':>9}  rows")
        for name, filters in scenarios.items():
            apply_ms = median_ms(partial(filters.apply, frame, now=NOW, tz=TZ), args.repeats)
            total_ms = median_ms(partial(overview, frame, filters, freq), args.repeats)
            shown = filters.apply(frame, now=NOW, tz=TZ)
            bd_ms = median_ms(partial(breakdowns, shown), args.repeats)
            csv_repeats = 1 if len(shown) > 200_000 else 3
            csv_ms = median_ms(partial(to_csv, shown, tz=TZ, excel=True), csv_repeats)
            print(
                f"{name:24} {apply_ms:7.1f}ms {total_ms:8.1f}ms {bd_ms:9.1f}ms "
                f"{csv_ms:7.0f}ms  {len(shown):,}"
            )
        colors = role_colors(filter_options(frame).roles)
        parts = overview(frame, Filters(), freq)
        by_role = breakdown(frame, "role")
        figures = {
            f"sessions_over_time (by role, {freq}, stacked)": sessions_over_time(
                parts["timeseries"], stacked=True, colors=colors
            ),
            "sessions_over_time (by role, daily, 2 years)": sessions_over_time(
                timeseries(frame, freq="D", tz=TZ, by_role=True), colors=colors
            ),
            "cumulative_chart": cumulative_chart(parts["cumulative"]),
            "top_roles_chart": top_roles_chart(parts["top_roles"], colors),
            "breakdown_chart (role)": breakdown_chart(by_role, by="role", colors=colors),
            "profiles_histogram_chart": profiles_histogram_chart(parts["histogram"]),
            "sourcing_vs_profiles_chart": sourcing_vs_profiles_chart(by_role, colors=colors),
        }
        print("chart JSON sizes (template included):")
        for name, fig in figures.items():
            print(f"  {name:48} {len(fig.to_json()) / 1024:7.1f} KB")


if __name__ == "__main__":
    main()
