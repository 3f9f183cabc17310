"""Synthetic candidates of a session, for the drill-down endpoints (``/profiles``, details).

Derived from the session record alone (its ``_id``, title and JD), so they are
stable without being stored: the stand-in and the demo serve the same ones.
"""

from __future__ import annotations

import copy
import hashlib
import random

from fj.synthetic.sessions import LOCATIONS, ROLES

_FIRST_NAMES = (
    "Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya", "Rahul", "Meera",
    "Aditya", "Isha", "Karan", "Neha", "Siddharth", "Pooja", "Farhan", "Divya", "Nikhil",
    "Aisha", "Lukas", "Emma", "Omar", "Sofia", "Wei", "Hannah", "Daniel", "Fatima", "James",
    "Chloé",
)  # fmt: skip
_LAST_NAMES = (
    "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Kulkarni", "Deshpande", "Menon",
    "Chatterjee", "Singh", "Joshi", "Rao", "Khan", "Mehta", "Bose", "Fischer", "Müller",
    "Haddad", "Tan", "Lim", "Smith", "O'Connor", "Novak", "Garcia",
)  # fmt: skip
_COMPANIES = (
    "Northwind Systems", "Contoso Technologies", "Fabrikam Digital", "Globex Software",
    "Initech Labs", "Acme Analytics", "Umbrella Health IT", "Wayne Logistics Tech",
    "Tyrell Data", "Cyberdyne Cloud", "Hooli India", "Stark Fintech", "Vandelay Retail Tech",
    "Soylent Foods Digital", "Pied Piper Networks", "Oscorp Engineering",
)  # fmt: skip
_REGIONS = {
    "Pune": "Pune, Maharashtra, India", "Bengaluru": "Bengaluru, Karnataka, India",
    "Hyderabad": "Hyderabad, Telangana, India", "Mumbai": "Mumbai, Maharashtra, India",
    "Chennai": "Chennai, Tamil Nadu, India", "Gurugram": "Gurugram, Haryana, India",
    "Noida": "Noida, Uttar Pradesh, India", "London": "London, England, United Kingdom",
    "Berlin": "Berlin, Germany", "Dubai": "Dubai, United Arab Emirates",
    "Singapore": "Singapore",
}  # fmt: skip
_GENERAL_SKILLS = ("Git", "Agile", "SQL", "Linux", "Communication", "Docker", "REST APIs")
_SENIORITY_YEARS = {"junior": (0, 4), "mid": (2, 9), "senior": (5, 14), "lead": (8, 20)}
_INSTITUTES = (
    "University of Pune", "IIT Bombay", "VIT Vellore", "Anna University", "BITS Pilani",
    "NIT Trichy", "Manipal Institute of Technology", "Delhi University", "TU Berlin",
    "University of Manchester",
)  # fmt: skip
_DEGREES = (
    ("B.E.", "Computer Engineering"), ("B.Tech", "Information Technology"),
    ("M.Tech", "Computer Science"), ("MCA", "Computer Applications"),
    ("B.Sc", "Mathematics"), ("MBA", "Technology Management"),
)  # fmt: skip
_STAR_LABELS = dict(enumerate(("Weak", "Fair", "Good", "Strong", "Excellent"), start=1))

#: The statuses of ``GET /sourcing-session/{id}``, in the order a session goes through them.
SESSION_STATUSES = ("processing", "fetching_more", "done")


def _session_rng(*parts: str) -> random.Random:
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _role_of(session: dict) -> tuple[str, str, tuple[str, ...]]:
    """Return the ROLES entry a session is about (by title or JD), or a generic one."""
    title = str(session.get("sessionTitle", ""))
    text = str((session.get("jdDetail") or {}).get("userText", ""))
    for role in sorted(ROLES, key=lambda r: -len(r[0])):
        if role[0] in text or role[0] in title:
            return role
    return (title or "Software Engineer", "mid", _GENERAL_SKILLS[:6])


def _location_of(session: dict) -> str | None:
    text = str((session.get("jdDetail") or {}).get("userText", ""))
    return next((loc for loc in LOCATIONS if loc in text), None)


def session_status(session: dict, rank: int | None = None) -> str:
    """Return the session's ``profileMatchingStatus``: "processing", "fetching_more" or "done".

    ``rank`` is the session's position in its project, newest first (0 = newest). The
    newest three are still working (processing, then fetching_more); every other one,
    and any session given without a rank, is done.
    """
    if rank is not None and 0 <= rank < 3:
        return SESSION_STATUSES[0] if rank == 0 else SESSION_STATUSES[1]
    return SESSION_STATUSES[2]


