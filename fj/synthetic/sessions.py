"""Synthetic sessions: the ``GET /projects/sessions`` body of a realistic project, from a seed.

Sessions look like the vendor's examples: mostly ``Job Title: X, Experience:
1-5 years, Location: Pune``, with the free text, missing fields and multi-line
JDs that real recruiters type. One generator, :func:`synthetic_payload`, writes
the body as bytes (fast enough for 1M sessions); :func:`generate_sessions` is
its records, decoded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np

#: Default end of the synthetic window: fixed so that output never depends on the clock.
DEFAULT_END = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)

SUCCESS_MESSAGE = "Project sessions fetched successfully"

# Role | seniority | skills. Listed by popularity: weights fall off with the rank.
_ROLE_TABLE = """
.NET Developer | mid | C#, .NET Core, ASP.NET, SQL Server, Azure, Entity Framework
Senior .NET Developer | senior | C#, .NET 8, Microservices, Azure, SQL Server, Redis
Java Backend Developer | mid | Java, Spring Boot, Microservices, Kafka, PostgreSQL, REST APIs
Data Engineer | mid | Python, Spark, Airflow, SQL, AWS Glue, dbt
Frontend Developer (React) | mid | React, TypeScript, Redux, Next.js, CSS, Jest
Full Stack Developer | mid | Node.js, React, MongoDB, TypeScript, AWS, GraphQL
Python Developer | mid | Python, Django, FastAPI, PostgreSQL, Celery, Docker
DevOps Engineer | mid | Kubernetes, Terraform, AWS, Jenkins, Docker, Prometheus
QA Automation Engineer | mid | Selenium, Cypress, Java, TestNG, API testing, Playwright
Data Scientist | mid | Python, scikit-learn, SQL, Statistics, TensorFlow, Pandas
Product Manager | senior | Roadmapping, Agile, Stakeholders, Analytics, Jira, User research
Android Developer | mid | Kotlin, Jetpack Compose, Android SDK, MVVM, Retrofit, Firebase
Senior Data Engineer | senior | Spark, Scala, Kafka, Databricks, Snowflake, Airflow
iOS Developer | mid | Swift, SwiftUI, UIKit, Combine, Xcode, Core Data
Machine Learning Engineer | mid | PyTorch, MLOps, Python, LLMs, Kubeflow, Docker
Business Analyst | junior | SQL, Excel, Power BI, Requirements gathering, Jira, Process mapping
Node.js Developer | mid | Node.js, Express, TypeScript, MongoDB, Redis, AWS Lambda
UI/UX Designer | mid | Figma, Design systems, Prototyping, User research, Adobe XD, Accessibility
Site Reliability Engineer | senior | Linux, Kubernetes, Go, Observability, Incident response, GCP
Cloud Architect | lead | AWS, Azure, Solution design, Terraform, Networking, Security
Salesforce Developer | mid | Apex, LWC, SOQL, Salesforce CPQ, Integration, Flows
Technical Lead | lead | Architecture, Code review, Java, Microservices, Mentoring, AWS
SAP ABAP Consultant | senior | ABAP, SAP S/4HANA, OData, BAPI, Fiori, SAP HANA
Engineering Manager | lead | People management, Delivery, Architecture, Hiring, Agile, Mentoring
Cybersecurity Analyst | mid | SIEM, Splunk, Incident response, VAPT, ISO 27001, IAM
"""
#: (role, seniority, skills) of every synthetic role, most popular first.
ROLES: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (role, seniority, tuple(skills.split(", ")))
    for role, seniority, skills in (line.split(" | ") for line in _ROLE_TABLE.strip().splitlines())
)
_ROLE_WEIGHTS = np.array([1.0, 0.6] + [1.0 / (i + 1) ** 0.8 for i in range(2, len(ROLES))])

LOCATIONS: tuple[str, ...] = (
    "Pune", "Bengaluru", "Hyderabad", "Mumbai", "Chennai", "Gurugram",
    "Noida", "Remote", "London", "Berlin", "Dubai", "Singapore",
)  # fmt: skip
_LOCATION_WEIGHTS = np.array([20, 22, 12, 8, 7, 7, 5, 8, 4, 3, 2, 2], dtype=float)

# Experience as recruiters write it, per seniority; the first entries are the most common.
EXPERIENCE: dict[str, tuple[str, ...]] = {
    "junior": ("0-2 years", "1-3 years", "1-5 years", "2-4 years", "2+ years"),
    "mid": ("1-5 years", "2-5 years", "3-6 years", "3+ years", "4-8 years", "5 years", "2-4 years"),
    "senior": ("4-8 years", "5+ years", "6-10 years", "5-9 years", "7+ years", "8 years"),
    "lead": ("8-12 years", "10+ years", "10-15 years", "12+ years", "8+ years"),
}
_SENIORITIES = tuple(EXPERIENCE)
_MAX_EXP = max(len(v) for v in EXPERIENCE.values())
_CTC_LPA = {"junior": 8, "mid": 18, "senior": 32, "lead": 48}

# sessionTitle is what the recruiter typed; it sometimes differs slightly from the JD's title.
_TITLE_VARIANTS = 4
_TITLE_VARIANT_WEIGHTS = np.array([0.85, 0.06, 0.05, 0.04])

# JD templates: the first five are the structured form, the rest free text (about 10%).
_JD_TEMPLATES: tuple[str, ...] = (
    "Job Title: {t}, Experience: {e}, Location: {l}",
    "Job Title: {t}, Experience: {e}",
    "Job Title: {t}, Location: {l}",
    "Job Title: {t}\nExperience: {e}\nLocation: {l}",
    "Job Title: {t}, Experience: {e}, Location: {l}, Skills: {s1}, {s2}, {s3}",
    "We are hiring {a} {t} {in_l} with {e} of experience in {s1} and {s2}.",
    "Looking for {a} {t} ({e}) to join our team {in_l}. Must know {s1}, {s2} and {s3}.",
    "{t} needed – {l}, {e}. CTC up to ₹{ctc} LPA.",
    'Hiring "{t}" for a product company. Strong {s1} skills required; {s2} is a plus.',
    "Role: {t}\nLocation: {l}\n\nWe need someone with {e} of hands-on {s1} experience.\n"
    "Notice period: immediate to 30 days.",
)
_JD_WEIGHTS = np.array([0.72, 0.06, 0.05, 0.03, 0.04, 0.03, 0.025, 0.02, 0.015, 0.01])
_SKILL_OFFSETS = 6

# Hour of day (UTC) weights: Indian working hours (03:30-13:30 UTC) plus an evening tail.
_HOUR_WEIGHTS = np.array(
    [0.3, 0.5, 1, 2, 3, 3.5, 3.5, 3, 2.5, 3, 3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.6, 0.4, 0.3,
     0.2, 0.2, 0.2]
)  # fmt: skip
_WEEKDAY_WEIGHTS = np.array([1, 1, 1, 1, 0.9, 0.25, 0.1])  # Monday first

_PROFILE_VALUES = np.array([0, 25, 35, 50, 100, -1])  # -1: the long tail
_PROFILE_WEIGHTS = np.array([0.05, 0.22, 0.10, 0.20, 0.18, 0.25])

_MS_PER_DAY = 86_400_000


def _session_title(role: str, variant: int, location: str) -> str:
    """Return the session title a recruiter might type for a role (variant 0: the role)."""
    if variant == 1:
        return role.replace("Senior ", "Sr. ") if "Senior " in role else f"{role} II"
    if variant == 2:
        return f"{role} - {location}"
    if variant == 3:
        return role.split(" (")[0] + " (urgent)"
    return role


def _jd_text(role_i: int, template: int, exp: str, location: str, offset: int) -> str:
    role, seniority, skills = ROLES[role_i]
    s1, s2, s3 = (skills[(offset + k) % len(skills)] for k in range(3))
    article = "an" if role[0] in "AEIOi" else "a"  # an iOS/Android..., a UI/UX Designer
    return _JD_TEMPLATES[template].format(
        t=role, e=exp, l=location, a=article, s1=s1, s2=s2, s3=s3,
        in_l="remotely" if location == "Remote" else f"in {location}",
        ctc=_CTC_LPA[seniority] + 2 * offset,
    )  # fmt: skip


def _object_ids(seconds: np.ndarray, rng: np.random.Generator) -> bytes:
    """Return concatenated hex MongoDB-style ObjectIds for ``seconds`` sorted newest first.

    An ObjectId is its creation second, a per-process random and a counter. The counter
    runs in time order with an odd step, so the ids are unique for n < 2**24.
    """
    n = len(seconds)
    processes = rng.integers(0, 256, size=(4, 5), dtype=np.uint8)
    counter = (
        int(rng.integers(0, 2**24)) + np.arange(n - 1, -1, -1, dtype=np.int64) * 7919
    ) % 2**24
    raw = np.empty((n, 12), dtype=np.uint8)
    raw[:, 0:4] = seconds.astype(">u4").view(np.uint8).reshape(n, 4)
    raw[:, 4:9] = processes[rng.integers(0, 4, size=n)]
    raw[:, 9:12] = counter.astype(">u4").view(np.uint8).reshape(n, 4)[:, 1:]
    return raw.tobytes().hex().encode()


class _Drawn:
    """The drawn fields of n sessions, newest first; each distinct title and JD rendered once."""

    def __init__(
        self, n: int, seed: int, end: datetime | None, days: int, project_id: str | None
    ) -> None:
        if n < 0 or days < 1:
            raise ValueError("n must be >= 0 and days >= 1")
        end = DEFAULT_END if end is None else end
        if end.tzinfo is None:
            end = end.replace(tzinfo=UTC)
        rng = np.random.Generator(np.random.PCG64(seed))
        end_ms = int(end.timestamp() * 1000)
        first_day_ms = (end_ms // _MS_PER_DAY - (days - 1)) * _MS_PER_DAY
        start_ms = end_ms - days * _MS_PER_DAY

        # Days: more sessions on weekdays, and the project grows over the window.
        day_ms = first_day_ms + np.arange(days, dtype=np.int64) * _MS_PER_DAY
        weekday = (day_ms // _MS_PER_DAY + 3) % 7  # 1970-01-01 was a Thursday
        growth = 1 + 2 * np.arange(days) / max(days - 1, 1)
        day_p = _WEEKDAY_WEIGHTS[weekday] * growth
        day = rng.choice(days, size=n, p=day_p / day_p.sum())
        hour = rng.choice(24, size=n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
        created = day_ms[day] + hour * 3_600_000 + rng.integers(0, 3_600_000, size=n)
        # Times past `end` (its own day, late hours) go back a week: same weekday and hour.
        created = np.where(created > end_ms, created - 7 * _MS_PER_DAY, created)
        created = np.clip(created, start_ms + 1, end_ms)
        seconds = np.clip(rng.lognormal(np.log(200), 1.2, size=n), 20, 2400)
        updated = created + (seconds * 1000).astype(np.int64)

        kind = rng.choice(len(_PROFILE_VALUES), size=n, p=_PROFILE_WEIGHTS)
        tail = np.clip(np.rint(rng.lognormal(np.log(130), 0.5, size=n)), 1, 500)
        total = np.where(_PROFILE_VALUES[kind] < 0, tail, _PROFILE_VALUES[kind]).astype(np.int64)

        role = rng.choice(len(ROLES), size=n, p=_ROLE_WEIGHTS / _ROLE_WEIGHTS.sum())
        variant = rng.choice(_TITLE_VARIANTS, size=n, p=_TITLE_VARIANT_WEIGHTS)
        location = rng.choice(len(LOCATIONS), size=n, p=_LOCATION_WEIGHTS / _LOCATION_WEIGHTS.sum())
        template = rng.choice(len(_JD_TEMPLATES), size=n, p=_JD_WEIGHTS / _JD_WEIGHTS.sum())
        # Only the templates that name skills use the offset: fewer distinct texts to render.
        offset = np.where(template >= 4, rng.integers(0, _SKILL_OFFSETS, size=n), 0)
        # Experience: the earlier entries of the role's list are the common ones.
        seniority = np.array([_SENIORITIES.index(r[1]) for r in ROLES])[role]
        sizes = np.array([len(EXPERIENCE[s]) for s in _SENIORITIES])[seniority]
        exp = np.minimum(np.floor(rng.power(0.6, size=n) * sizes), sizes - 1).astype(np.int64)

        if project_id is None:
            pid_seconds = np.array([start_ms // 1000 - 86_400], dtype=np.int64)
            project_id = _object_ids(pid_seconds, rng).decode()

        # Title and JD repeat a lot: render each distinct combination once.
        code = role
        for value, size in (
            (variant, _TITLE_VARIANTS), (exp, _MAX_EXP), (location, len(LOCATIONS)),
            (template, len(_JD_TEMPLATES)), (offset, _SKILL_OFFSETS),
        ):  # fmt: skip
            code = code * size + value
        unique, inverse = np.unique(code, return_inverse=True)
        combos = []
        for c in unique.tolist():
            c, off = divmod(c, _SKILL_OFFSETS)
            c, tpl = divmod(c, len(_JD_TEMPLATES))
            c, loc = divmod(c, len(LOCATIONS))
            c, ex = divmod(c, _MAX_EXP)
            r, var = divmod(c, _TITLE_VARIANTS)
            exp_text = EXPERIENCE[ROLES[r][1]][ex]
            title = _session_title(ROLES[r][0], var, LOCATIONS[loc])
            combos.append((title, _jd_text(r, tpl, exp_text, LOCATIONS[loc], off)))

        order = np.argsort(-created, kind="stable")
        self.n = n
        self.project_id = project_id
        self.combos = combos
        self.combo = inverse.reshape(-1)[order].tolist()
        self.total = total[order].tolist()
        self.ids_hex = _object_ids(created[order] // 1000, rng)
        self.created = _iso_ms(created[order])
        self.updated = _iso_ms(updated[order])

    def ids(self) -> list[bytes]:
        h = self.ids_hex
        return [h[i : i + 24] for i in range(0, 24 * self.n, 24)]


def _iso_ms(ms: np.ndarray) -> np.ndarray:
    """Return "2026-05-01T07:09:10.110" (no zone letter) for epoch milliseconds, as bytes."""
    return np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms").astype("S23")


def generate_sessions(
    n: int,
    seed: int = 0,
    *,
    end: datetime | None = None,
    days: int = 180,
    project_id: str | None = None,
) -> list[dict]:
    """Return n synthetic session records shaped like the API's ``data`` items, newest first.

    The records of :func:`synthetic_payload` with the same arguments, decoded: same
    arguments, same records. ``end`` defaults to :data:`DEFAULT_END`, not to now.
    Sessions are spread over the ``days`` before ``end``.
    """
    body = synthetic_payload(n, seed, end=end, days=days, project_id=project_id)
    return json.loads(body)["data"]


def envelope_bytes(data: object, message: str = SUCCESS_MESSAGE, status: str = "SUCCESS") -> bytes:
    """Return the API's success envelope around ``data`` as compact UTF-8 JSON."""
    envelope = {"statusCode": 200, "data": data, "message": message, "status": status}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def payload_bytes(sessions: list[dict]) -> bytes:
    """Return the full ``GET /projects/sessions`` response body for these sessions."""
    return envelope_bytes(sessions)


