"""Language and time zone: German first, English by choice or browser; Europe/Berlin."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from flask import Flask, request, session
from flask_babel import LazyString, format_decimal, get_locale
from flask_login import current_user
from wtforms import SelectChoice

from lms.extensions import babel

LANGUAGES = {"de": "Deutsch", "en": "English"}
DEFAULT_LANGUAGE = "de"
TIMEZONE = "Europe/Berlin"
#: the one time zone every time is shown in (stored times are UTC)
BERLIN = ZoneInfo(TIMEZONE)
SESSION_LANGUAGE_KEY = "lms_language"


def select_locale() -> str:
    """A signed-in person's choice, else the anonymous visitor's choice, else the browser."""
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get(SESSION_LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of the current response, as a code such as "de"."""
    locale = get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE


def select_timezone() -> str:
    return TIMEZONE


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry their label: ``KREIS = "kreis", _l("District")``.

    The value is what is stored; the label is a lazy string, so ``member.label`` comes in
    the reader's language wherever it is asked (pages, exports, mail).
    """

    _label: LazyString | str

    def __new__(cls, value: str, label: LazyString | str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)


class Labelled(Protocol):
    value: str

    @property
    def label(self) -> str: ...


def enum_choices(members: Iterable[Labelled]) -> list[SelectChoice]:
    """A select's choices from an enum whose members have a ``label``.

    Forms build their choices once, at import; each label is looked up when the page is
    rendered, so it comes in the reader's language.
    """
    return [SelectChoice(member.value, LazyString(lambda member=member: member.label))
            for member in members]


def local_number(value: float | Decimal | None, digits: int = 1) -> str:
    """A number in the reader's language with ``digits`` decimals ("80,0" in German)."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")


def collation_key(text: str) -> str:
    """``text`` as German readers sort it (DIN 5007, variant 1), for lists, selects and exports.

    Umlauts count as their base letters and ß as ss, case and accents are ignored: "Köln"
    comes before "Kreis Wesel" (by code point, "ö" sorts after every plain letter). Sort
    by ``(collation_key(text), text)`` where equal keys need a fixed order.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories="translations")
    app.jinja_env.filters["number"] = local_number
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