def generate_candidates(session: dict, count: int | None = None) -> list[dict]:
    """Return a session's candidates as ``/profiles`` docs, best score first.

    Derived from the session's ``_id`` (and title/JD) alone, so the same session always
    gets the same candidates. ``count`` defaults to ``min(totalProfiles, 200)``.
    """
    if count is None:
        count = min(int(session.get("totalProfiles") or 0), 200)
    session_id = str(session.get("_id", ""))
    role, seniority, skills = _role_of(session)
    location = _location_of(session)
    low, high = _SENIORITY_YEARS[seniority]
    rng = _session_rng("candidates", session_id)
    candidates = []
    for i in range(count):
        years, months = rng.randint(low, high), rng.randint(0, 11)
        score = round(min(5.0, 5 * rng.betavariate(4, 2)), 1)
        own = rng.sample(skills, rng.randint(3, len(skills))) + rng.sample(
            _GENERAL_SKILLS, rng.randint(0, 2)
        )
        region = _REGIONS.get(location or "", rng.choice(list(_REGIONS.values())))
        if rng.random() < 0.2:
            region = rng.choice(list(_REGIONS.values()))
        employers = [
            {"company_name": rng.choice(_COMPANIES), "job_title": title}
            for title in ([role] if rng.random() < 0.8 else [role, f"Consultant, {role}"])
        ]
        candidates.append(
            {
                "_id": hashlib.sha256(f"{session_id}:{i}".encode()).hexdigest()[:24],
                "finalScore": score,
                "profileAnalysis": {
                    "highlights": _highlights(rng, score, own, years, region, location),
                    "recommendation": _recommendation(score),
                },
                "profile": {
                    "name": f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                    "region": region,
                    "years_of_experience_raw": _years_raw(years, months),
                    "skills": own,
                    "current_employers_object": employers,
                },
            }
        )
    candidates.sort(key=lambda c: -c["finalScore"])  # stable: ties keep generation order
    return candidates


def _years_raw(years: int, months: int) -> str:
    parts = []
    if years:
        parts.append(f"{years} year" + ("s" if years != 1 else ""))
    if months or not years:
        parts.append(f"{months} month" + ("s" if months != 1 else ""))
    return " ".join(parts)


def _highlights(
    rng: random.Random, score: float, skills: list[str], years: int, region: str, loc: str | None
) -> list[dict]:
    good = score >= 3.5
    items = [
        {
            "Category": "Skills",
            "Highlight": f"Hands-on with {', '.join(skills[:3])}",
            "Icon": "check" if good else "info",
        },
        {
            "Category": "Experience",
            "Highlight": f"{years} years of relevant experience",
            "Icon": "check" if years >= 3 else "warning",
        },
    ]
    if loc and loc != "Remote":
        near = region.startswith(loc)
        items.append(
            {
                "Category": "Location",
                "Highlight": f"Based in {region}" + ("" if near else f", would relocate to {loc}"),
                "Icon": "check" if near else "warning",
            }
        )
    if rng.random() < 0.4:
        items.append({"Category": "Stability", "Highlight": "Tenure above 2 years", "Icon": "star"})
    return items


def _recommendation(score: float) -> str:
    if score >= 4:
        return "Strong match: shortlist for a screening call."
    if score >= 3:
        return "Good match: worth a call if the shortlist is thin."
    if score >= 2:
        return "Partial match: several required skills are missing."
    return "Weak match: not recommended for this role."


def candidate_details(session: dict, candidate: dict) -> dict:
    """Return the ``/candidate/{id}/details`` record: the candidate plus headline, summary,
    profile URL, education, ``profileAnalysis.starRating`` and ``starLabel``."""
    rng = _session_rng("details", str(session.get("_id", "")), str(candidate.get("_id", "")))
    details = copy.deepcopy(candidate)
    profile = details.setdefault("profile", {})
    analysis = details.setdefault("profileAnalysis", {})
    employers = profile.get("current_employers_object") or [{"company_name": "", "job_title": ""}]
    current = employers[0]
    name = str(profile.get("name", "candidate"))
    slug = "-".join(name.lower().replace("'", "").split())
    profile["headline"] = f"{current['job_title']} at {current['company_name']}".strip()
    profile["summary"] = (
        f"{profile.get('years_of_experience_raw', 'Several years')} of experience; "
        f"strongest in {', '.join(profile.get('skills', [])[:3]) or 'their field'}."
    )
    profile["profile_url"] = f"https://example.com/in/{slug}-{str(details.get('_id', ''))[:6]}"
    degree, field = rng.choice(_DEGREES)
    end_year = rng.randint(2004, 2024)
    profile["education"] = [
        {
            "institution": rng.choice(_INSTITUTES),
            "degree": degree,
            "field_of_study": field,
            "start_year": end_year - 4 if degree.startswith("B") else end_year - 2,
            "end_year": end_year,
        }
    ]
    stars = max(1, min(5, round(float(details.get("finalScore", 0)))))
    analysis["starRating"] = stars
    analysis["starLabel"] = f"{_STAR_LABELS[stars]} match"
    analysis.setdefault("recommendation", _recommendation(float(details.get("finalScore", 0))))
    return details
