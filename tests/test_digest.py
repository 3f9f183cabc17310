"""The summary of a view (fj.digest): exact text on a hand-made frame, escaping, the link.

Now is Wednesday 2024-05-15 12:00 UTC: the week of 13 May is not over, last week is
6-12 May, the week before 29 April-5 May. The numbers below are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from frames import frame_of_rows

from fj.digest import summarize
from fj.errors import FJError
from fj.filters import Filters
from fj.wording import md_escape

NOW = dt.datetime(2024, 5, 15, 12, 0, tzinfo=dt.UTC)

FRAME = frame_of_rows(
    # id, created_at, profiles, role, location, experience, title
    ("s1", "2024-05-14T09:00:00Z", 30, "Data Engineer", "Pune", "1-5 yrs", "Data Engineer"),
    ("s2", "2024-05-10T10:00:00Z", 40, "Data Engineer", "Pune", "1-5 yrs", "Senior Data Engineer"),
    ("s3", "2024-05-08T10:00:00Z", 0, "QA Engineer", "Remote", "1-5 yrs", "QA Engineer"),
    ("s4", "2024-05-07T10:00:00Z", 20, "QA Engineer", "Pune", "3+ yrs", "QA Lead"),
    ("s5", "2024-05-02T10:00:00Z", 50, "Data Engineer", "Pune", "1-5 yrs", "Data Engineer"),
    ("s6", "2024-04-20T10:00:00Z", 10, None, None, None, "Untitled search"),
)
STATUSES = {"s1": "fetching_more", "s2": "done", "s3": "done", "s4": "done"}

EXPECTED_TEXT = """\
FJ sourcing summary · Backend hiring
6 of 6 sessions · all sessions · times in UTC

Last week (6–12 May 2024) vs the week before (29 Apr–5 May 2024)

- Sessions: 3 · +2 (+200%) vs 1
- Total profiles: 60 · +10 (+20%) vs 50
- Avg profiles / session: 20.0 · -30.0 (-60%) vs 50.0
- Sessions with 0 profiles: 1 · new vs 0

This week so far (since Mon 13 May 2024): 1 session, 30 profiles (not compared: the period \
is not over).

The whole view

- Sessions: 6
- Total profiles: 150
- Avg profiles / session: 25.0
- Sessions with 0 profiles: 1

Top roles by profiles

1. Data Engineer: 120 profiles, 3 sessions
2. QA Engineer: 20 profiles, 2 sessions
3. (not stated): 10 profiles, 1 session

Sessions worth a look

New since Mon 6 May 2024 (4):

- Data Engineer · 30 profiles, created Tue 14 May 2024
- Senior Data Engineer · 40 profiles, created Fri 10 May 2024
- QA Engineer · 0 profiles, created Wed 8 May 2024
- QA Lead · 20 profiles, created Tue 7 May 2024

Biggest (3):

- Senior Data Engineer · 40 profiles, created Fri 10 May 2024
- Data Engineer · 30 profiles, created Tue 14 May 2024
- QA Lead · 20 profiles, created Tue 7 May 2024

Still fetching (1):

- Data Engineer · 30 profiles, created Tue 14 May 2024

Zero profiles (1):

- QA Engineer · 0 profiles, created Wed 8 May 2024

