"""Memory: peak RSS increase while loading sessions, against the finished frame's own size.

Each measurement runs in a fresh subprocess, so nothing a previous load left
in the allocators flatters or spoils it. The child imports everything, warms
up on 1k sessions, reads the payload from a file (it is in memory before the
baseline is taken), then loads it while a thread samples the RSS every
millisecond. The kernel's own high-water mark (VmHWM, reset just before the
load through /proc/self/clear_refs) cross-checks the sampler, which could
miss a spike shorter than its period; the check uses the larger of the two.

    .venv/bin/python -m benchmarks.bench_memory [--full] [--repeats 3]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.harness import FULL_SIZE, PYTHON, ROOT, Config, Section, fmt_mib, fmt_n

TARGET_SIZE = FULL_SIZE
MAX_RATIO = 3.0  # peak RSS increase / frame.memory_usage(deep=True).sum()


def child(path: str) -> dict[str, float]:
    """Load the payload at ``path`` and return what memory it took (runs in the subprocess)."""
    import gc

    import psutil
    import pyarrow as pa

    from fj.frame import load_sessions
    from fj.synthetic import synthetic_payload

    load_sessions(synthetic_payload(1_000))  # imports, regexes, thread pools, allocator set-up
    body = Path(path).read_bytes()
    gc.collect()
    process = psutil.Process()
    baseline = process.memory_info().rss
    kernel_peak = _reset_peak_rss()
    peak = baseline
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.001)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    pool = pa.default_memory_pool()
    arrow_before = pool.max_memory() or 0
    start = time.perf_counter()
    loaded = load_sessions(body)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = process.memory_info().rss
    high_water = _peak_rss() if kernel_peak else None
    return {
        "sessions": len(loaded.frame),
        "path": loaded.path,
        "payload": len(body),
        "frame": float(loaded.frame.memory_usage(deep=True).sum()),
        "sampled": float(max(peak, after) - baseline),
        "high_water": None if high_water is None else float(high_water - baseline),
        "peak": float(max(peak, after, high_water or 0) - baseline),
        "retained": float(after - baseline),
        "arrow_peak": float(max(pool.max_memory() or 0, arrow_before)),
        "seconds": seconds,
    }


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux: VmHWM) to the current RSS; False if unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return _peak_rss() is not None


def _peak_rss() -> int | None:
    """Return the kernel's peak RSS of this process in bytes (VmHWM), or None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def measure(n: int, repeats: int) -> dict[str, float]:
    """Return the median of ``repeats`` fresh-process measurements of loading n sessions."""
    from fj.synthetic import synthetic_payload

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "payload.json"
        path.write_bytes(synthetic_payload(n))
        runs = []
        for _ in range(repeats):
            out = subprocess.run(
                [PYTHON, "-m", "benchmarks.bench_memory", "--child", str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = dict(runs[0])
    for name in ("peak", "sampled", "retained", "arrow_peak", "seconds"):
        result[name] = statistics.median(r[name] for r in runs)
    highs = [r["high_water"] for r in runs if r["high_water"] is not None]
    result["high_water"] = statistics.median(highs) if highs else None
    return result


def run(config: Config) -> list[Section]:
    """Return the memory table at 100k and 1M sessions (the target is at 1M)."""
    section = Section(
        "2. Memory: peak RSS while loading",
        ["sessions", "payload", "frame (deep)", "peak RSS increase (sampled)",
         "peak RSS increase (kernel VmHWM)", "peak / frame", "arrow pool peak", "RSS kept after",
         "load time"],
    )  # fmt: skip
    sizes = sorted({n for n in config.sizes if n >= 100_000} | {100_000, TARGET_SIZE})
    repeats = 3
    for n in sizes:
        m = measure(n, repeats)
        ratio = m["peak"] / m["frame"]
        high = m["high_water"]
        section.rows.append(
            [fmt_n(n), fmt_mib(m["payload"]), fmt_mib(m["frame"]), fmt_mib(m["sampled"]),
             "–" if high is None else fmt_mib(high), f"{ratio:.2f}x",
             fmt_mib(m["arrow_peak"]), fmt_mib(m["retained"]), f"{m['seconds']:.2f} s"]
        )  # fmt: skip
        if n == TARGET_SIZE:
            section.check(
                "peak RSS increase / frame at 1M", f"{ratio:.2f}x", f"≤ {MAX_RATIO:.0f}x",
                ratio <= MAX_RATIO,
            )  # fmt: skip
    section.notes += [
        f"Median of {repeats} fresh processes per size; the payload is read into memory "
        "before the baseline. 1M is measured in every run: it is the target's size.",
        "peak / frame uses the larger of the two peaks. Arrow pool peak: the most pyarrow "
        "held at once (mimalloc); RSS kept after: what the process still holds once the "
        "frame is built (the frame plus allocator caches).",
    ]
    return [section]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
        return
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
