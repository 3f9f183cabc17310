"""Page: first render of the Overview (100k sessions) in headless Chromium vs a trivial page.

Two Streamlit servers run side by side from the project's directory (same
config): the dashboard, pointed at a stand-in (``python -m fj.stub``) serving
100k sessions through FJ_API_KEY / FJ_API_BASE_URL, and a one-line page
(``st.write("hello")``). Each visit opens a new browser context (a new
Streamlit session) and is timed from navigation until:

- Overview: the four KPI metrics and every chart on the page are drawn (plotly's
  SVG is in the page: the open tab's chart, three charts before the tabs), the
  script run is over and the status widget ("Running…") is gone;
- trivial page: "hello" is shown and the status widget is gone.

Cold: the first visit after the server started, from a browser with an
empty cache (the dashboard fetches and parses the sessions, and imports
pandas, pyarrow and plotly; the browser downloads Streamlit's scripts).
Each cold round restarts both servers. Warm: later visits from the same
browser (its HTTP cache kept, a new page and so a new Streamlit session),
the dashboard's data cache hot.

    .venv/bin/python -m benchmarks.bench_page [--repeats 5]
"""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.harness import PYTHON, ROOT, Config, Section, browser_missing, fmt_ms, fmt_n
from tests.servers import CHROMIUM, CHROMIUM_ARGS, clean_env, running_streamlit, stop_process

SESSIONS = 100_000
KEY = "fjk_bench_page_5d21"
MAX_RATIO = 1.5
COLD_ROUNDS = 3
TIMEOUT_MS = 180_000
VIEWPORT = {"width": 1400, "height": 1000}

#: Any of the app is on screen: Streamlit's scripts loaded and the first elements drawn.
SHELL = """() => !!document.querySelector(
    '[data-testid="stMain"] [data-testid="stElementContainer"]')"""
