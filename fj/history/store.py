"""The history store: one database (one SQLAlchemy engine and its pool) to record fetches
in and read activity, the week's facts and a session's growth from. Errors are
:class:`HistoryError`, whose message is safe to show (never a password)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from fj.history.activity import FREQS, daily, periods_table
from fj.history.db import HistoryError, Transaction, engine_for, ms, normalise, rows_frame, ts
from fj.history.facts import WeekFacts, week_facts
from fj.history.record import RecordResult, write_fetch, write_not_modified
from fj.history.schema import (
    changes_table,
    migrate,
    projects_table,
    sessions_table,
    snapshots_table,
)


class History:
    """The history database: record checks of a project, and read activity from them."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        try:
            self.url = normalise(url)
        except sa.exc.ArgumentError:
            raise HistoryError(
                "History is off: the history database setting is not a database URL "
                "(e.g. sqlite:///path/history.sqlite or postgresql://user:password@host/db)."
            ) from None
        try:
            self.engine = engine_for(self.url)
        except (OSError, sa.exc.SQLAlchemyError, ImportError) as exc:
            raise HistoryError(self._why("could not open", exc)) from None
        if create:
            try:
                migrate(self.engine)
            except (OSError, sa.exc.SQLAlchemyError) as exc:
                self.engine.dispose()
                raise HistoryError(self._why("could not open", exc)) from None

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- where, in words -------------------------------------------------------------------

    @property
    def where(self) -> str:
        """The SQLite file, or ``dialect://host:port/database``: never a user or a password."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return f"SQLite file {url.database or '(in memory)'}"
        port = f":{url.port}" if url.port else ""
        host = url.host or "localhost"
        return f"{url.get_backend_name()} database {url.database or ''} on {host}{port}"

    def _why(self, doing: str, exc: BaseException) -> str:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        password = make_url(self.url).password
        if password:
            reason = reason.replace(str(password), "***")
        return f"History is off: {doing} the history database ({self.where}): {reason}"

    # -- writing ---------------------------------------------------------------------------

    def record(
        self,
        project: str,
        frame: pd.DataFrame,
        *,
        observed_at: dt.datetime | None = None,
        etag: str | None = None,
        key_fingerprint: str | None = None,
    ) -> RecordResult:
        """Record one fetch of the project's sessions (the sessions frame), in one transaction.

        Only sessions whose ``totalProfiles`` or ``updatedAt`` differ from the last recorded
        values are written; recording the same frame again writes nothing.
        """
        now_ms = ms(observed_at)
        try:
            with self._write() as conn:
                return write_fetch(conn, project, frame, now_ms, etag=etag,
                                   key_fp=key_fingerprint)  # fmt: skip
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not write to", exc)) from None

    def record_not_modified(
        self, project: str, *, observed_at: dt.datetime | None = None
    ) -> RecordResult:
        """Record that the API answered 304 Not Modified: checked, unchanged."""
        try:
            with self._write() as conn:
                return write_not_modified(conn, project, ms(observed_at))
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not write to", exc)) from None

    def _write(self):
        conn = self.engine.connect().execution_options(fj_write=True)
        return Transaction(conn)

    # -- reading ---------------------------------------------------------------------------

    def _read(self, query, params: dict | None = None) -> list:
        try:
            with self.engine.connect() as conn:
                return list(conn.execute(query, params or {}))
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not read", exc)) from None

    def last_seen(self, key_fingerprint: str) -> tuple[str, str | None] | None:
        """Return (project, last ETag) last checked with this key fingerprint, or None."""
        rows = self._read(
            sa.select(projects_table.c.project, projects_table.c.etag)
            .where(projects_table.c.key_fingerprint == key_fingerprint)
            .order_by(projects_table.c.last_check_ms.desc())
            .limit(1)
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def projects(self) -> list[str]:
        """Return the projects that have history."""
        return [r[0] for r in self._read(sa.select(projects_table.c.project).order_by("project"))]

    def info(self, projects: Sequence[str] | None = None) -> dict[str, Any]:
        """Return where history lives, since when, how many checks and snapshots (Data page)."""
        p = projects_table
        query = sa.select(
            sa.func.min(p.c.first_check_ms), sa.func.max(p.c.last_check_ms),
            sa.func.coalesce(sa.func.sum(p.c.checks), 0), sa.func.count(p.c.id),
        )  # fmt: skip
        snaps = sa.select(sa.func.count(snapshots_table.c.id)).join(
            p, p.c.id == snapshots_table.c.project_id
        )
        if projects is not None:
            query = query.where(p.c.project.in_(list(projects)))
            snaps = snaps.where(p.c.project.in_(list(projects)))
        first, last, checks, n_projects = self._read(query)[0]
        (n_snapshots,) = self._read(snaps)[0]
        return {
            "where": self.where,
            "since": ts(first),
            "last_check": ts(last),
            "checks": int(checks or 0),
            "snapshots": int(n_snapshots or 0),
            "projects": int(n_projects or 0),
        }

    def _project_ids(self, projects: Sequence[str]) -> list[int]:
        rows = self._read(
            sa.select(projects_table.c.id).where(projects_table.c.project.in_(list(projects)))
        )
        return [r[0] for r in rows]

    def since(self, projects: Sequence[str]) -> pd.Timestamp | None:
        """Return when history of these projects starts (their first check), or None."""
        return self.info(projects)["since"]

    def last_check_ms(self, projects: Sequence[str]) -> int | None:
        """Return when any of these projects was last checked (epoch ms), or None: what the
        facts read from history depend on, so a cache of them can be keyed by it."""
        p = projects_table
        query = sa.select(sa.func.max(p.c.last_check_ms)).where(p.c.project.in_(list(projects)))
        return self._read(query)[0][0]

    def totals(self, projects: Sequence[str]) -> int:
        """Return the latest recorded ``totalProfiles`` summed over the projects' sessions."""
        s = sessions_table
        rows = self._read(
            sa.select(sa.func.coalesce(sa.func.sum(s.c.total), 0))
            .join(projects_table, projects_table.c.id == s.c.project_id)
            .where(projects_table.c.project.in_(list(projects)), s.c.present)
        )
        return int(rows[0][0])

    def activity(
        self,
        projects: Sequence[str],
        *,
        freq: str = "W",
        tz: str = "UTC",
        by_role: bool = False,
    ) -> pd.DataFrame:
        """Return profiles added per period (columns ``period``, [``role``], ``added``).

        ``period`` is the tz-aware start of the day, week (from Monday) or month in ``tz``;
        periods with no change are rows of 0. ``attrs["since"]`` is when history starts.

        The changes are summed per local day of ``tz`` into a rollup kept in the database
        and brought up to date here with only the changes recorded since the last call,
        so a year of history costs a read of at most a few thousand rows.
        """
        if freq not in FREQS:
            raise ValueError(f"freq must be one of {FREQS}, not {freq!r}")
        pd.Timestamp(0, tz=tz)  # an unknown timezone raises here, before any write
        ids = self._project_ids(projects)
        days = self._daily(ids, tz) if ids else rows_frame([], ["day", "role", "added"])
        since = self.since(projects) if ids else None
        return periods_table(days, freq, tz, by_role, since)

    def _daily(self, ids: list[int], tz: str) -> pd.DataFrame:
        try:
            with self._write() as conn:
                return daily(conn, ids, tz)
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not read", exc)) from None

    def since_last_week(
        self, projects: Sequence[str], *, now: dt.datetime | None = None
    ) -> WeekFacts:
        """Return the "since last week" facts of the projects' history, as of ``now``."""
        ids = self._project_ids(projects)
        return week_facts(self._read, ids, ms(now),
                          history_since=self.since(projects) if ids else None)  # fmt: skip

    def growth(self, project: str, session_id: str) -> pd.DataFrame:
        """Return a session's recorded profile counts over time (``at``, ``total``, ``kind``)."""
        s, c, p = sessions_table, changes_table, projects_table
        rows = self._read(
            sa.select(c.c.placed_ms, c.c.observed_ms, c.c.total, c.c.kind)
            .join(s, s.c.id == c.c.session)
            .join(p, p.c.id == s.c.project_id)
            .where(p.c.project == project, s.c.session_id == session_id)
            .order_by(c.c.id)
        )
        frame = rows_frame(rows, ["placed_ms", "observed_ms", "total", "kind"])
        return pd.DataFrame(
            {
                "at": pd.to_datetime(frame["placed_ms"].astype("int64"), unit="ms", utc=True),
                "seen": pd.to_datetime(frame["observed_ms"].astype("int64"), unit="ms", utc=True),
                "total": frame["total"].astype("int64"),
                "kind": frame["kind"].astype("str"),
            }
        )
