"""Small helpers for AppTest-based tests of the dashboard (import them; they are not fixtures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test_module

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard.py")


class _AfterFirstRequest(PagesManager):
    """Streamlit's PagesManager, with the legacy-pages flag as a server has it.

    ``PagesManager.uses_pages_directory`` is a class flag: true while a
    ``pages/`` folder sits beside the entry script, until some run calls
    ``st.navigation``, which clears it for the life of the process. A real
    server therefore runs only its very first request in legacy mode (which,
    among other things, does not forget the state of widgets a run did not
    draw). AppTest resets the flag before every run, so every AppTest run would
    start in legacy mode and pass over bugs a browser shows (issue 18: the
    "0 to 0 profiles" rewrite after a failed load). This is the one place that
    sets it as the server has it after its first request.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


class ServerLikeAppTest(AppTest):
    """AppTest whose every run sees Streamlit's pages flag as a running server does."""

    def _run(self, *args, **kwargs):
        with as_after_first_request():
            return super()._run(*args, **kwargs)


@contextmanager
def as_after_first_request() -> Iterator[None]:
    """Within: AppTest runs see ``uses_pages_directory`` False (see _AfterFirstRequest)."""
    with mock.patch.object(_app_test_module, "PagesManager", _AfterFirstRequest):
        yield


def new_app() -> AppTest:
    """A fresh AppTest of the entry point, run as a server runs it after its first request,
    with a timeout that fits a cold first run."""
    return ServerLikeAppTest(ENTRY, default_timeout=60)


#: How many cards the Overview's KPI row has (the "Since last week" panel's come after).
KPI_CARDS = 4


def kpis(at: AppTest) -> dict[str, str]:
    """The Overview's KPI cards: label -> displayed value."""
    return {m.label: m.value for m in list(at.metric)[:KPI_CARDS]}


def kpi_deltas(at: AppTest) -> dict[str, str]:
    """The Overview's KPI cards: label -> displayed delta ('' when none)."""
    return {m.label: m.proto.delta for m in list(at.metric)[:KPI_CARDS]}


#: The pages' chart tabs (only the open one is drawn): page file -> (state key, labels).
CHART_TABS = {
    "pages/overview.py": ("view_chart", ("Over time", "Running total", "Top roles")),
    "pages/breakdown.py": ("view_bd_chart", ("Totals", "Profiles per session", "Sourcing time")),
}


def figures_of_every_tab(at: AppTest, page_file: str) -> list[dict]:
    """Open each chart tab of the page in turn; return every figure drawn (plotly specs),
    and leave the first tab open."""
    import json

    key, labels = CHART_TABS[page_file]
    found = []
    for label in (*labels[1:], labels[0]):
        at.session_state[key] = label
        at.run()
        assert not at.exception, at.exception
        found += [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return found


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
