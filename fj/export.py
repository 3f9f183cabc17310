"""CSV of exactly the sessions shown, safe to open in Excel, and the file name that says which.

Text cells that a spreadsheet would read as a formula (leading ``=``, ``+``,
``-``, ``@``, tab, CR or LF) get a leading single quote, as OWASP's CSV
injection guidance advises; numbers are never touched. Times are written as
ISO-8601 in the viewer's timezone, with their offset.
"""

from __future__ import annotations

import codecs
import datetime
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from fj.filters import Filters, slugify

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
    mark so Excel reads accents, emoji and right-to-left text correctly.
    """
    table = pa.Table.from_arrays(
        [_cells(frame.iloc[:, i], tz) for i in range(frame.shape[1])],
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


def _cells(column: pd.Series, tz: str) -> pa.Array:
    """One column as CSV cells: neutralised text, ISO times, numbers as they are."""
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
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
