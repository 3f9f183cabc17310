"""The fast paths that stay give exactly what their simple versions give.

Each shortcut the benchmarks keep (benchmarks/README.md: a fast path stays only
where it is at least 1.5x faster on a realistic 100k payload, or a target needs
it) is pinned here to the plain way of doing the same work, through public names
only: pyarrow's reader (``load_sessions``) to the record-by-record reader
(``load_sessions_tolerant``); the one-hash-pass "ids are unique" exit to pandas'
``duplicated``; the JD fields read once per distinct text, in two threads, to
each text read alone; the text search over distinct texts to a search of every
row; the Overview's running total from its by-role series to the running total
computed from the sessions. No test here looks at a clock or at a private name.
"""

import copy
import random
import re
from pathlib import Path

import hypothesis
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from fj import metrics, paging
from fj.candidate_frame import candidates_frame
from fj.candidate_metrics import skills_by_role, top_skills
from fj.demo import DemoClient, demo_payload
from fj.filters import Filters
from fj.frame import load_sessions, load_sessions_tolerant
from fj.jd import read_jd
from fj.synthetic import generate_sessions, payload_bytes

N = 3000
PROPERTIES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def _sessions(n: int = N, seed: int = 11) -> list[dict]:
    return generate_sessions(n, seed)


def _distinct_jd(sessions: list[dict]) -> list[dict]:
    """The same sessions with every JD text made unique: the JD parser's worst case."""
    out = copy.deepcopy(sessions)
    for i, session in enumerate(out):
        session["jdDetail"]["userText"] += f" Req #{i}. Notice period: {i % 90} days"
    return out


def _with_odd_records(sessions: list[dict], seed: int = 5, count: int = 60) -> list[dict]:
    """Sprinkle values the fast reader reads as they are but the finishing step must judge."""
    out = copy.deepcopy(sessions)
    rng = random.Random(seed)
    for i in rng.sample(range(len(out)), min(count, len(out))):
        session = out[i]
        kind = rng.choice(["date", "offset", "negative", "missing", "duplicate", "order", "jd"])
        if kind == "date":
            session["createdAt"] = rng.choice(["yesterday", "2026-13-45T00:00:00Z", ""])
        elif kind == "offset":
            session["updatedAt"] = "2026-05-01T07:09:10.5+05:30"
        elif kind == "negative":
            session["totalProfiles"] = -rng.randrange(1, 9)
        elif kind == "missing":
            session[rng.choice(["sessionTitle", "projectId", "createdAt", "_id"])] = None
        elif kind == "duplicate":
            session["_id"] = out[rng.randrange(len(out))]["_id"]
        elif kind == "order":
            session["createdAt"], session["updatedAt"] = session["updatedAt"], session["createdAt"]
        else:
            session["jdDetail"] = {"userText": None}
    return out


PAYLOADS = {
    "realistic": lambda: payload_bytes(_sessions()),
    "every JD distinct": lambda: payload_bytes(_distinct_jd(_sessions())),
    "with odd records": lambda: payload_bytes(_with_odd_records(_sessions())),
    "distinct JDs with odd records": lambda: payload_bytes(
        _with_odd_records(_distinct_jd(_sessions()))
    ),
}


def _assert_same_load(fast, tolerant):
    assert (fast.path, tolerant.path) == ("fast", "tolerant")  # else nothing is compared
    pd.testing.assert_frame_equal(fast.frame, tolerant.frame, check_exact=True)
    pd.testing.assert_frame_equal(fast.problems, tolerant.problems, check_exact=True)
    pd.testing.assert_frame_equal(fast.jd_sources, tolerant.jd_sources, check_exact=True)
    assert fast.sample_record == tolerant.sample_record
    assert fast.record_count == tolerant.record_count


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_fast_loader_returns_exactly_what_the_tolerant_loader_returns(payload):
    body = PAYLOADS[payload]()
    _assert_same_load(load_sessions(body), load_sessions_tolerant(body))


