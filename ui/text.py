"""Text from the API is shown as text: escape it before it meets Markdown."""

from __future__ import annotations

import re

# Every character Markdown, Streamlit's directives (:red[...], :material/x:) or
# LaTeX ($...$) could give a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&\"'])")


def md_escape(text: object) -> str:
    """Return ``text`` with a backslash before every Markdown-special character."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")
