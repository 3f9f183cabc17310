"""Realistic JD phrasings, each with the role, location and experience a reader would take.

Plain-English hiring posts written for these tests (no real person's data): the
labelled form, prose, the two mixed, title-only records, non-English titles, and
traps that must not be read ("5 years ago", "Pune-based client, remote role",
"a 2-year contract", "remote teams", "aged 25-35 years"). Labels win; prose fills
only what labels leave missing; the session title fills what is still missing.
"""

from __future__ import annotations

import pandas as pd
import pytest

from fj.jd import read_jd, sources_table

NA = None

# (session title, JD text) -> (role, location, experience as written, band)
PHRASINGS: list[tuple[str | None, str | None, str | None, str | None, str | None, str | None]] = [
    # -- labelled: read exactly, the title is not needed -------------------------
    (".NET Developer", "Job Title: .NET Developer, Experience: 1-5 years, Location: Pune",
     ".NET Developer", "Pune", "1-5 yrs", "0-2 yrs"),
    ("Sr Dev", "Role: Senior Java Developer | Location: Hyderabad | Experience: 6-10 yrs",
     "Senior Java Developer", "Hyderabad", "6-10 yrs", "6-9 yrs"),
    ("Architect", "Position - Cloud Architect\nJob Location - Bengaluru\n"
     "Total Experience - 12+ years", "Cloud Architect", "Bengaluru", "12+ yrs", "10+ yrs"),
    ("QA", "**Job Title:** QA Lead\n**Location:** Chennai\n**Experience:** 3 to 5 years",
     "QA Lead", "Chennai", "3-5 yrs", "3-5 yrs"),
    ("Designer", "Designation: UI/UX Designer; exp: 2+ yrs; location: Remote",
     "UI/UX Designer", "Remote", "2+ yrs", "0-2 yrs"),
    ("PM", "Title: Product Manager. Location: London. Experience: 8 years.",
     "Product Manager", "London", "8 yrs", "6-9 yrs"),
    ("Data Eng (urgent)", "Job Title: Data Engineer, Experience: 2-4 years, Location: Noida",
     "Data Engineer", "Noida", "2-4 yrs", "0-2 yrs"),
    ("Analyst", "Experience: 0-1 years, Job Title: Graduate Analyst, Location: Mumbai",
     "Graduate Analyst", "Mumbai", "0-1 yrs", "0-2 yrs"),
    ("SRE", "Job Title: Site Reliability Engineer, Experience: 4 - 7 Years, Location: Gurugram",
     "Site Reliability Engineer", "Gurugram", "4-7 yrs", "3-5 yrs"),
    ("Dev", "Job Title: Node.js Dev. Location: St. Louis",
     "Node.js Dev", "St. Louis", NA, NA),
    # -- prose: location and experience from common phrasings, role from the title --
    ("Java Backend Developer",
     "We are hiring a Java Backend Developer in Mumbai with 4-8 years",
     "Java Backend Developer", "Mumbai", "4-8 yrs", "3-5 yrs"),
    ("Python Developer", "Looking for a Python Developer (3-6 years) to join our team in Pune.",
     "Python Developer", "Pune", "3-6 yrs", "3-5 yrs"),
    ("DevOps Engineer", "DevOps Engineer needed – Pune, 3+ years. CTC up to ₹20 LPA.",
     "DevOps Engineer", "Pune", "3+ yrs", "3-5 yrs"),
    ("Data Analyst",
     "Our analytics team is based in Pune. You bring 5+ yrs of experience with SQL.",
     "Data Analyst", "Pune", "5+ yrs", "3-5 yrs"),
    ("Platform Engineer",
     "Join a platform group located in Coimbatore; at least 3 years building Go services.",
     "Platform Engineer", "Coimbatore", "3+ yrs", "3-5 yrs"),
    ("Frontend Developer",
     "You will work from our office in Hyderabad. Minimum 2 years of React experience.",
     "Frontend Developer", "Hyderabad", "2+ yrs", "0-2 yrs"),
    ("Backend Engineer", "A fully remote role for someone with 7-10 years in distributed systems.",
     "Backend Engineer", "Remote", "7-10 yrs", "6-9 yrs"),
    ("iOS Developer", "We want an iOS Developer with 6 years of experience in Swift, in Bengaluru.",
     "iOS Developer", "Bengaluru", "6 yrs", "6-9 yrs"),
    ("Support Engineer", "Freshers welcome! Join our support desk in Chennai.",
     "Support Engineer", "Chennai", NA, NA),
    ("ML Engineer",
     "Seeking an ML engineer with more than 8 years of experience to join us in Singapore.",
     "ML Engineer", "Singapore", "8+ yrs", "6-9 yrs"),
    ("Tech Lead", "Tech Lead wanted in New Delhi. Experience of 9 years in Java is a must.",
     "Tech Lead", "New Delhi", "9 yrs", "6-9 yrs"),
    ("Cloud Engineer", "Cloud Engineer (AWS) | Gurgaon | 4 to 6 yrs",
     "Cloud Engineer", "Gurgaon", "4-6 yrs", "3-5 yrs"),
    ("SDET", "Hiring an SDET for our Noida office, 2–5 yrs experience.",
     "SDET", "Noida", "2-5 yrs", "0-2 yrs"),
    ("Data Scientist", "Data Scientist, Bangalore. We need 3 yrs+ of hands-on modelling.",
     "Data Scientist", "Bangalore", "3+ yrs", "3-5 yrs"),
    ("Salesforce Developer",
     "Salesforce Developer with 5 or more years for our Kolkata-based team, hybrid work.",
     "Salesforce Developer", "Kolkata", "5+ yrs", "3-5 yrs"),
    ("Business Analyst", "Business Analyst needed in Ahmedabad; 1 to 3 years in banking projects.",
     "Business Analyst", "Ahmedabad", "1-3 yrs", "0-2 yrs"),
    ("Android Developer", "Android Developer (Kotlin) – remote, 4+ yrs.",
     "Android Developer", "Remote", "4+ yrs", "3-5 yrs"),
    ("Security Analyst",
     "Work from home opportunity for a security analyst with at least 2 years in a SOC.",
     "Security Analyst", "Remote", "2+ yrs", "0-2 yrs"),
    ("Engineering Manager",
     "Engineering Manager to lead 3 squads in Dublin. 12-15 years of engineering experience.",
     "Engineering Manager", "Dublin", "12-15 yrs", "10+ yrs"),
    ("Full Stack Developer",
     "We're a young startup. You: 2.5-4 yrs of full stack work, based in Chennai.",
     "Full Stack Developer", "Chennai", "2.5-4 yrs", "0-2 yrs"),
    ("Data Engineer", "data engineer role in pune, 3-5 yrs",
     "Data Engineer", "Pune", "3-5 yrs", "3-5 yrs"),
    ("Scrum Master", "Scrum Master needed in Navi Mumbai with minimum 6 yrs experience.",
     "Scrum Master", "Navi Mumbai", "6+ yrs", "6-9 yrs"),
    ("DBA", "Oracle DBA, 8 yrs, onsite at Doha.",
     "DBA", "Doha", "8 yrs", "6-9 yrs"),
    ("Java Developer", "Java Developer | 3-5 yrs | Hyderabad (Hybrid)",
     "Java Developer", "Hyderabad", "3-5 yrs", "3-5 yrs"),
    ("Support Analyst",
     "Support analyst for a US client, night shift, 1-3 yrs, work from home.",
     "Support Analyst", "Remote", "1-3 yrs", "0-2 yrs"),
    ("Cloud Architect",
     "Cloud Architect with 15 years of experience; notice period 30 days; CTC 40 LPA.",
     "Cloud Architect", NA, "15 yrs", "10+ yrs"),
    # -- mixed: labels first, prose for what they leave out ---------------------
    ("Data Scientist", "Role: Data Scientist\nLocation: London\n\n"
     "We need someone with 3-6 years of hands-on Pandas experience.",
     "Data Scientist", "London", "3-6 yrs", "3-5 yrs"),
    ("QA", "Job Title: QA Automation Engineer, Location: Bengaluru. "
     "Must have 5+ years of Selenium.", "QA Automation Engineer", "Bengaluru", "5+ yrs", "3-5 yrs"),
    ("Java", "Job Title: Java Developer, Experience: 3-5 years. The team is based in Pune.",
     "Java Developer", "Pune", "3-5 yrs", "3-5 yrs"),
    ("Go", "Job Title: Go Engineer, Location: Berlin, Experience: 2-3 years. "
     "Our HQ is based in Munich; 10+ years of history.",
     "Go Engineer", "Berlin", "2-3 yrs", "0-2 yrs"),
    ("Sr. .NET Developer", "Job Title: Senior .NET Developer, Location: Hyderabad",
     "Senior .NET Developer", "Hyderabad", NA, NA),
    ("Technical Lead", "Job Title: Technical Lead, Experience: 8+ years",
     "Technical Lead", NA, "8+ yrs", "6-9 yrs"),
    ("Architect", "Position: Data Architect\nRemote-first team, 10 to 14 yrs.",
     "Data Architect", "Remote", "10-14 yrs", "10+ yrs"),
    ("Mobile Lead", "Lead our mobile team from Toronto. Experience: 9-12 years.",
     "Mobile Lead", "Toronto", "9-12 yrs", "6-9 yrs"),
    # -- title only: the JD says nothing of role, place or years ------------------
    ("Java Backend Developer", 'Hiring "Java Backend Developer" for a product company. '
     "Strong Java skills required; Spring Boot is a plus.", "Java Backend Developer", NA, NA, NA),
    ("Machine Learning Engineer (urgent)", "Strong PyTorch skills required.",
     "Machine Learning Engineer", NA, NA, NA),
    ("Data Engineer - Berlin", "Airflow and dbt a plus.", "Data Engineer", "Berlin", NA, NA),
    ("Urgent: QA Lead | Remote", None, "QA Lead", "Remote", NA, NA),
    ("Senior Android Developer (5+ yrs)", "Kotlin, Compose.",
     "Senior Android Developer", NA, "5+ yrs", "3-5 yrs"),
    ("Hiring: Platform Engineer - Pune (4-6 yrs)", "",
     "Platform Engineer", "Pune", "4-6 yrs", "3-5 yrs"),
    ("Hiring Manager", "Must have run hiring for 3 years.", "Hiring Manager", NA, NA, NA),
    ("Node.js Developer @ Bengaluru", None, "Node.js Developer", "Bengaluru", NA, NA),
    ("#4521", "Strong SQL skills.", NA, NA, NA, NA),
    ("DevOps Engineer [Immediate Joiners]", "Kubernetes, Terraform.",
     "DevOps Engineer", NA, NA, NA),
    (None, "Strong SQL skills.", NA, NA, NA, NA),
    # -- non-English titles: kept as written, their markers dropped ---------------
    ("Softwareentwickler (m/w/d) – München", "Java, Spring.",
     "Softwareentwickler", "München", NA, NA),
    ("Développeur Java (H/F)", "Spring Boot, Kafka.", "Développeur Java", NA, NA, NA),
    ("Ingeniero de Datos (Madrid)", "Python y Spark.", "Ingeniero de Datos", "Madrid", NA, NA),
    ("データエンジニア", "Spark and Airflow.", "データエンジニア", NA, NA, NA),
    ("डेटा विश्लेषक", "SQL and Excel.", "डेटा विश्लेषक", NA, NA, NA),
    ("Desenvolvedor Backend Sênior", "We are hiring in Lisbon with 5-8 years of experience.",
     "Desenvolvedor Backend Sênior", "Lisbon", "5-8 yrs", "3-5 yrs"),
    ("Analista de Datos - Remote", "SQL y Power BI.", "Analista de Datos", "Remote", NA, NA),
    ("Ingénieur DevOps (urgent)", "Kubernetes.", "Ingénieur DevOps", NA, NA, NA),
    # -- traps: numbers and places that are not the job's ------------------------
    ("Go Developer", "Pune-based client, remote role. 4-6 years of Go.",
     "Go Developer", "Remote", "4-6 yrs", "3-5 yrs"),
    ("Backend Developer", "Founded 5 years ago, we build payments APIs in Java.",
     "Backend Developer", NA, NA, NA),
    ("Data Engineer", "We are 20+ years in business. Experience in Spark and Kafka needed.",
     "Data Engineer", NA, NA, NA),
    ("Contract Tester", "A 2-year contract for a manual tester in Noida.",
     "Contract Tester", "Noida", NA, NA),
    ("Frontend Developer",
     "Experience managing remote teams is a plus; 3 years of React experience.",
     "Frontend Developer", NA, "3 yrs", "3-5 yrs"),
    ("Sales Engineer", "Candidates aged 25-35 years with a sales background.",
     "Sales Engineer", NA, NA, NA),
    ("Java Developer",
     "Over the last 10 years our team in Pune has grown; we need 2-4 yrs of Java.",
     "Java Developer", "Pune", "2-4 yrs", "0-2 yrs"),
    ("Data Analyst", "Notice period: 60 days. Budget 12-15 LPA.", "Data Analyst", NA, NA, NA),
    ("SRE", "Role-based access control experience, 6 months internship.", "SRE", NA, NA, NA),
    ("Developer", "Experience: Fresher, Location: ", "Developer", NA, NA, NA),
    ("Platform Engineer", "Work in Java and Go for a Singapore-based client; 5-7 yrs.",
     "Platform Engineer", NA, "5-7 yrs", "3-5 yrs"),
    ("Staff Engineer", "A 10-year-old company in Dubai seeks a staff engineer, 11+ yrs.",
     "Staff Engineer", "Dubai", "11+ yrs", "10+ yrs"),
]  # fmt: skip


