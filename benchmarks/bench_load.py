"""Time payload bytes -> typed sessions frame: json.loads alone, the notebook way, load_sessions.

Usage: .venv/bin/python benchmarks/bench_load.py [--full] [--distinct-jd] [--repeats 5] [--seed 0]

Prints one table: the median of several repeats per size, and ratios taken in
the same run (load_sessions / json.loads: 1.0 or below means the loader costs no
more than parsing the JSON alone; notebook / load_sessions: how many times
faster than json_normalize + to_datetime + str.extract). Never asserts on time.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fj.frame import load_sessions  # noqa: E402

_ROLES = [".NET Developer", "Senior .NET Developer", "Data Engineer", "QA Automation Engineer",
          "Product Manager", "Frontend Developer (React)", "DevOps Engineer"]  # fmt: skip
_PLACES = ["Pune", "Bengaluru", "Hyderabad", "Mumbai", "Chennai", "Remote"]
_EXPERIENCE = ["1-5 years", "4-8 years", "3+ years", "5 years", "2-4 years", "10+ years"]


def _local_payload(n: int, seed: int, distinct_jd: bool = False) -> bytes:
    """A realistic payload without fj.synthetic: labelled JDs mostly, some prose, varied dates.

    ``distinct_jd`` makes every JD text unique (a requisition number and notes):
    the worst case for the JD parser, which otherwise matches each distinct text once.
    """
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = []
    for i in range(n):
        role, place, exp = rng.choice(_ROLES), rng.choice(_PLACES), rng.choice(_EXPERIENCE)
        if rng.random() < 0.9:
            text = f"Job Title: {role}, Experience: {exp}, Location: {place}"
        else:
            text = f"We are hiring a {role} in {place} with {exp} of experience."
        if distinct_jd:
            text += f" Req #{i}. Skills: Python, SQL; notice period: {rng.randrange(90)} days"
        created = start + timedelta(milliseconds=rng.randrange(180 * 86_400_000))
        updated = created + timedelta(milliseconds=rng.randrange(5_000, 3_600_000))
        records.append(
            {
                "_id": f"{0x69F0DD1DA08D760844569BB1 + i:024x}",
                "sessionTitle": role,
                "jdDetail": {"userText": text},
                "projectId": "69f0dd1da08d760844569bb1",
                "createdAt": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "updatedAt": updated.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "totalProfiles": rng.choice([25, 35, 50, 100, rng.randrange(500)]),
            }
        )
    envelope = {"statusCode": 200, "data": records, "message": "ok", "status": "SUCCESS"}
    return json.dumps(envelope, separators=(",", ":")).encode()


def payload(n: int, seed: int, distinct_jd: bool = False) -> tuple[bytes, str]:
    """Return a payload of n sessions and the name of the generator that made it."""
    if distinct_jd:
        return _local_payload(n, seed, distinct_jd=True), "local generator, every JD distinct"
    try:
        from fj.synthetic import synthetic_payload
    except ImportError:
        return _local_payload(n, seed), "local generator"
    return synthetic_payload(n, seed), "fj.synthetic"


def notebook_way(body: bytes) -> pd.DataFrame:
    """The baseline: what a notebook would do with the same body."""
    frame = pd.json_normalize(json.loads(body)["data"])
    for column in ("createdAt", "updatedAt"):
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    text = frame["jdDetail.userText"]
    frame["role"] = text.str.extract(r"(?i)job title\s*:\s*([^,\n]+)")[0].str.strip()
    frame["location"] = text.str.extract(r"(?i)location\s*:\s*([^,\n]+)")[0].str.strip()
    years = text.str.extract(r"(?i)experience\s*:\s*(\d+)\s*(?:-\s*(\d+)|(\+))?")
    frame["exp_min_years"] = years[0].astype(float)
    frame["exp_max_years"] = years[1].astype(float)
    frame["sourcing_seconds"] = (frame["updatedAt"] - frame["createdAt"]).dt.total_seconds()
    return frame


def median_seconds(run, body: bytes, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run(body)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run 1M sessions")
    parser.add_argument("--distinct-jd", action="store_true", help="worst case: no JD repeats")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.full else [])
    header = (
        f"{'sessions':>9} {'MB':>7} {'json.loads':>11} {'notebook':>10} {'load_sessions':>14}"
        f" {'path':>5} {'load/json':>10} {'notebook/load':>14}"
    )
    rows = []
    for n in sizes:
        body, source = payload(n, args.seed, args.distinct_jd)
        repeats = max(3, args.repeats if n < 1_000_000 else 3)
        floor = median_seconds(json.loads, body, repeats)
        notebook = median_seconds(notebook_way, body, repeats)
        ours = median_seconds(load_sessions, body, repeats)
        path = load_sessions(body).path
        rows.append(
            f"{n:>9,} {len(body) / 1e6:>7.1f} {floor:>10.3f}s {notebook:>9.3f}s {ours:>13.3f}s"
            f" {path:>5} {ours / floor:>9.2f}x {notebook / ours:>13.1f}x"
        )
    print(f"payloads from {source}; median of {args.repeats} repeats (3 at 1M)")
    print(header)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
