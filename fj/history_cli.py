"""The history commands of ``python -m fj``: ``snapshot`` (for a scheduler) and ``activity``.

``python -m fj snapshot [--db URL]`` fetches the project's sessions (key and base URL read
as ``python -m fj sessions`` reads them), asking with the last ETag, and records them in
the history database; it prints one line (sessions seen, new, grown, unchanged).
``python -m fj activity`` writes the profiles added per period, the numbers the
dashboard draws. The database: ``--db``, else ``[connections.fj_history]`` in the secrets
file, else ``FJ_HISTORY_URL``, else the default SQLite file (see :mod:`fj.history`).
Exit status: 0 done, 2 key problem, 1 any other failure.
"""

from __future__ import annotations

import argparse
import sys

from fj.errors import AuthError, FJError
from fj.history import FREQS, History, HistoryError, key_fingerprint, url_from_settings
from fj.settings import Settings


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``snapshot`` and ``activity`` to the CLI's subcommands."""
    db_help = "history database URL (default: the configured one, else the SQLite file)"
    snapshot = sub.add_parser("snapshot", help="record the project's sessions in the history")
    snapshot.add_argument("--db", help=db_help)
    snapshot.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    activity = sub.add_parser("activity", help="profiles added per period, from the history")
    activity.add_argument("--db", help=db_help)
    activity.add_argument("--freq", choices=FREQS, default="W", help="day, week or month")
    activity.add_argument("--tz", default="UTC", help="timezone the periods are counted in")
    activity.add_argument("--by", choices=("role",), help="one column per role")
    activity.add_argument("--format", choices=("csv", "json"), default="csv")
    activity.add_argument("--project", help="the projectId (default: the configured key's)")
    activity.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)


COMMANDS = ("snapshot", "activity")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run a history command; return the exit status (0 ok, 2 key problem, 1 otherwise).

    ``settings`` reads a setting as ``python -m fj sessions`` does (secrets, then the
    environment).
    """
    try:
        with _open(args.db, settings) as history:
            if args.command == "snapshot":
                return _snapshot(history, settings)
            return _activity(history, args, settings)
    except AuthError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (FJError, HistoryError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def _open(db: str | None, settings: Settings) -> History:
    if db:
        return History(db)
    url, origin = url_from_settings(*settings.history_location())
    if url is None:
        raise HistoryError(f"History is off ({origin} says off): give --db URL to use one.")
    return History(url)


def _snapshot(history: History, settings: Settings) -> int:
    from fj.client import FJClient
    from fj.history import project_key

    key = settings.get("FJ_API_KEY")
    if not key:
        raise AuthError(
            "No FJ API key: set FJ_API_KEY in the environment or in .streamlit/secrets.toml."
        )
    base = settings.get("FJ_API_BASE_URL")
    options = settings.client_options()
    fingerprint = key_fingerprint(key)
    known = history.last_seen(fingerprint)
    with FJClient(key, base, **options) as client:
        loaded, etag = client.fetch_sessions_if_changed(known[1] if known else None)
    if loaded is None and known is not None:
        result = history.record_not_modified(known[0])
    else:
        if loaded is None:  # a 304 to no ETag of ours cannot happen; fetch in full
            with FJClient(key, base, **options) as client:
                loaded, etag = client.fetch_sessions(), None
        project = project_key(loaded.frame, key)
        result = history.record(project, loaded.frame, etag=etag, key_fingerprint=fingerprint)
    print(result.line())
    return 0


def _activity(history: History, args: argparse.Namespace, settings: Settings) -> int:
    project = args.project
    if not project:
        key = settings.get("FJ_API_KEY")
        known = history.last_seen(key_fingerprint(key)) if key else None
        if known is not None:
            project = known[0]
        else:
            projects = history.projects()
            if len(projects) != 1:
                raise FJError(
                    "No history for the configured key yet (run `python -m fj snapshot`)"
                    if key
                    else f"The history holds {len(projects)} projects: pick one with --project."
                )
            project = projects[0]
    table = history.activity([project], freq=args.freq, tz=args.tz, by_role=args.by == "role")
    table["period"] = table["period"].dt.strftime("%Y-%m-%d")
    if args.format == "csv":
        sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))
    else:
        sys.stdout.write(table.to_json(orient="records", force_ascii=False) + "\n")
    sys.stdout.flush()
    return 0
