"""Role, experience and location read from the free-text job description (JD).

Only labelled fields are read ("Job Title: X", "Experience - 3+ years",
"location: Pune"), in any order, separated by commas, pipes, semicolons, new
lines or ". "; a value also ends where a sentence does ("Location: Pune. Must
know React" is Pune), though not at an initial or a usual abbreviation
("Sr. Engineer", "St. Louis"). Prose such as "hiring a data engineer in Pune
with 5+ years" yields missing values: a wrong guess on a dashboard is worse
than a gap.

The patterns run through ``pyarrow.compute`` (RE2), without capture groups
where they can (RE2 fills captures in several times slower than it finds a
match), on each half of the texts in its own thread, and on the distinct texts
only when texts repeat: a million sessions that reuse a few thousand JDs cost
a few thousand matches.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Where a labelled field may begin: start of text or after a field separator,
# then optional bullet or markdown emphasis ("- ", "* ", "**").
_START = r"(?:^|[,|;\n\r]|\.\s)[\s*_•#>-]*"
# Between label and value: ":" (also ":-"), or a dash with a space on either
# side, so "Role-based access" is not read as a role.
_SEP = r"[*_]*(?:\s*:[\s*_]*(?:[-–—]\s*)?|\s*[-–—]\s+|\s+[-–—]\s*)"
_ROLE_LABEL = r"(?:job\s*title|job\s*role|role|position|designation|title)"
_EXPERIENCE_LABEL = r"(?:(?:total\s+|work\s+|relevant\s+)?(?:experience|exp)(?:\s+required)?)"
_LOCATION_LABEL = r"(?:(?:job\s+|work\s+)?locations?)"
_ANY_LABEL = f"(?:{_ROLE_LABEL}|{_EXPERIENCE_LABEL}|{_LOCATION_LABEL})"
# A value runs to the next separator; within it, a further label ("Pune.
# Experience: 5 years") starts the next field and is cut off afterwards
# (one greedy match plus a cut on the short values is far cheaper in RE2
# than a lazy match that tries every label at every character).
_VALUE = r"[^,|;\n\r]*"
_NEXT_LABEL = rf"(?i)\s{_ANY_LABEL}[*_]*{_SEP}.*"
# A ". " ends a value too ("Pune. Must know React"), except after an initial or
# a usual abbreviation ("Sr. Engineer", "St. Louis", "U.S. Remote").
_ABBREVIATIONS = (
    "sr", "snr", "jr", "jnr", "st", "dr", "mr", "mrs", "ms", "mt", "ft", "no",
    "asst", "assoc", "mgr", "dept", "govt", "intl", "approx", "vs", "pvt",
)  # fmt: skip
_ABBREVIATION = rf"(?:{'|'.join(_ABBREVIATIONS)}|[^\W\d_])"
# Where a value ends: leftmost first, an abbreviation's dot (group 1) is put back
# and the scan goes on; a sentence's ". " or a further label drops the rest.
_VALUE_END = rf"(?i)(\b{_ABBREVIATION}\. )|\. .*|\s{_ANY_LABEL}[*_]*{_SEP}.*"
# The values _value_end's fast cut leaves ending in an abbreviation: cut again exactly.
_ENDS_IN_ABBREVIATION = rf"(?i)\b{_ABBREVIATION}$"

# Where a role or location value starts (the label and its separator), and the
# whole field: _label_value reads the first without RE2 captures, the second is
# what it must equal.
_ROLE_HEAD = rf"(?i){_START}{_ROLE_LABEL}{_SEP}"
_LOCATION_HEAD = rf"(?i){_START}{_LOCATION_LABEL}{_SEP}"
_ROLE = rf"{_ROLE_HEAD}(?P<value>{_VALUE})"
_LOCATION = rf"{_LOCATION_HEAD}(?P<value>{_VALUE})"
_NUMBER = r"\d+(?:\.\d+)?"
_EXPERIENCE = (
    rf"(?i){_START}{_EXPERIENCE_LABEL}{_SEP}(?:min(?:imum)?\.?\s*)?"
    rf"(?P<low>{_NUMBER})\s*(?:(?P<plus>\+)|(?:[-–—]|to)\s*(?P<high>{_NUMBER}))?"
    r"\s*\+?\s*(?P<unit>[a-z]*)"
)

# What is trimmed from the end of a value.
_TRIM = " \t\r\n\u00a0.*_"

#: Below this share of distinct texts in a sample, matching the distinct texts
#: only (after a hash pass over all) beats matching every text.
_DISTINCT_SHARE = 0.9
_SAMPLE = 1024
#: Below this much distinct text, starting threads costs more than the matching they share.
_THREADED_BYTES = 1 << 20


def parse_jd(
    texts: pa.Array | pa.ChunkedArray | pd.Series | list[str | None],
) -> dict[str, pd.Series]:
    """Return the fields read from each JD text, keyed like the sessions frame's columns.

    ``role`` and ``location`` are whitespace-trimmed categoricals,
    ``exp_min_years``/``exp_max_years`` are float64 and ``experience`` is a band
    label ("1-5 yrs", "3+ yrs", "5 yrs") whose categories are ordered by years.
    Each Series has a default RangeIndex, one row per text; missing where the
    text does not say.
    """
    distinct, positions = _distinct(_strings(texts))
    if distinct.nbytes < _THREADED_BYTES:
        role, location, experience = _matches(distinct)
    else:
        # RE2 and the other arrow kernels release the GIL: each half of the texts is
        # read in its own thread, all three fields at once.
        half = len(distinct) // 2
        with ThreadPoolExecutor(max_workers=2) as pool:
            halves = list(pool.map(_matches, [distinct[:half], distinct[half:]]))
        role, location, experience = (pa.concat_arrays(f) for f in zip(*halves, strict=True))
    low, high, band = _experience(experience, positions)
    return _fields(
        _categorical(role, positions), low, high, _categorical(location, positions), band
    )


def _matches(texts: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The regex work: role and location values (see _label_value), experience matches."""
    return (
        _value_end(_label_value(texts, _ROLE_HEAD)),
        _value_end(_label_value(texts, _LOCATION_HEAD)),
        pc.extract_regex(texts, _EXPERIENCE),
    )


