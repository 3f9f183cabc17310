"""Fetch: sessions over loopback HTTP from the stand-in, and through the dashboard's cache.

- ``fj.transport.Transport.get``: the HTTP transfer alone;
- ``FJClient(...).fetch_sessions()``: end to end, request to typed frame;
- ``ui.loader.fetch_project`` (an ``st.cache_data`` function, called outside a
  Streamlit run): first call against second call. The stand-in's request log
  and a count of ``fj.frame.load_sessions`` calls prove the second call
  neither fetched nor parsed;
- what a cache hit costs: ``st.cache_data`` unpickles a copy of the frame on
  every hit (every rerun of every viewer), ``st.cache_resource`` hands back
  the same object. Both are timed on the same loaded project.

    .venv/bin/python -m benchmarks.bench_fetch [--full] [--repeats 5]
"""

from __future__ import annotations

import pickle
import time
from contextlib import contextmanager

from benchmarks.harness import Config, Section, fmt_mib, fmt_ms, fmt_n, median_time

KEY = "fjk_bench_fetch_7c3e"


def _quiet_streamlit():
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # bare mode warns on every cached call
    import streamlit as st

    return st


@contextmanager
def _counting_parses():
    """Count calls of fj.frame.load_sessions (FJClient imports it at call time)."""
    import fj.frame

    original = fj.frame.load_sessions
    calls = {"n": 0}

    def counted(payload, **kwargs):
        calls["n"] += 1
        return original(payload, **kwargs)

    fj.frame.load_sessions = counted
    try:
        yield calls
    finally:
        fj.frame.load_sessions = original


def run(config: Config) -> list[Section]:
    """Return the fetch table (100k, and 1M with --full) and the cache-hit table."""
    st = _quiet_streamlit()
    from fj import FJClient
    from fj.stub import Project, StubServer
    from fj.transport import Transport
    from ui import loader
    from ui.source import ConfiguredProject

    keyed = ConfiguredProject("Bench", "env", KEY)

    _quiet_streamlit()  # reading the settings parsed Streamlit's config, which resets levels

    def fetch(api_key: str, base_url: str) -> loader.ProjectData:
        with FJClient(api_key, base_url) as client:
            return loader._project_data(client.fetch_sessions())

    limits = {"ttl": loader.CACHE_TTL_SECONDS, "max_entries": loader.CACHE_MAX_ENTRIES}
    # The two ways Streamlit can cache the project, side by side, whichever the app uses.
    variants = {
        "st.cache_data": st.cache_data(**limits)(fetch),
        "st.cache_resource": st.cache_resource(**limits)(fetch),
    }

    fetch = Section(
        "3. Fetch: loopback HTTP from the stand-in, and the cached loader",
        ["sessions", "payload", "HTTP only", "end to end", "cached loader 1st call",
         "2nd call", "requests 1st / 2nd", "parses 1st / 2nd"],
    )  # fmt: skip
    hits = Section(
        "3b. Cache hit: st.cache_data (unpickles a copy) vs st.cache_resource (same object)",
        ["sessions", "frame (deep)", "pickled entry", "st.cache_data hit", "st.cache_resource hit",
         "plain pickle.loads", "ui.loader.fetch_project hit", "same object each hit"],
    )  # fmt: skip
    sizes = [n for n in config.sizes if n >= 100_000] or [100_000]
    for n in sizes:
        project = Project(n=n)
        payload = project.payload()  # rendered before the clock starts
        repeats = config.repeats_at(n)
        with StubServer({KEY: project}) as server:
            base = server.base_url

            def http(base=base):
                transport = Transport(KEY, base)
                try:
                    return transport.get("/projects/sessions", what="sessions").content
                finally:
                    transport.close()

            def end_to_end(base=base):
                with FJClient(KEY, base) as client:
                    return client.fetch_sessions()

            http_s = median_time(http, repeats)
            e2e_s = median_time(end_to_end, repeats)

            loader.fetch_project.clear()
            server.clear_requests()
            with _counting_parses() as parses:
                start = time.perf_counter()
                first = loader.fetch_project(keyed, base)
                first_s = time.perf_counter() - start
                requests_1, parses_1 = len(server.requests), parses["n"]
                second_s = median_time(lambda base=base: loader.fetch_project(keyed, base), repeats)
                requests_2 = len(server.requests) - requests_1
                parses_2 = parses["n"] - parses_1

            hit_s = {}
            for name, cached in variants.items():
                cached.clear()
                cached(KEY, base)
                hit_s[name] = median_time(lambda c=cached, base=base: c(KEY, base), repeats)
                cached.clear()
            app_s = median_time(lambda base=base: loader.fetch_project(keyed, base), repeats)
            same = loader.fetch_project(keyed, base) is loader.fetch_project(keyed, base)
            pickled = pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL)
            unpickle_s = median_time(lambda pickled=pickled: pickle.loads(pickled), repeats)  # noqa: S301 (our own bytes)
            frame_bytes = first.all_sessions.memory_usage(deep=True).sum()
        loader.fetch_project.clear()

        fetch.rows.append(
            [fmt_n(n), fmt_mib(len(payload)), fmt_ms(http_s), fmt_ms(e2e_s), fmt_ms(first_s),
             fmt_ms(second_s), f"{requests_1} / {requests_2}", f"{parses_1} / {parses_2}"]
        )  # fmt: skip
        fetch.check(
            f"cached loader's 2nd call at {fmt_n(n)}: no fetch, no parse",
            f"{requests_2} requests, {parses_2} parses",
            "0 and 0",
            requests_2 == 0 and parses_2 == 0,
        )
        fetch.check(f"end to end at {fmt_n(n)} (request to frame)", fmt_ms(e2e_s))
        hits.rows.append(
            [fmt_n(n), fmt_mib(frame_bytes), fmt_mib(len(pickled)),
             fmt_ms(hit_s["st.cache_data"]), fmt_ms(hit_s["st.cache_resource"]),
             fmt_ms(unpickle_s), fmt_ms(app_s), "yes" if same else "no (a copy)"]
        )  # fmt: skip
        hits.check(
            f"the app's cache hit at {fmt_n(n)} (ui.loader.fetch_project)",
            fmt_ms(app_s),
            note=f"st.cache_data would cost {fmt_ms(hit_s['st.cache_data'])} per rerun",
        )
        del payload, project, first, pickled
    fetch.notes += [
        "The stand-in runs in this process (a thread); its payload is rendered before timing.",
        "Requests and parses of the 2nd call: the stand-in's request log and a count of "
        "fj.frame.load_sessions calls; the 2nd-call time is a median over repeated hits.",
    ]
    hits.notes.append(
        "cache_data pickles the ProjectData on a miss and unpickles a full copy on every hit "
        "(every rerun of every viewer); cache_resource returns the cached object itself "
        "(pages must then treat it as read-only). ui.loader.fetch_project is what the app uses."
    )
    return [fetch, hits]


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
