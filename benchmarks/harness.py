"""What every benchmark shares: timing by medians, the machine it ran on, and result tables.

Each ``bench_*`` module returns :class:`Section` objects: a table of figures
and the :class:`Check` of each target it measures (PASS, MISS, or no target).
``python -m benchmarks`` prints them all and a summary of the checks. Tables
are Markdown pipe tables, aligned, so the output reads in a terminal and
pastes into benchmarks/README.md unchanged. Nothing here ever fails on a clock.
"""

from __future__ import annotations

import functools
import gc
import importlib.metadata
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

_NUMBER = re.compile(r"^[≤≥~+-]?[\d,]+(\.\d+)?\s*(x|%|s|ms|MiB|KB|MB|k|M)?$")

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

#: Session counts of a default run, and the one ``--full`` adds.
SIZES = (1_000, 10_000, 100_000)
FULL_SIZE = 1_000_000

#: The packages whose versions decide the figures.
PACKAGES = ("pandas", "pyarrow", "numpy", "streamlit", "plotly", "requests", "playwright")


@dataclass(frozen=True)
class Config:
    """What to run: the session counts, how many repeats, and whether 1M is included."""

    sizes: tuple[int, ...] = SIZES
    repeats: int = 5
    full: bool = False

    def repeats_at(self, n: int) -> int:
        """Fewer repeats for the largest sizes (at least 3: a median needs them)."""
        return max(3, self.repeats if n < FULL_SIZE else 3)


@dataclass(frozen=True)
class Check:
    """One figure against its target; ``passed`` is None when the figure has no target."""

    section: str
    what: str
    figure: str
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "–"}[self.passed]


@dataclass
class Section:
    """A table of figures for one benchmark, the checks drawn from it, and notes under it."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(
        self, what: str, figure: str, target: str = "", passed: bool | None = None, note: str = ""
    ) -> None:
        self.checks.append(Check(self.title, what, figure, target, passed, note))

    def render(self) -> str:
        parts = [f"### {self.title}", "", markdown_table(self.headers, self.rows)]
        if self.notes:
            parts += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(parts)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Return an aligned Markdown pipe table (numbers right-aligned by their look)."""
    cells = [list(map(str, headers)), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    right = [
        all(_numeric(row[i]) for row in cells[1:]) and len(cells) > 1 for i in range(len(headers))
    ]

    def line(row: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if r else ("-" * (w + 2))
            for w, r in zip(widths, right, strict=True)
        )
        + "|"
    )
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def _numeric(text: str) -> bool:
    return text in ("", "–") or _NUMBER.match(text) is not None


def summary(sections: Sequence[Section]) -> Section:
    """Return one table of every check of every section."""
    table = Section("Targets", ["section", "figure", "measured", "target", "verdict", "note"])
    for section in sections:
        for c in section.checks:
            table.rows.append([c.section, c.what, c.figure, c.target or "–", c.verdict, c.note])
    return table


def median_time(work: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    """Return the median wall time of ``work`` in seconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        work()
    return statistics.median(timings(work, repeats))


def timings(work: Callable[[], object], repeats: int) -> list[float]:
    """Return the wall time of each of ``repeats`` calls, collecting garbage before each."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def interleaved(works: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Return the median seconds of each work, run in turn each round (fair ratios on noise).

    A noisy neighbour slows whichever runs at that moment; taking turns spreads
    the noise over all of them instead of over one.
    """
    times: dict[str, list[float]] = {name: [] for name in works}
    for work in works.values():
        work()  # warm-up: imports, regex compilation, allocator pools
    for _ in range(repeats):
        for name, work in works.items():
            times[name] += timings(work, 1)
    return {name: statistics.median(t) for name, t in times.items()}


def browser_missing() -> str | None:
    """Why the browser benchmarks cannot run here (Playwright or Chromium missing), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    from tests.servers import CHROMIUM

    if not Path(CHROMIUM).exists():
        return f"no {CHROMIUM}"
    return None


def machine() -> Section:
    """Return the machine and package versions as a section (no checks)."""
    memory = psutil.virtual_memory().total
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    rows = [
        [
            "CPU cores (logical / physical)",
            f"{psutil.cpu_count()} / {psutil.cpu_count(logical=False)}",
        ],
        ["CPU", _cpu_model()],
        ["RAM", f"{memory / 2**30:.1f} GiB"],
        ["OS", f"{platform.system()} {platform.release()} ({_os_name()})"],
        ["Python", platform.python_version()],
        ["load average at start (1/5/15 min)", " / ".join(f"{x:.2f}" for x in load)],
    ]
    for package in PACKAGES:
        try:
            rows.append([package, importlib.metadata.version(package)])
        except importlib.metadata.PackageNotFoundError:
            rows.append([package, "not installed"])
    chromium = Path("/usr/bin/chromium")
    rows.append(["chromium", _chromium_version() if chromium.exists() else "not installed"])
    return Section("Machine", ["what", "value"], rows)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _chromium_version() -> str:
    import subprocess

    try:
        out = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.strip().splitlines()[-1] if out.strip() else "unknown"


def fmt_ms(seconds: float) -> str:
    """Seconds as milliseconds with sensible precision: "0.42 ms", "12.3 ms", "1,234 ms"."""
    ms = seconds * 1000
    if ms < 1:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    return f"{ms:,.0f} ms"


def fmt_s(seconds: float) -> str:
    """Seconds with three decimals: "0.142 s"."""
    return f"{seconds:,.3f} s"


def fmt_n(n: int) -> str:
    """A session count as people say it: "1k", "100k", "1M"."""
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def fmt_mib(size: float) -> str:
    """Bytes as MiB: "213 MiB" (one decimal below 10)."""
    mib = size / 2**20
    return f"{mib:.1f} MiB" if mib < 10 else f"{mib:,.0f} MiB"


def fmt_kb(size: float) -> str:
    """Bytes as KB of 1,000 bytes (the stricter reading of a "250 KB" target): "12.3 KB"."""
    return f"{size / 1000:,.1f} KB"


@functools.cache
def loaded_sessions(n: int, days: int = 180):
    """Return ``load_sessions(synthetic_payload(n, days=days))``, once per process (1M: ~10 s)."""
    from fj.frame import load_sessions
    from fj.synthetic import synthetic_payload

    return load_sessions(synthetic_payload(n, days=days))
