"""FJ Sourcing Dashboard: the entry point (`streamlit run dashboard.py`).

It builds what every page shares (sign-in or passcode gate, data source, cached load,
sidebar filters, URL state), then runs the page the user picked.
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
from ui.secrets_check import require_valid_secrets  # noqa: E402
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

with state.entry_point():
    st.set_page_config(page_title="FJ Sourcing Dashboard", page_icon="📊", layout="wide")
    require_valid_secrets()  # a misshapen secrets file fails closed, before anything else
    auth.require_sign_in(PAGES)
    state.begin_run()
    page = st.navigation(PAGES)
    st.session_state["fj_view"] = build_view()
    if st.session_state["fj_view"] is not None:
        page.run()
    state.show_notices()
    state.write_url()
