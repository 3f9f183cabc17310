"""The history's tables and their migrations (``fj_history_schema`` holds the version)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fj.history.db import HistoryError, Transaction

SCHEMA_VERSION = 2

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
changes_by_project = sa.Index("ix_fj_history_changes_project_id", changes_table.c.project_id,
                               changes_table.c.id)  # fmt: skip


def migrate(engine: Engine) -> int:
    """Create or upgrade the schema to SCHEMA_VERSION; return the version found before (0: none)."""
    with Transaction(engine.connect().execution_options(fj_write=True)) as conn:
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
            changes_by_project.create(conn, checkfirst=True)
        # later versions: `if found < 3: ...` steps here, in order
        if found < SCHEMA_VERSION:
            conn.execute(schema_table.delete())
            conn.execute(schema_table.insert().values(version=SCHEMA_VERSION))
        return found
