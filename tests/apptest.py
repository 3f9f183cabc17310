"""Small helpers for AppTest-based tests of the dashboard (import them; they are not fixtures)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")


def new_app() -> AppTest:
    """A fresh AppTest of the entry point, with a timeout that fits a cold first run."""
    return AppTest.from_file(ENTRY, default_timeout=60)


#: How many cards the Overview's KPI row has (the "Since last week" panel's come after).
KPI_CARDS = 4


def kpis(at: AppTest) -> dict[str, str]:
    """The Overview's KPI cards: label -> displayed value."""
    return {m.label: m.value for m in list(at.metric)[:KPI_CARDS]}


def kpi_deltas(at: AppTest) -> dict[str, str]:
    """The Overview's KPI cards: label -> displayed delta ('' when none)."""
    return {m.label: m.proto.delta for m in list(at.metric)[:KPI_CARDS]}


def params(at: AppTest, name: str) -> list[str]:
    """The values of one query parameter of the app's URL after the run."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def texts(at: AppTest) -> str:
    """Everything the current page shows as text, serialised element by element (protos)."""
    parts = []
    stack = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        children = getattr(node, "children", None)
        if children:
            stack.extend(children.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
    return "\n".join(parts)


def iso(t: dt.datetime) -> str:
    """The API's timestamp format: ISO-8601 UTC with milliseconds and Z."""
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def record(
    n: int,
    *,
    title: str,
    profiles: int | None,
    created: dt.datetime | None,
    location: str = "Pune",
    experience: str = "1-5 years",
    role: str | None = None,
) -> dict:
    """One session record as the API sends it, with a predictable 24-hex id."""
    rec = {
        "_id": f"{n:024x}",
        "sessionTitle": title,
        "jdDetail": {
            "userText": f"Job Title: {role or title}, Experience: {experience}, "
            f"Location: {location}"
        },
        "projectId": "69f0dd1da08d760844569bb1",
        "totalProfiles": profiles,
    }
    if created is not None:
        rec["createdAt"] = iso(created)
        rec["updatedAt"] = iso(created + dt.timedelta(minutes=5))
    return rec
