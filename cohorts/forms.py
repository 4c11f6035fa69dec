"""Forms of the cohort plugin. They check shape and size; the rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from cohorts.applications import TEXT_MAX, ApplicationDetails
from cohorts.enrollments import REASON_MAX
from cohorts.models import (
    ApplicationStatus,
    Cohort,
    FieldRule,
    Municipality,
    MunicipalityKind,
    Procedure,
)
from cohorts.municipalities import ADDRESS_MAX, OFFICIAL_FIELDS, REGION_MAX, MunicipalityDetails
from cohorts.people import EMAIL_MAX, FUNCTION_MAX, NAME_MAX, PHONE_MAX, PersonDetails
from cohorts.services import DEFAULT_FIELD_RULES, MAX_CAPACITY, MAX_SEATS, CohortDetails
from courses.models import Course
from lms.auth.models import User
from lms.dates import DateField
from lms.fields import BoundedIntegerField, MultiCheckboxField
from lms.filters import ChoiceFilter, QueryForm, SearchFilter
from lms.forms import FlaskForm, Form
from lms.i18n import enum_choices
from lms.web import parse_id

#: the largest people file the import reads
IMPORT_MAX_BYTES = 512 * 1024


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: object, *, required: bool = True) -> EmailField:
    validators = [InputRequired()] if required else [Optional()]
    return EmailField(label, filters=[_strip],
                      validators=[*validators, Email(), Length(max=EMAIL_MAX)])


# --- The public application form ------------------------------------------------------------


class NomineeForm(Form):
    """One nominated person; part of the application form (no CSRF token of its own)."""

    name = StringField(_l("Name"), filters=[_strip],
                       validators=[InputRequired(), Length(max=NAME_MAX)])
    email = _email_field(_l("Email address"))
    function = StringField(_l("Function"), filters=[_strip],
                           validators=[InputRequired(), Length(max=FUNCTION_MAX)],
                           description=_l("For example \"Head of the municipal integration "
                                          "centre\"."))


FIELD_LABELS = {
    "motivation": _l("Motivation"),
    "structures": _l("Current integration structures"),
    "contact_phone": _l("Phone"),
}
OPTIONAL_FIELD_LABELS = {
    "motivation": _l("Motivation (optional)"),
    "structures": _l("Current integration structures (optional)"),
    "contact_phone": _l("Phone (optional)"),
}
FIELD_HINTS = {
    "motivation": _l("Why does your municipality want to take part, and what do you want to "
                     "achieve? Markdown: **bold**, *italic*, - lists."),
    "structures": _l("Which offices, committees and processes deal with integration in your "
                     "municipality today? Markdown: **bold**, *italic*, - lists."),
    "contact_phone": None,
}


class ApplicationForm(FlaskForm):
    municipality_id = SelectField(
        _l("Municipality"), choices=[], validate_choice=False,
        validators=[InputRequired(_l("Please choose your municipality from the list."))])
    contact_name = StringField(_l("Contact person"), filters=[_strip],
                               validators=[InputRequired(), Length(max=NAME_MAX)])
    contact_email = _email_field(_l("Email address of the contact person"))
    consent = BooleanField(
        _l("We agree that LaKI NRW processes the data of this application to carry out the "
           "application procedure and the course."),
        validators=[InputRequired(_l("Please agree to the processing of your data."))])
    #: the version of the consent text shown above the checkbox
    consent_version = HiddenField()
    #: the honeypot: hidden from people, filled in by bots
    website = StringField(_l("Please leave this field empty"),
                          validators=[Length(max=200)])

    def _asked(self, name: str) -> str:
        """The value of a field the cohort may leave out; empty when it does."""
        return self[name].data or "" if name in self else ""

    def details(self, language: str) -> ApplicationDetails:
        return ApplicationDetails(
            municipality_id=parse_id(self.municipality_id.data),
            contact_name=self.contact_name.data or "", contact_email=self.contact_email.data or "",
            contact_phone=self._asked("contact_phone"), motivation=self._asked("motivation"),
            structures=self._asked("structures"),
            nominees=tuple(PersonDetails(entry.form.name.data or "", entry.form.email.data or "",
                                         entry.form.function.data or "")
                           for entry in self.nominees),  # type: ignore[attr-defined]
            consent=bool(self.consent.data), language=language,
            consent_version=parse_id(self.consent_version.data) or 0,
        )


def application_form(cohort: Cohort, municipalities: list[Municipality]) -> ApplicationForm:
    """The form for ``cohort``: its seats as nominee blocks, its optional fields as it asks them.

    Each cohort gets its own form class, so the fields a cohort leaves out do not exist
    at all (nothing can be sent for them), and required ones say so.
    """
    attributes: dict[str, object] = {
        "nominees": FieldList(FormField(NomineeForm), min_entries=cohort.seats_per_municipality,
                              max_entries=cohort.seats_per_municipality),
    }
    for name, rule in cohort.field_rules.items():
        if rule is FieldRule.HIDDEN:
            continue
        required = rule is FieldRule.REQUIRED
        label = (FIELD_LABELS if required else OPTIONAL_FIELD_LABELS)[name]
        presence = InputRequired() if required else Optional()
        if name == "contact_phone":
            attributes[name] = StringField(label, filters=[_strip],
                                           validators=[presence, Length(max=PHONE_MAX)])
        else:
            attributes[name] = TextAreaField(label, description=FIELD_HINTS[name],
                                             validators=[presence, Length(max=TEXT_MAX)])
    form_class = type("CohortApplicationForm", (ApplicationForm,), attributes)
    form = form_class()
    form.municipality_id.choices = [SelectChoice("", _l("Please choose"))] + [
        SelectChoice(str(m.id), m.name) for m in municipalities]
    return form


# --- Organisers ------------------------------------------------------------------------------


class CohortForm(FlaskForm):
    course_id = SelectField(_l("Course"), choices=[], validate_choice=False)
    name = StringField(_l("Name"), filters=[_strip],
                       validators=[InputRequired(), Length(max=NAME_MAX)],
                       description=_l("For example \"Studiengruppe 2017\"."))
    capacity = BoundedIntegerField(_l("Capacity (municipalities)"), minimum=1,
                                   maximum=MAX_CAPACITY, validators=[InputRequired()])
    seats_per_municipality = BoundedIntegerField(_l("Persons per municipality"), default=2,
                                                 minimum=1, maximum=MAX_SEATS,
                                                 validators=[InputRequired()])
    procedure = SelectField(_l("Procedure"), choices=enum_choices(Procedure))
    application_opens_on = DateField(_l("Applications from"), validators=[InputRequired()])
    application_closes_on = DateField(_l("Applications until (inclusive)"),
                                      validators=[InputRequired()])
    starts_on = DateField(_l("Start"), validators=[InputRequired()])
    ends_on = DateField(_l("End"), validators=[InputRequired()])
    ask_motivation = SelectField(FIELD_LABELS["motivation"], choices=enum_choices(FieldRule),
                                 description=_l("The shortened procedure never asks for it."))
    ask_structures = SelectField(FIELD_LABELS["structures"], choices=enum_choices(FieldRule))
    ask_phone = SelectField(_l("Phone of the contact person"), choices=enum_choices(FieldRule))
    lecturer_ids = MultiCheckboxField(_l("Lecturers"), choices=[], validate_choice=False)

    def set_choices(self, courses: list[Course], lecturers: list[User]) -> None:
        self.course_id.choices = [SelectChoice(str(c.id), c.title) for c in courses]
        self.lecturer_ids.choices = [SelectChoice(str(u.id), u.display_name) for u in lecturers]

    def show(self, cohort: Cohort | None) -> None:
        """Fill in what ``obj`` cannot: enum values, ids, and a new cohort's defaults."""
        if cohort is None:
            rules = DEFAULT_FIELD_RULES[Procedure.FULL]
            self.ask_motivation.data, self.ask_structures.data, self.ask_phone.data = (
                rule.value for rule in rules)
            return
        self.course_id.data = str(cohort.course_id)
        self.lecturer_ids.data = [str(user.id) for user in cohort.lecturers]
        self.procedure.data = cohort.procedure.value
        for name, rule in (("ask_motivation", cohort.ask_motivation),
                           ("ask_structures", cohort.ask_structures),
                           ("ask_phone", cohort.ask_phone)):
            self[name].data = rule.value

    def details(self) -> CohortDetails:
        return CohortDetails(
            course_id=parse_id(self.course_id.data) or 0, name=self.name.data or "",
            capacity=self.capacity.data, seats_per_municipality=self.seats_per_municipality.data,
            procedure=Procedure(self.procedure.data),
            application_opens_on=self.application_opens_on.data,
            application_closes_on=self.application_closes_on.data,
            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
            ask_motivation=FieldRule(self.ask_motivation.data),
            ask_structures=FieldRule(self.ask_structures.data),
            ask_phone=FieldRule(self.ask_phone.data),
            lecturer_ids=frozenset(ident for value in self.lecturer_ids.data or ()
                                   if (ident := parse_id(value)) is not None),
        )


