"""The labelled JD path: role, experience and location read exactly from "Label: value" fields.

Prose and titles are read only where labels leave a field missing (tests/test_jd_phrasings.py
holds the table of realistic phrasings, prose and titles included)."""

import math

import pandas as pd
import pyarrow as pa
import pytest

from fj.frame import parse_jd
from fj.jd import experience_band

NA = None

# text -> (role, exp_min_years, exp_max_years, location, experience range as written)
CASES = {
    # The vendor's own form.
    "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune": (
        ".NET Developer", 1, 5, "Pune", "1-5 yrs",
    ),
    "Job Title: Senior .NET Developer, Experience: 4-8 years, Location: Pune": (
        "Senior .NET Developer", 4, 8, "Pune", "4-8 yrs",
    ),
    # Open-ended, single number, "to", "yrs".
    "Job Title: Data Engineer, Experience: 3+ years, Location: Hyderabad": (
        "Data Engineer", 3, NA, "Hyderabad", "3+ yrs",
    ),
    "Job Title: QA Engineer, Experience: 5 years, Location: Mumbai": (
        "QA Engineer", 5, 5, "Mumbai", "5 yrs",
    ),
    "Job Title: Android Developer, Experience: 4 to 8 yrs, Location: Noida": (
        "Android Developer", 4, 8, "Noida", "4-8 yrs",
    ),
    "Experience: 2.5 - 4 Years, Job Title: Analyst": ("Analyst", 2.5, 4, NA, "2.5-4 yrs"),
    # Other orders, other separators, other labels, lowercase labels.
    "Location - Bengaluru | Role - Cloud Architect | Experience - 10+ yrs": (
        "Cloud Architect", 10, NA, "Bengaluru", "10+ yrs",
    ),
    "position: PM; exp: 8-12 years; job location: Remote": ("PM", 8, 12, "Remote", "8-12 yrs"),
    "Designation:- Tech Lead, Total Experience: 12 years": ("Tech Lead", 12, 12, NA, "12 yrs"),
    # Multi-line, with markdown bullets and stray spaces around values.
    "Job Title:   Full Stack Developer  \nExperience: 2-4 years\nLocation:  Gurugram \n": (
        "Full Stack Developer", 2, 4, "Gurugram", "2-4 yrs",
    ),
    "**Job Title:** Lead Dev\n- **Location:** Chennai\n- Experience: 6-10 years": (
        "Lead Dev", 6, 10, "Chennai", "6-10 yrs",
    ),
    # Mixed: what the labels leave missing is read from the prose.
    "Role: Data Scientist\r\nLocation: Singapore\r\n\r\nWe need someone with 5+ years": (
        "Data Scientist", 5, NA, "Singapore", "5+ yrs",
    ),
    # Sentences: ". " separates fields, the trailing period is not part of the value.
    "Title: Sr. Engineer. Location: Hyderabad. Experience: 10+ yrs.": (
        "Sr. Engineer", 10, NA, "Hyderabad", "10+ yrs",
    ),
    "Location: Pune. Experience: 5+ years. Role: SRE": ("SRE", 5, NA, "Pune", "5+ yrs"),
    # A sentence after a value ends it; a dot after an initial or an abbreviation does not.
    "Location: Hyderabad. Must know React and Node": (NA, NA, NA, "Hyderabad", NA),
    "Role: Data Engineer. Must have 5+ years of Spark": ("Data Engineer", 5, NA, NA, "5+ yrs"),
    "Title: Asst. Manager (Ops). Location: St. Louis. Remote OK": (
        "Asst. Manager (Ops)", NA, NA, "St. Louis", NA,
    ),
    "Job Title: Node.js Dev. Location: U.S. Remote": ("Node.js Dev", NA, NA, "U.S. Remote", NA),
    "Location: . Apply now": (NA, NA, NA, NA, NA),
    # A label inside a value ends the value, but is not read without a separator before it.
    "Job Title: Backend Dev Location: Pune": ("Backend Dev", NA, NA, NA, NA),
    # Prose: location and experience are read; the role comes only from a label or the title.
    "We are hiring a Senior Data Engineer in Bengaluru with 5+ years": (
        NA, 5, NA, "Bengaluru", "5+ yrs",
    ),
    "Looking for a Python Developer (3-6 years) to join our team in Pune.": (
        NA, 3, 6, "Pune", "3-6 yrs",
    ),
    "DevOps Engineer needed – Pune, 3+ years. CTC up to ₹20 LPA.": (NA, 3, NA, "Pune", "3+ yrs"),
    # Words that merely contain a label, or a label without a value we can read.
    "Role-based access control, Experience: 6 months": (NA, NA, NA, NA, NA),
    "In this role: you will own pipelines": (NA, NA, NA, NA, NA),
    "Experience: Fresher, Location: ": (NA, NA, NA, NA, NA),
    "Expected CTC: 12 LPA": (NA, NA, NA, NA, NA),
    "": (NA, NA, NA, NA, NA),
}  # fmt: skip


def _is_missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


