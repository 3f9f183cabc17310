"""A session's candidates: paging over real HTTP against the stand-in, the frame, aggregates."""

from __future__ import annotations

import math
import threading
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from frames import candidates_of

import fj
from fj import paging, synthetic
from fj.candidate_frame import (
    CANDIDATE_COLUMNS,
    candidate_summary,
    candidates_frame,
    filter_candidates,
    parse_years,
    profile_url,
)
from fj.export import candidates_csv_filename, to_csv
from fj.stub import Fault, Project
from fj.tables import candidates_table

CRAFTED_KEY = "fjk_candidates_5e1f2a3b4c"
JD = "Job Title: Data Engineer, Experience: 2-5 years, Location: Pune"


def record(i: int, total: int, day: int, title: str | None = None, jd: str = JD) -> dict:
    return {
        "_id": f"{i:024x}",
        "sessionTitle": title or f"Data Engineer {i}",
        "jdDetail": {"userText": jd},
        "projectId": "69f0dd1da08d760844569bb1",
        "createdAt": f"2026-01-{day:02d}T10:00:00.000Z",
        "updatedAt": f"2026-01-{day:02d}T10:05:00.000Z",
        "totalProfiles": total,
    }


def crafted(stub_server, *totals: int, extra: list[dict] | None = None) -> list[dict]:
    """Give CRAFTED_KEY a project: three newest sessions still running, then one done
    session per total (ids 1, 2, ...); return the done sessions."""
    running = [record(100 + k, 50, 28 - k) for k in range(3)]
    done = [record(i, total, 20 - i) for i, total in enumerate(totals, start=1)]
    stub_server.set_project(CRAFTED_KEY, Project(sessions=running + done + (extra or [])))
    return done


def client(stub_server, key: str = CRAFTED_KEY) -> fj.FJClient:
    return fj.FJClient(key, stub_server.base_url, backoff=0.01)


def page_requests(stub_server) -> list[int]:
    """The page numbers of every /profiles request the stand-in saw, in order."""
    return [
        int(parse_qs(urlsplit(r.target).query)["page"][0])
        for r in stub_server.requests
        if r.path.endswith("/profiles")
    ]


class CountingClient:
    """Passes page requests to a real client and counts how many run at once."""

    def __init__(self, inner: fj.FJClient) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.running = 0
        self.peak = 0

    def get_session_profiles(self, session_id: str, page: int = 1, limit: int = 20) -> dict:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return self.inner.get_session_profiles(session_id, page=page, limit=limit)
        finally:
            with self.lock:
                self.running -= 1


# -- paging ---------------------------------------------------------------------------------


def test_a_session_without_candidates_costs_one_request_and_is_complete(stub_server):
    [session] = crafted(stub_server, 0)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20)
    assert result.docs == []
    assert (result.total_docs, result.pages_fetched, result.requests) == (0, 0, 1)
    assert result.status == paging.COMPLETE
    assert page_requests(stub_server) == [1]


def test_a_session_still_processing_has_no_candidates_yet(stub_server):
    crafted(stub_server, 30)
    newest = record(100, 50, 28)  # rank 0: processing
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, newest["_id"], limit=20)
    assert result.docs == [] and result.status == paging.COMPLETE


def test_one_page_holds_every_candidate(stub_server):
    [session] = crafted(stub_server, 20)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20)
    assert result.docs == synthetic.generate_candidates(session)
    assert (result.pages_fetched, result.requests, result.status) == (1, 1, paging.COMPLETE)
    assert page_requests(stub_server) == [1]


def test_a_last_page_shorter_than_the_limit_ends_the_fetch(stub_server):
    [session] = crafted(stub_server, 45)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20, max_in_flight=1)
    assert result.docs == synthetic.generate_candidates(session)  # every one, in order
    assert (result.total_docs, result.pages_fetched, result.status) == (45, 3, paging.COMPLETE)
    assert page_requests(stub_server) == [1, 2, 3]


