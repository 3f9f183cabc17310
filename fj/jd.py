"""Role, experience and location read from the job description (JD) and the session title.

Labelled fields come first and are exact ("Job Title: X", "Experience - 3+ years",
"location: Pune"), in any order, separated by commas, pipes, semicolons, new
lines or ". "; a value also ends where a sentence does ("Location: Pune. Must
know React" is Pune), though not at an initial or a usual abbreviation
("Sr. Engineer", "St. Louis").

Only what the labels leave missing is read from elsewhere, on those texts only:
location and experience from common prose ("in Mumbai", "based in Pune",
"remote role", "4-8 years", "5+ yrs of experience", "at least 3 years"), then
role, location and experience from the session title ("Data Engineer - Berlin
(5+ yrs)"). Prose is read cautiously: a place needs a cue word or must be a
known place after "in"/"at"/a dash; a single number of years needs "experience"
after it, "at least" before it, or parentheses; "5 years ago" and "a 2-year
contract" are not experience. What nothing states stays missing.

Experience is kept twice: ``exp_range`` is the range as the JD says it ("4-8
yrs") and ``experience`` is one of a few bands a person picks from
(:data:`EXPERIENCE_BANDS`), placed by the range's lower bound, the fewest years
the JD asks for.

The patterns run through ``pyarrow.compute`` (RE2), without capture groups
where they can (RE2 fills captures in several times slower than it finds a
match), on each half of the texts in its own thread, and on the distinct texts
only when texts repeat: a million sessions that reuse a few thousand JDs cost
a few thousand matches.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

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

# --- prose and titles: read only where the labels leave a field missing ------

#: Places read from prose without a cue word ("in Mumbai", "– Pune", "(Berlin)") and from a
#: title's end ("Data Engineer - Berlin"); any capitalised place is read after a cue
#: ("based in Coimbatore"). Spelled as shown; matched in any case.
PLACES: tuple[str, ...] = (
    "Pune", "Bengaluru", "Bangalore", "Hyderabad", "Mumbai", "Navi Mumbai", "Thane",
    "Chennai", "Gurugram", "Gurgaon", "Noida", "Greater Noida", "Delhi", "New Delhi",
    "Delhi NCR", "NCR", "Kolkata", "Ahmedabad", "Jaipur", "Kochi", "Cochin", "Chandigarh",
    "Indore", "Coimbatore", "Thiruvananthapuram", "Trivandrum", "Mysuru", "Mysore", "Nagpur",
    "Lucknow", "Bhubaneswar", "Vadodara", "Visakhapatnam", "Goa", "Mangaluru", "Surat",
    "London", "Manchester", "Edinburgh", "Dublin", "Berlin", "Munich", "München",
    "Frankfurt", "Hamburg", "Amsterdam", "Paris", "Madrid", "Barcelona", "Lisbon", "Zurich",
    "Stockholm", "Warsaw", "Dubai", "Abu Dhabi", "Riyadh", "Doha", "Singapore",
    "Kuala Lumpur", "Jakarta", "Manila", "Bangkok", "Hong Kong", "Tokyo", "Sydney",
    "Melbourne", "Toronto", "Vancouver", "New York", "San Francisco", "Seattle", "Austin",
    "Boston", "Chicago", "St. Louis",
)  # fmt: skip
_PLACE_NAMES = {place.casefold(): place for place in PLACES}
_PLACE = "(?:{})".format(
    "|".join(
        p.replace(".", r"\.").replace(" ", r"\s+") for p in sorted(PLACES, key=len, reverse=True)
    )
)
# Prose patterns without a "(?i)" run on lowercased text: RE2 compiles a case-folded
# alternation of many places slowly, and pyarrow compiles a pattern on every call.
_PLACE_LOWER = _PLACE.lower()
# Latin letters only: RE2 compiles Unicode classes (\p{Lu}) slowly, on every call.
_WORD = r"[A-Z\x{C0}-\x{DE}][A-Za-z\x{C0}-\x{24F}'’.-]*"
_CAPITALISED = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
# A place after a cue word, in any case: "based in Pune", "office at St. Louis".
_CUE_PLACE = (
    r"(?i:\b(?:based|located|situated|headquartered|on-?site|in-office|offices?|relocat(?:e|ion))"
    r"\s+(?:in|at|to|out\s+of)\s+)(?P<place>" + _CAPITALISED + ")"
)
# A known place after "in"/"at"/"from", a dash, a comma or a bracket ("team in Pune",
# "needed – Mumbai"), before "office"/"team" ("our Noida office"), or "Pune-based team".
# Not at the start and not "Pune-based client": that is the client's city.
_KNOWN_PLACE = (
    r"(?:\b(?:in|at|from|near|around)\s+|[–—|(,]\s*|\s-\s+)(?P<place>" + _PLACE_LOWER + r")\b"
    r"|\b(?:our|the|a|an)\s+(?P<office>" + _PLACE_LOWER + r")[\s-](?:based\s+)?"
    r"(?:office|team|hub|centre|center|campus|branch)\b"
    r"|\b(?P<based>" + _PLACE_LOWER + r")-based\s+(?:team|role|position|job|office|hub)\b"
)
# The role itself is remote ("remote role", "fully remote", "remotely", "(Remote)");
# "remote teams" and "remote sensing" are not.
_REMOTE = (
    r"\b(?:fully|completely|permanently)[ -]remote\b|100%\s*remote\b|\bremote(?:ly\b|"
    r"[ -](?:role|position|job|opening|opportunity|work|working|first|only|friendly)\b|"
    r"\s*(?:[,.;)|/]|$))|\bwork(?:ing)?\s+from\s+home\b|\bwfh\b"
)
_N = r"\d{1,2}(?:\.\d{1,2})?"
_TO = r"(?:-|–|—|to)"
_YEARS = r"(?:years?|yrs?)\b"
# Numbers of years that are not the experience asked for: removed before reading.
_NOT_EXPERIENCE = (
    rf"\b(?:last|past|next|since|within|for\s+over|aged?|ages)\s*(?:limit|between|of)?"
    rf"\s*[:-]?\s*{_N}(?:\s*{_TO}\s*{_N})?\s*\+?\s*{_YEARS}"
    rf"|{_N}(?:\s*{_TO}\s*{_N})?\s*\+?\s*{_YEARS}\s+(?:ago|old|back|later|earlier|running|"
    r"in\s+business|of\s+(?:age|history|legacy|operations?|excellence|trust)|contract|"
    r"warranty|lease|tenure|term)\b"
)
# The experience a prose text asks for, its first mention: a range ("4-8 years"), an
# open range ("5+ yrs", "at least 3 years", "3 years or more"), or one number that reads
# as experience ("3 years of experience", "experience of 3 years", "(5 years)", ", 5 years.").
_PROSE_YEARS = (
    rf"(?P<rlow>{_N})\s*{_TO}\s*(?P<rhigh>{_N})\s*\+?\s*{_YEARS}"
    rf"|(?P<plow>{_N})\s*(?:\+\s*{_YEARS}|{_YEARS}\s*(?:\+|or\s+more\b|and\s+above\b|plus\b|"
    rf"min(?:imum)?\b)|\s+or\s+more\s+{_YEARS})"
    rf"|(?:at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|no\s+less\s+than|upwards\s+of)"
    rf"\s*(?P<alow>{_N})\s*\+?\s*{_YEARS}"
    rf"|(?P<elow>{_N})\s*{_YEARS}(?:\s+of)?(?:\s+[\w-]+){{0,3}}?\s+(?:experience|exp)\b"
    rf"|(?:experience|exp)\s+(?:of\s+)?(?:about\s+|around\s+)?(?P<xlow>{_N})\s*{_YEARS}"
    rf"|[(,–—]\s*(?P<qlow>{_N})\s*{_YEARS}\s*(?:[.;,)]|$)"
)
# A title's noise: gender markers ("(m/w/d)", "(H/F)"), urgency ("(urgent)", "Hiring: ").
_TITLE_NOISE = (
    r"(?i)\s*[(\[]\s*(?:[mwfhd]\s*/\s*[mwfhd](?:\s*/\s*[dx])?|all\s+genders?)\s*[)\]]",
    r"(?i)\s*[(\[]\s*(?:urgent(?:ly)?(?:\s+(?:hiring|requirement|opening))?|immediate"
    r"(?:\s+joiners?)?|asap|hot|new)\s*[)\]]",
    r"(?i)^\s*(?:urgent(?:ly)?(?:\s+(?:hiring|requirement|opening))?|(?:we\s*(?:'|’)?re|we\s+are"
    r"|now)\s+hiring|hiring|immediate\s+(?:opening|joiners?)|job\s+opening|opening|wanted)"
    r"\s*(?:for\b|[:!|–—-])\s*",
    r"(?i)\s*[-–—|:]\s*(?:urgent(?:ly)?|immediate(?:\s+joiners?)?|asap)\s*$",
)
_TITLE_YEARS = rf"(?i)(?P<low>{_N})\s*(?:{_TO}\s*(?P<high>{_N})|(?P<plus>\+))?\s*\+?\s*{_YEARS}"
_TITLE_YEARS_PART = (
    rf"(?i)\s*[-–—|,:(\[]*\s*{_N}\s*(?:{_TO}\s*{_N})?\s*\+?\s*{_YEARS}\.?"
    r"(?:\s*(?:of\s+)?exp(?:erience)?\.?)?\s*[)\]]?"
)
_TITLE_PLACE = (
    r"(?i)^(?P<role>.*?)(?:\s*[-–—|@,/:]\s*|\s+(?:at|in)\s+|\s*\(\s*)"
    r"(?P<place>" + _PLACE + r"|remote)\s*\)?\s*$"
)
_EDGES = " \t\r\n\u00a0-–—|:,;/@"


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
    distinct, positions = _distinct(strings)
    if distinct.nbytes < _THREADED_BYTES:
        role, location, experience = _matches(distinct)
    else:
        # RE2 and the other arrow kernels release the GIL: each half of the texts is
        # read in its own thread, all three fields at once.
        half = len(distinct) // 2
        with ThreadPoolExecutor(max_workers=2) as pool:
            halves = list(pool.map(_matches, [distinct[:half], distinct[half:]]))
        role, location, experience = (pa.concat_arrays(f) for f in zip(*halves, strict=True))
    role, location = _trimmed(role), _trimmed(location)
    low, high = _labelled_years(experience)
    labelled = {
        "role": _valid(role),
        "location": _valid(location),
        "experience": ~np.isnan(low),
    }
    location, location_prose = _prose_location(distinct, location)
    low, high, years_prose = _prose_years(distinct, low, high)
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
            "location": ~_valid(location),
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
            role_b, location_b, low_b, high_b = _read_titles(encoded.dictionary)
            found_b = {
                "role": _valid(role_b),
                "location": _valid(location_b),
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
        stated = from_label + from_prose + from_title[name]
        counts[name] = [from_label, from_prose, from_title[name], len(strings) - stated]
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


def _matches(texts: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The regex work: role and location values (see _label_value), experience matches."""
    return (
        _value_end(_label_value(texts, _ROLE_HEAD)),
        _value_end(_label_value(texts, _LOCATION_HEAD)),
        pc.extract_regex(texts, _EXPERIENCE),
    )


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


