"""The "Download CSV" and "Download Excel" pair beside a table: both built only on click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from fj.export import XLSX_MIME, excel_filename, to_csv, to_xlsx


def table_downloads(
    table: pd.DataFrame,
    *,
    labels: tuple[str, str],
    file_name: str,
    tz: str,
    now: dt.datetime,
    about: Mapping[str, str],
    key: str,
    sheet: str = "Candidates",
) -> None:
    """Draw the CSV and Excel buttons of ``table`` side by side.

    ``labels`` are the two buttons' texts; ``about`` heads the Excel file's View sheet,
    which also gets the timezone and the export time.
    """
    csv_label, excel_label = labels
    buttons = st.container(horizontal=True)
    buttons.download_button(
        csv_label,
        data=lambda: to_csv(table, tz=tz),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_csv",
    )
    view_sheet = {**about, "Timezone": tz, "Exported at": f"{now:%Y-%m-%d %H:%M:%S} ({tz})"}
    buttons.download_button(
        excel_label,
        data=lambda: to_xlsx(table, tz=tz, sheet=sheet, about=view_sheet),
        file_name=excel_filename(file_name),
        mime=XLSX_MIME,
        icon=":material/table_view:",
        on_click="ignore",
        key=f"{key}_xlsx",
    )