class DecisionForm(FlaskForm):
    status = SelectField(_l("New state"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[Length(max=REASON_MAX)],
                           description=_l("Kept in the history; required for a rejection. "
                                          "The applicant does not see it."))
    #: set by the confirmation page of a move that cannot simply be taken back
    confirmed = HiddenField()

    def set_moves(self, moves: list[ApplicationStatus]) -> None:
        self.status.choices = [SelectChoice(status.value, status.label) for status in moves]


class PersonForm(FlaskForm):
    """A person to enrol, or to take over from someone who leaves."""

    name = StringField(_l("Name"), filters=[_strip],
                       validators=[InputRequired(), Length(max=NAME_MAX)])
    email = _email_field(_l("Email address"))
    function = StringField(_l("Function"), filters=[_strip],
                           validators=[Length(max=FUNCTION_MAX)])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Length(max=PHONE_MAX)])

    def person(self) -> PersonDetails:
        return PersonDetails(self.name.data or "", self.email.data or "",
                             self.function.data or "", self.phone.data or "")


class NewPersonForm(PersonForm):
    #: "m<id>" for a municipality, "mediator" for a mediator
    role = SelectField(_l("Enrolled as"), choices=[], validate_choice=False)
    paired = MultiCheckboxField(_l("Paired with (mediators only)"), choices=[],
                                validate_choice=False)


