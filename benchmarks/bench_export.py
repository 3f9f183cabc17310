"""CSV and Excel export: time and bytes of the filtered view's files, built only on click.

The Sessions page builds ``fj.tables.sessions_table(view.filtered, tz)`` on
every rerun (it is the table on screen) and hands ``st.download_button`` a
callable that runs ``fj.export.to_csv`` on it only when the viewer clicks.
This benchmark times both steps, and the Excel file (``fj.export.to_xlsx``,
pure-Python XlsxWriter, measured up to ``XLSX_MAX_ROWS`` rows) against the CSV
of the same table in the same run, and reads pages/sessions.py to confirm every
download's ``data`` is still a callable (a lambda or a function name), not bytes.

    .venv/bin/python -m benchmarks.bench_export [--full]
"""

from __future__ import annotations

import ast
from functools import partial

from benchmarks.harness import (
    ROOT,
    Config,
    Section,
    fmt_mib,
    fmt_ms,
    fmt_n,
    loaded_sessions,
    median_time,
)
from fj.export import to_csv, to_xlsx
from fj.filters import Filters
from fj.synthetic import DEFAULT_END
from fj.tables import sessions_table

NOW = DEFAULT_END
TZ = "Asia/Kolkata"
SESSIONS_PAGE = ROOT / "pages" / "sessions.py"
VIEWS = {"all sessions": Filters(), "last 30 days": Filters(date="30d")}
#: Larger tables are not written to Excel here: XlsxWriter takes about 0.5 ms a row.
XLSX_MAX_ROWS = 20_000


def deferred_download(path=SESSIONS_PAGE) -> tuple[bool, str]:
    """Return whether every ``download_button`` in ``path`` gets a callable ``data``, and why."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
            data = next((k.value for k in node.keywords if k.arg == "data"), None)
            if data is None and len(node.args) > 1:
                data = node.args[1]
            found.append(isinstance(data, ast.Lambda | ast.Name))
    if not found:
        return False, "no download_button found in pages/sessions.py"
    if all(found):
        return True, f"{len(found)} download_button(s), data is a callable: built on click"
    return False, "a download_button gets its data built on every rerun"


def run(config: Config) -> list[Section]:
    """Return the export table: per size and view, table build, CSV build and CSV size."""
    section = Section(
        "7. CSV export of the filtered view",
        ["sessions", "view", "rows", "sessions_table (every rerun)",
         "st.dataframe bytes (every rerun)", "to_csv (on click)", "CSV size",
         "to_xlsx (on click)", "xlsx / csv time"],
    )  # fmt: skip
    from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes

    for n in config.sizes:
        full = loaded_sessions(n).frame
        repeats = config.repeats_at(n)
        for name, filters in VIEWS.items():
            shown = filters.apply(full, now=NOW, tz=TZ)
            table = sessions_table(shown, TZ)
            table_s = median_time(partial(sessions_table, shown, TZ), repeats)
            csv_s = median_time(partial(to_csv, table, tz=TZ, excel=True), repeats)
            size = len(to_csv(table, tz=TZ, excel=True))
            shipped_s = median_time(partial(convert_pandas_df_to_arrow_bytes, table), repeats)
            shipped = len(convert_pandas_df_to_arrow_bytes(table))
            xlsx, ratio = "not run", "–"
            if len(table) <= XLSX_MAX_ROWS:
                xlsx_s = median_time(partial(to_xlsx, table, tz=TZ), min(repeats, 3))
                xlsx = f"{fmt_ms(xlsx_s)}, {fmt_mib(len(to_xlsx(table, tz=TZ)))}"
                ratio = f"{xlsx_s / csv_s:.0f}x"
            section.rows.append(
                [fmt_n(n), name, f"{len(table):,}", fmt_ms(table_s),
                 f"{fmt_ms(shipped_s)}, {fmt_mib(shipped)}", fmt_ms(csv_s), fmt_mib(size),
                 xlsx, ratio]
            )  # fmt: skip
            if n == 100_000 and name == "all sessions":
                section.check("CSV of 100k sessions: time", fmt_ms(csv_s), note=fmt_mib(size))
    deferred, why = deferred_download()
    section.check(
        "CSV and Excel built only when a download is clicked", why, "not per rerun", deferred
    )
    section.notes += [
        "to_csv runs with excel=True (UTF-8 BOM), times in the viewer's zone; the same bytes "
        "the Sessions page's download returns.",
        "st.dataframe bytes: Streamlit's own Arrow serialisation of the table "
        "(dataframe_util.convert_pandas_df_to_arrow_bytes), which the Sessions page pays on "
        "every rerun to send the table to the browser.",
    ]
    return [section]


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
