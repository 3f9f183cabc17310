"""Click: from a viewer's click in headless Chromium to the page settled, against a reference page.

What a hiring manager feels is not the data work of a rerun but the time from a
click to the page settled. For 1k / 10k / 100k sessions served by the stand-in
(``fj.stub.StubServer`` in this process), three Streamlit servers run side by side
from the project's directory:

- the dashboard (``dashboard.py``, FJ_API_KEY / FJ_API_BASE_URL pointing at the stand-in);
- a reference: the same ``dashboard.py`` with every page's body replaced by the page
  header and the Overview's and Breakdown's controls, no chart (``st.Page`` is swapped
  before the entry point runs), so it has the same sidebar, the same data and the same
  controls, served by the same kind of server;
- "one chart": the reference plus the Overview's main chart (bars by role of the filtered
  view, following its Day/Week/Month and Stack by role). Its clicks are rows of the table:
  what a page that redraws one plotly chart on a click pays at least, the floor a charted
  page's ratio can reach.

Each page (Overview, Sessions, Breakdown, Data, Session) is a browser tab of its own (its
own Streamlit session); the reference is another. A round takes each click in turn on the
reference and on every page: pick a role in the sidebar, change the date preset, type a
search (Enter); on the Overview also Day/Week/Month and "Stack by role", on the Breakdown
"Break down by". A click is timed in the page, from the pointer or key event to settled:
a script run started and finished after it, no status widget, no skeleton, every visible
plotly chart has its SVG, and two animation frames passed. The server's share is the time
of the script runs the click made, as the server took it: each server starts with
``benchmarks/run_timer`` first on its PYTHONPATH, whose ``sitecustomize`` logs every run of
Streamlit's ``ScriptRunner``. (Read from the websocket frames as the browser saw them, it
was up to twice that: a page busy drawing takes in the run's last message late.) The
``script_finished`` message (Chrome DevTools protocol) says when the run ended and whether
it was a fragment's.

Also at 100k: a click while the API is down (the stand-in stopped, after Refresh dropped
the cached data) against the same click while it is up; and the Overview's first render
in a new tab (warm: server cache and browser cache hot) against a one-line page.

``--baseline DIR`` serves a second dashboard from another checkout (e.g. a ``git worktree``
at the commit before a change) beside this one, and times the same clicks on both, taking
turns: an A/B in one run.

    .venv/bin/python -m benchmarks --only click
    .venv/bin/python -m benchmarks.bench_click --sizes 100000 --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.harness import ROOT, Config, Section, browser_missing, fmt_ms, fmt_n
from tests.servers import CHROMIUM, CHROMIUM_ARGS, clean_env, running_streamlit

KEY = "fjk_bench_click_7c1e"
TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1400, "height": 1000}
SEARCH = "react"
ROLE = "Data Engineer"
#: Targets (issue 17): ratios against the reference page's same click, in one run.
FILTER_TARGET = 1.5
ONE_CHART_TARGET = 1.2
DOWN_TARGET = 1.2
FIRST_RENDER_TARGET = 2.0
TARGET_SIZE = 100_000

#: Page title -> path of the dashboard's pages measured.
PAGES = {
    "Overview": "",
    "Sessions": "sessions",
    "Breakdown": "breakdown",
    "Data": "data",
    "Session": "session?session={session_id}",
}

#: The reference: dashboard.py with every page's body swapped for the header and the
#: Overview's and Breakdown's controls (no chart). Run with the project on sys.path.
#: With ONE_CHART true, the same page plus the Overview's main chart ("one chart"): what any
#: page that redraws one plotly chart on a filter click pays at least (the floor).
REFERENCE_SCRIPT = """import runpy

import streamlit as st

from ui import page, state
from ui.sidebar import current_view

_page = st.Page


