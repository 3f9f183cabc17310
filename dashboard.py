"""FJ Sourcing Dashboard: the entry point (`streamlit run dashboard.py`).

Every run starts with ``st.navigation``, gate or not: a `pages/` folder beside
this file would otherwise put the run in Streamlit's legacy multipage mode
(raw file names in the sidebar, widget state of a page not cleaned up; a
server's very first run is rerun out of it, see
``ui.state.leave_legacy_pages_mode``). While a gate is locked (misshapen
secrets, sign-in, passcode) the navigation is hidden, and the page the link
asked for (its path and every parameter) waits behind the gate. Then the
shared view is built (data source, cached load, sidebar filters, URL state)
and the page runs.

A gate is two functions: ``locked()`` (is this browser session kept out?) and
``require_...()`` (draw the gate's screen and stop the run while locked).
"""

import streamlit as st

# Pinned from the script because a host (Streamlit Community Cloud) may override
# .streamlit/config.toml: viewers never get a stack trace, whatever the host sets, and
# tables have no toolbar download (it writes cells as they are, formulas included; our
# own "Download CSV" beside each table neutralises them).
st.set_option("client.showErrorDetails", "none")
st.set_option("client.disableDataExport", True)

# The imports come after the options, so that even an import error shows no details.
from ui import auth, state  # noqa: E402
from ui.secrets_check import configuration_problems, require_valid_secrets  # noqa: E402
from ui.sidebar import build_view  # noqa: E402

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/insights:", default=True),
    st.Page(
        "pages/sessions.py", title="Sessions", icon=":material/table_rows:", url_path="sessions"
    ),
    st.Page(
        "pages/session.py", title="Session", icon=":material/person_search:", url_path="session"
    ),
    st.Page(
        "pages/breakdown.py", title="Breakdown", icon=":material/bar_chart:", url_path="breakdown"
    ),
    st.Page(
        "pages/candidates.py", title="Candidates", icon=":material/groups:", url_path="candidates"
    ),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

state.leave_legacy_pages_mode()  # only ever on a server's very first run
st.set_page_config(page_title="FJ Sourcing Dashboard", page_icon="📊", layout="wide")
locked = bool(configuration_problems()) or auth.locked()
page = st.navigation(PAGES, position="hidden" if locked else "sidebar")
state.begin_run()  # the opening link is kept from the very first run, gated or not
require_valid_secrets()  # a misshapen secrets file fails closed, before anything else
auth.require_sign_in()  # sign-in with [auth], else the passcode gate (APP_PASSWORD)
st.session_state["fj_view"] = build_view()
if st.session_state["fj_view"] is not None:
    page.run()
state.show_notices()
state.write_url()