def _fields(
    role: pd.Series, low: pd.Series, high: pd.Series, location: pd.Series, band: pd.Series
) -> dict[str, pd.Series]:
    return {
        "role": role,
        "exp_min_years": low,
        "exp_max_years": high,
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


def _distinct(texts: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Return the texts to match and, per row, its position among them (-1 for null).

    Sessions usually reuse a few JDs, so the texts are dictionary-encoded and
    each distinct text is matched once; when a sample says nearly all texts
    differ, the hash pass would cost more than it saves and every text is matched.
    """
    n = len(texts)
    sample = texts.take(pa.array(np.linspace(0, n - 1, min(n, _SAMPLE), dtype="int64")))
    if n > _SAMPLE and pc.count_distinct(sample).as_py() >= _DISTINCT_SHARE * len(sample):
        positions = np.arange(n)
        return texts, np.where(texts.is_null().to_numpy(zero_copy_only=False), -1, positions)
    encoded = texts.dictionary_encode()
    return encoded.dictionary, pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)


def _categorical(value: pa.Array, positions: np.ndarray) -> pd.Series:
    """Return each row's trimmed value as a categorical, missing where there is none."""
    value = pc.utf8_ltrim_whitespace(pc.utf8_rtrim(value, characters=_TRIM))
    value = pc.if_else(pc.equal(value, ""), pa.scalar(None, pa.string()), value)

    encoded = value.dictionary_encode()
    order = pc.sort_indices(encoded.dictionary).to_numpy(zero_copy_only=False)
    rank = np.full(len(order) + 1, -1, dtype="int64")  # the last slot maps null (-1) to -1
    rank[order] = np.arange(len(order))
    codes = rank[pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)]
    names = encoded.dictionary.take(pa.array(order))
    return _spread_categorical(codes, names, positions)


def _label_value(texts: pa.Array, head: str) -> pa.Array:
    """What ``extract_regex(texts, head + "(?P<value>" + _VALUE + ")")`` reads, faster.

    RE2 finds a pattern without captures several times faster than it fills one
    in, so the first label is found by a split on ``head`` and the value read from
    the start of what follows. As the value may be empty, the field's first match
    starts where the head's first match does and both take the same head.
    """
    parts = pc.split_pattern_regex(texts, head, max_splits=1)
    found = pc.fill_null(pc.equal(pc.list_value_length(parts), 2), False)
    rest = pc.list_element(parts.filter(found), 1)
    value = pc.struct_field(pc.extract_regex(rest, rf"^(?P<value>{_VALUE})"), "value")
    return pc.replace_with_mask(pa.nulls(len(texts), pa.string()), found, value)


def _value_end(value: pa.Array) -> pa.Array:
    """Each value up to where it ends (see _VALUE_END), without RE2 captures where it can.

    Capture groups make RE2 several times slower, so every value is cut at its
    first ". " (a literal split) and then at a further label; only the few
    values that this leaves ending in an abbreviation are cut again exactly.
    """
    cut = pc.list_element(pc.split_pattern(value, ". ", max_splits=1), 0)
    cut = pc.replace_substring_regex(cut, _NEXT_LABEL, "")
    again = pc.fill_null(pc.match_substring_regex(cut, _ENDS_IN_ABBREVIATION), False)
    if pc.any(again).as_py():
        exact = pc.replace_substring_regex(value.filter(again), _VALUE_END, r"\1")
        cut = pc.replace_with_mask(cut, again, exact)
    return cut


def _experience(
    match: pa.Array, positions: np.ndarray
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return min years, max years and the band ("1-5 yrs", "3+ yrs", "5 yrs") of each row."""
    # "3 months" is not three years; any other word after the number is not a unit we read.
    unit = pc.utf8_lower(pc.struct_field(match, "unit"))
    in_years = _numpy(pc.or_(pc.equal(unit, ""), pc.starts_with(unit, "y")), False)
    low = _numpy(pc.cast(_non_empty(pc.struct_field(match, "low")), pa.float64()), np.nan)
    high = _numpy(pc.cast(_non_empty(pc.struct_field(match, "high")), pa.float64()), np.nan)
    plus = _numpy(pc.equal(pc.struct_field(match, "plus"), "+"), False)
    low = np.where(in_years, low, np.nan)
    # "5 years" is the band 5-5; "5+ years" has no upper bound.
    high = np.where(np.isnan(high) & ~plus, low, np.where(in_years, high, np.nan))

    # Bands are few: label each distinct (min, max) once; complex numbers sort by
    # real then imaginary part, which is the band order (open-ended last).
    known = ~np.isnan(low)
    keys = low[known].astype("complex128")
    keys.imag = np.nan_to_num(high[known], nan=np.inf)  # (1j * inf would be nan + inf j)
    pairs, inverse = np.unique(keys, return_inverse=True)
    codes = np.full(len(low), -1, dtype="int64")
    codes[known] = inverse.ravel()
    names = [_band(pair.real, pair.imag) for pair in pairs]

    values = (np.append(low, np.nan)[positions], np.append(high, np.nan)[positions])
    return (
        pd.Series(values[0], dtype="float64"),
        pd.Series(values[1], dtype="float64"),
        _spread_categorical(codes, names, positions),
    )


def _band(low: float, high: float) -> str:
    def years(x: float) -> str:
        return str(int(x)) if x.is_integer() else str(x)

    if np.isinf(high):
        return f"{years(low)}+ yrs"
    if low == high:
        return f"{years(low)} yrs"
    return f"{years(low)}-{years(high)} yrs"


def _numpy(values: pa.Array, fill: object) -> np.ndarray:
    return pc.fill_null(values, fill).to_numpy(zero_copy_only=False)


def _non_empty(values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)


def _spread_categorical(
    codes: np.ndarray, names: list[str] | pa.Array, positions: np.ndarray
) -> pd.Series:
    """Return the categorical of each row from codes per distinct text (position -1: missing)."""
    codes = np.append(codes, -1)[positions]
    categories = pd.Index(pd.array(names, dtype="str"))  # from Arrow: no Python strings
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False))
