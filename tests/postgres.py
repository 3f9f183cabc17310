"""A real PostgreSQL server for the tests: ``running_postgres()`` starts one, stops it after.

PostgreSQL's ``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the
``postgres`` system user (``runuser -u postgres --``). The server listens on a free
loopback port with its socket and data in a temporary folder, trusts local connections
(user ``fj``, no password) and is stopped (``-m fast``) at the end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.servers import free_port


def pg_bin() -> Path | None:
    """Return the folder of the newest installed PostgreSQL's binaries, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a PostgreSQL server; yield the SQLAlchemy URL of its ``postgres`` database."""
    bin_dir = pg_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL binaries (pg_ctl, initdb) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="fj-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "fj"]),
        **quiet,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                      "-l", str(folder / "log"), "-w", "start"]),
        **quiet,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://fj@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server; return its URL."""
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name
