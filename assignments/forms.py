"""Forms of the assignment plugin. They parse; the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from assignments.authoring import MAX_FILES, MAX_POINTS, AssignmentDetails, ScheduleDates
from assignments.extensions import REASON_MAX, ExtensionRequest
from assignments.models import AssignmentKind, GradingScheme
from courses.forms import MARKDOWN_HINT
from lms.dates import BerlinDateTimeField
from lms.fields import BoundedIntegerField
from lms.forms import FlaskForm
from lms.i18n import enum_choices
from lms.uploads import KNOWN_EXTENSIONS
from lms.web import coerce_id


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as a select field's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


TEXT_CHOICES = choices([
    ("optional", _l("asked for, optional")),
    ("required", _l("asked for, required")),
    ("none", _l("not asked for (files only)")),
])


class AssignmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    instructions = TextAreaField(_l("Instructions"), description=MARKDOWN_HINT)
    kind = SelectField(_l("Who hands in"), choices=enum_choices(AssignmentKind))
    grading = SelectField(_l("Grading"), choices=enum_choices(GradingScheme))
    max_points = BoundedIntegerField(_l("Maximum points"), minimum=1, maximum=MAX_POINTS,
                                     validators=[Optional()],
                              description=_l("Only for grading with points."))
    counts_for_certificate = BooleanField(_l("Counts towards the certificate"), default=True)
    text = SelectField(_l("Written answer"), choices=TEXT_CHOICES, default="optional")
    allowed_extensions = StringField(
        _l("Allowed file types"), default="pdf, docx, odt", validators=[Length(max=200)],
        description=_l("Separated by commas. Possible: %(types)s",
                       types=", ".join(KNOWN_EXTENSIONS)))
    max_files = BoundedIntegerField(_l("Number of files"), default=3, minimum=0,
                                    maximum=MAX_FILES, validators=[InputRequired()])
    #: the domain holds it to the configured upload limit
    max_file_mb = BoundedIntegerField(_l("Largest file (MB)"), default=10, minimum=1,
                                      maximum=100_000, validators=[InputRequired()])

    def fill(self, details: AssignmentDetails) -> None:
        self.text.data = ("required" if details.text_required
                          else "optional" if details.text_allowed else "none")
        self.kind.data, self.grading.data = details.kind.value, details.grading.value
        self.allowed_extensions.data = ", ".join(details.allowed_extensions.split(","))

    def details(self) -> AssignmentDetails:
        return AssignmentDetails(
            title=self.title.data or "", instructions=self.instructions.data or "",
            kind=AssignmentKind(self.kind.data), grading=GradingScheme(self.grading.data),
            max_points=self.max_points.data,
            counts_for_certificate=self.counts_for_certificate.data,
            allowed_extensions=self.allowed_extensions.data or "",
            max_files=self.max_files.data, max_file_mb=self.max_file_mb.data,
            text_allowed=self.text.data != "none", text_required=self.text.data == "required")


class DatesForm(FlaskForm):
    opens_at = BerlinDateTimeField(_l("Opens"), validators=[InputRequired()])
    due_at = BerlinDateTimeField(_l("Due"), validators=[InputRequired()])
    cut_off_at = BerlinDateTimeField(
        _l("Cut-off (optional)"), validators=[Optional()],
        description=_l("Work handed in after the due date is marked late; after the cut-off "
                       "nothing is accepted. Empty: the due date."))

    def dates(self) -> ScheduleDates:
        return ScheduleDates(self.opens_at.data, self.due_at.data, self.cut_off_at.data)


class ScheduleForm(DatesForm):
    #: any number is taken: the service answers a forged one with a clear message
    cohort_id = SelectField(_l("Cohort"), coerce=coerce_id, choices=[], validate_choice=False)


class CopyForm(FlaskForm):
    cohort_id = SelectField(_l("Copy to cohort"), coerce=coerce_id, choices=[],
                            validate_choice=False,
                            description=_l("The dates move with the cohort's start."))


class ExtensionForm(FlaskForm):
    owner = SelectField(_l("For"), choices=[], validate_choice=False)
    due_at = BerlinDateTimeField(_l("New due date"), validators=[InputRequired()])
    cut_off_at = BerlinDateTimeField(_l("New cut-off (optional)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=REASON_MAX)])

    def request(self) -> ExtensionRequest:
        return ExtensionRequest(owner=self.owner.data or "", due_at=self.due_at.data,
                                cut_off_at=self.cut_off_at.data, reason=self.reason.data or "")


class WorkForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), description=MARKDOWN_HINT)
    files = MultipleFileField(_l("Attach files"))
    #: one per page load: a second click of the same form adds no second version
    token = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{32}$")])


def chosen_files(field: MultipleFileField) -> list[tuple[str, BinaryIO]]:
    """The (name, stream) of each file picked in ``field``; empty file inputs left out."""
    return [(upload.filename, upload.stream) for upload in field.data or []
            if getattr(upload, "filename", "")]