class MediatorFromPoolForm(FlaskForm):
    user_id = SelectField(_l("Mediator from the pool"), choices=[], validate_choice=False)
    paired = MultiCheckboxField(_l("Paired with"), choices=[], validate_choice=False)


class ReplacementForm(PersonForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=REASON_MAX)])


class EndEnrollmentForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=REASON_MAX)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), description=_l("At most %(size)d KB.",
                                                    size=IMPORT_MAX_BYTES // 1024))
    #: the checked file's text, sent again to confirm the import
    content = HiddenField()


class ContactSharingForm(FlaskForm):
    share = HiddenField(validators=[InputRequired()])
    #: the version of the consent text the page showed (sharing only)
    version = HiddenField()


class MunicipalityForm(FlaskForm):
    ags = StringField(_l("Municipality key (AGS)"), filters=[_strip],
                      validators=[InputRequired(), Length(max=12)],
                      description=_l("Eight digits, for example 05915000."))
    name = StringField(_l("Name"), filters=[_strip],
                       validators=[InputRequired(), Length(max=NAME_MAX)])
    kind = SelectField(_l("Type"), choices=enum_choices(MunicipalityKind))
    region = StringField(_l("Administrative region"), filters=[_strip],
                         validators=[Length(max=REGION_MAX)])
    contact_name = StringField(_l("Contact person"), filters=[_strip],
                               validators=[Length(max=NAME_MAX)])
    contact_email = _email_field(_l("Email address"), required=False)
    contact_phone = StringField(_l("Phone"), filters=[_strip], validators=[Length(max=PHONE_MAX)])
    address = TextAreaField(_l("Address"), validators=[Length(max=ADDRESS_MAX)])

    def details(self, current: Municipality | None) -> MunicipalityDetails:
        """The form's values; official fields the form leaves out come from ``current``."""
        data = self.data

        def value(name: str) -> str:
            return data[name] or "" if name in data else str(getattr(current, name, "") or "")

        kind = value("kind")
        return MunicipalityDetails(
            ags=value("ags"), name=value("name"),
            kind=MunicipalityKind(kind) if kind in set(MunicipalityKind)
            else MunicipalityKind.GEMEINDE,
            region=value("region"), contact_name=value("contact_name"),
            contact_email=value("contact_email"), contact_phone=value("contact_phone"),
            address=value("address"))


def municipality_form(municipality: Municipality | None, *, show: bool) -> MunicipalityForm:
    """The form; for rows of the official list without the fields that list decides."""
    form = MunicipalityForm(obj=municipality)
    if municipality is not None and municipality.reference:
        for name in OFFICIAL_FIELDS:
            delattr(form, name)
    elif show:
        form.kind.data = (municipality.kind if municipality
                          else MunicipalityKind.KREISANGEHOERIGE_STADT).value
    return form


class AttendanceListForm(FlaskForm):
    """A session's attendance list: its CSRF token here, each person's status as a radio
    group ``status-<enrollment id>`` (``cohorts.attendance.parse_list``)."""


class ApplicationFilterForm(QueryForm):
    """A cohort's application list's filters; the regions are offered per request."""

    q = SearchFilter(_l("Municipality"))
    status = ChoiceFilter(_l("State"), _l("All states"), enum_choices(ApplicationStatus))
    region = ChoiceFilter(_l("Administrative region"), _l("All regions"))


class MunicipalityFilterForm(QueryForm):
    """The municipality list's filters."""

    q = SearchFilter(_l("Name or AGS"))
    kind = ChoiceFilter(_l("Type"), _l("All kinds"), enum_choices(MunicipalityKind))
