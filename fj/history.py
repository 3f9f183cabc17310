"""History: what was sourced when, kept in a real database through SQLAlchemy.

The API keeps no history (``totalProfiles`` is today's count), so every fetch of
``/projects/sessions`` is recorded here, per session, when ``totalProfiles`` or
``updatedAt`` changed since the last recorded values. From that the dashboard
and ``python -m fj activity`` tell how many profiles were added per period.

Where: SQLite by default (a file in WAL mode, so the app and a scheduled
``python -m fj snapshot`` can write at once), at :func:`default_url`; any
SQLAlchemy URL otherwise (PostgreSQL for a hosted app). The schema is created
and migrated here (table ``fj_history_schema`` holds its version).

Keyed by the project: its ``projectId``, or a fingerprint of the key when the
payload has none; the key itself is never stored.

How growth is placed in time: the increase of ``totalProfiles`` between two
snapshots of a session is placed at the later snapshot's ``updatedAt`` (the
API's own time of the change; the time it was seen when the API gives none); a
session seen for the first time contributes its whole count at its
``updatedAt`` (else ``createdAt``, else when it was seen); a decrease is a
negative correction, and a session that disappears is a correction of its
whole count at the time it was found missing. So profiles added, summed over
all periods, equals the latest ``totalProfiles`` summed over the sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from fj.filters import NOT_STATED

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
FREQS = ("D", "W", "M")
#: Profiles counts whose first crossing the Session page reports.
THRESHOLDS = (25, 50, 100)
_DAY_MS = 86_400_000

metadata = sa.MetaData()

schema_table = sa.Table(
    "fj_history_schema", metadata, sa.Column("version", sa.Integer, nullable=False)
)
#: One row per project: when it was first and last checked, the state last recorded.
projects_table = sa.Table(
    "fj_history_projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project", sa.String(100), nullable=False, unique=True),
    sa.Column("key_fingerprint", sa.String(32), index=True),
    sa.Column("first_check_ms", sa.BigInteger, nullable=False),
    sa.Column("last_check_ms", sa.BigInteger, nullable=False),
    sa.Column("last_outcome", sa.String(16), nullable=False),
    sa.Column("checks", sa.Integer, nullable=False),
    sa.Column("digest", sa.String(64)),
    sa.Column("etag", sa.String(200)),
)
#: One row per fetch that changed something.
snapshots_table = sa.Table(
    "fj_history_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("fj_history_projects.id"), nullable=False),
    sa.Column("observed_ms", sa.BigInteger, nullable=False),
    sa.Column("seen", sa.Integer, nullable=False),
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("grown", sa.Integer, nullable=False),
    sa.Column("shrunk", sa.Integer, nullable=False),
    sa.Column("vanished", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Index("ix_fj_history_snapshots_project", "project_id", "observed_ms"),
)
#: The last recorded state of each session.
sessions_table = sa.Table(
    "fj_history_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("fj_history_projects.id"), nullable=False),
    sa.Column("session_id", sa.String(64), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("role", sa.String(200)),
    sa.Column("created_ms", sa.BigInteger),
    sa.Column("first_seen_ms", sa.BigInteger, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("updated_ms", sa.BigInteger),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.UniqueConstraint("project_id", "session_id", name="uq_fj_history_sessions"),
)
#: Every recorded change: kind new|grew|shrank|touched|vanished|returned, the count after
#: it, the change of the count (``delta``) and when it is placed in time (``placed_ms``).
changes_table = sa.Table(
    "fj_history_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("fj_history_snapshots.id"), nullable=False),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("session", sa.Integer, sa.ForeignKey("fj_history_sessions.id"), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("delta", sa.BigInteger, nullable=False),
    sa.Column("observed_ms", sa.BigInteger, nullable=False),
    sa.Column("placed_ms", sa.BigInteger, nullable=False),
    sa.Column("role", sa.String(200)),
    # covering index of the activity query: no table lookups
    sa.Index("ix_fj_history_changes_placed", "project_id", "placed_ms", "role", "delta"),
    sa.Index("ix_fj_history_changes_session", "session", "id"),
)


#: Profiles added per local day of a timezone and role: a rollup of the changes, brought up
#: to date when activity is read (``fj_history_rollup_state`` says up to which change).
rollup_table = sa.Table(
    "fj_history_rollup",
    metadata,
    sa.Column("project_id", sa.Integer, primary_key=True),
    sa.Column("tz", sa.String(64), primary_key=True),
    sa.Column("day", sa.Integer, primary_key=True),  # days since 1970-01-01, local
    sa.Column("role", sa.String(200), primary_key=True),  # "" when not stated
    sa.Column("added", sa.BigInteger, nullable=False),
)
rollup_state_table = sa.Table(
    "fj_history_rollup_state",
    metadata,
    sa.Column("project_id", sa.Integer, primary_key=True),
    sa.Column("tz", sa.String(64), primary_key=True),
    sa.Column("last_change_id", sa.BigInteger, nullable=False),
)
_changes_by_project = sa.Index("ix_fj_history_changes_project_id", changes_table.c.project_id,
                               changes_table.c.id)  # fmt: skip


class HistoryError(Exception):
    """The history database cannot be opened, migrated or written; the message is safe to show."""


# -- where history lives --------------------------------------------------------------------


def default_path() -> Path:
    """Return the default SQLite file: ``$XDG_DATA_HOME/fj-dashboard/history.sqlite``.

    (``~/.local/share/fj-dashboard/history.sqlite`` when XDG_DATA_HOME is not set.)
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "fj-dashboard" / "history.sqlite"


