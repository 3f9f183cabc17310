"""The summary of a view, to paste into an email or a chat, or to send on a schedule.

``summarize`` builds it once from the sessions frame and the view (filters,
timezone, project, now): the view in words, the KPIs and how they moved
against the period before (``fj.periods.compare_periods``), the top roles and
the sessions worth a look. ``Summary.text()``, ``.markdown()`` and ``.html()``
render the same content; every piece of text that came from the API (titles,
roles, locations, the view's words) is escaped for the format, so a title
never becomes a link, markup or a script.
"""

from __future__ import annotations

import datetime
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pandas as pd

from fj import metrics, periods
from fj.errors import FJError
from fj.filters import Filters
from fj.metrics import Kpis
from fj.periods import Change, Comparison
from fj.wording import (
    KPI_LABELS,
    change_text,
    day_text,
    html_escape,
    md_escape,
    number,
    plain,
    span_text,
)

log = logging.getLogger(__name__)

# -- the summary --------------------------------------------------------------------------------

#: Sessions listed per group of "worth a look", and roles in the top list.
LIST_LIMIT = 5
TOP_ROLES = 5
#: Statuses (``profileMatchingStatus``) of a session that is still at work.
RUNNING = ("processing", "fetching_more")


@dataclass(frozen=True)
class SessionLine:
    """One session named in the summary."""

    session_id: str
    title: str
    profiles: int | None
    created: datetime.date | None  # local day


@dataclass(frozen=True)
class SessionGroup:
    """A group of sessions worth a look: its heading, the first few, how many in all."""

    heading: str
    sessions: tuple[SessionLine, ...]
    count: int


@dataclass(frozen=True)
class Summary:
    """What the summary says; ``text()``, ``markdown()`` and ``html()`` render it."""

    project: str
    view: str  # the filters in words (Filters.describe)
    tz: str
    shown: int
    total: int
    kpis: Kpis  # of the whole view
    comparison: Comparison | None
    so_far: Kpis | None  # the period not over yet (default view only)
    so_far_words: str | None  # "this week so far (since Mon 30 Nov 2026)"
    top_roles: tuple[tuple[str, int, int], ...]  # role, sessions, profiles
    groups: tuple[SessionGroup, ...]
    link: str | None  # the view on the dashboard
    session_link: str | None  # the Session page, "{id}" to fill in

    @property
    def subject(self) -> str:
        """A one-line title for an email or a message."""
        head = f"FJ sourcing summary: {plain(self.project)}"
        if self.comparison is None:
            return f"{head}, {self.shown:,} sessions"
        change = change_text(self.comparison.change("sessions"))
        sessions = self.comparison.now.sessions
        return (
            f"{head} · {self.comparison.period}: {sessions:,} session"
            f"{'s' if sessions != 1 else ''}{f', {change}' if change else ''}"
        )

    def text(self) -> str:
        """Return the summary as plain text (one line per fact; nothing is markup)."""
        return _render(self, _TextFormat())

    def markdown(self) -> str:
        """Return the summary as Markdown (Slack, chat): API text escaped, no link but ours."""
        return _render(self, _MarkdownFormat())

    def html(self) -> str:
        """Return the summary as an HTML document (email): API text escaped."""
        return _render(self, _HtmlFormat())


