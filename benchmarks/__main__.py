"""Run every benchmark and print one report: the machine, a table per section, the targets.

    .venv/bin/python -m benchmarks            # 1k, 10k, 100k sessions (a few minutes)
    .venv/bin/python -m benchmarks --full     # also 1M sessions (the README's table)
    .venv/bin/python -m benchmarks --only load,rerun --repeats 7

Each section can also run alone: ``python -m benchmarks.bench_load`` (same flags).
The figures are for reading, never for failing: these machines are shared and
noisy, which is why every figure is a median and every ratio compares runs
taken in turn within one process.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
import warnings
from collections.abc import Callable, Sequence

from benchmarks.harness import FULL_SIZE, SIZES, Config, Section, machine, summary

#: Section name -> module, in the order of issue 5's list.
SECTIONS = {
    "load": "benchmarks.bench_load",
    "memory": "benchmarks.bench_memory",
    "fetch": "benchmarks.bench_fetch",
    "rerun": "benchmarks.bench_rerun",
    "charts": "benchmarks.bench_charts",
    "figures": "benchmarks.bench_figures",
    "page": "benchmarks.bench_page",
    "export": "benchmarks.bench_export",
    "history": "benchmarks.bench_history",
    "click": "benchmarks.bench_click",
    "down": "benchmarks.bench_down",
}


def parse_args(argv: Sequence[str] | None = None, *, sections: bool = True) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--full", action="store_true", help=f"also run {FULL_SIZE:,} sessions")
    parser.add_argument("--repeats", type=int, default=5, help="rounds per median (default 5)")
    parser.add_argument(
        "--sizes", help="comma-separated session counts instead of the default 1k,10k,100k"
    )
    if sections:
        parser.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> Config:
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    if args.full and FULL_SIZE not in sizes:
        sizes = (*sizes, FULL_SIZE)
    return Config(sizes=sizes, repeats=max(3, args.repeats), full=args.full)


def quiet() -> None:
    """Silence what a benchmark is not about: Streamlit's bare-mode warnings, stub logs."""
    warnings.filterwarnings("ignore")
    # Streamlit gives each of its loggers its own level from this setting, read at import.
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    logging.basicConfig(level=logging.ERROR)
    for name in ("streamlit", "fj", "urllib3"):
        logging.getLogger(name).setLevel(logging.ERROR)


def report(sections: Sequence[Section], config: Config, seconds: float) -> str:
    sizes = ", ".join(f"{n:,}" for n in config.sizes)
    head = [
        "## Benchmark report",
        "",
        f"Sizes: {sizes} sessions; median of {config.repeats} repeats (3 at 1M); "
        f"ran in {seconds / 60:.1f} min.",
    ]
    body = [s.render() for s in (machine(), *sections, summary(sections))]
    return "\n\n".join(["\n".join(head), *body])


def standalone(run: Callable[[Config], list[Section]]) -> None:
    """Entry point of one ``bench_*`` module run alone."""
    config = config_from(parse_args(sections=False))
    quiet()
    start = time.perf_counter()
    print(report(run(config), config, time.perf_counter() - start), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    import importlib

    args = parse_args(argv)
    config = config_from(args)
    quiet()
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise SystemExit(
            f"unknown section(s): {', '.join(unknown)}; pick from {', '.join(SECTIONS)}"
        )
    start = time.perf_counter()
    sections: list[Section] = []
    for name in chosen:
        began = time.perf_counter()
        print(f"running {name}…", flush=True)
        sections += importlib.import_module(SECTIONS[name]).run(config)
        print(f"  {name} took {time.perf_counter() - began:,.0f} s", flush=True)
    print()
    print(report(sections, config, time.perf_counter() - start), flush=True)


if __name__ == "__main__":
    main()