def default_url() -> str:
    """Return the SQLAlchemy URL of the default SQLite file."""
    return f"sqlite:///{default_path()}"


def url_from_settings(
    connection: Any = None, env: dict[str, str] | None = None
) -> tuple[str | None, str]:
    """Return (URL, where it was set) from ``[connections.fj_history]``, else FJ_HISTORY_URL.

    ``connection`` is the ``[connections.fj_history]`` table of secrets: a ``url``, or the
    parts ``st.connection`` also reads (``dialect``, ``driver``, ``host``, ``port``,
    ``database``, ``username``, ``password``). The URL is None (history off) when the
    setting is ``off``; the default SQLite file when nothing is set.
    """
    env = os.environ if env is None else env
    if isinstance(connection, dict) or hasattr(connection, "get"):
        if connection.get("url"):
            return _off_or(str(connection["url"]), "secrets [connections.fj_history]")
        if connection.get("dialect"):
            dialect = str(connection["dialect"])
            driver = connection.get("driver")
            url = URL.create(
                f"{dialect}+{driver}" if driver else dialect,
                username=connection.get("username"),
                password=connection.get("password"),
                host=connection.get("host"),
                port=int(connection["port"]) if connection.get("port") else None,
                database=connection.get("database"),
            )
            return url.render_as_string(hide_password=False), "secrets [connections.fj_history]"
    if env.get("FJ_HISTORY_URL", "").strip():
        return _off_or(env["FJ_HISTORY_URL"].strip(), "environment FJ_HISTORY_URL")
    return default_url(), "default"


def _off_or(url: str, origin: str) -> tuple[str | None, str]:
    return (None, origin) if url.strip().lower() in ("off", "none", "false", "0") else (url, origin)


# -- the store ------------------------------------------------------------------------------


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


