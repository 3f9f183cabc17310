"""API down: the time of a dashboard rerun while the FJ API is down, against the same rerun
while it is up, in one run (issue 18, finding 5; target at most 1.2x).

Two dashboards under AppTest (run as a server runs them, ``tests.apptest.new_app``) on
the same synthetic project, each served by its own stand-in on loopback. Both load;
then one stand-in is stopped (connection refused) and that dashboard's Refresh fails,
leaving the last good data on screen. A rerun (what a filter change, a toggle or a page
move costs) of each is then timed in turn. ``ui.loader`` remembers the failed fetch for
FJ_FAILURE_BACKOFF seconds, so the rerun while down does not try the API again; the last
row shows what a rerun cost when it did (the failure forgotten before each rerun).

    .venv/bin/python -m benchmarks.bench_down [--repeats 7]
"""

from __future__ import annotations

import logging

from benchmarks.harness import Config, Section, fmt_ms, fmt_n, interleaved, median_time

KEY = "fjk_bench_down_4e1a9c"
SESSIONS = 10_000
TARGET_RATIO = 1.2


def _app(base_url: str):
    from tests.apptest import new_app

    at = new_app()
    at.secrets["FJ_API_KEY"] = KEY
    at.secrets["FJ_API_BASE_URL"] = base_url
    return at.run()


def run(config: Config) -> list[Section]:
    import streamlit as st
    import streamlit.logger

    from fj.stub import Project, StubServer

    streamlit.logger.set_log_level("error")
    logging.getLogger("ui.loader").setLevel(logging.ERROR)
    st.cache_resource.clear()
    project = Project(n=SESSIONS)
    project.payload()  # rendered once, before any clock
    section = Section(
        "8. A rerun while the API is down, against the same rerun while it is up",
        ["sessions", "rerun, API up", "rerun, API down", "down / up",
         "rerun, down, back-off forgotten", "requests while down"],
    )  # fmt: skip
    up_server = StubServer({KEY: project}).start()
    down_server = StubServer({KEY: project}).start()
    try:
        up, down = _app(up_server.base_url), _app(down_server.base_url)
        assert up.session_state["fj_view"] is not None and down.session_state["fj_view"]
        down_server.stop()
        next(b for b in down.sidebar.button if b.label == "Refresh").click().run()
        assert any("Showing the last data" in w.value for w in down.warning)
        times = interleaved({"up": up.run, "down": down.run}, max(config.repeats, 5))

        def forgetting():
            down.session_state["fj_failed_fetches"] = {}
            down.run()

        before = median_time(forgetting, 3, warmup=0)
        shown = down.session_state["fj_view"] is not None
    finally:
        up_server.stop()
        st.cache_resource.clear()
    ratio = times["down"] / times["up"]
    section.rows.append(
        [fmt_n(SESSIONS), fmt_ms(times["up"]), fmt_ms(times["down"]), f"{ratio:.2f}x",
         fmt_ms(before), "0 (stand-in stopped)"]
    )  # fmt: skip
    section.check(
        "rerun while the API is down / while it is up",
        f"{ratio:.2f}x",
        f"≤ {TARGET_RATIO}x",
        ratio <= TARGET_RATIO and shown,
        note=f"without the back-off a rerun while down took {fmt_ms(before)}",
    )
    section.notes += [
        "Medians of reruns taken in turn (up, down, up, ...) in one process; the Overview "
        "page with the default filters. FJ_API_RETRIES is the default (3).",
        "'back-off forgotten': the remembered failure cleared before each rerun, i.e. what "
        "every rerun cost before issue 18 (a connection attempt with retries and backoff).",
    ]
    return [section]


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
