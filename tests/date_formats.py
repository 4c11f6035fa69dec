"""What a date or time in another format than ``lms.datetext``'s looks like in German text.

``stray_dates`` finds them in a page's visible text (or a mail's): a two-digit year
("04.12.26"), seconds ("23:59:00"), a month written out with a day ("4. Dezember 2026"),
a time zone name ("MEZ"), a time of day without "Uhr" ("10:00" alone), or English month
names and AM/PM.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_MONTHS = ("Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
           "Dezember|Jan\\.|Feb\\.|Mär\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Okt\\.|Nov\\.|"
           "Dez\\.")
_ENGLISH_MONTHS = ("January|February|March|June|July|October|December|Jan|Feb|Mar|Apr|Jun|"
                   "Jul|Aug|Sep|Oct|Nov|Dec")

STRAY = {
    "two-digit year": re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2}(?!\d)"),
    "day without leading zero": re.compile(r"(?<![\d.])\d\.\d{1,2}\.\d{4}\b|"
                                           r"(?<![\d.])\d{1,2}\.\d\.\d{4}\b"),
    "seconds": re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),
    "day with the month's name": re.compile(rf"\b\d{{1,2}}\. (?:{_MONTHS}) \d{{4}}"),
    "time zone name": re.compile(r"\b(?:MEZ|MESZ|CET|CEST|UTC)\b"),
    "English month": re.compile(rf"\b(?:{_ENGLISH_MONTHS}) \d{{1,2}}, \d{{4}}"),
    "AM/PM": re.compile(r"\b\d{1,2}:\d{2} ?(?:AM|PM)\b"),
    # a time of day is followed by "Uhr", or by an en dash and the time that ends it
    "time without Uhr": re.compile(r"\b\d{1,2}:\d{2}\b(?!\s*(?:Uhr|\u2013\s*\d{1,2}:\d{2}))"),
}


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles, attributes or machine-readable values."""

    _HIDDEN = {"script", "style", "textarea", "pre", "code"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def stray_dates(text: str) -> list[str]:
    """Every date or time in ``text`` not in the one format, as "kind: excerpt"."""
    found = []
    for kind, pattern in STRAY.items():
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 30), match.end() + 30
            found.append(f"{kind}: …{text[start:end]}…")
    return found