def reference_page():
    view = current_view()
    page.header(view, "Reference")
    left, mid, right = st.columns([2, 2, 1])
    with left:
        freq = state.choice("Group by", "freq", {"D": "Day", "W": "Week", "M": "Month"}, "W",
                            param="freq")
    with mid:
        state.choice("Break down by", "by",
                     {"role": "Role", "location": "Location", "experience": "Experience"},
                     "role", param="by")
    with right:
        stacked = st.toggle("Stack by role", value=True, key="view_stacked")
    if ONE_CHART:  # the floor: the Overview's main chart alone, redrawn on every click
        from fj import charts, metrics
        from ui import charts as ui_charts

        ts = metrics.timeseries(view.filtered, freq=freq, tz=view.tz, by_role=True)
        ui_charts.show(charts.sessions_over_time(ts, stacked=stacked, colors=view.colors),
                       key="chart_reference")


def swapped(target, *args, **kwargs):
    kwargs["url_path"] = kwargs.get("url_path") or "reference"
    return _page(reference_page, *args, **kwargs)


st.Page = swapped
runpy.run_path(ENTRY, run_name="__main__")
"""

#: Installed in every page before Streamlit's scripts: when the viewer acted, and every
#: change of the app's script-run state, in the page's own clock.
INIT_SCRIPT = """
window.__fj = {acts: [], received: 0};
for (const kind of ['pointerdown', 'keydown']) {
  document.addEventListener(kind, () => window.__fj.acts.push(performance.now()), true);
}
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', () => { window.__fj.received += 1; });
  }
};
"""
#: Resolves with the time the page settled, once it has taken in ``need`` websocket messages
#: (the run's script_finished among them; see the module's docstring).
SETTLED = """(need) => {
  if (window.__fj.received < need) return false;
  const visible = (el) => el.getBoundingClientRect().height > 0;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'))
    return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(visible);
  if (charts.some((c) => !c.querySelector('.main-svg'))) return false;
  return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
    () => done(performance.now()))));
}"""


@dataclass
class Sample:
    """One timed click: total (act to settled) and the server's share, in seconds."""

    total: float
    server: float | None
    fragment: bool | None


@dataclass
class Tab:
    """A browser tab on one page of one server, with its websocket log from CDP."""

    name: str
    page: object
    sent: list[float] = field(default_factory=list)  # rerun_script messages (CDP seconds)
    finished: list[tuple[float, int, int]] = field(default_factory=list)  # (time, status, n)
    received: int = 0  # websocket messages received so far
    runs: Path | None = None  # the server's log of script run times (run_timer)

    @classmethod
    def open(cls, context, name: str, url: str, runs: Path | None = None) -> Tab:
        print(f"  click: opening {name} at {url}", file=sys.stderr, flush=True)
        page = context.new_page()
        tab = cls(name, page, runs=runs)
        cdp = context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameSent", tab._on_sent)
        cdp.on("Network.webSocketFrameReceived", tab._on_received)
        cdp.send("Network.enable")
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.get_by_test_id("stSidebar").get_by_text("Created").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState"
            " === 'notRunning' && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=TIMEOUT_MS,
            polling=50,
        )
        return tab

    def _on_sent(self, event: dict) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = _decode(BackMsg, event)
        if message is not None and message.WhichOneof("type") == "rerun_script":
            self.sent.append(event["timestamp"])

    def _on_received(self, event: dict) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.received += 1
        message = _decode(ForwardMsg, event)
        if message is not None and message.WhichOneof("type") == "script_finished":
            self.finished.append((event["timestamp"], message.script_finished, self.received))

    def time(self, act: Callable[[], None]) -> Sample:
        """Run ``act`` (the click) and return its sample once the page has settled."""
        page = self.page
        mark = page.evaluate("() => performance.now()")
        sent_before, finished_before = len(self.sent), len(self.finished)
        runs_before = len(self._runs())
        act()
        try:
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while not (done := self._done_since(finished_before)):  # the run's end (network)
                if time.monotonic() > deadline:
                    raise TimeoutError("no script_finished message")
                page.wait_for_timeout(10)
            need = done[2]
            settled = page.wait_for_function(SETTLED, arg=need, polling="raf", timeout=TIMEOUT_MS)
        except Exception as error:
            shot = ROOT / "artifacts" / f"bench-click-{self.name}.png"
            shot.parent.mkdir(exist_ok=True)
            page.screenshot(path=shot)
            raise RuntimeError(f"{self.name} ({page.url}) never settled; see {shot}") from error
        end = settled.json_value()
        acted = page.evaluate("(mark) => window.__fj.acts.filter((t) => t > mark)", mark)
        total = (end - acted[-1]) / 1000 if acted else float("nan")
        server = fragment = None
        finished = self.finished[finished_before:]
        if self.sent[sent_before:] and finished:
            fragment = done[1] == FRAGMENT_DONE
        runs = self._runs()[runs_before:]
        if runs:  # every run the click made (a callback's st.rerun makes two)
            server = sum(runs)
        return Sample(total, server, fragment)

    def _runs(self) -> list[float]:
        """The server's script run times so far (seconds), from its run_timer log."""
        if self.runs is None or not self.runs.exists():
            return []
        return [float(line.split()[0]) for line in self.runs.read_text().splitlines() if line]

    def _done_since(self, start: int) -> tuple[float, int, int] | None:
        """The first run that finished after ``start`` (a run cut short by a rerun is not)."""
        return next((f for f in self.finished[start:] if f[1] != EARLY_FOR_RERUN), None)


