"""A page's web address: the date news and government sites write into it, and the sidecar file a saved page
keeps it in. Nothing here reads text, so readers and extractors alike may use it."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

# Dates that news and government sites write into a page's address: /2021/0219/, /2021/02-03/, /2021/02/24/,
# /202102/24/, t20210219_, 2021-02-19, story20210208, /20210202/, /2021/xiangzhen_0222/; /2021/02/ is a month.
_DAY_IN_ADDRESS = (
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?:[a-z]+_)?(?P<m>\d{2})[-/]?(?P<d>\d{2})(?=[/_.-])"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/(?P<d>\d{2})(?=/)"),
    re.compile(r"(?:(?<=[/_=-])|(?<=[/_][a-z])|(?<=story)|(?<=content_)|(?<=detail))(?P<y>(?:19|20)\d{2})-?"
               r"(?P<m>\d{2})-?(?P<d>\d{2})(?=[/_.-]|\d{6,11}(?!\d)|$)"),
)
_MONTH_IN_ADDRESS = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-]?(?P<m>\d{2})(?=/)")


def _valid(year: str, month: str, day: str | None = None) -> bool:
    if not 1 <= int(month) <= 12:
        return False
    return day is None or 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]


def is_address(source: str | None) -> bool:
    """True for a web address (a page the watcher fetched, or one a saved file's sidecar names)."""
    return bool(source and re.match(r"(?:https?://|www\.)\S+$|[a-z0-9-]+(?:\.[a-z0-9-]+)+/\S*$", source.strip(), re.I))


def address_date(source: str | None) -> str | None:
    """The day (else the month) a web address is dated by, or None; a file path is no address."""
    if not is_address(source):
        return None
    path = re.sub(r"^(?:https?://)?[^/]*", "", source.strip().lower())  # the host's digits date nothing
    for pattern in _DAY_IN_ADDRESS:
        for m in pattern.finditer(path):
            if _valid(m["y"], m["m"], m["d"]):
                return f"{m['y']}-{m['m']}-{m['d']}"
    for m in _MONTH_IN_ADDRESS.finditer(path):
        if _valid(m["y"], m["m"]):
            return f"{m['y']}-{m['m']}"
    return None


SIDECAR_SUFFIX = ".url"


def is_sidecar(path: Path) -> bool:
    """True for a page's address sidecar (``page.html.url`` beside ``page.html``), which is no document."""
    name = str(path)
    return name.endswith(SIDECAR_SUFFIX) and Path(name[:-len(SIDECAR_SUFFIX)]).is_file()


def sidecar_address(path: str | Path) -> str | None:
    """The web address a saved page came from, written beside it in ``<file>.url``: the address alone on a line,
    or an Internet Shortcut (``[InternetShortcut]`` / ``URL=…``) as browsers save them."""
    sidecar = Path(f"{path}{SIDECAR_SUFFIX}")
    try:
        text = sidecar.read_text(encoding="utf-8", errors="replace")[:4096]
    except OSError:
        return None
    for line in text.splitlines():
        line = line.strip().removeprefix("URL=").strip()
        if is_address(line):
            return line
    return None