@pytest.mark.parametrize("text", list(CASES))
def test_labelled_fields_are_read_exactly(text):
    role, low, high, location, band = CASES[text]
    got = parse_jd([text])
    for column, expected in [
        ("role", role),
        ("exp_min_years", low),
        ("exp_max_years", high),
        ("location", location),
        ("exp_range", band),
    ]:
        value = got[column].iloc[0]
        if expected is None:
            assert _is_missing(value), f"{column}: expected missing, got {value!r}"
        else:
            assert value == expected, f"{column}: expected {expected!r}, got {value!r}"


def test_missing_text_gives_missing_fields():
    got = parse_jd([None, "Job Title: Dev"])
    assert all(_is_missing(got[c].iloc[0]) for c in got)
    assert got["role"].iloc[1] == "Dev"


def test_experience_ranges_are_ordered_by_min_then_max_years():
    texts = [
        f"Experience: {e}" for e in ["10+ yrs", "3+ years", "1-5 years", "3-5", "3 years", "0-2"]
    ]
    ranges = parse_jd(texts)["exp_range"]
    assert list(ranges.cat.categories) == [
        "0-2 yrs",
        "1-5 yrs",
        "3 yrs",
        "3-5 yrs",
        "3+ yrs",
        "10+ yrs",
    ]


def test_categories_hold_only_values_that_occur_sorted():
    got = parse_jd(["Location: Pune", "Location: Bengaluru", "Location: Pune", "nothing"])
    assert list(got["location"].cat.categories) == ["Bengaluru", "Pune"]
    assert got["location"].tolist()[:3] == ["Pune", "Bengaluru", "Pune"]
    assert got["role"].cat.categories.empty


def test_a_value_cut_at_its_sentence_joins_the_same_value_written_alone():
    texts = ["Location: Pune. Must know Go", "Location: Pune", "Location: Agra. Onsite"]
    got = parse_jd(texts)["location"]
    assert list(got.cat.categories) == ["Agra", "Pune"]
    assert got.tolist() == ["Pune", "Pune", "Agra"]
    assert got.cat.codes.tolist() == [1, 1, 0]


@pytest.mark.parametrize(
    "texts",
    [
        ["Job Title: A, Location: X", None, "Job Title: B"],
        pd.Series(["Job Title: A, Location: X", None, "Job Title: B"], dtype="str"),
        pa.array(["Job Title: A, Location: X", None, "Job Title: B"]),
        pa.chunked_array([["Job Title: A, Location: X"], [None, "Job Title: B"]]),
    ],
    ids=["list", "series", "array", "chunked"],
)
def test_accepts_lists_series_and_arrow_arrays_alike(texts):
    got = parse_jd(texts)
    assert got["role"].tolist()[0] == "A" and got["role"].tolist()[2] == "B"
    assert _is_missing(got["role"].iloc[1])
    assert got["location"].tolist()[0] == "X"
    assert {c: str(s.dtype) for c, s in got.items()} == {
        "role": "category",
        "exp_min_years": "float64",
        "exp_max_years": "float64",
        "exp_range": "category",
        "location": "category",
        "experience": "category",
    }


def test_mostly_distinct_texts_give_the_same_fields_as_repeated_ones():
    # Over 1024 nearly all-distinct texts skip the dictionary pass; small batches use it.
    texts = [
        f"Job Title: Role {i}, Experience: {i % 7}-{i % 7 + 3} years, Location: City {i % 5}"
        if i % 3
        else f"Hiring note {i} in prose"
        for i in range(3000)
    ]
    whole = parse_jd(texts)
    for start in range(0, 3000, 500):
        part = parse_jd(texts[start : start + 500])
        for column in whole:
            pd.testing.assert_series_equal(
                whole[column].iloc[start : start + 500].reset_index(drop=True).astype(object),
                part[column].astype(object),
            )
    assert whole["role"].iloc[1] == "Role 1" and whole["exp_range"].iloc[1] == "1-4 yrs"
    assert list(whole["location"].cat.categories) == [f"City {i}" for i in range(5)]


def test_experience_bands_place_each_range_by_its_lower_bound_in_band_order():
    texts = [f"Experience: {e}" for e in ["12+ yrs", "4-8 years", "0-1", "2.5-4", "6-10", "3+"]]
    got = parse_jd(texts)
    assert got["experience"].tolist() == [
        "10+ yrs", "3-5 yrs", "0-2 yrs", "0-2 yrs", "6-9 yrs", "3-5 yrs"
    ]  # fmt: skip
    assert list(got["experience"].cat.categories) == ["0-2 yrs", "3-5 yrs", "6-9 yrs", "10+ yrs"]
    assert got["exp_range"].tolist()[1] == "4-8 yrs"  # the range as written stays


@pytest.mark.parametrize(
    ("label", "band"),
    [
        ("5-9 yrs", "3-5 yrs"),  # an old link's range: placed like a JD's, by its lower bound
        ("5+ yrs", "3-5 yrs"),
        ("10-15 years", "10+ yrs"),
        ("0-2 yrs", "0-2 yrs"),  # a band is its own band
        ("6-9 yrs", "6-9 yrs"),
        ("2.5 yrs", "0-2 yrs"),
        ("7", "6-9 yrs"),
        ("senior", None),
        ("", None),
        ("5 months", None),
    ],
)
def test_a_range_written_as_text_maps_to_its_band(label, band):
    assert experience_band(label) == band