FRAGMENT_DONE = 3  # ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY_FOR_RERUN = 2  # ForwardMsg.FINISHED_EARLY_FOR_RERUN


def _decode(kind, event: dict):
    response = event.get("response", {})
    if response.get("opcode") != 2:  # binary frames carry the protobuf messages
        return None
    try:
        return kind.FromString(base64.b64decode(response["payloadData"]))
    except Exception:
        return None


# -- the clicks ----------------------------------------------------------------------------
# Each click is (prepare, act): ``prepare`` sets the page up untimed (open a list, type a
# text), ``act`` is the one gesture that makes Streamlit rerun, timed.


def _sidebar(tab: Tab):
    return tab.page.get_by_test_id("stSidebar")


def click_role(tab: Tab, round_no: int) -> Sample:
    """Pick a role in the sidebar's Roles box (then Clear filters, untimed)."""
    tab.page.bring_to_front()
    box = _sidebar(tab).get_by_test_id("stMultiSelect").filter(has_text="Roles")
    box.click()
    tab.page.keyboard.type(ROLE)
    option = tab.page.get_by_role("option", name=ROLE, exact=True)
    sample = tab.time(option.click)
    tab.page.keyboard.press("Escape")
    clear = _sidebar(tab).get_by_role("button", name="Clear filters")
    tab.time(clear.click)  # untimed reset: the date and search clicks read the state back
    return sample


def click_date(tab: Tab, round_no: int) -> Sample:
    """Change the Created preset: All time to Last 30 days, or back."""
    from playwright.sync_api import expect

    tab.page.bring_to_front()
    box = _sidebar(tab).get_by_test_id("stSelectbox").filter(has_text="Created")
    name = "All time" if "date=30d" in tab.page.url else "Last 30 days"
    box.click()
    tab.page.keyboard.type(name)  # the list narrows to that option; Enter picks it
    expect(tab.page.get_by_role("option", name=name, exact=True)).to_be_visible()
    return tab.time(lambda: tab.page.keyboard.press("Enter"))


def click_search(tab: Tab, round_no: int) -> Sample:
    """Type a search and press Enter, or empty it the same way."""
    tab.page.bring_to_front()
    box = _sidebar(tab).get_by_test_id("stTextInput").filter(has_text="Search").locator("input")
    box.fill("" if box.input_value() else SEARCH)
    return tab.time(lambda: box.press("Enter"))