def test_pages_fetched_in_parallel_keep_the_api_order(stub_server):
    [session] = crafted(stub_server, 190)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=10, max_in_flight=4)
    assert result.docs == synthetic.generate_candidates(session)
    assert sorted(page_requests(stub_server)) == list(range(1, 20))


def test_a_page_that_fails_then_succeeds_is_retried(stub_server):
    [session] = crafted(stub_server, 45)
    stub_server.inject(Fault(status=503, path="/profiles"))
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20)
    assert result.docs == synthetic.generate_candidates(session)
    assert result.status == paging.COMPLETE
    statuses = [r.status for r in stub_server.requests if r.path.endswith("/profiles")]
    assert statuses.count(503) == 1 and statuses.count(200) == 3


def test_a_page_that_keeps_failing_raises_a_server_error(stub_server):
    [session] = crafted(stub_server, 45)
    stub_server.inject(Fault(status=503, path="/profiles"), times=20)
    with client(stub_server) as c, pytest.raises(fj.ServerError, match="503"):
        paging.fetch_all_candidates(c, session["_id"], limit=20, max_in_flight=2)


def test_has_next_page_true_past_the_count_asks_for_no_further_page(stub_server):
    [session] = crafted(stub_server, 45)
    stub_server.inject(Fault(body="next_page_always", path="/profiles"), times=50)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20, max_pages=10)
    assert len(result.docs) == 45 and result.status == paging.COMPLETE
    assert max(page_requests(stub_server)) == 3


def test_has_next_page_true_on_full_pages_stops_at_the_count(stub_server):
    [session] = crafted(stub_server, 60)  # three full pages, the third claims a fourth
    stub_server.inject(Fault(body="next_page_always", path="/profiles"), times=50)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20, max_pages=10)
    assert len(result.docs) == 60 and result.status == paging.COMPLETE
    assert sorted(page_requests(stub_server)) == [1, 2, 3]


def test_has_next_page_false_before_the_count_stops_and_says_so(stub_server):
    [session] = crafted(stub_server, 45)
    stub_server.inject(Fault(body="next_page_never", path="/profiles"))  # page 1 only
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20)
    assert len(result.docs) == 20
    assert result.status == paging.INCOMPLETE
    assert "20 candidates of the 45" in result.note
    assert page_requests(stub_server) == [1]


def test_a_repeated_page_stops_the_fetch_without_duplicates(stub_server):
    [session] = crafted(stub_server, 100)
    stub_server.inject(Fault(path="/profiles"))  # page 1 answered as it is
    stub_server.inject(Fault(serve_page=1, path="/profiles"), times=50)  # then page 1 again
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=20, max_in_flight=1)
    assert result.docs == synthetic.generate_candidates(session)[:20]
    assert result.status == paging.INCOMPLETE and "repeated" in result.note
    assert page_requests(stub_server) == [1, 2]


def test_the_page_cap_truncates_and_says_so(stub_server):
    [session] = crafted(stub_server, 200)
    with client(stub_server) as c:
        result = paging.fetch_all_candidates(c, session["_id"], limit=10, max_pages=3)
    assert len(result.docs) == 30 and result.pages_fetched == 3
    assert result.status == paging.TRUNCATED
    assert "first 30 candidates of the 200" in result.note
    assert sorted(page_requests(stub_server)) == [1, 2, 3]


@pytest.mark.parametrize("max_in_flight", [1, 3])
def test_requests_in_flight_never_exceed_the_bound(stub_server, max_in_flight):
    [session] = crafted(stub_server, 200)
    # Slow pages, so that requests overlap whenever they are allowed to.
    stub_server.inject(Fault(delay=0.05, path="/profiles"), times=20)
    with client(stub_server) as inner:
        counting = CountingClient(inner)
        result = paging.fetch_all_candidates(
            counting, session["_id"], limit=20, max_in_flight=max_in_flight
        )
    assert len(result.docs) == 200
    assert counting.peak == max_in_flight


