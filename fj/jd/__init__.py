"""Role, experience and location read from the job description (JD) and the session title.

Labelled fields come first and are exact ("Job Title: X", "Experience - 3+ years",
"location: Pune"; see :mod:`fj.jd.labels`). Only what the labels leave missing
is read from elsewhere, on those texts only: location and experience from
common prose, then role, location and experience from the session title (see
:mod:`fj.jd.prose`). What nothing states stays missing.

Experience is kept twice: ``exp_range`` is the range as the JD says it ("4-8
yrs") and ``experience`` is one of a few bands a person picks from
(:data:`EXPERIENCE_BANDS`), placed by the range's lower bound, the fewest years
the JD asks for.

Sessions reuse a few JDs, so each distinct text is read once and its fields
spread to the sessions through the codes of a dictionary encoding; the
distinct texts are read in two threads, one half each (RE2 and the other Arrow
kernels release the GIL; when no text repeats, this is what keeps a load of
100k sessions near ``json.loads``: see benchmarks/README.md, section 1).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fj.jd.labels import read_labels, stated, trimmed
from fj.jd.prose import PLACES, prose_location, prose_years, read_titles

__all__ = [
    "BAND_LABELS", "EXPERIENCE_BANDS", "FIELDS", "PLACES", "SOURCES", "SOURCE_HEADINGS",
    "JDRead", "experience_band", "parse_jd", "read_jd", "sources_table",
]  # fmt: skip


#: The experience bands a person picks from: (label, fewest years), in order. A JD is
#: placed by its range's lower bound: "4-8 years" asks for at least 4, so it is in "3-5 yrs".
EXPERIENCE_BANDS: tuple[tuple[str, float], ...] = (
    ("0-2 yrs", 0.0),
    ("3-5 yrs", 3.0),
    ("6-9 yrs", 6.0),
    ("10+ yrs", 10.0),
)
BAND_LABELS: tuple[str, ...] = tuple(label for label, _ in EXPERIENCE_BANDS)
_BAND_LOWS = np.array([low for _, low in EXPERIENCE_BANDS])

#: The fields read, and where each session's value came from (the columns of JDRead.sources).
FIELDS = ("role", "location", "experience")
SOURCES = ("labelled", "prose", "title", "not stated")


@dataclass(frozen=True)
class JDRead:
    """What :func:`read_jd` found: the frame's JD columns and where each value came from."""

    columns: dict[str, pd.Series]
    #: One row per field (role, location, experience), one column per source (SOURCES):
    #: how many sessions took that field from a label, from prose, from the title, or have none.
    sources: pd.DataFrame


def parse_jd(
    texts: pa.Array | pa.ChunkedArray | pd.Series | list[str | None],
    titles: pa.Array | pa.ChunkedArray | pd.Series | list[str | None] | None = None,
) -> dict[str, pd.Series]:
    """Return the fields read from each JD text (and title), keyed like the frame's columns.

    ``role`` and ``location`` are whitespace-trimmed categoricals,
    ``exp_min_years``/``exp_max_years`` are float64, ``exp_range`` is the
    range as a label ("1-5 yrs", "3+ yrs", "5 yrs") whose categories are
    ordered by years, and ``experience`` is its band (:data:`BAND_LABELS`).
    Each Series has a default RangeIndex, one row per text; missing where
    neither the text nor the title says. See :func:`read_jd` for the sources.
    """
    return read_jd(texts, titles).columns


