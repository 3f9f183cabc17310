"""What a JD's labels leave missing, read from its prose and from the session title.

Only what a JD's labels leave missing is read here, and only on those texts:
location and experience from common prose ("in Mumbai", "based in Pune",
"remote role", "4-8 years", "5+ yrs of experience", "at least 3 years"), then
role, location and experience from the session title ("Data Engineer - Berlin
(5+ yrs)"). Prose is read cautiously: a place needs a cue word or must be a
known place after "in"/"at"/a dash; a single number of years needs "experience"
after it, "at least" before it, or parentheses; "5 years ago" and "a 2-year
contract" are not experience. What nothing states stays missing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fj.jd.labels import as_numpy, non_empty, stated, trimmed, value_end, years

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


def _missing_part(texts: pa.Array, missing: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    where = np.flatnonzero(missing)
    return where, texts.take(pa.array(where))


def prose_location(texts: pa.Array, location: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Fill the missing locations from prose; return them and where prose gave one."""
    where, part = _missing_part(texts, ~stated(location))
    found = np.zeros(len(texts), dtype=bool)
    if not len(where):
        return location, found
    place = _read_place(part)
    got = stated(place)
    found[where[got]] = True
    mask = np.zeros(len(texts), dtype=bool)
    mask[where] = True
    return pc.replace_with_mask(location, pa.array(mask), place), found


def _read_place(texts: pa.Array) -> pa.Array:
    """The place a prose text names: after a cue, else "Remote" when the role is, else a
    known place after "in"/"at"/a dash; null when none."""
    cue = pc.struct_field(pc.extract_regex(texts, _CUE_PLACE), "place")
    place = trimmed(value_end(cue))  # "based in Pune. You bring" is Pune; "St. Louis" stays
    left = ~stated(place)
    lower = pc.utf8_lower(texts)  # for the patterns written in lowercase
    if left.any():
        remote = as_numpy(pc.match_substring_regex(lower, _REMOTE), False) & left
        place = pc.if_else(pa.array(remote), pa.scalar("Remote"), place)
        left &= ~remote
    if left.any():
        where = np.flatnonzero(left)
        match = pc.extract_regex(lower.take(pa.array(where)), _KNOWN_PLACE)
        known = pc.coalesce(
            *(non_empty(pc.struct_field(match, name)) for name in ("place", "office", "based"))
        )
        mask = np.zeros(len(texts), dtype=bool)
        mask[where] = True
        place = pc.replace_with_mask(place, pa.array(mask), _known_place(known))
    return place


def _known_place(found: pa.Array) -> pa.Array:
    """Places as PLACES spells them ("in MUMBAI" is Mumbai); null where none was found."""
    spaced = pc.replace_substring_regex(pc.utf8_lower(found), r"\s+", " ")
    names = pa.array(list(_PLACE_NAMES), pa.string())
    index = pc.index_in(spaced, value_set=names)
    return pc.take(pa.array(list(_PLACE_NAMES.values()), pa.string()), index)


def prose_years(
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
    match = pc.extract_regex(part, _PROSE_YEARS)

    def number(name: str) -> np.ndarray:
        value = pc.cast(non_empty(pc.struct_field(match, name)), pa.float64())
        return as_numpy(value, np.nan)

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


def read_titles(titles: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Role, place and years a session title gives: "Sr. Data Engineer - Pune (5+ yrs)"."""
    text = titles
    for pattern in _TITLE_NOISE:
        text = pc.replace_substring_regex(text, pattern, "")
    matched = pc.extract_regex(text, _TITLE_YEARS)
    low, high = years(matched)
    text = pc.replace_substring_regex(text, _TITLE_YEARS_PART, "")
    placed = pc.extract_regex(text, _TITLE_PLACE)
    has_place = as_numpy(placed.is_valid(), False)
    role = pc.if_else(pa.array(has_place), pc.struct_field(placed, "role"), text)
    role = pc.utf8_trim(role, characters=_EDGES)
    # A title without a letter ("#123", "---") names no role.
    bare = pc.replace_substring_regex(role, r"[\s\d[:punct:]]+", "")
    role = pc.if_else(pc.equal(bare, ""), pa.scalar(None, pa.string()), role)
    place = pc.struct_field(placed, "place")
    place = pc.if_else(
        pc.equal(pc.utf8_lower(place), "remote"), pa.scalar("Remote"), _known_place(place)
    )
    return trimmed(role), place, low, high