@PROPERTIES
@hypothesis.given(
    n=st.integers(0, 300),
    seed=st.integers(0, 2**16),
    odd=st.integers(0, 40),
    distinct=st.booleans(),
)
def test_fast_loader_equals_the_tolerant_loader_on_generated_payloads(n, seed, odd, distinct):
    sessions = generate_sessions(n, seed)
    if distinct:
        sessions = _distinct_jd(sessions)
    body = payload_bytes(_with_odd_records(sessions, seed=seed, count=odd))
    _assert_same_load(load_sessions(body), load_sessions_tolerant(body))


def test_odd_records_are_reported_so_the_comparison_covers_the_problem_paths():
    loaded = load_sessions(PAYLOADS["distinct JDs with odd records"]())
    assert loaded.path == "fast"
    found = set(loaded.problems["problem"].str.split(":").str[0])
    assert {"not a date", "negative", "missing", "updatedAt before createdAt"} <= found
    assert loaded.problems["problem"].str.startswith("duplicate _id").any()


def test_duplicate_ids_are_exactly_those_pandas_duplicated_marks():
    sessions = _with_odd_records(_sessions())
    loaded = load_sessions(payload_bytes(sessions))
    ids = pd.Series([s["_id"] for s in sessions], dtype="str")
    expected = set(ids.index[ids.duplicated(keep=False) & ids.notna()])
    marked = loaded.problems["problem"].str.startswith("duplicate _id")
    assert expected  # the odd records include duplicates
    assert set(loaded.problems.loc[marked, "record"]) == expected


def test_unique_ids_give_no_duplicate_problem():
    loaded = load_sessions(payload_bytes(_sessions()))
    assert loaded.frame["session_id"].is_unique
    assert not loaded.problems["problem"].str.startswith("duplicate").any()


def _jd_texts(kind: str) -> list[str | None]:
    sessions = _sessions()
    if kind == "every JD distinct":
        sessions = _distinct_jd(sessions)
    texts = [s["jdDetail"]["userText"] for s in sessions]
    texts[::97] = [None] * len(texts[::97])
    return texts


def _odd_jd_texts(n: int = 3000, seed: int = 4) -> list[str | None]:
    """Labels, separators and values thrown together: repeated labels, empty values, no label."""
    rng = random.Random(seed)
    labels = ["Job Title", "title", "Role", "position", "Location", "job location", "Locations",
              "Experience", "Role-based", "Title of", "**Location**", "- Role", "Designation"]
    seps = [": ", ":", " - ", ":- ", " – ", " ", "-", ":\n", " :  "]
    values = ["Pune", "Sr. Engineer", "", " ", "Data Engineer Location: Pune", "St. Louis",
              "U.S. Remote", "3+ years", "Hyderabad. Must know Go", "<b>x</b>", "İstanbul"]
    glue = [", ", " | ", "; ", "\n", ". ", " ", "\r\n", ".", ""]
    texts: list[str | None] = [None, "", "Location:", ", Role: "]
    for _ in range(n):
        fields = [rng.choice(labels) + rng.choice(seps) + rng.choice(values)
                  for _ in range(rng.randint(0, 4))]
        texts.append(rng.choice(["", "We hire. "]) + "".join(f + rng.choice(glue) for f in fields))
    return texts  # fmt: skip


def _assert_row_equals_alone(batch, texts, titles, i):
    alone = read_jd([texts[i]], None if titles is None else [titles[i]]).columns
    for column, values in batch.items():
        left, right = values.iloc[i], alone[column].iloc[0]
        assert (pd.isna(left) and pd.isna(right)) or left == right, (column, texts[i])


@pytest.mark.parametrize("kind", ["realistic", "every JD distinct", "odd"])
def test_jd_fields_of_a_batch_equal_each_text_read_alone(kind):
    """Distinct texts are read once and in two halves: no row may depend on the others."""
    texts = _odd_jd_texts(100) if kind == "odd" else _jd_texts(kind)[:80]
    titles = [s["sessionTitle"] for s in _sessions(len(texts), seed=3)]
    titles[::7] = [None] * len(titles[::7])
    for with_titles in (None, titles):
        batch = read_jd(texts, with_titles).columns
        assert batch["role"].notna().sum() > len(texts) // 4  # the texts do say roles
        for i in range(len(texts)):
            _assert_row_equals_alone(batch, texts, with_titles, i)