Open this view on the dashboard: https://dash.example/fj/?tz=UTC
"""


def summary(filters: Filters = Filters(), frame=FRAME, **kw):  # noqa: B008
    kw.setdefault("dashboard_url", "https://dash.example/fj/")
    kw.setdefault("status", STATUSES.get)
    return summarize(frame, filters, now=NOW, tz="UTC", project="Backend hiring", **kw)


def test_the_summary_of_the_default_view_word_for_word():
    assert summary().text() == EXPECTED_TEXT


def test_the_subject_says_the_period_and_its_change():
    assert summary().subject == (
        "FJ sourcing summary: Backend hiring · last week: 3 sessions, +2 (+200%)"
    )


def test_a_date_filter_compares_with_the_period_before_and_lists_only_its_sessions():
    text = summary(Filters(date="7d", roles=("QA Engineer",))).text()
    # 9-15 May: no QA session; 2-8 May: s3 and s4 (20 profiles, one at 0).
    assert "The last 7 days (9–15 May 2024) vs the 7 days before (2–8 May 2024)" in text
    assert "- Sessions: 0 · -2 (-100%) vs 2" in text
    assert "- Total profiles: 0 · -20 (-100%) vs 20" in text
    assert "- Avg profiles / session: – (vs 10.0)" in text
    assert "so far" not in text  # the window is the view: nothing is left uncompared
    assert "Sessions worth a look" not in text
    assert "0 of 6 sessions · role is QA Engineer, created in the last 7 days" in text


def test_new_against_an_empty_previous_period():
    # Only s1..s4: the week before last week had nothing.
    text = summary(frame=FRAME[FRAME["session_id"].isin(["s1", "s2", "s3", "s4"])]).text()
    assert "- Sessions: 3 · new vs 0" in text
    assert "- Total profiles: 60 · new vs 0" in text
    assert "- Avg profiles / session: 20.0 · new vs –" in text


def test_no_change_is_said_as_such():
    same = frame_of_rows(
        ("a", "2024-05-07T10:00:00Z", 5, "QA Engineer", "Pune", "1-5 yrs", "A"),
        ("b", "2024-04-30T10:00:00Z", 5, "QA Engineer", "Pune", "1-5 yrs", "B"),
    )
    assert "- Sessions: 1 · no change vs 1" in summary(frame=same).text()


def test_without_status_or_when_it_fails_nothing_is_said_about_running_sessions():
    assert "Still fetching" not in summary(status=None).text()

    def failing(session_id: str) -> str:
        raise FJError("The FJ API is down.")

    text = summary(status=failing).text()
    assert "Still fetching" not in text
    assert "Zero profiles (1):" in text


def test_status_is_asked_only_about_the_newest_sessions():
    asked: list[str] = []
    summary(status=lambda sid: asked.append(sid) or "done", status_limit=2)
    assert asked == ["s1", "s2"]


def test_the_link_holds_the_views_parameters():
    filters, _ = Filters.from_query(
        {"role": ["QA Engineer", "Data Engineer"], "date": "30d", "q": "engineer", "pmin": "1"}
    )
    link = summary(filters).link
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "dash.example", "/fj/")
    query = parse_qs(parts.query)
    assert query.pop("tz") == ["UTC"]
    assert Filters.from_query(query)[0] == filters  # the dashboard reads back the same view
    assert summary(filters, dashboard_url=None).link is None
    assert summary(filters, dashboard_url="javascript:alert(1)//").link is None
    assert "Open this view" not in summary(filters, dashboard_url=None).text()


def test_markdown_and_html_say_the_same_and_link_the_sessions():
    md = summary().markdown()
    assert md.startswith("**FJ sourcing summary · Backend hiring**  \n")
    assert "- Sessions: 3 · +2 (+200%) vs 1\n" in md
    assert "- [QA Lead](https://dash.example/fj/session?session=s4) · 20 profiles" in md
    assert md.rstrip().endswith(
        "[Open this view on the dashboard](https://dash.example/fj/?tz=UTC)"
    )
    page = summary().html()
    assert "<li>Sessions: 3 · +2 (+200%) vs 1</li>" in page
    assert '<a href="https://dash.example/fj/session?session=s4">QA Lead</a>' in page


# -- hostile text from the API ------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "[click me](http://evil.example/x)",
    "**bold** _it_ `code` ~~gone~~",
    "Visit https://evil.example now or www.evil.example",
    '<a href="http://evil.example">x</a>',
    "<img src=x onerror=alert(1)>",
    "# heading\n- item\n> quote",
    "a & b < c > d \"q\" 'q'",
    "RTL \u202eevil\u202c and emoji 😀",
    "mail ceo@evil.example",
]


def hostile_summaries():
    """Summaries whose sessions are all hostile, five at a time (all of them listed as new)."""
    for first in range(0, len(HOSTILE), 5):
        titles = HOSTILE[first : first + 5]
        frame = frame_of_rows(
            *[
                (f"h{i}", f"2024-05-{7 + i:02d}T10:00:00Z", 10 + i, title, "Pune", "1-5 yrs", title)
                for i, title in enumerate(titles)
            ]
        )
        yield titles, summary(frame=frame, status=None, dashboard_url="https://dash.example")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def one_line(title: str) -> str:
    """The title as every format says it: on one line, without control characters."""
    return " ".join(title.replace("\u202e", " ").replace("\u202c", " ").split())


def test_hostile_titles_are_plain_text_in_the_text_format():
    text = "".join(s.text() for _, s in hostile_summaries())
    for title in HOSTILE:
        assert f"- {one_line(title)} · " in text
    assert "- # heading - item > quote · " in text  # one line: no heading or list of its own
    assert "\u202e" not in text  # no control or direction override character


def test_hostile_titles_never_become_markdown():
    md = "".join(s.markdown() for _, s in hostile_summaries())
    for title in HOSTILE:
        assert f"[{md_escape(one_line(title))}](https://dash.example/session?session=" in md
    assert "](http://evil" not in md and "[click me]" not in md
    assert "http://evil" not in md and "https://evil" not in md  # bare links broken
    assert "www.evil" not in md and "@evil" not in md
    assert not re.search(r"(?<!\\)[<>]", md)  # no HTML: every angle bracket is escaped
    assert "**bold**" not in md and "`code`" not in md and "~~gone~~" not in md
    # Every line that starts like a block (heading, quote) is ours.
    assert not [line for line in md.splitlines() if line.startswith(("#", ">"))]


def test_hostile_titles_never_become_html():
    parsed = _Tags()
    for _, hostile in hostile_summaries():
        parsed.feed(hostile.html())
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= {"html", "head", "meta", "body", "p", "br", "strong", "ul", "ol", "li", "a"}
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs)
        if tag == "a":
            assert attrs["href"].startswith("https://dash.example/")
    shown = "".join(parsed.text)
    for title in HOSTILE:
        assert one_line(title) in shown  # said, not run