def synthetic_payload(
    n: int,
    seed: int = 0,
    *,
    end: datetime | None = None,
    days: int = 180,
    project_id: str | None = None,
) -> bytes:
    """Return the ``GET /projects/sessions`` body of n synthetic sessions, newest first.

    Same arguments, same bytes (``end`` defaults to :data:`DEFAULT_END`, not to
    now); sessions are spread over the ``days`` before ``end``. Fast enough for
    1M sessions: each distinct title and JD is JSON-escaped once, and records are
    then plain string formatting (half the time of building the records as dicts
    and dumping them: benchmarks/README.md).
    """
    cols = _Drawn(n, seed, end, days, project_id)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    pieces = [
        f'"sessionTitle":{dumps(t)},"jdDetail":{{"userText":{dumps(j)}}}'.encode()
        for t, j in cols.combos
    ]
    record = (
        b'{"_id":"%s",%s,"projectId":' + dumps(cols.project_id).encode()
        + b',"createdAt":"%sZ","updatedAt":"%sZ","totalProfiles":%d}'
    )  # fmt: skip
    records = [
        record % (_id, pieces[c], created, updated, total)
        for _id, c, created, updated, total in zip(
            cols.ids(),
            cols.combo,
            cols.created.tolist(),
            cols.updated.tolist(),
            cols.total,
            strict=True,
        )
    ]
    head = b'{"statusCode":200,"data":['
    tail = b'],"message":' + dumps(SUCCESS_MESSAGE).encode() + b',"status":"SUCCESS"}'
    if not records:
        return head + tail
    # Glue the envelope onto the first and last records: one copy of the body, not three.
    records[0] = head + records[0]
    records[-1] += tail
    return b",".join(records)