@PROPERTIES
@hypothesis.given(st.data())
def test_jd_fields_do_not_depend_on_which_texts_are_read_together(data):
    pool = _odd_jd_texts(200, seed=9) + _jd_texts("every JD distinct")[:50]
    texts = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=40))
    titles = data.draw(
        st.lists(st.sampled_from([None, "Data Engineer - Pune (5+ yrs)", "Sr. QA", "#1"]),
                 min_size=len(texts), max_size=len(texts))
    )  # fmt: skip
    batch = read_jd(texts, titles)
    for i in range(len(texts)):
        _assert_row_equals_alone(batch.columns, texts, titles, i)
    assert int(batch.sources.to_numpy().sum()) == 3 * len(texts)


def test_prose_and_title_paths_are_covered_by_the_loads_compared_above():
    loaded = load_sessions(PAYLOADS["distinct JDs with odd records"]())
    assert loaded.jd_sources.loc["location", "prose"] > 0  # the prose path was taken
    assert loaded.jd_sources.loc["role", "title"] > 0  # and the title path


_PRIVATE = re.compile(
    r"from fj\.(?:jd|frame)(?:\.\w+)* import[^\n]*\b_\w"
    r"|from fj\.(?:jd|frame)(?:\.\w+)* import \([^)]*\b_\w"
    r"|\b(?:jd|frame|fj\.jd|fj\.frame)\._\w+"
)


def test_no_test_reaches_into_private_names_of_the_jd_reader_or_the_loader():
    """Guards compare public results, so the JD reader and the loader can change inside."""
    found = []
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for match in _PRIVATE.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{path.name}: {match.group(0)[:60]}")
    assert found == []


def test_the_private_name_check_finds_what_it_is_meant_to_find():
    # Written with {u} for "_", so the scan of this file above does not find them.
    snippets = [
        s.format(u="_")
        for s in [
            "from fj.jd import {u}ROLE",
            "from fj.jd.labels import trimmed, {u}x",
            "from fj.frame import (\n    {u}load_tolerant,\n)",
            "fj.jd.{u}THREADED_BYTES",
            "monkeypatch.setattr(frame.{u}Problems, 'x', 1)",
        ]
    ]
    assert all(_PRIVATE.search(s) for s in snippets)
    assert not _PRIVATE.search("from fj.frame import load_sessions, load_sessions_tolerant")
    assert not _PRIVATE.search("loaded.frame.iloc[0]")


def _searchable_frame() -> pd.DataFrame:
    """Sessions with repeated, missing and odd-case titles and JD texts."""
    frame = load_sessions(PAYLOADS["with odd records"]()).frame.copy()
    rng = random.Random(3)
    for i in rng.sample(range(len(frame)), 200):
        column = rng.choice(["title", "jd_text"])
        frame.loc[frame.index[i], column] = rng.choice(
            [None, "REACT lead, PUNE", "İstanbul react", "ß Straße", "pune\x00react"]
        )
    return frame


def _search_every_row(frame: pd.DataFrame, q: str, base: pd.Series) -> pd.Series:
    hit = pd.Series(False, index=frame.index)
    for column in ("title", "jd_text"):
        hit |= frame[column].map(lambda t: isinstance(t, str) and q.lower() in t.lower())
    return base & hit


