"""Timezone names as people know them: "Asia/Kolkata", not its old alias "Asia/Calcutta".

Browsers still report some zones by names the IANA database keeps only as
aliases (Chromium says "Asia/Calcutta" for India). :func:`canonical_zone` maps
an alias to its current name, following the database's own links (``L`` lines
of ``tzdata.zi``) to a name ``zone.tab`` lists; :func:`zone_names` is the list
to choose from: every zone of ``zone.tab`` and "UTC", no aliases. Both read the
same files ``zoneinfo`` reads (the system's, else the ``tzdata`` package).
"""

from __future__ import annotations

import contextlib
import functools
import zoneinfo
from importlib import resources
from pathlib import Path

#: Aliases browsers are known to report, for a machine without tzdata's text files.
_KNOWN_ALIASES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Pacific/Truk": "Pacific/Chuuk",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC",
}


def canonical_zone(name: str) -> str:
    """Return the current IANA name of ``name`` ("Asia/Calcutta" -> "Asia/Kolkata").

    A name that is already current, or that the database does not know, is
    returned as it is.
    """
    names, links = _database()
    seen = {name}
    while name not in names and name in links:
        name = links[name]
        if name in seen:  # a loop in the data: stop where it started
            break
        seen.add(name)
    return name


def zone_names() -> list[str]:
    """Return the zones to choose from, sorted: zone.tab's and "UTC", without aliases."""
    names, _ = _database()
    usable = {n for n in names if _loads(n)}
    return sorted(usable | {"UTC"})


@functools.cache
def _database() -> tuple[frozenset[str], dict[str, str]]:
    """The zone names zone.tab lists, and the database's links (alias -> target)."""
    names: set[str] = set()
    links: dict[str, str] = dict(_KNOWN_ALIASES)
    for folder in _folders():
        tab, zi = folder / "zone.tab", folder / "tzdata.zi"
        try:
            tab_text, zi_text = tab.read_text(encoding="utf-8"), zi.read_text(encoding="utf-8")
        except OSError:
            continue
        for line in tab_text.splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) >= 3:
                names.add(fields[2].strip())
        for line in zi_text.splitlines():
            fields = line.split()
            if len(fields) == 3 and fields[0] == "L":
                links[fields[2]] = fields[1]
        break
    if not names:  # no text files at all: every loadable zone, the known aliases mapped
        names = {n for n in zoneinfo.available_timezones() if n not in _KNOWN_ALIASES}
    names.add("UTC")
    return frozenset(names), links


def _folders() -> list[Path]:
    folders = [Path(p) for p in zoneinfo.TZPATH]
    with contextlib.suppress(ModuleNotFoundError, TypeError):  # the package is optional
        folders.append(Path(str(resources.files("tzdata") / "zoneinfo")))
    return folders


@functools.cache
def _loads(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
