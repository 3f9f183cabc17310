"""Where the history database lives and how it is opened: the URL from settings, the
SQLAlchemy engine (SQLite in WAL mode, or any other URL), transactions, and small helpers
the other parts of :mod:`fj.history` share (epoch milliseconds, rows to a frame)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

DAY_MS = 86_400_000


class HistoryError(Exception):
    """The history database cannot be opened, migrated or written; the message is safe to show."""


def default_path(data_home: str | None = None) -> Path:
    """Return the default SQLite file: ``<data_home>/fj-dashboard/history.sqlite``.

    ``data_home`` is XDG_DATA_HOME (``~/.local/share`` when not set).
    """
    base = data_home or str(Path.home() / ".local" / "share")
    return Path(base) / "fj-dashboard" / "history.sqlite"


def default_url(data_home: str | None = None) -> str:
    """Return the SQLAlchemy URL of the default SQLite file."""
    return f"sqlite:///{default_path(data_home)}"


def url_from_settings(
    connection: Any = None, history_url: str | None = None, data_home: str | None = None
) -> tuple[str | None, str]:
    """Return (URL, where it was set) from ``[connections.fj_history]``, else FJ_HISTORY_URL.

    ``connection`` is the ``[connections.fj_history]`` table of secrets: a ``url``, or the
    parts ``st.connection`` also reads (``dialect``, ``driver``, ``host``, ``port``,
    ``database``, ``username``, ``password``); ``history_url`` the FJ_HISTORY_URL setting
    and ``data_home`` XDG_DATA_HOME (``fj.settings.Settings.history_location`` reads all
    three). The URL is None (history off) when the setting is ``off``; the default SQLite
    file when nothing is set.
    """
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
    if history_url and history_url.strip():
        return _off_or(history_url.strip(), "FJ_HISTORY_URL")
    return default_url(data_home), "default"


def _off_or(url: str, origin: str) -> tuple[str | None, str]:
    return (None, origin) if url.strip().lower() in ("off", "none", "false", "0") else (url, origin)


class Transaction:
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


def normalise(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver we pin
    return parsed.render_as_string(hide_password=False)


def engine_for(url: str) -> Engine:
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


def ms(t: dt.datetime | int | None) -> int:
    """Epoch milliseconds of a time (now when None; a naive time is UTC)."""
    if t is None:
        t = dt.datetime.now(dt.UTC)
    if isinstance(t, int | np.integer):
        return int(t)
    ts = pd.Timestamp(t)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return int(ts.value // 1_000_000)


def ts(ms: int | None) -> pd.Timestamp | None:
    return None if ms is None else pd.Timestamp(int(ms), unit="ms", tz="UTC")


def rows_frame(rows: Sequence, columns: list[str]) -> pd.DataFrame:
    """A frame of SQLAlchemy rows, column by column (handing pandas the Row objects makes it
    probe each row for attributes: 30x slower at 100k rows)."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({name: list(col) for name, col in zip(columns, values, strict=True)},
                        columns=columns)  # fmt: skip


def dialect_insert(conn: Connection, table: sa.Table):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
