"""Data: where the data comes from, how fresh it is, and every data-quality problem."""

import pandas as pd
import streamlit as st

from fj.jd import sources_table
from ui import auth, history, page
from ui.sidebar import current_view
from ui.source import KIND_LABELS

view = current_view()
page.header(view, "Data")

data = view.data
kinds = sorted({KIND_LABELS[p.kind] for p in view.projects})
st.subheader("Source")
rows = {
    "Where the key comes from": ", ".join(kinds),
    "Projects": ", ".join(p.name for p in view.projects),
    "Key": ", ".join(p.masked_key for p in view.projects),
    "API host": view.source.api_host,
    "Base URL set in": view.source.base_url_setting,
    "Fetched at": f"{pd.Timestamp(data.fetched_at).tz_convert(view.tz):%Y-%m-%d %H:%M:%S} "
    f"({view.tz})",
    "Records received": f"{data.record_count:,}",
    "Rows in the frame": f"{len(data.all_sessions):,}",
    "Rows in the current view": f"{len(view.filtered):,}",
}
st.table({"": list(rows), "Value": list(rows.values())}, hide_index=True)

st.subheader("Access")
st.table(auth.access_rows(), hide_index=True)

st.subheader("History")
history_rows = history.info_rows(view)
st.table({"": list(history_rows), "Value": list(history_rows.values())}, hide_index=True)

st.subheader("Data-quality report")
problems = data.problems
if problems.empty:
    st.success("No problems found: every record had every field, in the documented types.")
else:
    st.warning(
        f"{len(problems):,} problem{'s' if len(problems) != 1 else ''} in "
        f"{problems['record'].nunique():,} record(s). Every record is still in the dashboard; "
        "fields that could not be read are shown as empty.",
        icon=":material/report:",
    )
    st.dataframe(problems, hide_index=True, key="problems_table")

if data.jd_sources is not None:
    st.markdown("**Where role, location and experience come from**")
    table, sentence = sources_table(data.jd_sources)
    st.caption(
        f"{sentence} A labelled JD (\"Job Title: …, Location: …\") is read exactly; "
        "what it leaves out is read from its prose (\"based in Pune\", \"4-8 years\"), "
        "then from the session title."
    )
    st.dataframe(table, hide_index=True, key="jd_sources_table")

st.subheader("One session as received")
if data.sample_record is None:
    st.caption("The project has no sessions.")
else:
    st.caption("The first record of the API's answer, unchanged.")
    st.json(data.sample_record, expanded=True)
