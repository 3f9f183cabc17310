"""Activity: profiles added per day, week or month, read through a per-timezone daily rollup.

The changes are summed per local day of a timezone into ``fj_history_rollup``, brought up
to date with only the changes recorded since it was last read, so a year of history costs
a read of at most a few thousand rows; the days are then summed into periods here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from fj.filters import NOT_STATED
from fj.history.db import dialect_insert, rows_frame
from fj.history.schema import changes_table, projects_table, rollup_state_table, rollup_table

FREQS = ("D", "W", "M")


def daily(conn: Connection, ids: list[int], tz: str) -> pd.DataFrame:
    """Profiles added per local day (days since 1970-01-01 in ``tz``) and role, with the
    rollup brought up to date first, inside the caller's write transaction."""
    r = rollup_table
    for pid in ids:
        bring_rollup_up_to_date(conn, pid, tz)
    rows = conn.execute(
        sa.select(r.c.day, r.c.role, sa.func.sum(r.c.added))
        .where(r.c.project_id.in_(ids), r.c.tz == tz)
        .group_by(r.c.day, r.c.role)
    ).all()
    return rows_frame(rows, ["day", "role", "added"])


def bring_rollup_up_to_date(conn: Connection, pid: int, tz: str) -> None:
    """Add the project's changes recorded since the rollup of ``tz`` was last brought up to
    date (all of them the first time) to its days, inside the caller's write transaction."""
    r, state, c = rollup_table, rollup_state_table, changes_table
    if conn.dialect.name == "postgresql":
        # Wait for the project's writer, if any (it holds this row until it commits): change
        # ids are then all committed up to the last one, and none is skipped for good.
        conn.execute(
            sa.select(projects_table.c.id).where(projects_table.c.id == pid).with_for_update()
        )
    conn.execute(
        dialect_insert(conn, state)
        .values(project_id=pid, tz=tz, last_change_id=0)
        .on_conflict_do_nothing(index_elements=["project_id", "tz"])
    )
    query = sa.select(state.c.last_change_id).where(state.c.project_id == pid, state.c.tz == tz)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()  # two readers never add the same changes twice
    last = conn.execute(query).scalar_one()
    new = conn.execute(
        sa.select(c.c.id, c.c.placed_ms, c.c.role, c.c.delta)
        .where(c.c.project_id == pid, c.c.id > last)
        .order_by(c.c.id)
    ).all()
    if not new:
        return
    frame = rows_frame(new, ["id", "placed_ms", "role", "delta"])
    placed = pd.to_datetime(frame["placed_ms"].astype("int64"), unit="ms", utc=True)
    local = placed.dt.tz_convert(tz)
    frame["day"] = local.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype("int64")
    frame["role"] = frame["role"].fillna("")
    sums = frame.groupby(["day", "role"], as_index=False)["delta"].sum()
    sums = sums[sums["delta"] != 0]
    if len(sums):
        upsert = dialect_insert(conn, r)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["project_id", "tz", "day", "role"],
                set_={"added": r.c.added + upsert.excluded.added},
            ),
            [{"project_id": pid, "tz": tz, "day": int(d), "role": str(role), "added": int(a)}
             for d, role, a in sums.itertuples(index=False)],
        )  # fmt: skip
    conn.execute(
        state.update()
        .where(state.c.project_id == pid, state.c.tz == tz)
        .values(last_change_id=int(frame["id"].max()))
    )


def periods_table(
    days: pd.DataFrame, freq: str, tz: str, by_role: bool, since: pd.Timestamp | None
) -> pd.DataFrame:
    """Turn profiles added per local day into per period, every period from the first to the
    last (zeros included), with a ``role`` column when ``by_role``."""
    columns = ["period", *(["role"] if by_role else []), "added"]
    days = days[days["added"] != 0] if len(days) else days
    if days.empty:
        empty = pd.DataFrame({"period": pd.Series([], dtype=f"datetime64[ms, {tz}]"),
                              **({"role": pd.Series([], dtype="str")} if by_role else {}),
                              "added": pd.Series([], dtype="int64")})  # fmt: skip
        empty.attrs.update(freq=freq, tz=tz, since=since)
        return empty
    day = days["day"].astype("int64").to_numpy()
    if freq == "D":
        number = day
    elif freq == "W":
        number = (day + 3) // 7  # weeks from Monday: 1970-01-01 was a Thursday
    else:
        number = day.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
    frame = pd.DataFrame({"n": number, "role": days["role"].replace("", NOT_STATED).to_numpy(),
                          "added": days["added"].astype("int64").to_numpy()})  # fmt: skip
    all_n = np.arange(number.min(), number.max() + 1)
    if by_role:
        sums = frame.groupby(["n", "role"], as_index=False)["added"].sum()
        grid = pd.DataFrame({"n": all_n}).merge(
            pd.DataFrame({"role": sorted(sums["role"].unique())}), how="cross"
        )
        out = grid.merge(sums, on=["n", "role"], how="left")
    else:
        out = pd.DataFrame({"n": all_n}).merge(
            frame.groupby("n", as_index=False)["added"].sum(), on="n", how="left"
        )
    out["added"] = out["added"].fillna(0).astype("int64")
    n = out["n"].to_numpy()
    if freq == "M":
        starts = n.astype("datetime64[M]").astype("datetime64[D]")
    else:
        starts = (n * 7 - 3 if freq == "W" else n).astype("datetime64[D]")
    out["period"] = (
        pd.DatetimeIndex(starts)
        .tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
        .as_unit("ms")
    )
    out = out[columns].reset_index(drop=True)
    out.attrs.update(freq=freq, tz=tz, since=since)
    return out
