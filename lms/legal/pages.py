"""The three pages German public bodies must offer, with what each must say.

Each page's address is German (its value, also its key in the database); its title, the
sentence shown while organisers have not written it, and the outline its first draft
starts with are English here and German in the catalog. Outlines are headings only: what
the law asks the text to cover (§ 5 DDG and § 18 MStV, Art. 13 DSGVO, § 12b BGG and
BITV 2.0 with its feedback contact), never facts the organisers did not write.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class LegalPage(enum.StrEnum):
    IMPRINT = "impressum"
    PRIVACY = "datenschutz"
    ACCESSIBILITY = "barrierefreiheit"


@dataclass(frozen=True)
class PageText:
    title: LazyString
    #: the honest empty state, until organisers save a text
    missing: LazyString
    #: the headings a first draft starts with
    outline: tuple[LazyString, ...]


PAGES: dict[LegalPage, PageText] = {
    LegalPage.IMPRINT: PageText(
        _l("Imprint"),
        _l("The organisers have not provided the imprint yet."),
        (_l("Provider"), _l("Authorised representative"), _l("Contact"),
         _l("Supervisory authority"), _l("Responsible for the content"))),
    LegalPage.PRIVACY: PageText(
        _l("Privacy policy"),
        _l("The organisers have not provided the privacy policy yet."),
        (_l("Controller"), _l("Data protection officer"),
         _l("Purposes and legal basis of the processing"), _l("Recipients"),
         _l("Storage period"), _l("Your rights"),
         _l("Right to lodge a complaint with a supervisory authority"))),
    LegalPage.ACCESSIBILITY: PageText(
        _l("Accessibility statement"),
        _l("The organisers have not provided the accessibility statement yet."),
        (_l("Compliance status"), _l("Non-accessible content"),
         _l("Preparation of this statement"), _l("Feedback and contact"),
         _l("Enforcement procedure"))),
}


def outline(page: LegalPage) -> str:
    """The first draft of ``page``: its headings as Markdown, in the reader's language."""
    return "".join(f"# {heading}\n\n\n" for heading in PAGES[page].outline)
