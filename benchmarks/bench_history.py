"""History (issue 13): recording a snapshot against loading it, the activity query, the size.

1. Recording the sessions of one fetch in the history (SQLite file, WAL) at each size: the
   first time (every session new), unchanged (the same response again: the dashboard's
   usual cache miss) and with 10% of the sessions changed, against loading the same
   payload into the frame (``load_sessions``), measured in turn in one process.
   Target: an unchanged snapshot of 100k costs at most 0.2x the load.
2. A year of daily snapshots of 10k sessions, 10% of them changing each day: the activity
   query (by day, week, month; by role) and the database's size on disk.
   Targets: the activity query at most 100 ms; the history under 200 MB.

    .venv/bin/python -m benchmarks.bench_history [--sizes 10000,100000]
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.harness import (
    Config,
    Section,
    fmt_mib,
    fmt_ms,
    fmt_n,
    fmt_s,
    loaded_sessions,
    median_time,
)
from fj.history import History, project_key

START = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
YEAR_SESSIONS, YEAR_DAYS, CHANGING = 10_000, 365, 0.10
TZ = "Asia/Kolkata"
PROJECT = "6a0000000000000000000001"


def _changed(frame: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """The frame with ``share`` of its sessions grown by 1-20 profiles, updated now."""
    rng = np.random.default_rng(seed)
    rows = rng.random(len(frame)) < share
    out = frame.copy()
    totals = out["total_profiles"].to_numpy(dtype="int64", na_value=0)
    totals[rows] += rng.integers(1, 21, rows.sum())
    out["total_profiles"] = pd.array(totals, dtype="Int64")
    updated = out["updated_at"].copy()
    updated[rows] = pd.Timestamp(START)
    out["updated_at"] = updated
    return out


def snapshot_section(config: Config, folder: Path) -> Section:
    from fj.frame import load_sessions
    from fj.synthetic import synthetic_payload

    section = Section(
        "History 1. Recording a snapshot vs loading it (SQLite, WAL)",
        ["sessions", "load (parse)", "record: first", "record: unchanged", "unchanged / load",
         "record: 10% changed"],
    )  # fmt: skip
    sizes = sorted(set(config.sizes) | {100_000})
    for n in sizes:
        repeats = config.repeats_at(n)
        payload = synthetic_payload(n, days=180)
        frame = loaded_sessions(n).frame
        key = project_key(frame, None)
        load_s = median_time(partial(load_sessions, payload), repeats)

        first_times: list[float] = []
        for _ in range(min(repeats, 3)):
            url = f"sqlite:///{folder / f'first-{n}-{time.perf_counter_ns()}.sqlite'}"
            with History(url) as h:
                began = time.perf_counter()
                h.record(key, frame)
                first_times.append(time.perf_counter() - began)
        url = f"sqlite:///{folder / f'warm-{n}.sqlite'}"
        with History(url) as h:
            h.record(key, frame)
            unchanged_s = median_time(partial(h.record, key, frame), repeats)
            variants = [_changed(frame, 0.10, seed) for seed in range(2)]
            turn = iter(range(1_000_000))
            changed_s = median_time(
                lambda h=h, v=variants, t=turn, k=key: h.record(k, v[next(t) % 2]), repeats
            )
        first_s = float(np.median(first_times))
        ratio = unchanged_s / load_s
        section.rows.append([fmt_n(n), fmt_ms(load_s), fmt_s(first_s), fmt_ms(unchanged_s),
                             f"{ratio:.3f}x", fmt_ms(changed_s)])  # fmt: skip
        if n == 100_000:
            section.check("unchanged snapshot of 100k vs its load", f"{ratio:.3f}x",
                          "<= 0.2x", ratio <= 0.2,
                          f"{fmt_ms(unchanged_s)} vs {fmt_ms(load_s)}")  # fmt: skip
            section.check("first snapshot of 100k", fmt_s(first_s))
    section.notes.append(
        "An unchanged response is recognised by a digest of (id, totalProfiles, updatedAt) "
        "kept with the project: one read and one update, no per-session work."
    )
    return section


def _year_frames(days: int = YEAR_DAYS, start_day: int = 0):
    """Yield (day, frame) for a year of daily snapshots of 10k sessions, 10% changing a day
    (the same sequence every time: days from ``start_day`` are yielded)."""
    rng = np.random.default_rng(13)
    n = YEAR_SESSIONS
    ids = np.array([f"{i:024x}" for i in range(n)], dtype=object)
    roles = np.array(["Backend Engineer", "Data Analyst", "QA Engineer", "Designer",
                      "Product Manager", "DevOps Engineer", "Data Scientist",
                      "Frontend Engineer"], dtype=object)[rng.integers(0, 8, n)]  # fmt: skip
    created = pd.Series(pd.to_datetime(START) - pd.to_timedelta(rng.integers(0, 86400 * 30, n),
                                                                 unit="s"))  # fmt: skip
    totals = rng.integers(0, 50, n)
    updated = created.copy()
    base = pd.DataFrame({"session_id": ids, "title": roles, "role": roles,
                         "project_id": PROJECT, "created_at": created})  # fmt: skip
    for day in range(days):
        now = pd.Timestamp(START) + pd.Timedelta(days=day)
        if day:
            rows = rng.random(n) < CHANGING
            totals = totals + np.where(rows, rng.integers(1, 20, n), 0)
            when = now - pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
            updated = updated.where(~rows, pd.Series(when))
        if day < start_day:
            continue
        frame = base.assign(total_profiles=pd.array(totals, dtype="Int64"),
                            updated_at=updated.astype("datetime64[ms, UTC]"))  # fmt: skip
        frame["created_at"] = frame["created_at"].astype("datetime64[ms, UTC]")
        yield now, frame


def year_section(config: Config, folder: Path) -> Section:
    section = Section(
        "History 2. A year of daily snapshots of 10k sessions, 10% changing a day",
        ["query", "median", "rows returned"],
    )
    path = folder / "year.sqlite"
    url = f"sqlite:///{path}"
    began = time.perf_counter()
    with History(url) as h:
        record_times = []
        for now, frame in _year_frames():
            t = time.perf_counter()
            h.record(PROJECT, frame, observed_at=now.to_pydatetime())
            record_times.append(time.perf_counter() - t)
        build_s = time.perf_counter() - began
        with h.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            changes = conn.exec_driver_sql("SELECT COUNT(*) FROM fj_history_changes").scalar()
        project = [PROJECT]
        began = time.perf_counter()
        h.activity(project, tz=TZ, freq="W")
        cold_s = time.perf_counter() - began
        section.rows.append([f"activity by week ({TZ}), first read in this timezone "
                             "(builds its daily rollup)", fmt_ms(cold_s), "–"])  # fmt: skip
        worst = 0.0
        for label, kw in [
            ("activity by day", {"freq": "D"}),
            ("activity by week", {"freq": "W"}),
            ("activity by month", {"freq": "M"}),
            ("activity by day, by role", {"freq": "D", "by_role": True}),
            ("activity by week, by role", {"freq": "W", "by_role": True}),
        ]:
            rows = len(h.activity(project, tz=TZ, **kw))
            seconds = median_time(partial(h.activity, project, tz=TZ, **kw), config.repeats)
            worst = max(worst, seconds)
            section.rows.append([f"{label} ({TZ})", fmt_ms(seconds), f"{rows:,}"])
        # one more day: the next read adds only that day's changes to the rollup
        extra = []
        for now, frame in _year_frames(days=YEAR_DAYS + 1, start_day=YEAR_DAYS):
            h.record(PROJECT, frame, observed_at=now.to_pydatetime())
            began = time.perf_counter()
            h.activity(project, tz=TZ, freq="W")
            extra.append(time.perf_counter() - began)
        section.rows.append([f"activity by week ({TZ}) after one more day's snapshot",
                             fmt_ms(extra[0]), "–"])  # fmt: skip
        worst = max(worst, extra[0])
        facts_s = median_time(
            partial(h.since_last_week, project, now=START + dt.timedelta(days=YEAR_DAYS)),
            config.repeats,
        )
        section.rows.append(["since last week", fmt_ms(facts_s), "–"])
    size = sum(p.stat().st_size for p in folder.glob("year.sqlite*"))
    section.check("activity query, a year of daily snapshots of 10k", fmt_ms(worst),
                  "<= 100 ms", worst <= 0.100,
                  f"slowest of the warm reads and the read after a new day; first read in a "
                  f"timezone {fmt_ms(cold_s)}")  # fmt: skip
    section.check("history size, a year of 10k with 10% changing a day", fmt_mib(size),
                  "< 200 MB", size < 200e6, f"{changes:,} changes")  # fmt: skip
    section.notes.append(
        f"Built by recording {YEAR_DAYS} daily snapshots in {fmt_s(build_s)} "
        f"(median record {fmt_ms(float(np.median(record_times)))} each); {changes:,} change rows, "
        f"{fmt_mib(size)} on disk."
    )
    section.notes.append(
        "Activity reads a per-timezone daily rollup kept in the database (at most a few "
        "thousand rows a year) after adding to it the changes recorded since its last read; "
        "the first read in a timezone builds it from every change."
    )
    return section


def run(config: Config) -> list[Section]:
    """Return the two history sections."""
    with tempfile.TemporaryDirectory(prefix="fj-bench-history-") as tmp:
        folder = Path(tmp)
        return [snapshot_section(config, folder), year_section(config, folder)]


if __name__ == "__main__":
    from benchmarks.__main__ import standalone

    standalone(run)