def summarize(
    full_frame: pd.DataFrame,
    filters: Filters,
    *,
    now: datetime.datetime,
    tz: str,
    project: str,
    dashboard_url: str | None = None,
    status: Callable[[str], str | None] | None = None,
    status_limit: int = 10,
    freq: str = "W",
) -> Summary:
    """Return the summary of a view: the sessions ``filters`` select from ``full_frame``.

    The KPIs are the view's, with their change from ``fj.periods.compare_periods``
    (the latest complete week against the week before on the default view;
    the previous period of the same length with a date filter). The sessions
    worth a look are those of the view created since the compared period
    began: the newest, the biggest, those still fetching and those with zero
    profiles. ``status`` (session id -> ``profileMatchingStatus``) is asked
    about the ``status_limit`` newest of them; without it, or when it raises
    ``FJError``, the summary says nothing about running sessions.
    ``dashboard_url`` (the ``FJ_DASHBOARD_URL`` setting, http or https only)
    gives the link to the view: its query is the dashboard's own link parameters.
    """
    view = filters.apply(full_frame, now=now, tz=tz)
    totals = metrics.kpis(view)
    comparison = periods.compare_periods(
        full_frame, filters, now=now, tz=tz, freq=freq, current=totals
    )
    so_far = so_far_words = None
    if comparison is not None and filters.window(now, tz) is None:
        since = comparison.end + datetime.timedelta(days=1)
        query = {k: v for k, v in filters.to_query().items() if k not in ("date", "from", "to")}
        partial, _ = Filters.from_query({**query, "from": str(since)})
        so_far = metrics.kpis(partial.apply(full_frame, now=now, tz=tz))
        so_far_words = f"{periods.PERIOD_WORDS[freq][0]} so far (since {day_text(since)})"
    recent = view
    if comparison is not None:
        start = pd.Timestamp(comparison.start).tz_localize(
            tz, ambiguous=True, nonexistent="shift_forward"
        )
        recent = view[view["created_at"] >= start]
    top = metrics.top_roles(view, n=TOP_ROLES)
    link = session_link = None
    if dashboard_url and dashboard_url.strip().lower().startswith(("https://", "http://")):
        base = dashboard_url.strip().rstrip("/")
        query = {**filters.to_query(), "tz": tz}
        link = f"{base}/?{urlencode(query, doseq=True)}"
        session_link = f"{base}/session?session={{id}}"
    since = f" since {day_text(comparison.start)}" if comparison is not None else ""
    return Summary(
        project=project,
        view=filters.describe(),
        tz=tz,
        shown=len(view),
        total=len(full_frame),
        kpis=totals,
        comparison=comparison,
        so_far=so_far,
        so_far_words=so_far_words,
        top_roles=tuple(
            (str(r), int(s), int(p))
            for r, s, p in zip(top["role"], top["sessions"], top["profiles"], strict=True)
        ),
        groups=_groups(recent, tz, since, status, status_limit),
        link=link,
        session_link=session_link,
    )


def _groups(recent, tz, since, status, status_limit) -> tuple[SessionGroup, ...]:
    newest = recent.sort_values("created_at", ascending=False, kind="stable")
    biggest = recent[recent["total_profiles"].fillna(0) > 0].sort_values(
        "total_profiles", ascending=False, kind="stable"
    )
    groups = [("New" + since, newest), ("Biggest", biggest.head(3))]
    if status is not None:
        running = []
        try:
            for session_id in newest["session_id"].head(status_limit):
                if status(str(session_id)) in RUNNING:
                    running.append(session_id)
        except FJError as err:
            log.warning("Session statuses left out of the summary: %s", type(err).__name__)
        else:
            groups.append(("Still fetching", newest[newest["session_id"].isin(running)]))
    zero = newest["total_profiles"].eq(0).fillna(False).to_numpy(bool)
    groups.append(("Zero profiles", newest[zero]))
    return tuple(
        SessionGroup(heading, _lines(frame.head(LIST_LIMIT), tz), len(frame))
        for heading, frame in groups
        if len(frame)
    )


def _lines(frame: pd.DataFrame, tz: str) -> tuple[SessionLine, ...]:
    created = frame["created_at"].dt.tz_convert(tz)
    return tuple(
        SessionLine(
            session_id=str(sid),
            title=str(title) if isinstance(title, str) and title.strip() else "(untitled)",
            profiles=None if pd.isna(count) else int(count),
            created=None if pd.isna(when) else when.date(),
        )
        for sid, title, count, when in zip(
            frame["session_id"], frame["title"], frame["total_profiles"], created, strict=True
        )
    )


# -- rendering: one layout, three formats ----------------------------------------------------


class _TextFormat:
    def escape(self, text: object) -> str:
        return plain(text)

    def strong(self, text: str) -> str:
        return text

    def link(self, text: str, url: str | None) -> str:
        return text  # plain text names sessions without their links, to stay short

    def view_link(self, text: str, url: str) -> str:
        return f"{text}: {url}"

    def block(self, lines: list[str]) -> str:
        return "\n".join(lines)

    def items(self, lines: list[str], ordered: bool = False) -> str:
        if ordered:
            return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
        return "\n".join(f"- {line}" for line in lines)

    def document(self, blocks: list[str]) -> str:
        return "\n\n".join(blocks) + "\n"


class _MarkdownFormat(_TextFormat):
    def escape(self, text: object) -> str:
        return md_escape(plain(text))

    def strong(self, text: str) -> str:
        return f"**{text}**"

    def link(self, text: str, url: str | None) -> str:
        # Our own URL only (the dashboard's setting and encoded parameters); brackets and
        # spaces encoded so that nothing in it can end the link early.
        if not url:
            return text
        for char, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
            url = url.replace(char, code)
        return f"[{text}]({url})"

    def view_link(self, text: str, url: str) -> str:
        return self.link(text, url)

    def block(self, lines: list[str]) -> str:
        return "  \n".join(lines)  # a hard line break between the lines of one paragraph


