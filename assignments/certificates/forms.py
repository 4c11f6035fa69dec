"""The forms of the rule's pages: the rule of a course, and the board's filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from assignments.steps.models import StepKind
from lms.fields import BoundedIntegerField, MultiCheckboxField
from lms.filters import ChoiceFilter, QueryForm
from lms.forms import FlaskForm
from lms.i18n import enum_choices
from lms.web import coerce_id

#: the board's filter: everybody, who meets the rule, who does not yet
ELIGIBLE, PENDING = "eligible", "pending"


class RuleForm(FlaskForm):
    min_attendance_percent = BoundedIntegerField(
        _l("Minimum attendance (percent)"), minimum=0, maximum=100,
        validators=[InputRequired(_l("Please give a minimum attendance between 0 and 100 "
                                     "percent."))],
        description=_l("Of the sessions held during the person's time in the cohort; "
                       "cancelled sessions do not count."))
    required_assignments = MultiCheckboxField(
        _l("Module work that must be passed"), coerce=coerce_id, choices=[],
        description=_l("The grade last released to the person (team work: to their "
                       "municipality) decides. Mediators are judged on individual work only."))
    required_step = SelectField(
        _l("Implementation step the municipality must have reached"),
        choices=[SelectChoice("", _l("none")), *enum_choices(StepKind)],
        description=_l("Not asked of mediators."))

    def step(self) -> StepKind | None:
        return StepKind(self.required_step.data) if self.required_step.data else None


class BoardFilter(QueryForm):
    show = ChoiceFilter(_l("Show"), everything=_l("everybody"),
                        choices=[SelectChoice(ELIGIBLE, _l("meets the rule")),
                                 SelectChoice(PENDING, _l("not yet"))])
