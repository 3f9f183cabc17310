"""Sessions: the filtered table, a detail panel for the selected row, and its CSV."""

import streamlit as st

from fj.export import csv_filename, sessions_xlsx, to_csv
from fj.tables import sessions_table, table_height
from ui import page
from ui.details import session_details
from ui.downloads import download_pair
from ui.sidebar import current_view

view = current_view()
page.header(view, "Sessions")

if not page.empty_state(view):
    table = sessions_table(view.filtered, view.tz)
    max_profiles = int(table["Profiles"].max(skipna=True) or 0) if len(table) else 0
    column_config = {
        "Created": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width="medium"),
        "Updated": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width="small"),
        "Title": st.column_config.TextColumn(width="medium"),
        "Profiles": st.column_config.ProgressColumn(
            format="%d",
            min_value=0,
            max_value=max(max_profiles, 1),
            width="small",
            help="Profiles sourced so far (the count today)",
        ),
        "Sourcing time (min)": st.column_config.NumberColumn(
            format="%.1f", help="updatedAt − createdAt", width="small"
        ),
        "Session ID": st.column_config.TextColumn(width="small"),
        "JD text": st.column_config.TextColumn(width="large", help="The job description as typed"),
    }
    excel = st.toggle(
        "Excel-friendly CSV (UTF-8 with BOM)",
        key="view_excel",
        help="Excel on Windows reads accents and emoji right only with a BOM; times are "
        "then written as YYYY-MM-DD HH:MM:SS in your timezone, which Excel reads as dates.",
    )
    count = f"{len(table):,} row{'s' if len(table) != 1 else ''}"
    download_pair(
        (f"Download CSV ({count})", f"Download Excel ({count})"),
        file_name=csv_filename(view.project_label, view.filters, view.now),
        csv=lambda: to_csv(table, tz=view.tz, excel=excel),
        xlsx=lambda: sessions_xlsx(
            view.filtered,
            total=len(view.data.all_sessions),
            project=view.project_label,
            filters=view.filters,
            tz=view.tz,
            fetched_at=view.data.fetched_at,
        ),
        key="sessions_download",
    )
    event = st.dataframe(
        table,
        column_config=column_config,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        height=table_height(len(table)),
        key="sessions_table",
    )
    rows = event.selection.rows if event is not None else []
    # A selection outlives a filter that shrinks the table: a row past the end is no selection.
    rows = [r for r in rows if r < len(table)]
    if not rows:
        st.caption(":material/touch_app: Select a row to see the session's full details.")
    else:
        session_details(table.iloc[rows[0]])
        session_id = table.iloc[rows[0]]["Session ID"]
        if isinstance(session_id, str) and session_id:
            st.page_link(
                "pages/session.py",
                label="Open session: status and candidates",
                icon=":material/person_search:",
                query_params={"session": session_id},
            )
