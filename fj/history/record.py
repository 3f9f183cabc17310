"""Recording one fetch of a project's sessions: what changed since the last recorded state.

Only sessions whose ``totalProfiles`` or ``updatedAt`` differ from the last recorded values
are written, each as a change placed in time (see :mod:`fj.history`); recording the same
response again writes nothing but the check.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from fj.history.db import rows_frame
from fj.history.schema import changes_table, projects_table, sessions_table, snapshots_table


@dataclass(frozen=True)
class RecordResult:
    """What one check of a project's sessions recorded."""

    project: str
    outcome: str  # "recorded" (changes written), "unchanged", or "not_modified" (a 304)
    seen: int = 0
    new: int = 0
    grown: int = 0
    shrunk: int = 0
    vanished: int = 0
    unchanged: int = 0

    def line(self) -> str:
        """One line for a log or the CLI: sessions seen, new, grown, unchanged (and losses)."""
        if self.outcome == "not_modified":
            return "sessions not modified since the last check (304): recorded as unchanged"
        text = (
            f"sessions seen {self.seen:,}, new {self.new:,}, grown {self.grown:,}, "
            f"unchanged {self.unchanged:,}"
        )
        if self.shrunk or self.vanished:
            text += f", shrunk {self.shrunk:,}, vanished {self.vanished:,}"
        return text


def project_key(frame: pd.DataFrame, api_key: str | None) -> str:
    """Return the history key of a project: its ``projectId``, or a fingerprint of the key."""
    ids = frame["project_id"].dropna() if "project_id" in frame else pd.Series([], dtype="str")
    if len(ids):
        return str(ids.mode().iloc[0])
    if not api_key:
        raise ValueError("a project without projectId needs its key to be told apart")
    return "key:" + key_fingerprint(api_key)


def key_fingerprint(api_key: str) -> str:
    """Return a sha256 prefix that tells keys apart without revealing them."""
    return hashlib.sha256(api_key.strip().encode()).hexdigest()[:16]


def _epoch_ms(series: pd.Series) -> np.ndarray:
    """Epoch milliseconds of a datetime column as float (NaN for missing)."""
    values = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ms]")
    out = values.astype("int64").astype("float64")
    out[np.isnat(values)] = np.nan
    return out


def _current(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's sessions as history compares them: one row per id, counts present."""
    current = pd.DataFrame(
        {
            "session_id": frame["session_id"].astype("str"),
            "total": frame["total_profiles"],
            "updated_ms": _epoch_ms(frame["updated_at"]),
            "created_ms": _epoch_ms(frame["created_at"]),
            "title": frame["title"].astype("object"),
            "role": frame["role"].astype("object"),
        }
    )
    # A record without an id cannot be followed; one without a count says nothing new.
    keep = frame["session_id"].notna().to_numpy() & frame["total_profiles"].notna().to_numpy()
    current = current[keep]
    current = current.drop_duplicates("session_id", keep="last")
    current["total"] = current["total"].astype("int64")
    return current.reset_index(drop=True)


def _digest(frame: pd.DataFrame) -> str:
    """A digest of what history compares, straight from the sessions frame."""
    hashed = pd.util.hash_pandas_object(
        frame[["session_id", "total_profiles", "updated_at"]], index=False
    ).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def _lock_project(
    conn: Connection, project: str, now_ms: int, key_fp: str | None
) -> tuple[int, str | None]:
    """Return (id, last digest) of the project's row, created if new, locked until commit."""
    p = projects_table
    values = dict(project=project, key_fingerprint=key_fp, first_check_ms=now_ms,
                  last_check_ms=now_ms, last_outcome="new", checks=0)  # fmt: skip
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(p).values(**values).on_conflict_do_nothing(index_elements=["project"]))
    query = sa.select(p.c.id, p.c.digest, p.c.key_fingerprint).where(p.c.project == project)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()  # one writer per project at a time
    pid, digest, fp = conn.execute(query).one()
    if key_fp and fp != key_fp:
        conn.execute(p.update().where(p.c.id == pid).values(key_fingerprint=key_fp))
    return pid, digest


def _touch(conn: Connection, pid: int, now_ms: int, outcome: str, etag: str | None = None) -> None:
    values: dict[str, Any] = dict(last_check_ms=now_ms, last_outcome=outcome,
                                  checks=projects_table.c.checks + 1)  # fmt: skip
    if etag:
        values["etag"] = etag
    conn.execute(projects_table.update().where(projects_table.c.id == pid).values(**values))


def _none(x: Any) -> Any:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else x


def _int_or_none(x: Any) -> int | None:
    x = _none(x)
    return None if x is None else int(x)


