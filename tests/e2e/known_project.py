"""The known project of the browser tests: its keys and its 40 session records.

30 synthetic sessions (fixed seed, fixed window) and ten hand-written ones whose
titles and JD texts try to be interpreted: HTML, script, markdown, Streamlit
directives, emoji, right-to-left text, a spreadsheet formula, and one without
dates like two of the vendor's own examples. Tests compute what they expect from
``known_records()`` with plain Python, never with ``fj``.
"""

from __future__ import annotations

import datetime as dt
import re

from fj.synthetic import generate_sessions

KNOWN_KEY = "fjk_e2e_known_5d1c8a7f3e92b604"
WRONG_KEY = "fjk_e2e_wrong_9b4e2c61a0f7d358"

#: The role the filter tests pick: nine sessions of the known project have it.
ROLE = ".NET Developer"
SCRIPT_TITLE = "<script>window.__pwned=1</script>"
IMG_TITLE = '<img src=x onerror="window.__pwned=1">'
BOLD_ROLE = "<b>bold</b> Engineer"
LINK_TITLE = "[link](http://example.com)"
FORMULA_TITLE = '=HYPERLINK("http://x")'


def _session(
    n: int, title: str, jd: str, profiles: int, created: str | None, minutes: int = 20
) -> dict:
    record = {"_id": f"e2e0000000000000000000{n:02d}", "sessionTitle": title}
    record["jdDetail"] = {"userText": jd}
    if created is not None:
        start = dt.datetime.fromisoformat(created)
        record["projectId"] = "e2e00000000000000000aaaa"
        record["createdAt"] = start.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        record["updatedAt"] = (start + dt.timedelta(minutes=minutes)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
    record["totalProfiles"] = profiles
    return record


def known_records() -> list[dict]:
    """Return the known project's 40 session records, as the stand-in serves them."""
    synthetic = generate_sessions(30, 4, end=dt.datetime(2026, 11, 27, 18, tzinfo=dt.UTC), days=60)
    pune = "Experience: 1-5 years, Location: Pune"
    hostile = [
        _session(1, SCRIPT_TITLE, f"Job Title: {SCRIPT_TITLE}, {pune}", 25, "2026-11-20T10:00"),
        _session(2, IMG_TITLE, f"Job Title: {IMG_TITLE}, {pune}", 35, "2026-11-19T09:00"),
        _session(
            3,
            BOLD_ROLE,
            f"Job Title: {BOLD_ROLE}, Experience: 3-6 years, Location: Bengaluru",
            500,
            "2026-11-18T08:30",
        ),
        _session(
            4,
            LINK_TITLE,
            f"Role: {LINK_TITLE}\nLocation: Remote\n\nWe need **emph** skills.",
            0,
            "2026-11-17T11:15",
        ),
        _session(
            5,
            "**emph** :red[alert] $x^2$ <i>it</i>",
            "Job Title: Analyst, Location: Hyderabad. Must know **emph** and _under_.",
            50,
            "2026-11-16T07:45",
        ),
        _session(
            6,
            "🚀 Rocket Engineer 👩‍💻",
            "Job Title: 🚀 Rocket Engineer 👩‍💻, Experience: 5+ years, Location: Berlin",
            35,
            "2026-11-15T12:00",
        ),
        _session(
            7,
            "مهندس برمجيات أول",
            "Job Title: مهندس برمجيات أول, Location: Dubai",
            25,
            "2026-11-14T06:00",
        ),
        _session(
            8,
            "מפתח תוכנה בכיר",
            "Job Title: מפתח תוכנה בכיר, Location: Tel Aviv",
            50,
            "2026-11-13T05:30",
        ),
        _session(9, FORMULA_TITLE, f"Job Title: {ROLE}, {pune}", 100, "2026-11-12T10:10"),
        # Like two of the vendor's own examples: no projectId, no dates.
        _session(10, ROLE, f"Job Title: {ROLE}, {pune}", 25, None),
    ]
    return synthetic + hostile


def stated_role(record: dict) -> str | None:
    """Return the role a record's JD states ("Job Title: X," or "Role: X" up front), if any."""
    found = re.match(r"(?:Job Title|Role): ([^,\n]+)", record["jdDetail"]["userText"])
    return found.group(1).strip() if found else None