def test_the_table_is_large_and_covers_every_kind():
    assert len(PHRASINGS) >= 60
    assert len({(title, text) for title, text, *_ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(
    ("title", "text", "role", "location", "written", "band"),
    PHRASINGS,
    ids=[f"{i:02d}" for i in range(len(PHRASINGS))],
)
def test_each_phrasing_reads_as_a_person_would(title, text, role, location, written, band):
    got = read_jd([text], [title]).columns
    seen = {c: got[c].iloc[0] for c in ("role", "location", "exp_range", "experience")}
    seen = {c: None if pd.isna(v) else v for c, v in seen.items()}
    assert seen == {"role": role, "location": location, "exp_range": written, "experience": band}


def test_reading_them_all_at_once_gives_what_each_gives_alone():
    titles = [p[0] for p in PHRASINGS]
    texts = [p[1] for p in PHRASINGS]
    batch = read_jd(texts, titles)
    for column in ("role", "location", "exp_range", "experience"):
        got = [None if pd.isna(v) else v for v in batch.columns[column]]
        expected = [p[{"role": 2, "location": 3, "exp_range": 4, "experience": 5}[column]]
                    for p in PHRASINGS]  # fmt: skip
        assert got == expected, column
    # Each session's field comes from one place, and the counts say where.
    sources = batch.sources
    assert (sources.sum(axis=1) == len(PHRASINGS)).all()
    for field, column in (("role", "role"), ("location", "location"), ("experience", "experience")):
        assert sources.loc[field, "not stated"] == batch.columns[column].isna().sum()
    assert sources.loc["role", "prose"] == 0  # a role is only read from a label or the title


def test_the_sources_table_says_where_fields_came_from_in_words():
    got = read_jd(["Job Title: Dev, Location: Pune", "Hiring in Mumbai"], ["Dev", "QA Lead"])
    table, sentence = sources_table(got.sources)
    assert list(table.columns) == ["Field", "JD label", "JD prose", "Session title", "Not stated"]
    assert table.set_index("Field").loc["Location"].tolist() == [1, 1, 0, 0]
    assert sentence == (
        "2 of 6 fields (33.3%) came from JD prose or the session title rather than a label; "
        "2 are not stated anywhere."
    )
    one = sources_table(read_jd(["Job Title: Dev, Location: Pune, Experience: 2 yrs"]).sources)
    assert one[1].endswith("0 are not stated anywhere.")
    single = sources_table(read_jd(["Job Title: Dev, Location: Pune"]).sources)
    assert single[1].endswith("; 1 is not stated anywhere.")