def _write_changes(
    conn: Connection, pid: int, project: str, current: pd.DataFrame, now_ms: int
) -> RecordResult:
    s, c = sessions_table, changes_table
    rows = conn.execute(
        sa.select(s.c.id, s.c.session_id, s.c.total, s.c.updated_ms, s.c.present).where(
            s.c.project_id == pid
        )
    ).all()
    old = rows_frame(rows, ["sid", "session_id", "old_total", "old_updated", "present"])
    old = old.astype({"session_id": "str"})
    merged = current.merge(old, on="session_id", how="outer", indicator=True)
    new = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    gone = merged[(merged["_merge"] == "right_only") & merged["present"].astype(bool)]

    old_updated = both["old_updated"].astype("float64").to_numpy()
    new_updated = both["updated_ms"].to_numpy()
    same_updated = (old_updated == new_updated) | (np.isnan(old_updated) & np.isnan(new_updated))
    returned = ~both["present"].astype(bool).to_numpy()
    old_total = both["old_total"].astype("int64").to_numpy()
    old_total = np.where(returned, 0, old_total)
    delta = both["total"].astype("int64").to_numpy() - old_total
    changed = both[(delta != 0) | ~same_updated | returned]
    changed_delta = delta[(delta != 0) | ~same_updated | returned]
    changed_returned = returned[(delta != 0) | ~same_updated | returned]

    grown = int(((delta > 0) & ~returned).sum())
    shrunk = int(((delta < 0) & ~returned).sum())
    result = RecordResult(
        project, "recorded", seen=len(current), new=len(new), grown=grown, shrunk=shrunk,
        vanished=len(gone), unchanged=len(both) - len(changed),
    )  # fmt: skip
    if changed.empty and new.empty and gone.empty:
        return RecordResult(project, "unchanged", seen=len(current), unchanged=len(current))

    snapshot_id = conn.execute(
        snapshots_table.insert().values(
            project_id=pid,
            observed_ms=now_ms,
            seen=result.seen,
            new=result.new,
            grown=result.grown,
            shrunk=result.shrunk,
            vanished=result.vanished,
            unchanged=result.unchanged,
        )  # fmt: skip
    ).inserted_primary_key[0]

    change_rows: list[dict[str, Any]] = []
    if not new.empty:
        session_rows = [
            {"project_id": pid, "session_id": r.session_id, "title": _none(r.title),
             "role": _none(r.role), "created_ms": _int_or_none(r.created_ms),
             "first_seen_ms": now_ms, "total": int(r.total),
             "updated_ms": _int_or_none(r.updated_ms), "present": True}
            for r in new.itertuples(index=False)
        ]  # fmt: skip
        # A plain executemany, then the ids in one read: RETURNING with the rows' order
        # kept makes SQLAlchemy insert SQLite rows one statement at a time (10x slower).
        conn.execute(s.insert(), session_rows)
        id_of = dict(conn.execute(
            sa.select(s.c.session_id, s.c.id).where(s.c.project_id == pid,
                                                    s.c.first_seen_ms == now_ms)
        ).all())  # fmt: skip
        for row in session_rows:
            sid = id_of[row["session_id"]]
            placed = row["updated_ms"] or row["created_ms"] or now_ms
            change_rows.append(_change(snapshot_id, pid, sid, "new", row["total"],
                                       row["total"], now_ms, placed, row["role"]))  # fmt: skip
    if not changed.empty:
        updates = []
        for r, d, back in zip(changed.itertuples(index=False), changed_delta, changed_returned,
                              strict=True):  # fmt: skip
            kind = "returned" if back else "grew" if d > 0 else "shrank" if d < 0 else "touched"
            updated = _int_or_none(r.updated_ms)
            change_rows.append(_change(snapshot_id, pid, int(r.sid), kind, int(r.total), int(d),
                                       now_ms, updated or now_ms, _none(r.role)))  # fmt: skip
            updates.append({"b_id": int(r.sid), "b_total": int(r.total), "b_updated": updated,
                            "b_present": True, "b_role": _none(r.role)})  # fmt: skip
        conn.execute(
            s.update()
            .where(s.c.id == sa.bindparam("b_id"))
            .values(
                total=sa.bindparam("b_total"),
                updated_ms=sa.bindparam("b_updated"),
                present=sa.bindparam("b_present"),
                role=sa.bindparam("b_role"),
            ),  # fmt: skip
            updates,
        )
    if not gone.empty:
        role_of = dict(conn.execute(
            sa.select(s.c.id, s.c.role).where(s.c.id.in_([int(x) for x in gone["sid"]]))
        ).all())  # fmt: skip
        for r in gone.itertuples(index=False):
            change_rows.append(_change(snapshot_id, pid, int(r.sid), "vanished", 0,
                                       -int(r.old_total), now_ms, now_ms,
                                       role_of.get(int(r.sid))))  # fmt: skip
        conn.execute(
            s.update().where(s.c.id == sa.bindparam("b_id")).values(total=0, present=False),
            [{"b_id": int(x)} for x in gone["sid"]],
        )
    if change_rows:
        conn.execute(c.insert(), change_rows)
    return result


def _change(snapshot_id, pid, sid, kind, total, delta, observed, placed, role) -> dict[str, Any]:
    return {"snapshot_id": snapshot_id, "project_id": pid, "session": sid, "kind": kind,
            "total": total, "delta": delta, "observed_ms": observed, "placed_ms": int(placed),
            "role": role}  # fmt: skip


def write_fetch(
    conn: Connection,
    project: str,
    frame: pd.DataFrame,
    now_ms: int,
    *,
    etag: str | None,
    key_fp: str | None,
) -> RecordResult:
    """Record one fetch (the sessions frame) inside the caller's write transaction."""
    digest = _digest(frame)
    pid, old_digest = _lock_project(conn, project, now_ms, key_fp)
    if old_digest == digest:  # the same response again: nothing to compare
        _touch(conn, pid, now_ms, "unchanged", etag=etag)
        seen = int((frame["session_id"].notna() & frame["total_profiles"].notna()).sum())
        return RecordResult(project, "unchanged", seen=seen, unchanged=seen)
    result = _write_changes(conn, pid, project, _current(frame), now_ms)
    conn.execute(
        projects_table.update()
        .where(projects_table.c.id == pid)
        .values(last_check_ms=now_ms, last_outcome=result.outcome,
                checks=projects_table.c.checks + 1, digest=digest, etag=etag)
    )  # fmt: skip
    return result


def write_not_modified(conn: Connection, project: str, now_ms: int) -> RecordResult:
    """Record a 304 Not Modified (checked, unchanged) inside the caller's write transaction."""
    pid, _ = _lock_project(conn, project, now_ms, None)
    _touch(conn, pid, now_ms, "not_modified")
    return RecordResult(project, "not_modified")
