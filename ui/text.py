"""Text from the API is shown as text: escape it before it meets Markdown."""

from __future__ import annotations

import re

# Every character Markdown, Streamlit's directives (:red[...], :material/x:) or
# LaTeX ($...$) could give a meaning to.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&\"'])")
# GFM turns bare URLs and e-mail addresses into links after escapes are resolved, so a
# backslash cannot stop it; an invisible word joiner inside "http://", "www." or "@" does.
_AUTOLINK = re.compile(r"(?i)(https?(?=:)|www(?=\.)|@)")
_WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """Return ``text`` with a backslash before every Markdown-special character."""
    unlinked = _AUTOLINK.sub(lambda m: m.group(1) + _WORD_JOINER, str(text))
    return _SPECIAL.sub(r"\\\1", unlinked).replace("\n", "  \n")