def _trimmed(value: pa.Array) -> pa.Array:
    """Each value without the spaces and marks around it; null where nothing is left."""
    value = pc.utf8_ltrim_whitespace(pc.utf8_rtrim(value, characters=_TRIM))
    return pc.if_else(pc.equal(value, ""), pa.scalar(None, pa.string()), value)


def _valid(values: pa.Array) -> np.ndarray:
    return values.is_valid().to_numpy(zero_copy_only=False)


def _missing_part(texts: pa.Array, missing: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    where = np.flatnonzero(missing)
    return where, texts.take(pa.array(where))


def _prose_location(texts: pa.Array, location: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Fill the missing locations from prose; return them and where prose gave one."""
    where, part = _missing_part(texts, ~_valid(location))
    found = np.zeros(len(texts), dtype=bool)
    if not len(where):
        return location, found
    place = _read_place(part)
    got = _valid(place)
    found[where[got]] = True
    mask = np.zeros(len(texts), dtype=bool)
    mask[where] = True
    return pc.replace_with_mask(location, pa.array(mask), place), found


def _read_place(texts: pa.Array) -> pa.Array:
    """The place a prose text names: after a cue, else "Remote" when the role is, else a
    known place after "in"/"at"/a dash; null when none."""
    cue = pc.struct_field(_extract(texts, _CUE_PLACE), "place")
    place = _trimmed(_value_end(cue))  # "based in Pune. You bring" is Pune; "St. Louis" stays
    left = ~_valid(place)
    lower = pc.utf8_lower(texts)  # for the patterns written in lowercase
    if left.any():
        remote = _numpy(pc.match_substring_regex(lower, _REMOTE), False) & left
        place = pc.if_else(pa.array(remote), pa.scalar("Remote"), place)
        left &= ~remote
    if left.any():
        where = np.flatnonzero(left)
        match = _extract(lower.take(pa.array(where)), _KNOWN_PLACE)
        known = pc.coalesce(
            *(_non_empty(pc.struct_field(match, name)) for name in ("place", "office", "based"))
        )
        mask = np.zeros(len(texts), dtype=bool)
        mask[where] = True
        place = pc.replace_with_mask(place, pa.array(mask), _known_place(known))
    return place


def _extract(texts: pa.Array, pattern: str) -> pa.StructArray:
    """What ``extract_regex(texts, pattern)`` gives, the captures filled in only where a
    capture-free match (several times cheaper in RE2) finds the pattern."""
    hit = pc.fill_null(pc.match_substring_regex(texts, pattern), False).to_numpy(
        zero_copy_only=False
    )
    if hit.all():
        return pc.extract_regex(texts, pattern)
    found = pc.extract_regex(texts.filter(pa.array(hit)), pattern)
    at = np.cumsum(hit) - 1  # each hit's position among the hits; the rest read a null
    return found.take(pa.array(at, mask=~hit))


def _known_place(found: pa.Array) -> pa.Array:
    """Places as PLACES spells them ("in MUMBAI" is Mumbai); null where none was found."""
    spaced = pc.replace_substring_regex(pc.utf8_lower(found), r"\s+", " ")
    names = pa.array(list(_PLACE_NAMES), pa.string())
    index = pc.index_in(spaced, value_set=names)
    return pc.take(pa.array(list(_PLACE_NAMES.values()), pa.string()), index)


def _prose_years(
    texts: pa.Array, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fill the missing years from prose; return low, high and where prose gave them."""
    where, part = _missing_part(texts, np.isnan(low))
    found = np.zeros(len(texts), dtype=bool)
    if not len(where):
        return low, high, found
    part = pc.utf8_lower(part)  # the patterns are written in lowercase
    trap = pc.fill_null(pc.match_substring_regex(part, _NOT_EXPERIENCE), False)
    if pc.any(trap).as_py():
        cleaned = pc.replace_substring_regex(part.filter(trap), _NOT_EXPERIENCE, " ")
        part = pc.replace_with_mask(part, trap, cleaned)
    match = _extract(part, _PROSE_YEARS)

    def number(name: str) -> np.ndarray:
        value = pc.cast(_non_empty(pc.struct_field(match, name)), pa.float64())
        return _numpy(value, np.nan)

    ranged, exact = number("rlow"), number("elow")
    open_low = np.fmin(number("plow"), number("alow"))  # fmin: the number that is there
    for name in ("xlow", "qlow"):
        exact = np.fmin(exact, number(name))
    part_low = np.fmin(np.fmin(ranged, open_low), exact)
    part_high = np.where(
        ~np.isnan(ranged), number("rhigh"), np.where(~np.isnan(open_low), np.nan, exact)
    )
    low, high = low.copy(), high.copy()
    low[where], high[where] = part_low, part_high
    found[where[~np.isnan(part_low)]] = True
    return low, high, found


def _read_titles(titles: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Role, place and years a session title gives: "Sr. Data Engineer - Pune (5+ yrs)"."""
    text = titles
    for pattern in _TITLE_NOISE:
        text = pc.replace_substring_regex(text, pattern, "")
    years = pc.extract_regex(text, _TITLE_YEARS)
    low, high = _years(years)
    text = pc.replace_substring_regex(text, _TITLE_YEARS_PART, "")
    placed = pc.extract_regex(text, _TITLE_PLACE)
    has_place = _numpy(placed.is_valid(), False)
    role = pc.if_else(pa.array(has_place), pc.struct_field(placed, "role"), text)
    role = pc.utf8_trim(role, characters=_EDGES)
    # A title without a letter ("#123", "---") names no role.
    bare = pc.replace_substring_regex(role, r"[\s\d[:punct:]]+", "")
    role = pc.if_else(pc.equal(bare, ""), pa.scalar(None, pa.string()), role)
    place = pc.struct_field(placed, "place")
    place = pc.if_else(
        pc.equal(pc.utf8_lower(place), "remote"), pa.scalar("Remote"), _known_place(place)
    )
    return _trimmed(role), place, low, high


def _labelled_years(match: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Min and max years of each labelled experience match (NaN where none, or not years)."""
    # "3 months" is not three years; any other word after the number is not a unit we read.
    unit = pc.utf8_lower(pc.struct_field(match, "unit"))
    in_years = _numpy(pc.or_(pc.equal(unit, ""), pc.starts_with(unit, "y")), False)
    low, high = _years(match)
    return np.where(in_years, low, np.nan), np.where(in_years, high, np.nan)


def _years(match: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Low and high of a match with ``low``, ``high`` and ``plus`` groups."""
    low = _numpy(pc.cast(_non_empty(pc.struct_field(match, "low")), pa.float64()), np.nan)
    high = _numpy(pc.cast(_non_empty(pc.struct_field(match, "high")), pa.float64()), np.nan)
    plus = _numpy(pc.equal(pc.struct_field(match, "plus"), "+"), False)
    # "5 years" is the range 5-5; "5+ years" has no upper bound.
    return low, np.where(np.isnan(high) & ~plus, low, high)


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
    encoded = _trimmed(value).dictionary_encode()
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
