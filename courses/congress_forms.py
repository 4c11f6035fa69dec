"""Forms for congresses and their agendas; times typed in Berlin local time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from courses.congress_models import AgendaKind
from courses.forms import MARKDOWN_HINT
from lms.dates import BerlinDateTimeField
from lms.fields import BoundedIntegerField
from lms.forms import FlaskForm
from lms.i18n import enum_choices
from lms.web import coerce_id


class CongressForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    subtitle = StringField(_l("Subtitle"), validators=[Length(max=300)])
    starts_at = BerlinDateTimeField(_l("Start"), validators=[InputRequired()])
    ends_at = BerlinDateTimeField(_l("End"), validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[Length(max=200)],
                        description=_l("For example: Westfalenhallen Dortmund"))
    address = TextAreaField(_l("Address"), validators=[Length(max=1000)],
                            description=_l("Street, postcode and town, one per line."))
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT)
    public = BooleanField(_l("Public: everyone can read the programme, without signing in"))
    capacity = BoundedIntegerField(_l("Capacity (optional)"), minimum=0, maximum=100_000,
                                   validators=[Optional()],
                            description=_l("How many people may register; further people go "
                                           "on the waiting list. Empty: no limit."))


class NewCongressForm(CongressForm):
    course_id = SelectField(_l("Course"), coerce=coerce_id, choices=[])


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=enum_choices(AgendaKind))
    starts_at = BerlinDateTimeField(_l("Start"), validators=[InputRequired()])
    ends_at = BerlinDateTimeField(_l("End"), validators=[InputRequired()])
    room = StringField(_l("Room"), validators=[Length(max=120)])
    speakers = TextAreaField(
        _l("Speakers"), validators=[Length(max=5000)],
        description=_l("One per line: name; role; organisation (role and organisation "
                       "may be left out)."))
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT)


class MoveItemForm(FlaskForm):
    starts_at = BerlinDateTimeField(_l("New start"), validators=[InputRequired()])
    shift_following = BooleanField(_l("Move the later items of the same day by as much"))
