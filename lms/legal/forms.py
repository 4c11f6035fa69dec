"""The edit form of a legal page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from lms.forms import FlaskForm

#: a long privacy policy runs to some 30,000 characters
MAX_TEXT = 100_000
#: for a hidden field that only a stale or tampered page sends wrong
OUT_OF_DATE = _l("This form is out of date. Please open the page again.")


class LegalTextForm(FlaskForm):
    text = TextAreaField(
        _l("Text"), validators=[InputRequired(), Length(max=MAX_TEXT)],
        description=_l("Markdown: # headings, **bold**, - lists, [text](https://…)."))
    #: the version the editor started from (0: none yet), so a stale save is refused
    version = HiddenField(validators=[InputRequired(OUT_OF_DATE),
                                      Regexp(r"^\d{1,9}$", message=OUT_OF_DATE)])