def read_jd(
    texts: pa.Array | pa.ChunkedArray | pd.Series | list[str | None],
    titles: pa.Array | pa.ChunkedArray | pd.Series | list[str | None] | None = None,
) -> JDRead:
    """Return the JD fields of each session and how many came from labels, prose or titles.

    Labels are read first; prose only for the fields a text's labels leave
    missing; the title (one per text, optional) only for what is still missing.
    """
    strings = _strings(texts)
    encoded = strings.dictionary_encode()
    distinct = encoded.dictionary
    # Per row, the position of its text among the distinct ones (-1: no text).
    positions = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    half = len(distinct) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        halves = list(pool.map(read_labels, [distinct[:half], distinct[half:]]))
    roles, locations, lows, highs = zip(*halves, strict=True)
    role, location = pa.concat_arrays(roles), pa.concat_arrays(locations)
    low, high = np.concatenate(lows), np.concatenate(highs)
    labelled = {
        "role": stated(role),
        "location": stated(location),
        "experience": ~np.isnan(low),
    }
    location, location_prose = prose_location(distinct, location)
    low, high, years_prose = prose_years(distinct, low, high)
    prose = {"location": location_prose, "experience": years_prose}

    # Per row, an index into the values: a distinct text's position, or (for values
    # taken from the title) len(distinct) + the title's position among the titles read.
    at = {name: positions for name in FIELDS}
    role_b = location_b = pa.nulls(0, pa.string())
    low_b = high_b = np.empty(0)
    from_title = dict.fromkeys(FIELDS, 0)
    if titles is not None:
        title_strings = _strings(titles)
        if len(title_strings) != len(strings):
            raise ValueError(f"{len(title_strings)} titles for {len(strings)} texts")
        missing = {
            "role": ~labelled["role"],
            "location": ~stated(location),
            "experience": np.isnan(low),
        }
        need = np.zeros(len(strings), dtype=bool)
        for name in FIELDS:
            need |= np.append(missing[name], True)[positions]
        need &= title_strings.is_valid().to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(need)
        if len(rows):
            encoded = title_strings.take(pa.array(rows)).dictionary_encode()
            which = encoded.indices.to_numpy(zero_copy_only=False)
            role_b, location_b, low_b, high_b = read_titles(encoded.dictionary)
            found_b = {
                "role": stated(role_b),
                "location": stated(location_b),
                "experience": ~np.isnan(low_b),
            }
            used_b = {}
            for name in FIELDS:
                use = np.append(missing[name], True)[positions[rows]] & found_b[name][which]
                at[name] = positions.copy()
                at[name][rows[use]] = len(distinct) + which[use]
                from_title[name] = int(use.sum())
                used_b[name] = np.zeros(len(encoded.dictionary), dtype=bool)
                used_b[name][which[use]] = True
            # Title values no row uses are dropped: categories hold only values that occur.
            role_b = pc.if_else(pa.array(used_b["role"]), role_b, pa.scalar(None, pa.string()))
            location_b = pc.if_else(
                pa.array(used_b["location"]), location_b, pa.scalar(None, pa.string())
            )
            low_b = np.where(used_b["experience"], low_b, np.nan)
            high_b = np.where(used_b["experience"], high_b, np.nan)

    low_rows, high_rows, ranges, bands = _experience(
        np.concatenate([low, low_b]), np.concatenate([high, high_b]), at["experience"]
    )
    columns = _fields(
        _categorical(pa.concat_arrays([role, role_b]), at["role"]),
        low_rows,
        high_rows,
        ranges,
        _categorical(pa.concat_arrays([location, location_b]), at["location"]),
        bands,
    )
    per_text = np.bincount(positions[positions >= 0], minlength=len(distinct))
    counts = {}
    for name in FIELDS:
        from_label = int(per_text[labelled[name]].sum())
        from_prose = int(per_text[prose[name]].sum()) if name in prose else 0
        told = from_label + from_prose + from_title[name]
        counts[name] = [from_label, from_prose, from_title[name], len(strings) - told]
    sources = pd.DataFrame.from_dict(counts, orient="index", columns=list(SOURCES))
    return JDRead(columns=columns, sources=sources)


#: Headings of the sources table as the Data page shows it.
SOURCE_HEADINGS = {
    "labelled": "JD label",
    "prose": "JD prose",
    "title": "Session title",
    "not stated": "Not stated",
}


