"""The ``digest`` command of ``python -m fj``, and the view options it shares with ``sessions``.

``python -m fj digest [--demo] [--since 7d|30d|90d|quarter] [--role R] ... [--format
text|markdown|html]`` prints the summary of a view (:func:`fj.digest.summarize`);
``--email-to ADDRESS`` and ``--slack-webhook URL`` send it instead (:mod:`fj.deliver`).

The view options are the dashboard's link parameters under another spelling: each one
only puts its value under the link's parameter name (``--since`` -> ``date``, ``--role``
-> ``role``, ...), ``--link`` adds the parameters of a pasted dashboard link, and
``Filters.from_query`` reads the result, exactly as the dashboard reads its address bar.
So the same parameters select the same sessions in both. A value the project does not
have is an error here (the dashboard drops it with a notice): a scheduled summary must not
quietly widen to every session.

Exit status: 0 done, 2 key problem, 1 any other failure (one line on standard error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from fj.errors import AuthError, FJError
from fj.filters import Filters, filter_options
from fj.settings import Settings

if TYPE_CHECKING:
    from fj.client import ReadClient

#: CLI option -> (parameter of the dashboard's link, repeatable, help).
VIEW_OPTIONS: dict[str, tuple[str, bool, str]] = {
    "--since": ("date", False, "created in the last 7d, 30d, 90d, or this quarter"),
    "--from": ("from", False, "created on or after this day (YYYY-MM-DD)"),
    "--to": ("to", False, "created on or before this day (YYYY-MM-DD)"),
    "--role": ("role", True, "this role (repeat for several; '(not stated)' for none)"),
    "--location": ("location", True, "this location (repeat for several)"),
    "--exp": ("exp", True, "this experience band, e.g. '1-5 yrs' (repeat for several)"),
    "--q": ("q", False, "text in the title or the job description"),
    "--pmin": ("pmin", False, "at least this many profiles"),
    "--pmax": ("pmax", False, "at most this many profiles"),
}

COMMANDS = ("digest",)
FORMATS = ("text", "markdown", "html")


def add_view_options(parser: argparse.ArgumentParser) -> None:
    """Add the view's filters (the dashboard's link parameters) and ``--tz`` to a command."""
    group = parser.add_argument_group(
        "the view", "the dashboard's link parameters; the default is the whole project"
    )
    for option, (param, repeat, text) in VIEW_OPTIONS.items():
        group.add_argument(
            option,
            dest=f"view_{param}",
            action="append" if repeat else "store",
            metavar=param.upper(),
            help=f"{text} (link: {param}=)",
        )
    group.add_argument(
        "--link",
        help="a dashboard link (or its ?query): its filters and tz, under the options above",
    )
    group.add_argument(
        "--tz", help="timezone days and weeks are counted in (default: the link's, else UTC)"
    )


def view_query(args: argparse.Namespace) -> dict[str, list[str]]:
    """Return the link parameters the options ask for: ``--link``'s, then each option's."""
    query: dict[str, list[str]] = {}
    if args.link:
        text = args.link.strip()
        query.update(parse_qs(urlsplit(text).query if "?" in text else text.lstrip("?")))
    for param, _, _ in VIEW_OPTIONS.values():
        value = getattr(args, f"view_{param}", None)
        if value is not None:
            query[param] = value if isinstance(value, list) else [value]
    if args.tz:
        query["tz"] = [args.tz]
    return query


def view_filters(frame: pd.DataFrame, query: dict[str, list[str]]) -> tuple[Filters, str]:
    """Return the filters and timezone of ``query`` over ``frame``'s project.

    Raises FJError (one line) for a value the dashboard would drop with a notice, and for
    an unknown timezone.
    """
    filters, notices = Filters.from_query(query, options=filter_options(frame))
    if notices:
        raise FJError(" ".join(n.replace(" from the link", "") for n in notices))
    tz = (query.get("tz") or ["UTC"])[-1]
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise FJError(
            f"Unknown timezone {tz[:60]!r}: use an IANA name such as Asia/Kolkata."
        ) from None
    return filters, tz


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``digest`` to the CLI's subcommands."""
    digest = sub.add_parser(
        "digest",
        help="print or send the summary of a view (email, Slack)",
        description="Print the summary of a view, or send it by email or to Slack.",
    )
    digest.add_argument("--format", choices=FORMATS, default="text", help="what to print")
    digest.add_argument("--output", "-o", help="file to write (default: standard output)")
    digest.add_argument(
        "--email-to",
        action="append",
        metavar="ADDRESS",
        help="send it by email (text and HTML) through the FJ_SMTP_* server; repeatable",
    )
    digest.add_argument(
        "--slack-webhook",
        nargs="?",
        const="",
        metavar="URL",
        help="post it to this Slack incoming webhook (without URL: FJ_SLACK_WEBHOOK)",
    )
    digest.add_argument(
        "--project-name", help="the project's name in the summary (default: as the dashboard)"
    )
    digest.add_argument(
        "--demo", action="store_true", help="use the bundled demo project (no key needed)"
    )
    digest.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")
    add_view_options(digest)


