"""CSV and Excel files of exactly the table shown, safe to open in a spreadsheet, and their names.

CSV: text cells that a spreadsheet would read as a formula (leading ``=``,
``+``, ``-``, ``@``, tab, CR or LF) get a leading single quote, as OWASP's CSV
injection guidance advises; numbers are never touched. Times are written as
ISO-8601 in the viewer's timezone, with their offset, or as
``YYYY-MM-DD HH:MM:SS`` local time in the Excel-friendly flavour.

Excel (``to_xlsx``, written with XlsxWriter): every text cell is written as a
string (never a formula, so no quote is needed), times as real Excel dates in
the viewer's timezone, numbers as numbers, missing values as empty cells; a
second sheet says which view the rows are.
"""

from __future__ import annotations

import codecs
import datetime
import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fj.filters import NOT_STATED, Filters, slugify

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: str) -> str:
    """Return ``value`` with a leading single quote if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def to_csv(frame: pd.DataFrame, *, tz: str = "UTC", excel: bool = False) -> bytes:
    """Return the rows and columns of ``frame``, in order, as CSV bytes (UTF-8, CRLF lines).

    Text cells are neutralised (see ``neutralise``) and quoted; tz-aware
    times become ISO-8601 in ``tz`` with offset
    ("2024-05-15T13:30:00.123+05:30"); numbers are written as they are;
    missing values are empty cells. ``excel=True`` adds a UTF-8 byte-order
    mark so Excel reads accents, emoji and right-to-left text correctly, and
    writes times as "2024-05-15 13:30:00" in ``tz`` (no offset, whole
    seconds), which Excel reads as dates.
    """
    table = pa.Table.from_arrays(
        [_cells(frame.iloc[:, i], tz, excel) for i in range(frame.shape[1])],
        names=[neutralise(str(c)) for c in frame.columns],
    )
    sink = io.BytesIO()
    if excel:
        sink.write(codecs.BOM_UTF8)
    # Arrow's writer quotes every text cell (doubling inner quotes) and is ~10x pandas' speed.
    pacsv.write_csv(table, sink, pacsv.WriteOptions(eol="\r\n", quoting_style="needed"))
    return sink.getvalue()


def csv_filename(project: str, filters: Filters, now: datetime.datetime) -> str:
    """Return "fj-sessions_<project>_<filters>_<YYYY-MM-DD>.csv": ASCII, filename-safe, short.

    The date is ``now``'s own calendar date: pass the viewer's local time.
    """
    return f"fj-sessions_{slugify(project, 40)}_{filters.slug()}_{now.date().isoformat()}.csv"


def candidates_csv_filename(
    scope: str, now: datetime.datetime, session_id: str | None = None
) -> str:
    """Return "fj-candidates_<scope>[_<session id end>]_<YYYY-MM-DD>.csv": ASCII and short.

    ``scope`` is the session title (or the project's name for a project-wide export).
    """
    parts = ["fj-candidates", slugify(scope or "session", 40)]
    if session_id:
        parts.append(slugify(session_id[-8:], 8))
    return "_".join(parts) + f"_{now.date().isoformat()}.csv"


def _cells(column: pd.Series, tz: str, excel: bool = False) -> pa.Array:
    """One column as CSV cells: neutralised text, ISO times, numbers as they are."""
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        if excel:
            local = column.dt.tz_convert(tz).dt.tz_localize(None).dt.floor("s")
            seconds = pa.array(local.array).cast(pa.timestamp("s"))
            # Arrow's cast writes "2024-05-15 13:30:00": 60x faster than pc.strftime here.
            return pc.cast(seconds, pa.string())
        return _iso_times(column, tz)
    if pd.api.types.is_datetime64_dtype(dtype):
        return _clock_text(column)
    if isinstance(dtype, pd.CategoricalDtype):
        names = _neutralised(pd.Series(dtype.categories.astype(str), dtype="str"))
        lookup = np.array([*names, None], dtype=object)  # code -1 (missing) picks None
        return pa.array(lookup[column.cat.codes.to_numpy()], type=pa.string())
    if isinstance(dtype, pd.StringDtype):
        return pa.array(_neutralised(column), type=pa.string())
    if pd.api.types.is_object_dtype(dtype):
        if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
            return pa.array(_neutralised(column.astype("str")), type=pa.string())
        # Mixed objects: only the str cells can be formulas; the rest are written as text.
        text = column.map(lambda v: neutralise(v) if isinstance(v, str) else v).astype("str")
        return pa.array(text, type=pa.string())
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return pa.array(column)
    return pa.array(_neutralised(column.astype("str")), type=pa.string())


def _neutralised(text: pd.Series) -> pd.Series:
    risky = text.str.startswith(FORMULA_TRIGGERS).fillna(False).to_numpy(bool)
    return text.where(~risky, "'" + text) if risky.any() else text


def _iso_times(times: pd.Series, tz: str) -> pa.Array:
    """tz-aware times as ISO-8601 local time in ``tz`` with a "+05:30"-style offset."""
    local = times.dt.tz_convert(tz).dt.tz_localize(None)
    utc = times.dt.tz_convert("UTC").dt.tz_localize(None)
    minutes = (local.to_numpy() - utc.to_numpy()).astype("timedelta64[m]").astype("int64")
    minutes[times.isna().to_numpy()] = 0  # those cells stay empty: their clock text is null
    # A zone has few distinct offsets: format each once, then pick per row.
    offsets, which = np.unique(minutes, return_inverse=True)
    labels = pa.array(
        [f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in offsets],
        type=pa.string(),
    )
    return pc.binary_join_element_wise(_clock_text(local), labels.take(which.ravel()), "")


def _clock_text(naive: pd.Series) -> pa.Array:
    """Naive times as ISO-8601 text without offset ("2024-05-15T13:30:00.123")."""
    text = pc.cast(pa.array(naive.array), pa.string())  # "2024-05-15 13:30:00.123"
    return pc.replace_substring(text, " ", "T", max_replacements=1)


# -- Excel ----------------------------------------------------------------------------------

#: The media type of an .xlsx file.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's limit on the characters of one cell; longer text is cut there.
EXCEL_MAX_CHARS = 32_767
#: Column widths (in characters) stay within these bounds.
EXCEL_WIDTHS = (6, 60)
_EXCEL_DATETIME = "yyyy-mm-dd hh:mm:ss"


def to_xlsx(
    frame: pd.DataFrame,
    *,
    tz: str = "UTC",
    about: Mapping[str, str] | None = None,
    sheet: str = "Sessions",
) -> bytes:
    """Return the rows and columns of ``frame``, in order, as an Excel workbook (.xlsx bytes).

    Sheet ``sheet``: a bold, frozen header row and one row per row of
    ``frame``. tz-aware times become Excel dates of their local time in
    ``tz`` (Excel has no timezones); numbers stay numbers; every text cell
    is written as a string, whatever it starts with (never a formula, a link
    or a number); missing values, and ``NOT_STATED`` in categorical columns
    (what the JD did not say), are empty cells. Columns are as wide as their
    content (within ``EXCEL_WIDTHS``). A second sheet, "View", lists
    ``about`` (e.g. ``view_about``) as two columns of text.
    """
    import xlsxwriter  # imported here: only an export pays for it

    sink = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,  # defence in depth: we only call write_string anyway
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(sink, options) as book:
        header = book.add_format({"bold": True, "bottom": 1})
        when = book.add_format({"num_format": _EXCEL_DATETIME})
        rows = book.add_worksheet(sheet[:31])
        writers = [_excel_column(frame.iloc[:, i], tz, when) for i in range(frame.shape[1])]
        for col, name in enumerate(frame.columns):
            rows.write_string(0, col, _excel_text(name), header)
        for col, (values, write, fmt, _) in enumerate(writers):
            method = getattr(rows, write)
            for row, value in enumerate(values, start=1):
                if value is not None:
                    method(row, col, value, fmt)
        for col, (_, _, _, width) in enumerate(writers):
            wide = max(width, len(str(frame.columns[col])) + 2)
            rows.set_column(col, col, min(max(wide, EXCEL_WIDTHS[0]), EXCEL_WIDTHS[1]))
        rows.freeze_panes(1, 0)
        if len(frame.columns):
            rows.autofilter(0, 0, len(frame), len(frame.columns) - 1)
        view = book.add_worksheet("View")
        for row, (name, value) in enumerate((about or {}).items()):
            view.write_string(row, 0, _excel_text(name), header)
            view.write_string(row, 1, _excel_text(value))
        view.set_column(0, 0, 18)
        view.set_column(1, 1, EXCEL_WIDTHS[1] + 20)
    return sink.getvalue()


def view_about(
    *,
    project: str,
    filters: Filters,
    tz: str,
    fetched_at: datetime.datetime,
    shown: int,
    total: int,
) -> dict[str, str]:
    """Return what an export's "View" sheet says: which rows, which project and zone, when."""
    fetched = pd.Timestamp(fetched_at)
    if fetched.tzinfo is None:
        fetched = fetched.tz_localize("UTC")
    return {
        "Rows": f"{shown:,} of {total:,} sessions",
        "Filters": filters.describe(),
        "Project": project,
        "Timezone": tz,
        "Fetched at": f"{fetched.tz_convert(tz):%Y-%m-%d %H:%M:%S} ({tz})",
        "Link parameters": "&".join(
            f"{name}={value}"
            for name, values in filters.to_query().items()
            for value in ([values] if isinstance(values, str) else values)
        )
        or "(none: the whole project)",
    }


def excel_filename(csv_name: str) -> str:
    """Return the name of the Excel file of the same export: the CSV's name ending in .xlsx."""
    return csv_name.removesuffix(".csv") + ".xlsx"


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _excel_text(value: object) -> str:
    return str(value)[:EXCEL_MAX_CHARS]


def _excel_column(column: pd.Series, tz: str, when) -> tuple[list, str, object, int]:
    """One column as (cell values with None for empty, writer method, cell format, width)."""
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        local = column.dt.tz_convert(tz).dt.tz_localize(None)
        values = [None if pd.isna(t) else t.to_pydatetime() for t in local]
        return values, "write_datetime", when, len(_EXCEL_DATETIME) + 1
    if pd.api.types.is_datetime64_dtype(dtype):
        values = [None if pd.isna(t) else t.to_pydatetime() for t in column]
        return values, "write_datetime", when, len(_EXCEL_DATETIME) + 1
    if pd.api.types.is_bool_dtype(dtype):
        values = [None if pd.isna(v) else bool(v) for v in column.astype(object)]
        return values, "write_boolean", None, 6
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = column.astype("float64").to_numpy(na_value=np.nan)
        finite_cells = np.isfinite(numbers)  # Excel has no NaN or infinity: empty cells
        values = [
            (int(v) if v.is_integer() else float(v)) if ok else None
            for v, ok in zip(numbers, finite_cells, strict=True)
        ]
        finite = numbers[finite_cells]
        width = len(f"{np.abs(finite).max():,.1f}") + 2 if finite.size else 6
        return values, "write_number", None, width
    if isinstance(dtype, pd.CategoricalDtype):
        column = column.astype(object).where(column.astype(object) != NOT_STATED, None)
    text = column.astype(object)
    values = [None if _missing(v) or v == "" else _excel_text(v) for v in text]
    lengths = [len(v) for v in values if v is not None]
    return values, "write_string", None, (max(lengths) + 2 if lengths else 6)


def sessions_xlsx(
    sessions: pd.DataFrame,
    *,
    total: int,
    project: str,
    filters: Filters,
    tz: str,
    fetched_at: datetime.datetime,
) -> bytes:
    """Return the Excel file of the sessions table (``fj.tables.sessions_table``) of a view.

    The Sessions page's "Download Excel" and ``python -m fj sessions --format
    xlsx`` both write this: the table's rows and columns, and a "View" sheet
    (``view_about``) saying the filters, project, timezone and fetch time.
    """
    from fj.tables import sessions_table

    about = view_about(
        project=project,
        filters=filters,
        tz=tz,
        fetched_at=fetched_at,
        shown=len(sessions),
        total=total,
    )
    return to_xlsx(sessions_table(sessions, tz), tz=tz, about=about)