def test_an_unknown_session_raises_not_found(stub_server):
    crafted(stub_server, 10)
    with client(stub_server) as c, pytest.raises(fj.NotFoundError):
        paging.fetch_all_candidates(c, "ffffffffffffffffffffffff")


def test_paging_arguments_must_be_positive():
    with pytest.raises(ValueError):
        paging.fetch_all_candidates(None, "x", limit=0)


# -- the candidates frame -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("6 years 3 months", 6.25),
        ("1 year", 1.0),
        ("8 months", round(8 / 12, 2)),
        ("10+ years", 10.0),
        ("4 yrs", 4.0),
        ("7", 7.0),
        (3.5, 3.5),
        ("fresher", math.nan),
        ("", math.nan),
        (None, math.nan),
        (True, math.nan),
    ],
)
def test_years_of_experience_are_read_as_a_number(text, years):
    parsed = parse_years(text)
    assert parsed == years or (math.isnan(years) and math.isnan(parsed))


def test_the_frame_has_one_row_per_candidate_with_lists_and_text():
    session = record(1, 30, 10)
    docs = synthetic.generate_candidates(session)
    frame = candidates_frame(docs)
    assert list(frame.columns) == list(CANDIDATE_COLUMNS)
    assert len(frame) == len(docs)
    first = frame.iloc[0]
    profile = docs[0]["profile"]
    assert first["candidate_id"] == docs[0]["_id"]
    assert first["skills"] == profile["skills"]
    assert first["skills_text"] == ", ".join(profile["skills"])
    employer = profile["current_employers_object"][0]
    assert first["employers"][0] == f"{employer['job_title']} at {employer['company_name']}"
    assert first["current_company"] == employer["company_name"]
    assert first["final_score"] == docs[0]["finalScore"]
    assert frame["final_score"].dtype == "float64"


def test_missing_and_mistyped_fields_never_drop_a_row():
    docs = [
        {},
        "not an object",
        {"_id": "a", "finalScore": "4.5", "profile": {"skills": "Go, Rust, go"}},
        {"_id": "b", "finalScore": None, "profile": {"name": 42, "skills": [None, "SQL"]}},
        {"_id": "c", "profile": {"current_employers_object": {"company_name": "Acme"}}},
        {"_id": "d", "profileAnalysis": {"highlights": [{"Highlight": "Pune"}, "plain"]}},
    ]
    frame = candidates_frame(docs)
    assert len(frame) == len(docs)
    assert frame["candidate_id"].isna().tolist() == [True, True, False, False, False, False]
    assert frame.loc[2, "final_score"] == 4.5
    assert frame.loc[2, "skills"] == ["Go", "Rust", "go"]
    assert frame.loc[3, "name"] == "42" and frame.loc[3, "skills"] == ["SQL"]
    assert frame.loc[4, "employers"] == ["Acme"] and frame.loc[4, "current_company"] == "Acme"
    assert frame.loc[5, "highlights_text"] == "Pune; plain"
    assert frame.loc[0, "skills"] == [] and pd.isna(frame.loc[0, "skills_text"])


def test_an_empty_list_gives_the_columns_and_no_rows():
    frame = candidates_frame([])
    assert frame.empty and list(frame.columns) == list(CANDIDATE_COLUMNS)


# -- filtering, CSV and details ----------------------------------------------------------




def test_filtering_by_score_skill_and_region():
    frame = candidates_of(
        {"score": 4.5, "skills": ["Python"], "region": "Pune, India"},
        {"score": 3.0, "skills": ["Java"], "region": "Berlin"},
        {"score": None, "skills": ["python"], "region": "pune"},
    )
    assert len(filter_candidates(frame)) == 3
    assert len(filter_candidates(frame, score=(0.0, 5.0))) == 3  # full range: no filter
    assert filter_candidates(frame, score=(4.0, 5.0))["candidate_id"].tolist() == ["0"]
    assert filter_candidates(frame, skill="PYTH")["candidate_id"].tolist() == ["0", "2"]
    found = filter_candidates(frame, skill="python", region="pune")
    assert found["candidate_id"].tolist() == ["0", "2"]


