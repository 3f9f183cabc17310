"""CSV of exactly the sessions shown, safe to open in Excel, and the file name that says which.

Text cells that a spreadsheet would read as a formula (leading ``=``, ``+``,
``-``, ``@``, tab, CR or LF) get a leading single quote, as OWASP's CSV
injection guidance advises; numbers are never touched. Times are written as
ISO-8601 in the viewer's timezone, with their offset.
"""

from __future__ import annotations

import csv
import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fj.filters import Filters, slugify

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: str) -> str:
    """Return ``value`` with a leading single quote if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def to_csv(frame: pd.DataFrame, *, tz: str = "UTC", excel: bool = False) -> bytes:
    """Return the rows and columns of ``frame``, in order, as CSV bytes (UTF-8, CRLF lines).

    Text cells are neutralised (see ``neutralise``); tz-aware times become
    ISO-8601 in ``tz`` with offset ("2024-05-15T13:30:00.123+05:30"); missing
    values are empty cells. ``excel=True`` adds a UTF-8 byte-order mark so
    Excel reads accents, emoji and right-to-left text correctly.
    """
    cells = pd.DataFrame(
        {i: _cells(frame.iloc[:, i], tz) for i in range(frame.shape[1])}, index=frame.index
    )
    cells.columns = [neutralise(str(c)) for c in frame.columns]
    text = cells.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig" if excel else "utf-8")


def csv_filename(project: str, filters: Filters, now: datetime.datetime) -> str:
    """Return "fj-sessions_<project>_<filters>_<YYYY-MM-DD>.csv": ASCII, filename-safe, short.

    The date is ``now``'s own calendar date: pass the viewer's local time.
    """
    return f"fj-sessions_{slugify(project, 40)}_{filters.slug()}_{now.date().isoformat()}.csv"


def _cells(column: pd.Series, tz: str) -> pd.Series:
    """One column as CSV cells: neutralised text, ISO times, numbers as they are."""
    dtype = column.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _iso_times(column.dt.tz_convert(tz))
    if isinstance(dtype, pd.CategoricalDtype):
        names = _neutralised(pd.Series(dtype.categories.astype(str), dtype="str"))
        lookup = np.array([*names, None], dtype=object)  # code -1 (missing) picks None
        return pd.Series(lookup[column.cat.codes.to_numpy()], index=column.index)
    if isinstance(dtype, pd.StringDtype):
        return _neutralised(column)
    if pd.api.types.is_object_dtype(dtype):
        if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
            return _neutralised(column.astype("str"))
        # Mixed objects: only the str cells can be formulas; other values stay as they are.
        return column.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return column


def _neutralised(text: pd.Series) -> pd.Series:
    risky = text.str.startswith(FORMULA_TRIGGERS).fillna(False).to_numpy(bool)
    return text.where(~risky, "'" + text) if risky.any() else text


def _iso_times(times: pd.Series) -> pd.Series:
    """tz-aware times as ISO-8601 text with a "+05:30"-style offset, missing as None."""
    stamps = pa.array(times.array)
    text = pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%S%z")  # %S keeps sub-second digits
    text = pc.replace_substring_regex(text, pattern=r"([+-]\d\d)(\d\d)$", replacement=r"\1:\2")
    return pd.Series(text.to_pandas(types_mapper=pd.ArrowDtype), index=times.index).astype("str")