def _segment(tab: Tab, label: str, first: str, second: str, round_no: int) -> Sample:
    tab.page.bring_to_front()
    group = tab.page.get_by_test_id("stButtonGroup").filter(has_text=label)
    name = first if round_no % 2 == 0 else second
    button = group.get_by_text(name, exact=True)
    return tab.time(button.click)


def click_freq(tab: Tab, round_no: int) -> Sample:
    """Day/Week/Month: Month, then back to Week."""
    return _segment(tab, "Group by", "Month", "Week", round_no)


def click_stack(tab: Tab, round_no: int) -> Sample:
    """Toggle "Stack by role" (off, then on again)."""
    tab.page.bring_to_front()
    toggle = tab.page.get_by_test_id("stCheckbox").filter(has_text="Stack by role")
    return tab.time(lambda: toggle.locator("label").click())


def click_by(tab: Tab, round_no: int) -> Sample:
    """Breakdown's "Break down by": Location, then back to Role."""
    return _segment(tab, "Break down by", "Location", "Role", round_no)


FILTER_CLICKS = {"pick a role": click_role, "date preset": click_date, "search": click_search}
#: The reference page plus one chart, as a row of the table: the floor of a click that
#: redraws one chart. Its chart follows the filters, Day/Week/Month and Stack by role.
ONE_CHART_PAGE = "one chart"
FLOOR_CLICKS = (*FILTER_CLICKS, "Day/Week/Month", "Stack by role")
#: Controls that touch one chart: page -> {click name: click}.
CHART_CLICKS = {
    "Overview": {"Day/Week/Month": click_freq, "Stack by role": click_stack},
    "Breakdown": {"Break down by": click_by},
}


# -- servers -------------------------------------------------------------------------------


