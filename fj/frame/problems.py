"""The data-quality report of a load: one row per problem (record, session id, field, what)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fj.envelope import shown
from fj.schema import PROBLEM_COLUMNS

if TYPE_CHECKING:
    from fj.frame.finish import RawColumns

#: Order of fields within one record's problems.
FIELD_ORDER = {
    name: i
    for i, name in enumerate(["(record)", "_id", "sessionTitle", "jdDetail", "jdDetail.userText",
                              "projectId", "createdAt", "updatedAt", "totalProfiles"])
}  # fmt: skip
#: A problem on the left already explains why the field on the right is empty.
_EXPLAINS_MISSING = {"jdDetail": "jdDetail.userText"}


class Problems:
    """Collects one row per problem, vectorised per check."""

    def __init__(self, columns: RawColumns) -> None:
        self._parts: list[tuple[np.ndarray, str, list[str] | str]] = []
        n = len(columns.session_id)
        self._is_record = (
            np.ones(n, dtype=bool) if columns.not_object is None else ~columns.not_object
        )
        self._explained: dict[str, set[int]] = {}
        for record, api_field, problem in columns.problems:
            self._parts.append((np.array([record]), api_field, problem))
            self._explained.setdefault(_EXPLAINS_MISSING.get(api_field, api_field), set()).add(
                record
            )

    def add(self, mask: pa.Array | np.ndarray, api_field: str, problem: str | list[str]) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            self._parts.append((rows, api_field, problem))

    def add_values(
        self, mask: pa.Array, api_field: str, values: pa.Array, problem: str, quote: bool = True
    ) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            taken = values.take(pa.array(rows)).to_pylist()
            texts = [f"{problem}: {shown(v) if quote else v}" for v in taken]
            self._parts.append((rows, api_field, texts))

    def add_missing(self, values: pa.Array, api_field: str) -> None:
        missing = values.is_null().to_numpy(zero_copy_only=False) & self._is_record
        for record in self._explained.get(api_field, ()):
            missing[record] = False
        self.add(missing, api_field, "missing")

    def add_duplicates(self, ids: pa.Array) -> None:
        # Ids are nearly always unique: one hash pass in arrow shows it, with no copy per row.
        present = len(ids) - ids.null_count
        if len(pc.unique(ids)) - (1 if ids.null_count else 0) == present:
            return
        session_ids = ids.to_pandas()
        duplicated = (session_ids.duplicated(keep=False) & session_ids.notna()).to_numpy()
        rows = np.flatnonzero(duplicated)
        groups = session_ids.iloc[rows].groupby(session_ids.iloc[rows], sort=False).indices
        texts = []
        for row in rows:
            others = [int(r) for r in rows[groups[session_ids.iloc[row]]] if r != row]
            listed = ", ".join(map(str, others[:5]))
            more = f" and {len(others) - 5} more" if len(others) > 5 else ""
            noun = "record" if len(others) == 1 else "records"
            texts.append(f"duplicate _id (also {noun} {listed}{more})")
        self._parts.append((rows, "_id", texts))

    def frame(self, session_ids: pa.Array) -> pd.DataFrame:
        """Return the report sorted by record, then field (built in arrow: no str per row)."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in PROBLEM_COLUMNS.items()})
        records = np.concatenate([rows for rows, _, _ in self._parts]).astype("int64")
        fields = pa.concat_arrays([_repeat(f, len(rows)) for rows, f, _ in self._parts])
        problems = pa.concat_arrays(
            [pa.array(p, pa.string()) if isinstance(p, list) else _repeat(p, len(rows))
             for rows, _, p in self._parts]
        )  # fmt: skip
        rank = np.concatenate([np.full(len(rows), FIELD_ORDER[f]) for rows, f, _ in self._parts])
        order = np.lexsort((rank, records))
        records, at = records[order], pa.array(order)
        return pd.DataFrame(
            {
                "record": records,
                "session_id": session_ids.take(pa.array(records)).to_pandas(),
                "field": fields.take(at).to_pandas(),
                "problem": problems.take(at).to_pandas(),
            }
        )


def _repeat(text: str, count: int) -> pa.Array:
    return pa.repeat(pa.scalar(text, pa.string()), count)