@pytest.mark.parametrize("q", ["react", "PUNE", "straße", "no such text", "a"])
@pytest.mark.parametrize("date", ["all", "30d"])  # many candidates (distinct texts), or few
def test_text_search_over_distinct_texts_finds_exactly_the_rows_a_row_search_finds(q, date):
    frame = _searchable_frame()
    now = frame["created_at"].max().to_pydatetime()
    dated = Filters(date=date).apply(frame, now=now, tz="UTC")
    base = frame.index.isin(dated.index)
    assert 0 < base.sum() < len(frame) * 0.25 or date == "all"  # few candidates, or all
    expected = frame[_search_every_row(frame, q, pd.Series(base, index=frame.index))]
    found = Filters(date=date, q=q).apply(frame, now=now, tz="UTC")
    pd.testing.assert_frame_equal(found, expected)


@pytest.mark.parametrize("freq", ["D", "W", "M"])
@pytest.mark.parametrize("top", [1, 3, 8])
def test_running_total_from_the_by_role_series_equals_the_one_from_the_sessions(freq, top):
    frame = load_sessions(PAYLOADS["with odd records"]()).frame
    for part in (frame, frame.iloc[:40], frame.iloc[:0]):
        series = metrics.timeseries(part, freq=freq, tz="Asia/Kolkata", by_role=True, top_roles=top)
        plain = metrics.timeseries(part, freq=freq, tz="Asia/Kolkata")
        expected = plain[["bucket", "profiles"]].assign(
            cumulative_profiles=plain["profiles"].cumsum(),
            sessions=plain["sessions"],
            cumulative_sessions=plain["sessions"].cumsum(),
        )
        for given in (series, plain):
            result = metrics.cumulative_from(given)
            pd.testing.assert_frame_equal(result, expected, check_exact=True)
            assert result.attrs == expected.attrs


def _top_skills_one_by_one(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The simple version: a candidate once per case-folded skill, each key's spelling its
    ``mode()``, most candidates first, then by spelling."""
    exploded = frame["skills"].explode().dropna()
    exploded = exploded[exploded.map(lambda s: isinstance(s, str) and bool(s.strip()))]
    pairs = pd.DataFrame({"row": exploded.index, "skill": exploded.astype("str").str.strip()})
    pairs["key"] = pairs["skill"].str.casefold()
    pairs = pairs.drop_duplicates(["row", "key"])
    counts = pairs.groupby("key", sort=False).agg(
        candidates=("row", "size"), skill=("skill", lambda s: s.mode().iloc[0])
    )
    counts = counts.sort_values(["candidates", "skill"], ascending=[False, True]).head(n)
    return counts.reset_index(drop=True)[["skill", "candidates"]]


def _candidates_with_odd_skills(seed: int = 2) -> pd.DataFrame:
    """The demo project's candidates, with skills in other cases, blank, repeated, missing."""
    rng = random.Random(seed)
    sessions = paging.sessions_to_scan(load_sessions(demo_payload()).frame, 100)
    demo = DemoClient()
    frame = paging.project_candidates(
        lambda sid: candidates_frame(paging.fetch_all_candidates(demo, sid).docs), sessions
    ).frame
    variants = ["python", "PYTHON", " Python ", "", "   ", "SQL", "sql", "Go", "go", "GO"]
    for i in rng.sample(range(len(frame)), len(frame) // 4):
        frame.at[frame.index[i], "skills"] = rng.sample(variants, rng.randint(0, 4))
    frame.loc[frame.index[::53], "role"] = None
    return frame


@pytest.mark.parametrize("n", [1, 5, 50])
def test_skills_by_role_in_one_grouping_equals_counting_role_by_role(n):
    frame = _candidates_with_odd_skills()
    result = skills_by_role(frame, n=n)
    sizes = frame.groupby("role", sort=False).size().sort_values(ascending=False, kind="stable")
    expected = []
    for role in sizes.index:
        top = _top_skills_one_by_one(frame[frame["role"] == role], n)
        expected += [(role, s, c, c / sizes[role]) for s, c in top.itertuples(index=False)]
    assert list(result.itertuples(index=False, name=None)) == expected
    whole = top_skills(frame, n=n)
    assert list(whole[["skill", "candidates"]].itertuples(index=False, name=None)) == list(
        _top_skills_one_by_one(frame, n).itertuples(index=False, name=None)
    )
