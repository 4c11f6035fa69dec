"""Checks for the people the plugin handles: nominees, contacts, imported persons.

One place for the rules on names, emails and functions, shared by the application form,
the acceptance, the person forms and the CSV import.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from lms.auth.models import normalise_email
from lms.errors import DomainError

NAME_MAX = 120
EMAIL_MAX = 254
FUNCTION_MAX = 120
PHONE_MAX = 40


@dataclass(frozen=True)
class PersonDetails:
    """A person as a form or a CSV row gives them."""

    name: str
    email: str
    function: str = ""
    phone: str = ""


def checked_text(value: str | None, field: str, *, limit: int,
                 missing: LazyString | None = None) -> str:
    """``value`` stripped; raises ``DomainError`` if too long, or empty and ``missing`` says
    what to tell the person then (lazy, as it is only read when it is shown)."""
    text = (value or "").strip()
    if missing is not None and not text:
        raise DomainError(str(missing), field=field)
    if len(text) > limit:
        raise DomainError(_("At most %(count)d characters, please.", count=limit), field=field)
    return text


def checked_email(value: str | None, field: str) -> str:
    """A well-formed address, lower-cased; raises ``DomainError`` naming ``field`` if not."""
    text = (value or "").strip()
    if not text:
        raise DomainError(_("Please enter an email address."), field=field)
    if len(text) > EMAIL_MAX:
        raise DomainError(_("At most %(count)d characters, please.", count=EMAIL_MAX),
                          field=field)
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DomainError(_("%(email)s is not a valid email address.", email=text),
                          field=field) from exc
    return normalise_email(text)


def checked_person(person: PersonDetails, prefix: str = "") -> PersonDetails:
    """``person`` with clean values; errors name the field, e.g. ``<prefix>email``."""
    return PersonDetails(
        name=checked_text(person.name, f"{prefix}name", limit=NAME_MAX,
                          missing=_l("Please enter the name.")),
        email=checked_email(person.email, f"{prefix}email"),
        function=checked_text(person.function, f"{prefix}function", limit=FUNCTION_MAX),
        phone=checked_text(person.phone, f"{prefix}phone", limit=PHONE_MAX),
    )