class History:
    """The history database: record checks of a project, and read activity from them."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        try:
            self.url = _normalise(url)
        except sa.exc.ArgumentError:
            raise HistoryError(
                "History is off: the history database setting is not a database URL "
                "(e.g. sqlite:///path/history.sqlite or postgresql://user:password@host/db)."
            ) from None
        try:
            self.engine = _engine(self.url)
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
        now_ms = _ms(observed_at)
        digest = _digest(frame)
        try:
            with self._write() as conn:
                pid, old_digest = _lock_project(conn, project, now_ms, key_fingerprint)
                if old_digest == digest:  # the same response again: nothing to compare
                    _touch(conn, pid, now_ms, "unchanged", etag=etag)
                    seen = int((frame["session_id"].notna()
                                & frame["total_profiles"].notna()).sum())  # fmt: skip
                    return RecordResult(project, "unchanged", seen=seen, unchanged=seen)
                result = _write_changes(conn, pid, project, _current(frame), now_ms)
                conn.execute(
                    projects_table.update()
                    .where(projects_table.c.id == pid)
                    .values(last_check_ms=now_ms, last_outcome=result.outcome,
                            checks=projects_table.c.checks + 1, digest=digest, etag=etag)
                )  # fmt: skip
                return result
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not write to", exc)) from None

    def record_not_modified(
        self, project: str, *, observed_at: dt.datetime | None = None
    ) -> RecordResult:
        """Record that the API answered 304 Not Modified: checked, unchanged."""
        now_ms = _ms(observed_at)
        try:
            with self._write() as conn:
                pid, _ = _lock_project(conn, project, now_ms, None)
                _touch(conn, pid, now_ms, "not_modified")
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not write to", exc)) from None
        return RecordResult(project, "not_modified")

    def _write(self):
        conn = self.engine.connect().execution_options(fj_write=True)
        return _Transaction(conn)

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
            "since": _ts(first),
            "last_check": _ts(last),
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
        days = self._daily(ids, tz) if ids else _rows_frame([], ["day", "role", "added"])
        since = self.since(projects) if ids else None
        return _periods_table(days, freq, tz, by_role, since)

    def _daily(self, ids: list[int], tz: str) -> pd.DataFrame:
        """Profiles added per local day (days since 1970-01-01 in ``tz``) and role."""
        r = rollup_table
        try:
            with self._write() as conn:
                for pid in ids:
                    _bring_rollup_up_to_date(conn, pid, tz)
                rows = conn.execute(
                    sa.select(r.c.day, r.c.role, sa.func.sum(r.c.added))
                    .where(r.c.project_id.in_(ids), r.c.tz == tz)
                    .group_by(r.c.day, r.c.role)
                ).all()
        except sa.exc.SQLAlchemyError as exc:
            raise HistoryError(self._why("could not read", exc)) from None
        return _rows_frame(rows, ["day", "role", "added"])

    def since_last_week(
        self, projects: Sequence[str], *, now: dt.datetime | None = None
    ) -> WeekFacts:
        """Return the "since last week" facts of the projects' history, as of ``now``."""
        now_ms = _ms(now)
        week_ms, day_ms = now_ms - 7 * _DAY_MS, now_ms - _DAY_MS
        ids = self._project_ids(projects)
        s, c = sessions_table, changes_table
        born = sa.func.coalesce(s.c.created_ms, s.c.first_seen_ms)
        new = self._read(
            sa.select(sa.func.count(s.c.id)).where(
                s.c.project_id.in_(ids), s.c.present, born >= week_ms
            )
        )[0][0]
        added = self._read(
            sa.select(sa.func.coalesce(sa.func.sum(c.c.delta), 0)).where(
                c.c.project_id.in_(ids), c.c.placed_ms >= week_ms
            )
        )[0][0]
        grew_q = (
            sa.select(s.c.session_id, s.c.title, s.c.role, s.c.total,
                      sa.func.sum(c.c.delta).label("added"))
            .join(s, s.c.id == c.c.session)
            .where(c.c.project_id.in_(ids), c.c.placed_ms >= week_ms,
                   c.c.kind.in_(("grew", "shrank", "returned")))
            .group_by(s.c.session_id, s.c.title, s.c.role, s.c.total)
            .having(sa.func.sum(c.c.delta) > 0)
        )  # fmt: skip
        grew = _rows_frame(
            self._read(grew_q), ["session_id", "title", "role", "total", "added"]
        ).sort_values("added", ascending=False, kind="stable", ignore_index=True)
        processing = self._read(
            sa.select(sa.func.count(sa.distinct(c.c.session))).where(
                c.c.project_id.in_(ids), c.c.placed_ms >= day_ms,
                c.c.kind.in_(("new", "grew", "returned")), c.c.delta > 0,
            )
        )[0][0]  # fmt: skip
        stuck = _rows_frame(
            self._read(
                sa.select(s.c.session_id, s.c.title, born.label("since_ms")).where(
                    s.c.project_id.in_(ids), s.c.present, s.c.total == 0, born < day_ms
                ).order_by(born)
            ),
            ["session_id", "title", "since_ms"],
        )
        stuck["since"] = pd.to_datetime(stuck.pop("since_ms").astype("int64"), unit="ms", utc=True)
        return WeekFacts(
            now=_ts(now_ms),
            since=_ts(week_ms),
            history_since=self.since(projects) if ids else None,
            new_sessions=int(new),
            added=int(added),
            grew=grew,
            processing=int(processing),
            stuck=stuck,
        )

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
        frame = _rows_frame(rows, ["placed_ms", "observed_ms", "total", "kind"])
        return pd.DataFrame(
            {
                "at": pd.to_datetime(frame["placed_ms"].astype("int64"), unit="ms", utc=True),
                "seen": pd.to_datetime(frame["observed_ms"].astype("int64"), unit="ms", utc=True),
                "total": frame["total"].astype("int64"),
                "kind": frame["kind"].astype("str"),
            }
        )


@dataclass(frozen=True)
class WeekFacts:
    """What changed in the 7 days before ``now``, from history."""

    now: pd.Timestamp
    since: pd.Timestamp  # now - 7 days
    history_since: pd.Timestamp | None
    new_sessions: int  # created (else first seen) in the window
    added: int  # profiles added in the window (activity summed over it)
    grew: pd.DataFrame  # session_id, title, role, total, added: sessions that grew
    processing: int  # sessions whose count rose in the last day (by the API's updatedAt)
    stuck: pd.DataFrame  # session_id, title, since: at 0 profiles for more than a day

    @property
    def partial(self) -> bool:
        """True when history started inside the window (the facts cover less than a week)."""
        return self.history_since is None or self.history_since > self.since


