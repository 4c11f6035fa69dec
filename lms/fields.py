"""Form fields every plugin shares: numbers that reach the database, choices of several,
the version an edit began from."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.web import MAX_ID

#: a whole number in ASCII digits (``int()`` would also take "١٢")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
#: more digits than any range here allows; not even converted
_MAX_DIGITS = 12


class BoundedIntegerField(IntegerField):
    """A whole number from ``minimum`` to ``maximum``, or a form error in the reader's language.

    WTForms' ``IntegerField`` takes whatever ``int()`` takes: Arabic-Indic digits, and
    400-digit numbers that then overflow the database column (a 500). Every integer a
    form asks for (capacities, positions, file counts, points, days) is one of these, with
    a range that makes sense for it; ``maximum`` never exceeds what a column holds.
    """

    def __init__(self, label: Any = None, validators: Any = None, *, minimum: int,
                 maximum: int, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, min(maximum, MAX_ID)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = valuelist[0].strip() if isinstance(valuelist[0], str) else ""
        if not text:
            self.data = None
            return
        self.data = None
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError(_l("Please enter a whole number (digits 0-9)."))
        if len(text.lstrip("+-")) > _MAX_DIGITS:
            raise ValueError(self._range_message())
        self.data = int(text)

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            raise ValidationError(self._range_message())

    def _range_message(self) -> str:
        return _l("Please enter a number from %(min)d to %(max)d.", min=self.minimum,
                  max=self.maximum)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes: a multiple select needs Ctrl-click, which
    few people know and no phone offers."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


#: for a hidden field that only a stale or tampered page sends wrong
OUT_OF_DATE = _l("This form is out of date. Please open the page again.")


def version_field() -> HiddenField:
    """The number of the version an edit began from (0: none yet), so a save made after
    another one is refused instead of overwriting it."""
    return HiddenField(validators=[InputRequired(OUT_OF_DATE),
                                   Regexp(r"^\d{1,9}$", message=OUT_OF_DATE)])
