"""Command line: ``python -m fj sessions --format csv|json|xlsx [--output FILE]``.

Writes the project's sessions, the same frame the dashboard shows, for scripts
and cron (``xlsx``: the Sessions page's Excel file); the view options (``--since``,
``--role``, ...) narrow them as the dashboard's link parameters do. ``digest``
prints or sends the summary of a view (see :mod:`fj.digest_cli`). The key is
read as the dashboard reads it (:mod:`fj.settings`): from the secrets file
(``.streamlit/secrets.toml``), else the environment (``FJ_API_KEY``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from fj import digest_cli, history_cli
from fj.client import FJClient
from fj.errors import AuthError, FJError
from fj.secrets_check import secrets_problems
from fj.settings import Settings, read_secrets_file


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fj", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sessions = sub.add_parser(
        "sessions", help="write the project's sessions as CSV, JSON or Excel (xlsx)"
    )
    sessions.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    sessions.add_argument("--output", "-o", help="file to write (default: standard output)")
    sessions.add_argument(
        "--excel",
        action="store_true",
        help="Excel-friendly CSV: UTF-8 with BOM, times as YYYY-MM-DD HH:MM:SS in --tz",
    )
    sessions.add_argument(
        "--demo", action="store_true", help="use the bundled demo project (no key needed)"
    )
    sessions.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    digest_cli.add_view_options(sessions)
    history_cli.add_commands(sub)
    digest_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the process exit code (0 ok, 2 key problem, 1 other failure)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    if args.command in history_cli.COMMANDS:
        return _history(args)
    if args.command in digest_cli.COMMANDS:
        return _digest(args)
    try:
        if args.demo:
            from fj.demo import DemoClient

            with DemoClient() as client:
                frame = client.fetch_sessions().frame
        else:
            settings = _checked_settings()
            key = settings.get("FJ_API_KEY")
            if not key:
                raise AuthError(
                    "No FJ API key: set FJ_API_KEY in the environment or in "
                    ".streamlit/secrets.toml (or use --demo)."
                )
            with FJClient(
                key, settings.get("FJ_API_BASE_URL"), **settings.client_options()
            ) as client:
                frame = client.fetch_sessions().frame
        total = len(frame)
        filters, tz = digest_cli.view_filters(frame, digest_cli.view_query(args))
        frame = filters.apply(frame, now=dt.datetime.now(dt.UTC), tz=tz)
        content = _render(frame, args, filters=filters, tz=tz, total=total)
    except FJError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2 if isinstance(err, AuthError) else 1
    if args.output:
        Path(args.output).write_bytes(content)
        print(f"wrote {len(frame):,} sessions to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


def _checked_settings() -> Settings:
    """Return the settings of the secrets file and the environment; raise FJError when the
    secrets file cannot be read or is misshapen."""
    secrets = read_secrets_file()
    problems = secrets_problems(secrets)
    if problems:
        raise FJError("The secrets file is misconfigured: " + " ".join(problems))
    return Settings(secrets)


def _with_settings(command) -> Callable[[argparse.Namespace], int]:
    """Return a subcommand that runs ``command(args, settings)`` on checked secrets."""

    def run(args: argparse.Namespace) -> int:
        try:
            settings = _checked_settings()
        except FJError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        return command(args, settings)

    return run


_history = _with_settings(history_cli.run)
_digest = _with_settings(digest_cli.run)


def _render(frame, args, *, filters, tz: str, total: int) -> bytes:
    if args.format == "csv":
        from fj.export import to_csv

        return to_csv(frame, tz=tz, excel=args.excel)
    if args.format == "xlsx":
        from fj.demo import DEMO_PROJECT_NAME
        from fj.export import sessions_xlsx

        return sessions_xlsx(
            frame,
            total=total,
            project=DEMO_PROJECT_NAME if args.demo else "Project",
            filters=filters,
            tz=tz,
            fetched_at=dt.datetime.now(dt.UTC),
        )
    return frame.to_json(orient="records", date_format="iso", force_ascii=False).encode()


if __name__ == "__main__":
    sys.exit(main())
