"""The grading form: a grade per scheme, Markdown feedback, feedback files; the queue's filters."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp, StopValidation

from assignments.grading import Filters, QueueFilter, municipality_choices
from assignments.models import AssignmentSchedule, ReviewOutcome
from assignments.reviews import ReviewInput
from courses.forms import MARKDOWN_HINT
from lms.dates import BerlinDateTimeField
from lms.filters import ChoiceFilter, QueryForm
from lms.forms import FlaskForm
from lms.web import parse_id

#: the buttons of the form: what to do with the input
ACTIONS = {"grade", "grade_next", "return", "return_next", "preview"}


def finite(_form: FlaskForm, field: DecimalField) -> None:
    """NaN and infinity parse as decimals; comparing a signalling NaN would even raise."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_("Please enter a number."))


class ReviewForm(FlaskForm):
    points = DecimalField(_l("Points"), places=2,
                          validators=[Optional(), finite, NumberRange(min=0)])
    passed = RadioField(_l("Result"), choices=[SelectChoice("yes", _l("passed")),
                                               SelectChoice("no", _l("not passed"))],
                        validators=[Optional()])
    feedback = TextAreaField(_l("Feedback"), description=MARKDOWN_HINT)
    files = MultipleFileField(_l("Feedback files"),
                              description=_l("An annotated copy, for example."))
    revision_due_at = BerlinDateTimeField(
        _l("Revision due by"), validators=[Optional()],
        description=_l("Only when you return the work: its owners can hand in a new version "
                       "until then. Required once the cut-off has passed."))
    #: what the form was built from (``reviews.stamp``), for the concurrency check
    stamp = HiddenField(validators=[InputRequired(), Regexp(r"^\d+\.\d+$")])
    #: the version the form showed
    version_id = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])

    def review_input(self, action: str) -> ReviewInput:
        outcome = ReviewOutcome.RETURNED if action.startswith("return") \
            else ReviewOutcome.GRADED
        passed = {"yes": True, "no": False}.get(self.passed.data or "")
        points = float(self.points.data) if self.points.data is not None else None
        return ReviewInput(outcome=outcome, points=points, passed=passed,
                           feedback=self.feedback.data or "",
                           revision_due_at=self.revision_due_at.data)


QUEUE_CHOICES = [
    SelectChoice(QueueFilter.UNGRADED.value, _l("not yet graded")),
    SelectChoice(QueueFilter.LATE.value, _l("late")),
    SelectChoice(QueueFilter.RETURNED.value, _l("returned for revision")),
    SelectChoice(QueueFilter.GRADED.value, _l("graded")),
]


class QueueFilterForm(QueryForm):
    """The grading queue's filters; the grading view carries them on to the next in line."""

    status = ChoiceFilter(_l("Show"), _l("all handed-in work"), QUEUE_CHOICES)
    municipality = ChoiceFilter(_l("Municipality"), _l("all municipalities"))

    def __init__(self, schedule: AssignmentSchedule) -> None:
        super().__init__()
        self.municipality.offer((municipality.id, municipality.name)
                                for municipality in municipality_choices(schedule))

    @property
    def chosen(self) -> Filters:
        return Filters(QueueFilter(self.status.chosen), parse_id(self.municipality.chosen))
