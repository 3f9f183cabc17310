"""The labelled fields of a JD: "Job Title: X", "Experience - 3+ years", "location: Pune".

Labels are exact and come in any order, separated by commas, pipes,
semicolons, new lines or ". "; a value also ends where a sentence does
("Location: Pune. Must know React" is Pune), though not at an initial or a
usual abbreviation ("Sr. Engineer", "St. Louis"). The patterns run through
``pyarrow.compute`` (RE2) over arrays of texts. Also the small Arrow helpers
the prose and title readers share.
"""

from __future__ import annotations

import numpy as np
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
# Experience: 5 years") starts the next field and is cut off afterwards by value_end
# (one greedy match plus a cut on the short values is far cheaper in RE2
# than a lazy match that tries every label at every character).
_VALUE = r"[^,|;\n\r]*"
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
_ROLE = rf"(?i){_START}{_ROLE_LABEL}{_SEP}(?P<value>{_VALUE})"
_LOCATION = rf"(?i){_START}{_LOCATION_LABEL}{_SEP}(?P<value>{_VALUE})"
_NUMBER = r"\d+(?:\.\d+)?"
_EXPERIENCE = (
    rf"(?i){_START}{_EXPERIENCE_LABEL}{_SEP}(?:min(?:imum)?\.?\s*)?"
    rf"(?P<low>{_NUMBER})\s*(?:(?P<plus>\+)|(?:[-–—]|to)\s*(?P<high>{_NUMBER}))?"
    r"\s*\+?\s*(?P<unit>[a-z]*)"
)

# What is trimmed from the end of a value.
_TRIM = " \t\r\n\u00a0.*_"


def read_labels(texts: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Return the labelled role and location of each text (trimmed, null where none) and the
    fewest and most years its labelled experience asks for (NaN where none, or not in years)."""
    role = pc.struct_field(pc.extract_regex(texts, _ROLE), "value")
    location = pc.struct_field(pc.extract_regex(texts, _LOCATION), "value")
    low, high = _labelled_years(pc.extract_regex(texts, _EXPERIENCE))
    return trimmed(value_end(role)), trimmed(value_end(location)), low, high


def value_end(value: pa.Array) -> pa.Array:
    """Each value up to where it ends: a sentence's ". " or a further label drops the rest;
    an abbreviation's dot ("Sr. Engineer") is put back and the scan goes on."""
    return pc.replace_substring_regex(value, _VALUE_END, r"\1")


def trimmed(value: pa.Array) -> pa.Array:
    """Each value without the spaces and marks around it; null where nothing is left."""
    value = pc.utf8_ltrim_whitespace(pc.utf8_rtrim(value, characters=_TRIM))
    return pc.if_else(pc.equal(value, ""), pa.scalar(None, pa.string()), value)


def stated(values: pa.Array) -> np.ndarray:
    """Where a value was found (not null), as a numpy mask."""
    return values.is_valid().to_numpy(zero_copy_only=False)


def _labelled_years(match: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Min and max years of each labelled experience match (NaN where none, or not years)."""
    # "3 months" is not three years; any other word after the number is not a unit we read.
    unit = pc.utf8_lower(pc.struct_field(match, "unit"))
    in_years = as_numpy(pc.or_(pc.equal(unit, ""), pc.starts_with(unit, "y")), False)
    low, high = years(match)
    return np.where(in_years, low, np.nan), np.where(in_years, high, np.nan)


def years(match: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Low and high of a match with ``low``, ``high`` and ``plus`` groups."""
    low = as_numpy(pc.cast(non_empty(pc.struct_field(match, "low")), pa.float64()), np.nan)
    high = as_numpy(pc.cast(non_empty(pc.struct_field(match, "high")), pa.float64()), np.nan)
    plus = as_numpy(pc.equal(pc.struct_field(match, "plus"), "+"), False)
    # "5 years" is the range 5-5; "5+ years" has no upper bound.
    return low, np.where(np.isnan(high) & ~plus, low, high)


def as_numpy(values: pa.Array, fill: object) -> np.ndarray:
    """The values as numpy, nulls as ``fill``."""
    return pc.fill_null(values, fill).to_numpy(zero_copy_only=False)


def non_empty(values: pa.Array) -> pa.Array:
    """The values with "" made null (an optional capture group that took nothing)."""
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)