class StandIn:
    """The stand-in API in this process, one key per size, that can go down and come back."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        from fj.stub import Project, StubServer

        self.projects = {f"{KEY}_{n}": Project(n=n) for n in sizes}
        self.server = StubServer(self.projects).start()
        self.base_url = self.server.base_url
        self.session_ids = {n: _session_with_candidates(self.projects[f"{KEY}_{n}"]) for n in sizes}

    @contextlib.contextmanager
    def down(self) -> Iterator[None]:
        """Stop serving (connections are refused), then serve again on the same port."""
        from fj.stub import StubServer

        port = int(self.server.url.rsplit(":", 1)[1])
        self.server.stop()
        try:
            yield
        finally:
            self.server = StubServer(self.projects, port=port).start()

    def stop(self) -> None:
        self.server.stop()


@contextlib.contextmanager
def stand_in(sizes: tuple[int, ...]) -> Iterator[StandIn]:
    """Run the stand-in for these sizes; stop it at the end."""
    api = StandIn(sizes)
    try:
        yield api
    finally:
        api.stop()


def _session_with_candidates(project) -> str:
    from fj import synthetic

    for rank, record in enumerate(project._records()[:200]):
        if synthetic.session_status(record, rank) == "done":
            return record["_id"]
    raise RuntimeError("no finished session among the newest 200")


def _env(**settings: str) -> dict[str, str]:
    return clean_env(PYTHONWARNINGS="ignore", PYTHONPATH=str(ROOT), **settings)


# -- the run -------------------------------------------------------------------------------


def run(config: Config, baseline: Path | None = None) -> list[Section]:
    """Return the click tables: filter clicks per page and size, one-chart clicks, API down,
    first render; with ``baseline``, the same clicks on a dashboard served from that checkout."""
    section = Section(
        "10. Click: a viewer's click to the page settled, against a reference page (no charts)",
        ["sessions", "page", "click", "page", "reference", "ratio", "target", "server share",
         "run"] + (["before (baseline)", "before / now"] if baseline else []),
    )  # fmt: skip
    missing = browser_missing()
    if missing:
        section.notes.append(f"skipped: {missing}")
        return [section]
    from playwright.sync_api import sync_playwright
    rounds = max(3, config.repeats)
    extra = Section(
        "10b. Click: API down vs up, and the Overview's first render (100k sessions)",
        ["what", "measured", "against", "ratio", "target"],
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        stand_in(config.sizes) as api,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in config.sizes:
            # A history database of the run's own (XDG_DATA_HOME), so a shared machine's
            # default file, grown by other runs, does not weigh on either side.
            env = _env(FJ_API_KEY=f"{KEY}_{n}", FJ_API_BASE_URL=api.base_url,
                       XDG_DATA_HOME=str(Path(tmp) / f"data-{n}"))  # fmt: skip
            # Below the target's size, 3 rounds: the three sizes fit in about 6 minutes.
            at_n = rounds if n >= TARGET_SIZE else 3
            _size(section, browser, Path(tmp), env, n, api.session_ids[n], at_n, baseline)
            if n == TARGET_SIZE or n == max(config.sizes):
                for measure in (_down_vs_up, _first_render):
                    try:
                        measure(extra, browser, Path(tmp), env, api, n, rounds, baseline)
                    except Exception as error:  # one failed measurement keeps the others
                        extra.notes.append(f"{measure.__name__} failed: {error}"[:300])
        browser.close()
    section.notes += [
        f"Medians of {rounds} clicks each at {fmt_n(TARGET_SIZE)} sessions (3 below); the "
        "reference and every page take turns in each "
        "round. page / reference: the same click on a page with the same sidebar, data and "
        "controls and no chart. Server share: the script runs the click made, timed on the "
        "server (Streamlit's ScriptRunner), as a part of the page's time. "
        "run: full = the whole script reran, fragment = only the part around the control.",
        "one chart: the reference page plus the Overview's main chart, the same clicks: the "
        "floor of a page that redraws one plotly chart per click.",
        f"Targets at {fmt_n(TARGET_SIZE)} sessions: filter clicks on the Overview ≤ "
        f"{FILTER_TARGET}x, one-chart controls ≤ {ONE_CHART_TARGET}x; other pages and sizes "
        "are shown without a target.",
    ]
    return [section, extra]


@contextlib.contextmanager
def _servers(tmp: Path, env: dict[str, str], baseline: Path | None) -> Iterator[dict[str, str]]:
    """Start the dashboard, the reference, the one-chart page (and the baseline); yield their
    URLs. Each server writes its script runs' times to ``run_log(tmp, name)``."""
    scripts = {}
    for name, one_chart in (("reference", False), (ONE_CHART_PAGE, True)):
        script = REFERENCE_SCRIPT.replace("ENTRY", repr(str(ROOT / "dashboard.py")))
        scripts[name] = tmp / f"{name.replace(' ', '_')}.py"
        scripts[name].write_text(f"ONE_CHART = {one_chart}\n" + script)
    with contextlib.ExitStack() as stack:
        urls = {
            "now": stack.enter_context(_streamlit(ROOT / "dashboard.py", _timed(env, tmp, "now"))),
            **{
                name: stack.enter_context(_streamlit(path, _timed(env, tmp, name)))
                for name, path in scripts.items()
            },
        }
        if baseline is not None:
            base_env = _timed(env, tmp, "before", baseline)
            urls["before"] = stack.enter_context(
                _streamlit(baseline / "dashboard.py", base_env, cwd=baseline)
            )
        yield urls


#: benchmarks/run_timer/sitecustomize.py: a server started with it first on its PYTHONPATH
#: logs each script run's time (Streamlit's ScriptRunner) to $FJ_BENCH_RUN_LOG.
RUN_TIMER = Path(__file__).resolve().parent / "run_timer"


def run_log(tmp: Path, server: str) -> Path:
    """The file one server logs its script runs' times to."""
    return tmp / f"runs-{server.replace(' ', '_')}.log"


def _timed(env: dict[str, str], tmp: Path, server: str, code: Path = ROOT) -> dict[str, str]:
    return env | {"PYTHONPATH": f"{RUN_TIMER}{os.pathsep}{code}",
                  "FJ_BENCH_RUN_LOG": str(run_log(tmp, server))}  # fmt: skip