def sources_table(sources: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Return the sources of the JD fields as a table for people, and a sentence about it.

    The sentence says how many fields came from JD prose or the session title
    rather than a label, e.g. "58 of 921 fields (6.3%) came from JD prose or
    the session title; 33 are not stated anywhere."
    """
    table = sources.rename(columns=SOURCE_HEADINGS, index=str.capitalize)
    table.index.name = "Field"
    read = int(sources[["prose", "title"]].to_numpy().sum())
    total = int(sources.to_numpy().sum())
    missing = int(sources["not stated"].sum())
    share = f" ({read / total:.1%})" if total else ""
    sentence = (
        f"{read:,} of {total:,} fields{share} came from JD prose or the session title "
        f"rather than a label; {missing:,} {'is' if missing == 1 else 'are'} not stated anywhere."
    )
    return table.reset_index(), sentence


def experience_band(label: str) -> str | None:
    """Return the band of a range written as text ("5-9 yrs", "5+ years", "4") or None.

    A band label is its own band; old links name ranges ("exp=5-9 yrs"), which
    are placed like a JD's range, by the lower bound.
    """
    text = label.strip()
    if text in BAND_LABELS:
        return text
    match = _RANGE_LABEL.fullmatch(text)
    if match is None:
        return None
    return _band_of(float(match[1]))


_RANGE_LABEL = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:\+|[-–—]\s*\d+(?:\.\d+)?|to\s*\d+(?:\.\d+)?)?\s*\+?\s*"
    r"(?:years?|yrs?)?",
    re.IGNORECASE,
)


def _band_of(low: float) -> str:
    return BAND_LABELS[max(0, int(np.searchsorted(_BAND_LOWS, low, side="right")) - 1)]


def _fields(
    role: pd.Series,
    low: pd.Series,
    high: pd.Series,
    ranges: pd.Series,
    location: pd.Series,
    band: pd.Series,
) -> dict[str, pd.Series]:
    return {
        "role": role,
        "exp_min_years": low,
        "exp_max_years": high,
        "exp_range": ranges,
        "location": location,
        "experience": band,
    }


def _strings(texts: pa.Array | pa.ChunkedArray | pd.Series | list[str | None]) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    elif isinstance(texts, pd.Series):
        texts = pa.array(texts.array, from_pandas=True)
    elif not isinstance(texts, pa.Array):
        texts = pa.array(texts, pa.string())
    if not pa.types.is_string(texts.type):
        texts = texts.cast(pa.string())
    return texts


def _categorical(value: pa.Array, positions: np.ndarray) -> pd.Series:
    """Return each row's trimmed value as a categorical, missing where there is none."""
    encoded = trimmed(value).dictionary_encode()
    order = pc.sort_indices(encoded.dictionary).to_numpy(zero_copy_only=False)
    rank = np.full(len(order) + 1, -1, dtype="int64")  # the last slot maps null (-1) to -1
    rank[order] = np.arange(len(order))
    codes = rank[pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)]
    names = encoded.dictionary.take(pa.array(order))
    return _spread_categorical(codes, names, positions)


def _experience(
    low: np.ndarray, high: np.ndarray, positions: np.ndarray
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Return each row's min years, max years, range ("1-5 yrs", "3+ yrs", "5 yrs") and band."""
    # Ranges are few: label each distinct (min, max) once; complex numbers sort by
    # real then imaginary part, which is the range order (open-ended last).
    known = ~np.isnan(low)
    keys = low[known].astype("complex128")
    keys.imag = np.nan_to_num(high[known], nan=np.inf)  # (1j * inf would be nan + inf j)
    pairs, inverse = np.unique(keys, return_inverse=True)
    codes = np.full(len(low), -1, dtype="int64")
    codes[known] = inverse.ravel()
    names = [_band(pair.real, pair.imag) for pair in pairs]
    # The bands the ranges fall in, in band order, only those that occur.
    band_of_pair = np.searchsorted(_BAND_LOWS, pairs.real, side="right") - 1
    present = np.unique(np.maximum(band_of_pair, 0))
    band_codes = np.append(np.searchsorted(present, np.maximum(band_of_pair, 0)), -1)[codes]

    values = (np.append(low, np.nan)[positions], np.append(high, np.nan)[positions])
    return (
        pd.Series(values[0], dtype="float64"),
        pd.Series(values[1], dtype="float64"),
        _spread_categorical(codes, names, positions),
        _spread_categorical(band_codes, [BAND_LABELS[b] for b in present], positions),
    )


def _band(low: float, high: float) -> str:
    def years(x: float) -> str:
        return str(int(x)) if x.is_integer() else str(x)

    if np.isinf(high):
        return f"{years(low)}+ yrs"
    if low == high:
        return f"{years(low)} yrs"
    return f"{years(low)}-{years(high)} yrs"


def _spread_categorical(
    codes: np.ndarray, names: list[str] | pa.Array, positions: np.ndarray
) -> pd.Series:
    """Return the categorical of each row from codes per distinct text (position -1: missing)."""
    codes = np.append(codes, -1)[positions]
    categories = pd.Index(pd.array(names, dtype="str"))  # from Arrow: no Python strings
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False))