def time_to_profiles(
    growth: pd.DataFrame, created_at: pd.Timestamp | None, thresholds=THRESHOLDS
) -> pd.DataFrame:
    """Return, per threshold, when the session first had that many profiles and how long after
    its creation; ``at_first_sight`` when it already had them when history first saw it (the
    time is then an upper bound)."""
    rows = []
    for n in thresholds:
        hit = growth[growth["total"] >= n]
        if hit.empty:
            rows.append({"profiles": n, "reached": pd.NaT, "after": pd.NaT,
                         "at_first_sight": False})  # fmt: skip
            continue
        first = hit.iloc[0]
        known = created_at is not None and pd.notna(created_at)
        after = first["at"] - created_at if known else pd.NaT
        rows.append({"profiles": n, "reached": first["at"], "after": after,
                     "at_first_sight": hit.index[0] == growth.index[0]})  # fmt: skip
    return pd.DataFrame(rows)


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


# -- schema ----------------------------------------------------------------------------------


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema to SCHEMA_VERSION; return the version found before (0: none)."""
    with _Transaction(engine.connect().execution_options(fj_write=True)) as conn:
        if conn.dialect.name == "postgresql":  # two first starts at once: one creates
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(727274)"))
        schema_table.create(conn, checkfirst=True)
        found = conn.execute(sa.select(sa.func.max(schema_table.c.version))).scalar() or 0
        if found > SCHEMA_VERSION:
            raise HistoryError(
                f"History is off: the history database has schema version {found}, made by a "
                f"newer version of the dashboard (this one knows {SCHEMA_VERSION})."
            )
        if found < 2:  # 1 -> 2: the per-timezone daily rollup behind activity
            metadata.create_all(conn, checkfirst=True)
            _changes_by_project.create(conn, checkfirst=True)
        # later versions: `if found < 3: ...` steps here, in order
        if found < SCHEMA_VERSION:
            conn.execute(schema_table.delete())
            conn.execute(schema_table.insert().values(version=SCHEMA_VERSION))
        return found


# -- internals -------------------------------------------------------------------------------


class _Transaction:
    """A connection in one transaction, committed on success, rolled back on any error."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __enter__(self) -> Connection:
        self.conn.begin()
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()


def _normalise(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver we pin
    return parsed.render_as_string(hide_password=False)


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # the app and a scheduled writer at once
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock before it reads the last state, so two writers
        # never compute their changes from the same state; readers do not wait.
        write = conn.get_execution_options().get("fj_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _ms(t: dt.datetime | int | None) -> int:
    """Epoch milliseconds of a time (now when None; a naive time is UTC)."""
    if t is None:
        t = dt.datetime.now(dt.UTC)
    if isinstance(t, int | np.integer):
        return int(t)
    ts = pd.Timestamp(t)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return int(ts.value // 1_000_000)


def _ts(ms: int | None) -> pd.Timestamp | None:
    return None if ms is None else pd.Timestamp(int(ms), unit="ms", tz="UTC")


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
    old = _rows_frame(rows, ["sid", "session_id", "old_total", "old_updated", "present"])
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
            project_id=pid, observed_ms=now_ms, seen=result.seen, new=result.new,
            grown=result.grown, shrunk=result.shrunk, vanished=result.vanished,
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
            s.update().where(s.c.id == sa.bindparam("b_id")).values(
                total=sa.bindparam("b_total"), updated_ms=sa.bindparam("b_updated"),
                present=sa.bindparam("b_present"), role=sa.bindparam("b_role"),
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


def _rows_frame(rows: Sequence, columns: list[str]) -> pd.DataFrame:
    """A frame of SQLAlchemy rows, column by column (handing pandas the Row objects makes it
    probe each row for attributes: 30x slower at 100k rows)."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({name: list(col) for name, col in zip(columns, values, strict=True)},
                        columns=columns)  # fmt: skip


def _insert(conn: Connection, table: sa.Table):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _bring_rollup_up_to_date(conn: Connection, pid: int, tz: str) -> None:
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
        _insert(conn, state)
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
    frame = _rows_frame(new, ["id", "placed_ms", "role", "delta"])
    placed = pd.to_datetime(frame["placed_ms"].astype("int64"), unit="ms", utc=True)
    local = placed.dt.tz_convert(tz)
    frame["day"] = (
        local.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype("int64")
    )
    frame["role"] = frame["role"].fillna("")
    sums = frame.groupby(["day", "role"], as_index=False)["delta"].sum()
    sums = sums[sums["delta"] != 0]
    if len(sums):
        upsert = _insert(conn, r)
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


def _periods_table(
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
