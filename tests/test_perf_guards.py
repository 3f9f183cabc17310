"""Fast paths give exactly what their simple versions give, at a few thousand sessions.

Every shortcut the benchmarks rely on is pinned here to the plain way of
doing the same work: the pyarrow reader to the record-by-record reader, the
one-hash-pass "ids are unique" exit to pandas' ``duplicated``, JD parsing of
distinct texts only to parsing every text, threaded JD parsing to parsing
in one thread, the JD fields' capture-free reading and cut to the exact
patterns, the
text search over distinct texts to a search of every row,
the Overview's running total from its by-role series to the running total
computed from the sessions. No test here looks at a clock.
"""

import copy
import random

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import fj.jd
from fj import candidates as cands
from fj import metrics
from fj.candidate_metrics import skills_by_role, top_skills
from fj.demo import DemoClient, demo_payload
from fj.filters import Filters
from fj.frame import _load_tolerant, load_sessions
from fj.jd import (
    _LOCATION,
    _LOCATION_HEAD,
    _ROLE,
    _ROLE_HEAD,
    _VALUE_END,
    _label_value,
    _value_end,
    parse_jd,
)
from fj.synthetic import generate_sessions, payload_bytes

N = 3000


def _sessions(n: int = N, seed: int = 11) -> list[dict]:
    return generate_sessions(n, seed)


def _distinct_jd(sessions: list[dict]) -> list[dict]:
    """The same sessions with every JD text made unique: the JD parser's worst case."""
    out = copy.deepcopy(sessions)
    for i, session in enumerate(out):
        session["jdDetail"]["userText"] += f" Req #{i}. Notice period: {i % 90} days"
    return out


def _with_odd_records(sessions: list[dict], seed: int = 5) -> list[dict]:
    """Sprinkle values the fast reader reads as they are but the finishing step must judge."""
    out = copy.deepcopy(sessions)
    rng = random.Random(seed)
    for i in rng.sample(range(len(out)), 60):
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
    assert fast.sample_record == tolerant.sample_record
    assert fast.record_count == tolerant.record_count


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_fast_loader_returns_exactly_what_the_tolerant_loader_returns(payload):
    body = PAYLOADS[payload]()
    _assert_same_load(load_sessions(body), _load_tolerant(body))


def test_odd_records_are_reported_so_the_comparison_covers_the_problem_paths():
    loaded = load_sessions(PAYLOADS["distinct JDs with odd records"]())
    assert loaded.path == "fast"
    found = set(loaded.problems["problem"].str.split(":").str[0])
    assert {"not a date", "negative", "missing", "updatedAt before createdAt"} <= found
    assert loaded.problems["problem"].str.startswith("duplicate _id").any()


@pytest.mark.parametrize("threaded_bytes", [0, 1 << 40], ids=["threads", "one thread"])
def test_jd_parsing_in_threads_or_in_one_thread_loads_the_same(monkeypatch, threaded_bytes):
    body = PAYLOADS["distinct JDs with odd records"]()
    monkeypatch.setattr(fj.jd, "_THREADED_BYTES", threaded_bytes)
    _assert_same_load(load_sessions(body), _load_tolerant(body))


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


def _parse(monkeypatch, texts, **settings) -> dict[str, pd.Series]:
    with monkeypatch.context() as patch:
        for name, value in settings.items():
            patch.setattr(fj.jd, name, value)
        return parse_jd(texts)


def _assert_same_fields(left: dict[str, pd.Series], right: dict[str, pd.Series]) -> None:
    assert list(left) == list(right)
    for column in left:
        pd.testing.assert_series_equal(left[column], right[column], check_exact=True)


@pytest.mark.parametrize("kind", ["realistic", "every JD distinct"])
def test_parsing_distinct_texts_once_equals_parsing_every_text(monkeypatch, kind):
    texts = _jd_texts(kind)
    # A share above 1 never skips the dictionary pass; a share of 0 always skips it.
    once = _parse(monkeypatch, texts, _DISTINCT_SHARE=2.0)
    every = _parse(monkeypatch, texts, _DISTINCT_SHARE=0.0)
    _assert_same_fields(once, every)
    assert once["role"].notna().sum() > N // 2  # the texts do say their roles


