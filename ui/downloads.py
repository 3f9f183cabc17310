"""The "Download CSV" and "Download Excel" pair beside a table: both built only on click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from fj.export import XLSX_MIME, excel_filename, to_csv, to_xlsx


def download_pair(
    labels: tuple[str, str],
    *,
    file_name: str,
    csv: Callable[[], bytes],
    xlsx: Callable[[], bytes],
    key: str,
) -> None:
    """Draw a "Download CSV" and a "Download Excel" button side by side.

    ``csv`` and ``xlsx`` build the files; Streamlit calls them only when the button is
    clicked, so a rerun does not pay for an export. The Excel file is named after
    ``file_name`` (``.xlsx`` for ``.csv``).
    """
    csv_label, excel_label = labels
    buttons = st.container(horizontal=True)
    buttons.download_button(
        csv_label,
        data=csv,
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_csv",
    )
    buttons.download_button(
        excel_label,
        data=xlsx,
        file_name=excel_filename(file_name),
        mime=XLSX_MIME,
        icon=":material/table_view:",
        on_click="ignore",
        key=f"{key}_xlsx",
    )


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
    """Draw the CSV and Excel buttons of a candidates ``table`` (:func:`download_pair`).

    ``labels`` are the two buttons' texts; ``about`` heads the Excel file's View sheet,
    which also gets the timezone and the export time.
    """
    view_sheet = {**about, "Timezone": tz, "Exported at": f"{now:%Y-%m-%d %H:%M:%S} ({tz})"}
    download_pair(
        labels,
        file_name=file_name,
        csv=lambda: to_csv(table, tz=tz),
        xlsx=lambda: to_xlsx(table, tz=tz, sheet=sheet, about=view_sheet),
        key=key,
    )