@contextmanager
def open_project(
    demo: bool, settings: Settings
) -> Iterator[tuple[pd.DataFrame, Callable[[str], str | None], str]]:
    """Yield the project's sessions, a session-status lookup and the project's name.

    The key and base URL are read by ``settings`` (secrets file, then environment); the
    lookup asks the API (``GET /sourcing-session/{id}``, read-only) while the block runs.
    """
    if demo:
        from fj.demo import DEMO_PROJECT_NAME, DemoClient

        with DemoClient() as client:
            yield client.fetch_sessions().frame, _status_of(client), DEMO_PROJECT_NAME
        return
    from fj.client import FJClient

    key = settings.get("FJ_API_KEY")
    if not key:
        raise AuthError(
            "No FJ API key: set FJ_API_KEY in the environment or in "
            ".streamlit/secrets.toml (or use --demo)."
        )
    with FJClient(key, settings.get("FJ_API_BASE_URL"), **settings.client_options()) as client:
        yield client.fetch_sessions().frame, _status_of(client), "Project"


def _status_of(client: ReadClient) -> Callable[[str], str | None]:
    """Return a lookup of a session's ``profileMatchingStatus`` through ``client``."""

    def status(session_id: str) -> str | None:
        value = client.get_session(session_id).get("profileMatchingStatus")
        return value if isinstance(value, str) else None

    return status


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``digest``; return the exit status (0 ok, 2 key problem, 1 otherwise)."""
    from fj import deliver
    from fj.digest import summarize

    try:
        smtp = deliver.SmtpSettings.from_settings(settings.get) if args.email_to else None
        webhook = args.slack_webhook
        if webhook == "":
            webhook = settings.get("FJ_SLACK_WEBHOOK")
            if not webhook:
                raise FJError("--slack-webhook without a URL needs FJ_SLACK_WEBHOOK set.")
        with open_project(args.demo, settings) as (frame, status, name):
            filters, tz = view_filters(frame, view_query(args))
            summary = summarize(
                frame,
                filters,
                now=dt.datetime.now(dt.UTC),
                tz=tz,
                project=args.project_name or name,
                dashboard_url=settings.get("FJ_DASHBOARD_URL"),
                status=status,
            )
        if smtp is not None:
            deliver.send_email(summary, args.email_to, smtp)
            print(
                f"sent the summary to {', '.join(args.email_to)} through {smtp.host}:{smtp.port}",
                file=sys.stderr,
            )
        if webhook:
            deliver.post_slack(summary, webhook)
            print(f"posted the summary to Slack ({urlsplit(webhook).netloc})", file=sys.stderr)
    except AuthError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except FJError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if smtp is None and not webhook or args.output:
        rendered = {"text": summary.text, "markdown": summary.markdown, "html": summary.html}
        content = rendered[args.format]().encode()
        if args.output:
            Path(args.output).write_bytes(content)
            print(f"wrote the summary to {args.output}", file=sys.stderr)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
    return 0
