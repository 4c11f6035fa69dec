"""The forms every plugin builds on, so that WTForms' own messages come in the reader's words.

WTForms asks a form's translations for its built-in messages ("This field is required.",
"Field must be between %(min)d and %(max)d characters long.", "Not a valid choice.").
Flask-WTF answers from WTForms' catalogue, whose German is stilted ("Feld muss zwischen
12 und 200 Zeichen beinhalten"), and a plain ``wtforms.Form`` used as a subform
(``FormField``) gets no translations at all, so its messages stay English. Here every
such message is one of ours, phrased as the rest of the app speaks and translated in our
catalogue; forms derive from ``FlaskForm`` below, subforms from ``Form``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_wtf
import wtforms
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

#: WTForms' message -> ours; WTForms fills in the values afterwards
MESSAGES = {
    "This field is required.": _l("Please fill in this field."),
    "Field must be between %(min)d and %(max)d characters long.":
        _l("Please enter from %(min)d to %(max)d characters."),
    "Invalid email address.": _l("Please enter an email address such as name@example.org."),
    "Not a valid choice.": _l("Please choose one of the listed entries."),
    "Invalid Choice: could not coerce.": _l("Please choose one of the listed entries."),
    "Invalid choice(s): one or more data inputs could not be coerced.":
        _l("Please choose one of the listed entries."),
    "Not a valid date value.": _l("Please enter a date."),
    "Not a valid datetime value.": _l("Please enter a date and a time."),
    "Not a valid time value.": _l("Please enter a time."),
    "Not a valid integer value.": _l("Please enter a whole number (digits 0-9)."),
    "Not a valid decimal value.": _l("Please enter a number."),
    "Not a valid float value.": _l("Please enter a number."),
    "Number must be at least %(min)s.": _l("Please enter a number of at least %(min)s."),
    "Number must be at most %(max)s.": _l("Please enter a number of at most %(max)s."),
    "Number must be between %(min)s and %(max)s.":
        _l("Please enter a number from %(min)s to %(max)s."),
    "Invalid input.": _l("This entry is not valid. Please check it."),
    "Invalid URL.": _l("Please enter a web address starting with https:// or http://."),
}

#: WTForms' plural messages (by their singular) -> ours, as a function of the count
PLURAL_MESSAGES: dict[str, Callable[[int], str]] = {
    "Field must be at least %(min)d character long.": lambda n: ngettext(
        "Please enter at least %(num)d character.", "Please enter at least %(num)d characters.",
        n),
    "Field cannot be longer than %(max)d character.": lambda n: ngettext(
        "Please enter at most %(num)d character.", "Please enter at most %(num)d characters.",
        n),
    "Field must be exactly %(max)d character long.": lambda n: ngettext(
        "Please enter exactly %(num)d character.", "Please enter exactly %(num)d characters.",
        n),
    "'%(value)s' is not a valid choice for this field.": lambda n: ngettext(
        "Please choose an entry from the list.", "Please choose entries from the list.", n),
}


class Translations:
    """What WTForms asks for its messages; anything not listed above stays as WTForms says it
    (tests/test_form_language.py walks every form to find such a message on a German page)."""

    def gettext(self, string: str) -> str:
        return str(MESSAGES.get(string, string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = PLURAL_MESSAGES.get(singular)
        if ours is None:
            return singular if n == 1 else plural
        # already filled in: WTForms' "% values" afterwards leaves a text without
        # placeholders as it is
        return ours(n).replace("%", "%%")


TRANSLATIONS = Translations()


class _Meta:
    def get_translations(self, form: Any) -> Translations:
        return TRANSLATIONS


class FlaskForm(flask_wtf.FlaskForm):
    """A form with a CSRF token (Flask-WTF) and the app's own messages."""

    Meta = _Meta


class Form(wtforms.Form):
    """A subform (for ``FormField``), without a token of its own, with the app's messages."""

    Meta = _Meta
