"""The edit form of a legal page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from lms.fields import version_field
from lms.forms import FlaskForm

#: a long privacy policy runs to some 30,000 characters
MAX_TEXT = 100_000


class LegalTextForm(FlaskForm):
    text = TextAreaField(
        _l("Text"), validators=[InputRequired(), Length(max=MAX_TEXT)],
        description=_l("Markdown: # headings, **bold**, - lists, [text](https://…)."))
    #: the version the editor started from (0: none yet), so a stale save is refused
    version = version_field()
