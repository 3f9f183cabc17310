"""How the dashboard and the summary write things: numbers, changes, days, and API text.

One place for the words both faces use, so the KPI cards and the summary a
manager sends read the same: ``number`` and ``change_text`` ("+3 (+60%)",
"new", "no change"), ``day_text``/``span_text`` ("Mon 30 Nov 2026",
"23–29 Nov 2026"), and the escapes that keep text from the API text in each
format (``md_escape`` for Markdown and Streamlit's own directives,
``html_escape``, ``plain``).
"""

from __future__ import annotations

import datetime
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fj.periods import Change


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

# Every character Markdown (CommonMark and GFM), Streamlit's directives (:red[...],
# :material/x:) or LaTeX ($...$) could give a meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&\"'])")
# GFM links bare URLs and addresses after escapes are resolved, so a backslash cannot stop it;
# an invisible word joiner inside "http:", "www." or "@" does.
_AUTOLINK = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
_WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Return ``text`` for Markdown: special characters backslashed, autolinks broken.

    A line break stays a line break (a Markdown hard break); ``md_escape(plain(text))``
    for one line.
    """
    unlinked = _AUTOLINK.sub(lambda m: m.group(1) + _WORD_JOINER, str(text))
    return _MD_SPECIAL.sub(r"\\\1", unlinked).replace("\n", "  \n")


def html_escape(text: object) -> str:
    """Return ``text`` for HTML: ``& < > " '`` as entities, on one line."""
    return html.escape(" ".join(str(text).split()), quote=True)


def plain(text: object) -> str:
    """Return ``text`` on one line, control characters dropped (plain text needs no escaping)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())


def day_text(day: datetime.date) -> str:
    """Return a day as "Mon 30 Nov 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def span_text(first: datetime.date, last: datetime.date) -> str:
    """Return local days as "23–29 Nov 2026", "30 Nov–4 Dec 2026" or "4 Dec 2026"."""
    end = f"{last.day} {last:%b %Y}"
    if first == last:
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{first.day} {first:%b}–{end}"
    return f"{first.day} {first:%b %Y}–{end}"