@pytest.mark.parametrize("kind", ["realistic", "every JD distinct"])
def test_parsing_in_threads_equals_parsing_in_one_thread(monkeypatch, kind):
    texts = _jd_texts(kind)
    threaded = _parse(monkeypatch, texts, _THREADED_BYTES=0)
    single = _parse(monkeypatch, texts, _THREADED_BYTES=1 << 40)
    _assert_same_fields(threaded, single)


@pytest.mark.parametrize("kind", ["realistic", "every JD distinct"])
def test_prose_and_title_reading_over_distinct_texts_equals_reading_every_text(monkeypatch, kind):
    """With titles, the fields read from prose and titles and their counts do not depend on
    whether texts were matched once per distinct text or one by one, in threads or not."""
    texts = _jd_texts(kind)
    sessions = _sessions()
    titles = [s["sessionTitle"] for s in sessions]
    titles[::89] = [None] * len(titles[::89])
    reads = []
    for share, threaded in ((2.0, 1 << 40), (0.0, 0)):
        with monkeypatch.context() as patch:
            patch.setattr(fj.jd, "_DISTINCT_SHARE", share)
            patch.setattr(fj.jd, "_THREADED_BYTES", threaded)
            reads.append(fj.jd.read_jd(texts, titles))
    _assert_same_fields(reads[0].columns, reads[1].columns)
    pd.testing.assert_frame_equal(reads[0].sources, reads[1].sources)
    assert reads[0].sources.loc["location", "prose"] > 0  # the prose path was taken
    assert reads[0].sources.loc["role", "title"] > 0  # and the title path


def test_batch_parse_equals_parsing_each_text_alone():
    texts = _jd_texts("every JD distinct")[:80] + _jd_texts("realistic")[:80]
    batch = parse_jd(texts)
    for i, text in enumerate(texts):
        alone = parse_jd([text])
        for column in batch:
            left, right = batch[column].iloc[i], alone[column].iloc[0]
            assert (pd.isna(left) and pd.isna(right)) or left == right, (column, text)


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


@pytest.mark.parametrize("kind", ["realistic", "every JD distinct", "odd"])
def test_reading_a_field_without_captures_equals_the_exact_pattern(kind):
    texts = pa.array(_odd_jd_texts() if kind == "odd" else _jd_texts(kind), pa.string())
    for head, field in ((_ROLE_HEAD, _ROLE), (_LOCATION_HEAD, _LOCATION)):
        exact = pc.struct_field(pc.extract_regex(texts, field), "value")
        assert _label_value(texts, head).to_pylist() == exact.to_pylist()


def test_the_fast_cut_of_jd_values_equals_the_exact_pattern():
    """Where a value ends: a split and a capture-free cut, the exact RE2 pattern only where
    an abbreviation's dot was cut; both must agree on every value."""
    rng = random.Random(8)
    words = ["Pune", "Sr", "sr", "St", "U", "S", "Data", "Engineer", "Dr", "no", "Node.js",
             "#5", "Louis", "Location:", "Role -", "exp:", "Title :", ".", "Asst", "ms", "x",
             "İstanbul", "Mumbai", "(Ops)", "Sr.", "10+"]  # fmt: skip
    glue = [" ", ". ", ".", "  ", " . ", ".  ", "\t"]
    values = [None, "", ". ", "Sr. ", "Sr. Engineer. Location: Pune"]
    for _ in range(4000):
        parts = rng.choices(words, k=rng.randint(1, 7))
        values.append("".join(p + rng.choice(glue) for p in parts).strip(" "))
    array = pa.array(values, pa.string())
    exact = pc.replace_substring_regex(array, _VALUE_END, r"\1")
    assert _value_end(array).to_pylist() == exact.to_pylist()


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
    assert 0 < base.sum() < len(frame) * 0.25 or date == "all"  # both search paths are taken
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
        assert expected.equals(metrics.cumulative_profiles(part, freq=freq, tz="Asia/Kolkata"))
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
    sessions = cands.sessions_to_scan(load_sessions(demo_payload()).frame, 100)
    demo = DemoClient()
    frame = cands.project_candidates(
        lambda sid: cands.candidates_frame(cands.fetch_all_candidates(demo, sid).docs), sessions
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