#: The four KPI cards are on screen.
KPIS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
    .filter((el) => el.getBoundingClientRect().height > 0).length >= 4"""
#: The Overview is drawn: four KPI cards, three plotly charts with their SVG, nothing running.
OVERVIEW_READY = """() => {
  const visible = (el) => el.getBoundingClientRect().height > 0;
  const metrics = [...document.querySelectorAll('[data-testid="stMetric"]')].filter(visible);
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(visible);
  return metrics.length >= 4 && charts.length >= 1
    && charts.every((c) => c.querySelector('.main-svg'))
    && document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""
TRIVIAL_READY = """() => [...document.querySelectorAll('[data-testid="stMarkdown"]')]
    .some((el) => el.innerText.includes('hello'))
  && !document.querySelector('[data-testid="stStatusWidget"]')"""
OVERVIEW = {"app shown": SHELL, "KPIs shown": KPIS, "ready": OVERVIEW_READY}
TRIVIAL = {"app shown": SHELL, "ready": TRIVIAL_READY}


_KPI_CARDS = """import pandas as pd
import streamlit as st

st.title("Overview")
for card, (label, value) in zip(st.columns(4), [("Sessions", "100,000"),
        ("Total profiles", "7,376,495"), ("Avg profiles / session", "73.8"),
        ("Sessions with 0 profiles", "5,110")]):
    card.metric(label, value, delta="+12", border=True)
data = pd.DataFrame({"week": range(26), "a": range(26), "b": range(26, 52)})
"""
#: Reference pages that say where the Overview's time goes: name -> (script, drawn when).
REFERENCE_PAGES = {
    "trivial page": ('import streamlit as st\n\nst.write("hello")\n', "true"),
    "4 KPI cards": (_KPI_CARDS + 'st.write("hello")\n', "true"),
    "4 KPI cards + 1 small plotly chart": (
        _KPI_CARDS
        + """import plotly.express as px
st.plotly_chart(px.line(data, x="week", y="a"), key="one")
st.write("hello")
""",
        "document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 3",
    ),
    "4 KPI cards + 3 small plotly charts": (
        _KPI_CARDS
        + """import plotly.express as px
st.plotly_chart(px.area(data, x="week", y=["a", "b"]), key="one")
left, right = st.columns(2)
left.plotly_chart(px.line(data, x="week", y="a"), key="two")
right.plotly_chart(px.bar(data, x="week", y="b"), key="three")
st.write("hello")
""",
        "document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .main-svg').length >= 9",
    ),
    "4 KPI cards + 3 small Vega-Lite charts": (
        _KPI_CARDS
        + """st.area_chart(data, x="week", y=["a", "b"])
left, right = st.columns(2)
left.line_chart(data, x="week", y="a")
right.bar_chart(data, x="week", y="b")
st.write("hello")
""",
        "document.querySelectorAll("
        '\'[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas\''
        ").length >= 3",
    ),
}


def _reference_ready(drawn: str) -> dict[str, str]:
    """The trivial page's "ready", and ``drawn`` (a JS expression) on top."""
    return {"ready": "() => (" + TRIVIAL_READY[len("() => ") :] + f") && ({drawn})"}


def _env(**extra: str) -> dict[str, str]:
    """The machine's environment without FJ_*, STREAMLIT_* and APP_PASSWORD, warnings off."""
    return clean_env(PYTHONWARNINGS="ignore", **extra)


@contextlib.contextmanager
def stand_in(n: int) -> Iterator[str]:
    """Run ``python -m fj.stub`` serving n sessions; yield its base URL."""
    process = subprocess.Popen(
        [PYTHON, "-m", "fj.stub", "--port", "0", "--key", KEY, "--sessions", str(n)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
    )
    try:
        line = process.stdout.readline().strip()  # printed once the payload is rendered
        if not line.startswith("FJ_API_BASE_URL="):
            raise RuntimeError(f"the stand-in did not start: {line!r}")
        yield line.split("=", 1)[1]
    finally:
        stop_process(process)


@contextlib.contextmanager
def streamlit_server(script: Path, env: dict[str, str]) -> Iterator[str]:
    """Run ``streamlit run script`` on a free loopback port; yield its URL once healthy.

    Streamlit's default file watcher stays on, as the project's config leaves it.
    """
    with running_streamlit(script, env=env, watch_files=True, timeout=60) as server:
        yield server.url


def visit(context, url: str, milestones: dict[str, str]) -> dict[str, float]:
    """Return the seconds from navigation to each milestone, in a new page of ``context``.

    Milestones are waited for in order (the last one is "ready"). Every page is
    a new Streamlit session; pages of one context share the browser's HTTP
    cache, as a viewer's second visit does.
    """
    page = context.new_page()
    try:
        times = {}
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        for name, condition in milestones.items():
            page.wait_for_function(condition, timeout=TIMEOUT_MS, polling=25)
            times[name] = time.perf_counter() - start
        return times
    finally:
        page.close()


def run(config: Config) -> list[Section]:
    """Return the page table: cold and warm renders of the Overview and of a trivial page."""
    section = Section(
        "6. Page: Overview with 100k sessions in headless Chromium vs a trivial page",
        [
            "render",
            "Overview ready",
            "trivial ready",
            "Overview / trivial",
            "target",
            "Overview: app shown",
            "Overview: KPIs shown",
            "trivial: app shown",
        ],
    )
    missing = browser_missing()
    if missing:
        section.notes.append(f"skipped: {missing}")
        return [section]
    from playwright.sync_api import sync_playwright

    visits: dict[tuple[str, str], list[dict[str, float]]] = {
        (render, page): [] for render in ("cold", "warm") for page in ("overview", "trivial")
    }
    with (
        tempfile.TemporaryDirectory() as tmp,
        stand_in(SESSIONS) as base_url,
        sync_playwright() as playwright,
    ):
        trivial_script = Path(tmp) / "hello.py"
        trivial_script.write_text('import streamlit as st\n\nst.write("hello")\n')
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        dashboard_env = _env(FJ_API_KEY=KEY, FJ_API_BASE_URL=base_url)
        for _ in range(COLD_ROUNDS):
            with (
                streamlit_server(ROOT / "dashboard.py", dashboard_env) as overview_url,
                streamlit_server(trivial_script, _env()) as trivial_url,
            ):
                # A fresh context per server and round: an empty browser cache for the cold visit.
                contexts = {
                    "overview": (browser.new_context(viewport=VIEWPORT), overview_url, OVERVIEW),
                    "trivial": (browser.new_context(viewport=VIEWPORT), trivial_url, TRIVIAL),
                }
                for page, (context, url, milestones) in contexts.items():
                    visits["cold", page].append(visit(context, url, milestones))
                for _ in range(max(1, config.repeats // COLD_ROUNDS + 1)):
                    for page, (context, url, milestones) in contexts.items():
                        visits["warm", page].append(visit(context, url, milestones))
                for context, _, _ in contexts.values():
                    context.close()
        references = _reference_visits(browser, Path(tmp), dashboard_env, config.repeats)
        browser.close()

    def median(render: str, page: str, milestone: str = "ready") -> float:
        return statistics.median(v[milestone] for v in visits[render, page])

    for render, label in (("cold", "cold (first visit, empty caches)"), ("warm", "warm")):
        overview, trivial = median(render, "overview"), median(render, "trivial")
        ratio = overview / trivial
        section.rows.append(
            [label, fmt_ms(overview), fmt_ms(trivial), f"{ratio:.2f}x", f"≤ {MAX_RATIO}x",
             fmt_ms(median(render, "overview", "app shown")),
             fmt_ms(median(render, "overview", "KPIs shown")),
             fmt_ms(median(render, "trivial", "app shown"))]
        )  # fmt: skip
        section.check(
            f"Overview / trivial page, {render}, {fmt_n(SESSIONS)} sessions",
            f"{ratio:.2f}x",
            f"≤ {MAX_RATIO}x",
            ratio <= MAX_RATIO,
            note=f"{fmt_ms(overview)} vs {fmt_ms(trivial)}",
        )
    warm_visits = len(visits["warm", "overview"])
    section.notes += [
        f"Medians: cold over {COLD_ROUNDS} server restarts (a new browser context each), warm "
        f"over {warm_visits} later visits (new pages in that context: new Streamlit "
        "sessions, browser cache kept); both servers run from the project directory.",
        "Chromium: Debian's /usr/bin/chromium, headless, software rendering "
        f"({' '.join(CHROMIUM_ARGS)}).",
    ]
    breakdown = Section(
        "6b. Page: where the Overview's time goes (warm, reference pages in the same browser)",
        ["page", "ready (warm)", "vs trivial page"],
    )
    trivial = statistics.median(references["trivial page"])
    for name, times in references.items():
        ready = statistics.median(times)
        breakdown.rows.append([name, fmt_ms(ready), f"{ready / trivial:.2f}x"])
    breakdown.notes.append(
        "Each reference page is its own Streamlit server; the pages take turns, "
        f"{config.repeats} warm visits each after a first one. The charts hold 26 points: "
        "what they cost is the chart library's start and first draw in headless Chromium."
    )
    return [section, breakdown]


def _reference_visits(browser, tmp: Path, dashboard_env: dict[str, str], repeats: int):
    """Return warm 'ready' times of the reference pages and of the Overview, taking turns."""
    pages = {}
    with contextlib.ExitStack() as stack:
        for i, (name, (script, drawn)) in enumerate(REFERENCE_PAGES.items()):
            path = tmp / f"reference_{i}.py"
            path.write_text(script)
            url = stack.enter_context(streamlit_server(path, _env()))
            pages[name] = (url, _reference_ready(drawn))
        overview_url = stack.enter_context(streamlit_server(ROOT / "dashboard.py", dashboard_env))
        pages["Overview (100k sessions)"] = (overview_url, OVERVIEW)
        contexts = {name: browser.new_context(viewport=VIEWPORT) for name in pages}
        for name, (url, ready) in pages.items():
            visit(contexts[name], url, ready)  # first visit: fills the caches
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(repeats):
            for name, (url, ready) in pages.items():
                times[name].append(visit(contexts[name], url, ready)["ready"])
        for context in contexts.values():
            context.close()
    return times


def main() -> None:
    from benchmarks.__main__ import standalone

    standalone(run)


if __name__ == "__main__":
    main()
