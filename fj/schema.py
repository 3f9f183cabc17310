"""The column contract of the sessions frame and of its data-quality report.

Every part of the project (frame builder, filters, metrics, charts, export,
dashboard) relies on these names and dtypes; change them here or nowhere.
"""

from __future__ import annotations

#: Columns of the sessions frame, in order, with their pandas dtypes.
SESSION_COLUMNS: dict[str, str] = {
    "session_id": "str",  # API `_id`
    "title": "str",  # API `sessionTitle`
    "jd_text": "str",  # API `jdDetail.userText`
    "project_id": "str",  # API `projectId` (absent in some vendor examples)
    "created_at": "datetime64[ms, UTC]",  # API `createdAt`
    "updated_at": "datetime64[ms, UTC]",  # API `updatedAt`
    "total_profiles": "Int64",  # API `totalProfiles`: a snapshot, not a count at createdAt
    # Read from the JD text's labels, else its prose, else the title (fj.jd); missing when
    # none of them says.
    "role": "category",  # "Job Title: X", else the session title
    "exp_min_years": "float64",  # "Experience: 1-5 years" or "1-5 years of experience" -> 1.0
    "exp_max_years": "float64",  # (-> 5.0; NaN for "3+ years")
    "exp_range": "category",  # the range as the JD says it: "1-5 yrs", "3+ yrs", "5 yrs"
    "location": "category",  # "Location: Pune", "based in Pune", "in Mumbai", "remote role"
    "experience": "category",  # the range's band by its lower bound (fj.jd.BAND_LABELS)
    "sourcing_seconds": "float64",  # updated_at - created_at, in seconds
}

#: Columns of the data-quality report that comes with every frame.
PROBLEM_COLUMNS: dict[str, str] = {
    "record": "int64",  # 0-based position of the record in the payload's `data` list
    "session_id": "str",  # the record's `_id` when it has one
    "field": "str",  # API field name, e.g. "createdAt", "totalProfiles", "_id"
    "problem": "str",  # what was wrong, in words: "missing", "not a date: 'yesterday'", ...
}