@contextlib.contextmanager
def _streamlit(script: Path, env: dict[str, str], cwd: Path = ROOT) -> Iterator[str]:
    with running_streamlit(script, env=env, cwd=cwd, timeout=120) as server:
        yield server.url


def _size(section, browser, tmp, env, n, session_id, rounds, baseline) -> None:
    with _servers(tmp, env, baseline) as urls:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INIT_SCRIPT)
        reference = Tab.open(context, "reference", urls["reference"], run_log(tmp, "reference"))
        floor = Tab.open(
            context, ONE_CHART_PAGE, urls[ONE_CHART_PAGE], run_log(tmp, ONE_CHART_PAGE)
        )
        tabs = {
            (server, title): Tab.open(
                context, title, urls[server] + path.format(session_id=session_id),
                run_log(tmp, server),
            )
            for title, path in PAGES.items()
            for server in ("now", "before")
            if server in urls and (server == "now" or title in CHART_CLICKS)
        }
        samples: dict[tuple[str, str, str], list[Sample]] = {}
        clicks = [(name, click, list(PAGES)) for name, click in FILTER_CLICKS.items()]
        for title, more in CHART_CLICKS.items():
            clicks += [(name, click, [title]) for name, click in more.items()]
        for round_no in range(rounds + 1):  # round 0 warms up: first use of each widget
            print(f"  click {fmt_n(n)}: round {round_no} of {rounds}", file=sys.stderr, flush=True)
            for name, click, titles in clicks:
                turn = [("reference", "reference", reference)]
                if name in FLOOR_CLICKS:
                    turn.append((ONE_CHART_PAGE, ONE_CHART_PAGE, floor))
                turn += [
                    (server, title, tabs[server, title])
                    for server, title in tabs
                    if title in titles
                ]
                for server, title, tab in turn:
                    sample = click(tab, round_no)
                    if round_no:
                        samples.setdefault((server, title, name), []).append(sample)
        context.close()
    for name, _, titles in clicks:
        ref = _median(samples["reference", "reference", name])
        for title in (*titles, ONE_CHART_PAGE) if name in FLOOR_CLICKS else titles:
            server = ONE_CHART_PAGE if title == ONE_CHART_PAGE else "now"
            now = samples[server, title, name]
            total = _median(now)
            ratio = total / ref
            servers = [s.server for s in now if s.server is not None]
            share = f"{statistics.median(servers) / total:.0%}" if servers else "–"
            kinds = {s.fragment for s in now}
            run_kind = "fragment" if kinds == {True} else "full" if kinds == {False} else "mixed"
            one_chart = name not in FILTER_CLICKS
            target = ONE_CHART_TARGET if one_chart else FILTER_TARGET
            checked = (
                n == TARGET_SIZE
                and title in ("Overview", "Breakdown")
                and (one_chart or title == "Overview")
            )
            row = [fmt_n(n), title, name, fmt_ms(total), fmt_ms(ref), f"{ratio:.2f}x",
                   f"≤ {target}x" if checked else "–", share, run_kind]  # fmt: skip
            if baseline is not None:
                before = samples.get(("before", title, name))
                row += (
                    [fmt_ms(_median(before)), f"{_median(before) / total:.2f}x"]
                    if before
                    else ["–", "–"]
                )
            section.rows.append(row)
            if checked:
                section.check(
                    f"{title}: {name} / reference click, {fmt_n(n)}",
                    f"{ratio:.2f}x",
                    f"≤ {target}x",
                    ratio <= target,
                    note=f"{fmt_ms(total)} vs {fmt_ms(ref)}",
                )


def _median(samples: list[Sample]) -> float:
    return statistics.median(s.total for s in samples)