class _HtmlFormat(_TextFormat):
    def escape(self, text: object) -> str:
        return html_escape(plain(text))

    def strong(self, text: str) -> str:
        return f"<strong>{text}</strong>"

    def link(self, text: str, url: str | None) -> str:
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>' if url else text

    def view_link(self, text: str, url: str) -> str:
        return self.link(text, url)

    def block(self, lines: list[str]) -> str:
        return "<p>" + "<br>\n".join(lines) + "</p>"

    def items(self, lines: list[str], ordered: bool = False) -> str:
        tag = "ol" if ordered else "ul"
        return f"<{tag}>\n" + "\n".join(f"<li>{line}</li>" for line in lines) + f"\n</{tag}>"

    def document(self, blocks: list[str]) -> str:
        body = "\n".join(blocks)
        return (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
            '<body style="font-family: sans-serif; line-height: 1.4">\n'
            f"{body}\n</body></html>\n"
        )


def _kpi_line(name: str, value: float | None, change: Change | None) -> str:
    label, decimals = KPI_LABELS[name]
    line = f"{label}: {number(value, decimals)}"
    if change is None:
        return line
    said = change_text(change, decimals)
    before = number(change.before, decimals)
    return f"{line} · {said} vs {before}" if said else f"{line} (vs {before})"


def _render(summary: Summary, fmt: _TextFormat) -> str:
    e = fmt.escape
    blocks = [
        fmt.block(
            [
                fmt.strong(f"FJ sourcing summary · {e(summary.project)}"),
                f"{summary.shown:,} of {summary.total:,} sessions · {e(summary.view)} · "
                f"times in {e(summary.tz)}",
            ]
        )
    ]
    comparison = summary.comparison
    if comparison is not None:
        period = comparison.period
        span = span_text(comparison.start, comparison.end)
        before_span = span_text(comparison.before_start, comparison.before_end)
        named = period if period == span else f"{period} ({span})"
        before = (
            comparison.period_before
            if comparison.period_before == before_span
            else f"{comparison.period_before} ({before_span})"
        )
        blocks.append(fmt.block([fmt.strong(f"{named[:1].upper()}{named[1:]} vs {before}")]))
        blocks.append(
            fmt.items(
                [
                    _kpi_line(name, getattr(comparison.now, name), comparison.change(name))
                    for name in KPI_LABELS
                ]
            )
        )
    if summary.so_far is not None and summary.so_far_words:
        so_far = summary.so_far
        words = summary.so_far_words
        blocks.append(
            fmt.block(
                [
                    f"{words[:1].upper()}{words[1:]}: {so_far.sessions:,} session"
                    f"{'s' if so_far.sessions != 1 else ''}, "
                    f"{so_far.total_profiles:,} profiles (not compared: the period is not over)."
                ]
            )
        )
    if comparison is None or summary.so_far is not None:
        blocks.append(fmt.block([fmt.strong("The whole view")]))
        blocks.append(
            fmt.items([_kpi_line(name, getattr(summary.kpis, name), None) for name in KPI_LABELS])
        )
    if summary.top_roles:
        blocks.append(fmt.block([fmt.strong("Top roles by profiles")]))
        blocks.append(
            fmt.items(
                [
                    f"{e(role)}: {profiles:,} profiles, {sessions:,} session"
                    f"{'s' if sessions != 1 else ''}"
                    for role, sessions, profiles in summary.top_roles
                ],
                ordered=True,
            )
        )
    if summary.groups:
        blocks.append(fmt.block([fmt.strong("Sessions worth a look")]))
        for group in summary.groups:
            more = group.count - len(group.sessions)
            lines = [_session_line(s, summary, fmt) for s in group.sessions]
            if more:
                lines.append(f"and {more:,} more")
            blocks.append(fmt.block([f"{group.heading} ({group.count:,}):"]))
            blocks.append(fmt.items(lines))
    if summary.link:
        blocks.append(fmt.block([fmt.view_link("Open this view on the dashboard", summary.link)]))
    return fmt.document(blocks)


def _session_line(line: SessionLine, summary: Summary, fmt: _TextFormat) -> str:
    url = (
        summary.session_link.replace("{id}", quote(line.session_id))
        if summary.session_link
        else None
    )
    profiles = "profiles unknown" if line.profiles is None else f"{line.profiles:,} profiles"
    created = f", created {day_text(line.created)}" if line.created else ""
    return f"{fmt.link(fmt.escape(line.title), url)} · {profiles}{created}"