def test_the_csv_of_candidates_neutralises_formulas():
    frame = candidates_frame(
        [{"_id": "x", "finalScore": 4, "profile": {"name": '=HYPERLINK("http://evil")'}}]
    )
    text = to_csv(candidates_table(frame)).decode()
    assert "'=HYPERLINK" in text and '"=HYPERLINK' not in text


def test_the_csv_file_name_is_ascii_and_names_the_session():
    now = pd.Timestamp("2026-05-01T10:00", tz="UTC").to_pydatetime()
    name = candidates_csv_filename("Sr. .NET Développeur / Pune", now, "69f0f0d162a797f8a4390c08")
    assert name == "fj-candidates_sr-net-developpeur-pune_a4390c08_2026-05-01.csv"
    assert name.isascii()


def test_candidate_details_read_as_labelled_text(stub_server):
    [session] = crafted(stub_server, 10)
    with client(stub_server) as c:
        docs = paging.fetch_all_candidates(c, session["_id"]).docs
        details = c.get_candidate_details(docs[0]["_id"], session["_id"])
    summary = candidate_summary(details)
    assert summary["Headline"] == details["profile"]["headline"]
    assert summary["Rating"].endswith(details["profileAnalysis"]["starLabel"])
    assert details["profile"]["education"][0]["institution"] in summary["Education"]
    assert profile_url(details) == details["profile"]["profile_url"]
    assert profile_url({"profile": {"profile_url": "javascript:alert(1)"}}) is None
    assert candidate_summary({}) == {}


# -- across sessions ------------------------------------------------------------------------


def stub_sessions(stub_server) -> pd.DataFrame:
    with client(stub_server) as c:
        return c.fetch_sessions().frame


def test_planned_requests_match_the_requests_made(stub_server):
    crafted(stub_server, 0, 45, 20, 130)
    scan = paging.sessions_to_scan(stub_sessions(stub_server))
    scan = scan[~scan["session_id"].isin([f"{100 + k:024x}" for k in range(3)])]  # done ones
    stub_server.clear_requests()
    with client(stub_server) as c:
        gathered = paging.project_candidates(
            lambda s: candidates_frame(paging.fetch_all_candidates(c, s, limit=50).docs),
            scan,
        )
    assert len(scan) == 3  # the session without profiles costs nothing
    assert paging.planned_requests(scan, limit=50) == len(page_requests(stub_server)) == 1 + 1 + 3
    assert len(gathered.frame) == 45 + 20 + 130


def test_project_candidates_report_progress_and_go_on_after_a_failure(stub_server):
    crafted(stub_server, 30, 40)
    frame = stub_sessions(stub_server)
    ghost = frame.iloc[[0]].assign(session_id="ffffffffffffffffffffffff", title="Gone")
    scan = pd.concat([paging.sessions_to_scan(frame), ghost], ignore_index=True)
    seen = []
    with client(stub_server) as c:
        gathered = paging.project_candidates(
            lambda s: candidates_frame(paging.fetch_all_candidates(c, s).docs),
            scan,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen == [(i, len(scan)) for i in range(1, len(scan) + 1)]
    assert [sid for sid, _ in gathered.failures] == ["ffffffffffffffffffffffff"]
    assert gathered.sessions == len(scan) - 1
    assert set(gathered.frame["session_title"]) >= {"Data Engineer 1", "Data Engineer 2"}
    assert list(gathered.frame.columns[:3]) == ["session_id", "session_title", "role"]


def test_project_candidates_stop_on_a_rejected_key(stub_server):
    crafted(stub_server, 30)
    scan = paging.sessions_to_scan(stub_sessions(stub_server))
    with client(stub_server, "fjk_rejected_00000000") as c, pytest.raises(fj.AuthError):
        paging.project_candidates(
            lambda s: candidates_frame(paging.fetch_all_candidates(c, s).docs), scan
        )
