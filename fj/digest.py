"""The summary of a view, to paste into an email or a chat, or to send on a schedule.

``summarize`` builds it once from the sessions frame and the view (filters,
timezone, project, now): the view in words, the KPIs and how they moved
against the period before (``fj.metrics.compare_periods``), the top roles and
the sessions worth a look. ``Summary.text()``, ``.markdown()`` and ``.html()``
render the same content; every piece of text that came from the API (titles,
roles, locations, the view's words) is escaped for the format, so a title
never becomes a link, markup or a script.
"""

from __future__ import annotations

import datetime
import html
import re

from fj.metrics import Change

#: How each KPI is named and how many decimals it shows.
KPI_LABELS: dict[str, tuple[str, int]] = {
    "sessions": ("Sessions", 0),
    "total_profiles": ("Total profiles", 0),
    "avg_profiles": ("Avg profiles / session", 1),
    "zero_profile_sessions": ("Sessions with 0 profiles", 0),
}


def number(value: float | None, decimals: int = 0) -> str:
    """Return a count or an average as shown everywhere: "1,234", "51.3", "–" for unknown."""
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def percent(value: float) -> str:
    """Return a signed percentage: "+13%", "-27%", "+0.4%" for a change under one percent."""
    if value != 0 and abs(value) < 1:
        return f"{value:+.1f}%"
    return f"{value:+,.0f}%"


def change_text(change: Change, decimals: int = 0) -> str | None:
    """Return a KPI's change in number and percent: "+3 (+60%)", "new", "no change".

    "new" when there was nothing the period before (no percent of nothing);
    None when the change is unknown (an average of no sessions now).
    """
    if change.is_new:
        return "new"
    if change.absolute is None:
        return None
    if round(change.absolute, decimals) == 0:
        return "no change"
    text = f"{change.absolute:+,.{decimals}f}"
    return text if change.percent is None else f"{text} ({percent(change.percent)})"


def is_neutral(change: Change) -> bool:
    """True when a change should be shown without colour or arrow: none, zero or "new"."""
    text = change_text(change)
    return text in (None, "new", "no change")


# -- escaping: text from the API never becomes markup ------------------------------------------

# Every character Markdown (CommonMark and GFM) could give a meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:=&\"'])")
# GFM links bare URLs and addresses after escapes are resolved, so a backslash cannot stop it;
# an invisible word joiner inside "http:", "www." or "@" does.
_AUTOLINK = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
_WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Return ``text`` for Markdown: special characters backslashed, autolinks broken, one line."""
    flat = " ".join(str(text).split())
    unlinked = _AUTOLINK.sub(lambda m: m.group(1) + _WORD_JOINER, flat)
    return _MD_SPECIAL.sub(r"\\\1", unlinked)


def html_escape(text: object) -> str:
    """Return ``text`` for HTML: ``& < > " '`` as entities, on one line."""
    return html.escape(" ".join(str(text).split()), quote=True)


def plain(text: object) -> str:
    """Return ``text`` on one line, control characters dropped (plain text needs no escaping)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())


def day_text(day: datetime.date) -> str:
    """Return a day as "Mon 30 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"
