"""Forms of the course plugin. Times are typed in Berlin local time and handed on in UTC."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from lms.dates import BerlinDateTimeField
from lms.forms import FlaskForm
from lms.uploads import FILE_TYPES
from lms.web import parse_id

MARKDOWN_HINT = _l("Markdown: **bold**, *italic*, ## headings, - lists, [text](https://…), "
                   "tables and ``` code blocks.")


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT)
    certificate_requirements = TextAreaField(
        _l("Certificate requirements"), description=MARKDOWN_HINT)
    starts_at = BerlinDateTimeField(_l("Start"), validators=[InputRequired()])
    ends_at = BerlinDateTimeField(_l("End"), validators=[InputRequired()])
    #: organisers only (``can("set_rules", course)``); the view removes it for others
    excused_counts_as_attended = BooleanField(
        _l("Excused absences count as attended"),
        description=_l("For the attendance rate: an excused absence from a session counts "
                       "like being present. Otherwise it counts like an absence."))


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField(_l("Short summary"), validators=[Length(max=2000)],
                            description=_l("Two or three sentences for the module list."))
    objectives = TextAreaField(_l("Learning objectives"), description=MARKDOWN_HINT)
    content = TextAreaField(_l("Content"), description=MARKDOWN_HINT)
    starts_at = BerlinDateTimeField(_l("Start (optional)"), validators=[Optional()])
    ends_at = BerlinDateTimeField(_l("End (optional)"), validators=[Optional()])


class ModuleEditForm(ModuleForm):
    #: the revision the editor started from (optimistic locking)
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])


class SessionForm(FlaskForm):
    title = StringField(_l("Title (optional)"), validators=[Length(max=200)],
                        description=_l("For example \"Day 1\"; the module title is shown anyway."))
    cohort_id = SelectField(_l("Cohort"), choices=[], validate_choice=True)
    starts_at = BerlinDateTimeField(_l("Start"), validators=[InputRequired()])
    ends_at = BerlinDateTimeField(_l("End"), validators=[InputRequired()])
    location = StringField(_l("Place and address"), validators=[Length(max=300)])
    online_url = StringField(_l("Online link"), validators=[Length(max=500)],
                             description=_l("For online sessions: the https:// address."))
    notes = TextAreaField(_l("Notes"), description=MARKDOWN_HINT)

    def set_cohorts(self, choices: list[tuple[int, str]]) -> None:
        self.cohort_id.choices = [("", _l("All cohorts"))] + [
            (str(ident), name) for ident, name in choices]

    @property
    def selected_cohort(self) -> int | None:
        return parse_id(self.cohort_id.data)


class FileMaterialForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    file = FileField(_l("File"), validators=[FileRequired(_l("Please choose a file."))],
                     render_kw={"accept": ",".join(FILE_TYPES)})


class LinkMaterialForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    url = StringField(_l("Web address"), validators=[InputRequired(), Length(max=500)],
                      description=_l("Starting with https:// or http://"))
