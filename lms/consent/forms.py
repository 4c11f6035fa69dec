"""The form that publishes a new version of a consent text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from lms.fields import version_field
from lms.forms import FlaskForm

#: a consent text is a few paragraphs; this leaves room for many
MAX_TEXT = 20_000
MARKDOWN = _l("Markdown: # headings, **bold**, - lists, [text](https://…).")


class ConsentTextForm(FlaskForm):
    text_de = TextAreaField(_l("Text in German"), description=MARKDOWN,
                            validators=[InputRequired(), Length(max=MAX_TEXT)])
    text_en = TextAreaField(_l("Text in English"), description=MARKDOWN,
                            validators=[InputRequired(), Length(max=MAX_TEXT)])
    #: the version the new text was written from, so a stale publication is refused
    version = version_field()