def _down_vs_up(section, browser, tmp, env, api: StandIn, n, rounds, baseline=None) -> None:
    """The same click (date preset) on the Overview while the API is up, then down."""
    with _streamlit(ROOT / "dashboard.py", env) as url:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INIT_SCRIPT)
        tab = Tab.open(context, "Overview", url)
        up = [click_date(tab, i) for i in range(rounds + 1)][1:]
        with api.down():
            refresh = _sidebar(tab).get_by_role("button", name="Refresh")
            tab.time(refresh.click)  # drops the cached data: the next runs ask the API again
            down = [click_date(tab, i) for i in range(rounds + 1)][1:]
        context.close()
    ratio = _median(down) / _median(up)
    section.rows.append(
        [f"date preset click on the Overview, API down ({fmt_n(n)})", fmt_ms(_median(down)),
         f"API up: {fmt_ms(_median(up))}", f"{ratio:.2f}x", f"≤ {DOWN_TARGET}x"]
    )  # fmt: skip
    section.check(
        f"click while the API is down / up, {fmt_n(n)}",
        f"{ratio:.2f}x",
        f"≤ {DOWN_TARGET}x",
        ratio <= DOWN_TARGET,
        note=f"{fmt_ms(_median(down))} vs {fmt_ms(_median(up))}",
    )


def _first_render(section, browser, tmp, env, api, n, rounds, baseline=None) -> None:
    """The Overview in a new tab (warm) against a one-line page, taking turns; with
    ``baseline``, the baseline's Overview too, in the same turns."""
    from benchmarks.bench_page import OVERVIEW, TRIVIAL, visit

    hello = tmp / "hello.py"
    hello.write_text('import streamlit as st\n\nst.write("hello")\n')
    with contextlib.ExitStack() as stack:
        pages = {
            "overview": (stack.enter_context(_streamlit(ROOT / "dashboard.py", env)), OVERVIEW),
            "trivial": (stack.enter_context(_streamlit(hello, _env())), TRIVIAL),
        }
        if baseline is not None:
            base_env = env | {"PYTHONPATH": str(baseline)}
            url = stack.enter_context(_streamlit(baseline / "dashboard.py", base_env, baseline))
            pages["before"] = (url, OVERVIEW)
        contexts = {name: browser.new_context(viewport=VIEWPORT) for name in pages}
        times: dict[str, list[float]] = {name: [] for name in pages}
        for round_no in range(rounds + 1):
            for name, (address, milestones) in pages.items():
                ready = visit(contexts[name], address, milestones)["ready"]
                if round_no:  # the first visit fills the caches
                    times[name].append(ready)
        for context in contexts.values():
            context.close()
    overview, trivial = (statistics.median(times[name]) for name in ("overview", "trivial"))
    ratio = overview / trivial
    section.rows.append(
        [f"Overview first render, warm ({fmt_n(n)})", fmt_ms(overview),
         f"one-line page: {fmt_ms(trivial)}", f"{ratio:.2f}x", f"≤ {FIRST_RENDER_TARGET}x"]
    )  # fmt: skip
    if "before" in times:
        before = statistics.median(times["before"])
        section.rows.append(
            [f"Overview first render, warm, baseline ({fmt_n(n)})", fmt_ms(before),
             f"one-line page: {fmt_ms(trivial)}", f"{before / trivial:.2f}x", "–"]
        )  # fmt: skip
    section.check(
        f"Overview first render (warm) / one-line page, {fmt_n(n)}",
        f"{ratio:.2f}x",
        f"≤ {FIRST_RENDER_TARGET}x",
        ratio <= FIRST_RENDER_TARGET,
        note=f"{fmt_ms(overview)} vs {fmt_ms(trivial)}",
    )


def main() -> None:
    from benchmarks.__main__ import config_from, parse_args, quiet, report

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--baseline", type=Path, help="a checkout to serve beside this one")
    known, rest = parser.parse_known_args()
    config = config_from(parse_args(rest, sections=False))
    quiet()
    start = time.perf_counter()
    sections = run(config, baseline=known.baseline.resolve() if known.baseline else None)
    print(report(sections, config, time.perf_counter() - start), flush=True)


if __name__ == "__main__":
    main()
