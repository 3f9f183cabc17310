"""Loaded by the click benchmark's Streamlit servers only (first on their PYTHONPATH): it
writes how long each script run took, for the server's share of a click.

Wraps Streamlit's own ``ScriptRunner._run_script``, the whole of one run on the server
(the widgets' callbacks, the script or the fragment, its end), and appends one line per
run, ``<seconds> <full|fragment>``, to the file named by ``FJ_BENCH_RUN_LOG``. Nothing
happens without that variable. A timing taken on the server, not from the websocket
frames as the browser saw them: a page busy drawing takes in a frame late, which made
the browser-side figure read up to twice the server's time.
"""

from __future__ import annotations

import os
import time


def _install(log: str) -> None:
    from streamlit.runtime.scriptrunner import script_runner

    run = script_runner.ScriptRunner._run_script

    def timed(self, rerun_data):
        start = time.perf_counter()
        try:
            return run(self, rerun_data)
        finally:
            seconds = time.perf_counter() - start
            kind = "fragment" if rerun_data.fragment_id_queue else "full"
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{seconds:.6f} {kind}\n")

    script_runner.ScriptRunner._run_script = timed


if os.environ.get("FJ_BENCH_RUN_LOG"):
    _install(os.environ["FJ_BENCH_RUN_LOG"])
