"""Forms of the implementation steps. They parse; the rules live in the domain modules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from assignments.steps.committees import PresentationDetails
from assignments.steps.measures import MeasureDetails
from assignments.steps.models import MeasureState, Outcome
from assignments.steps.procedures import MAX_OFFSET_DAYS, MAX_POSITION, StepDetails
from courses.forms import MARKDOWN_HINT
from lms.dates import BerlinDateTimeField, DateField
from lms.fields import BoundedIntegerField, MultiCheckboxField
from lms.forms import FlaskForm
from lms.i18n import enum_choices
from lms.web import coerce_id


class TemplateStepForm(FlaskForm):
    position = BoundedIntegerField(_l("Position"), minimum=1, maximum=MAX_POSITION,
                                   validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    evidence = TextAreaField(_l("Evidence asked for"), description=MARKDOWN_HINT)
    due_offset_days = BoundedIntegerField(_l("Due (days after the cohort's start)"),
                                          minimum=0, maximum=MAX_OFFSET_DAYS,
                                          validators=[InputRequired()])

    def details(self) -> StepDetails:
        return StepDetails(self.position.data, self.title.data or "", self.evidence.data or "",
                           self.due_offset_days.data)


class TakeTemplateForm(FlaskForm):
    module = SelectField(_l("Module of the step assignments"), coerce=coerce_id,
                         validators=[InputRequired()])


class SharingForm(FlaskForm):
    share_progress = BooleanField(_l("The municipalities of this cohort see each other's "
                                     "progress (a summary without documents or notes)"))


OUTCOME_CHOICES = [SelectChoice("", _l("(planned, no outcome yet)")),
                   *enum_choices(Outcome)]


class PresentationForm(FlaskForm):
    committee = StringField(_l("Committee"), validators=[InputRequired(), Length(max=200)],
                            description=_l("For example “Rat der Stadt”, “Integrationsrat” or "
                                           "“Ausschuss für Soziales”."))
    meeting_at = BerlinDateTimeField(_l("Meeting (Berlin time)"),
                                     validators=[InputRequired()])
    reference = StringField(_l("Agenda item or printed paper"), validators=[Length(max=200)],
                            description=_l("For example “TOP 7, DS 17/0421”."))
    outcome = SelectField(_l("Outcome"), choices=OUTCOME_CHOICES, default="")
    notes = TextAreaField(_l("What was decided"), description=MARKDOWN_HINT)
    url = StringField(_l("Minutes or decision as a link"), validators=[Length(max=500)])
    document = FileField(_l("Minutes or decision as a file"))

    def details(self) -> PresentationDetails:
        return PresentationDetails(
            committee=self.committee.data or "", meeting_at=self.meeting_at.data,
            reference=self.reference.data or "",
            outcome=Outcome(self.outcome.data) if self.outcome.data else None,
            notes=self.notes.data or "", url=self.url.data or "")


class MeasureForm(FlaskForm):
    presentation_id = SelectField(_l("Decision it comes from"), coerce=coerce_id,
                                  validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT)
    responsible_unit = StringField(_l("Responsible unit"), validators=[Length(max=200)])
    due_on = DateField(_l("Target date"), validators=[Optional()])

    def details(self) -> MeasureDetails:
        return MeasureDetails(title=self.title.data or "",
                              presentation_id=self.presentation_id.data,
                              description=self.description.data or "",
                              responsible_unit=self.responsible_unit.data or "",
                              due_on=self.due_on.data)


class MeasureUpdateForm(FlaskForm):
    state = SelectField(_l("State"), choices=enum_choices(MeasureState))
    noted_on = DateField(_l("Date of the change"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"))

    @property
    def new_state(self) -> MeasureState:
        return MeasureState(self.state.data)


class HandbookForm(FlaskForm):
    title = StringField(_l("Title"), default="Handbuch Integration",
                        validators=[InputRequired(), Length(max=200)])
    introduction = TextAreaField(_l("Editorial introduction"), description=MARKDOWN_HINT)
    cohorts = MultiCheckboxField(_l("Cohorts"), coerce=coerce_id)
