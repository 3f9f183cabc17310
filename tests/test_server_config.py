"""The Streamlit server options the dashboard relies on, as .streamlit/config.toml sets them."""

from __future__ import annotations

import tomllib

from streamlit import config as st_config

from tests.apptest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))


def test_no_full_garbage_collection_after_every_run():
    # Streamlit's default runs gc.collect(2) after each script run while holding the GIL,
    # before the run's last messages go out: 10-30% of an Overview click at 100k sessions
    # (benchmarks/README.md, section 10). The name must be one Streamlit knows: an unknown
    # option would be ignored with a warning, and the collection would come back unseen.
    assert CONFIG["runner"]["postScriptGC"] is False
    assert st_config.get_option("runner.postScriptGC") in (True, False)
    assert st_config.get_config_options()["runner.postScriptGC"].type is bool
