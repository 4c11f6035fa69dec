"""The advice office's forms. Rules live in the domain functions; the forms only read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from advice.cases import RequestDetails, Triage
from advice.models import REGIONS, CaseKind, OutcomeKind, PoolMember, Urgency
from advice.pool import Profile, split_list
from cohorts.models import Municipality
from cohorts.people import PersonDetails
from lms.dates import BerlinDateTimeField
from lms.fields import MultiCheckboxField
from lms.forms import FlaskForm
from lms.web import coerce_id, parse_id


def _choices(enum: type) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum]


class RequestForm(FlaskForm):
    municipality_id = SelectField(_l("Municipality"), choices=[], validate_choice=False)
    kind = SelectField(_l("What do you ask for?"), choices=_choices(CaseKind))
    description = TextAreaField(_l("Description of the conflict"),
                                description=_l("Markdown is possible."))
    parties = TextAreaField(_l("Parties involved"))
    urgency = SelectField(_l("Urgency"), choices=_choices(Urgency), default=Urgency.NORMAL)
    preferred_dates = TextAreaField(_l("Preferred dates"))
    language = StringField(_l("Language of the talks"), default="Deutsch")
    topic = StringField(_l("Topic"), description=_l("In a word or two, e.g. school, "
                                                    "neighbourhood, refugee accommodation."))
    consent = BooleanField(_l("I agree to the processing of the data of this request as "
                              "described above."))
    consent_version = HiddenField()

    def details(self, language: str) -> RequestDetails:
        return RequestDetails(
            municipality_id=parse_id(self.municipality_id.data), kind=CaseKind(self.kind.data),
            description=self.description.data or "", urgency=Urgency(self.urgency.data),
            consent=bool(self.consent.data), parties=self.parties.data or "",
            preferred_dates=self.preferred_dates.data or "", language=self.language.data or "",
            topic=self.topic.data or "",
            contact_name=(getattr(self, "contact_name", None) and self.contact_name.data) or "",
            contact_email=(getattr(self, "contact_email", None) and self.contact_email.data) or "",
            consent_version=parse_id(self.consent_version.data) or 0, form_language=language)


    def contact(self) -> dict[str, str]:
        """Who to answer: signed-in people are known by their account."""
        return {}


class PublicRequestForm(RequestForm):
    contact_name = StringField(_l("Your name"))
    contact_email = StringField(_l("Your email address"))

    def contact(self) -> dict[str, str]:
        return {"contact_name": self.contact_name.data or "",
                "contact_email": self.contact_email.data or ""}


def request_form(municipalities: list[Municipality], *, public: bool,
                 preselected: int | None = None) -> RequestForm:
    form = PublicRequestForm() if public else RequestForm()
    form.municipality_id.choices = [SelectChoice("", _l("Please choose"))] + [
        SelectChoice(str(m.id), m.name) for m in municipalities]
    if preselected and not form.is_submitted():
        form.municipality_id.data = str(preselected)
    return form


class TriageForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[
        SelectChoice(Triage.ACCEPT, _l("Accept")), SelectChoice(Triage.ASK, _l("Ask back")),
        SelectChoice(Triage.DECLINE, _l("Decline"))],
        validators=[InputRequired(_l("Please choose."))])
    text = TextAreaField(_l("Question or reason"),
                         description=_l("A question back and a decline need a text; the "
                                        "municipality reads it."))


class AssignForm(FlaskForm):
    members = MultiCheckboxField(_l("Members of the pool"), coerce=coerce_id,
                                 validate_choice=False)


class RespondForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=[
        SelectChoice("accept", _l("I take the case")), SelectChoice("decline", _l("I decline"))],
                        validators=[InputRequired(_l("Please choose."))])
    reason = TextAreaField(_l("Reason (when declining)"))


class AppointmentForm(FlaskForm):
    title = StringField(_l("Title"))
    starts_at = BerlinDateTimeField(_l("Start"), validators=[Optional()])
    ends_at = BerlinDateTimeField(_l("End"), validators=[Optional()])
    location = StringField(_l("Place"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Note"), description=_l("Markdown is possible."))


class DocumentForm(FlaskForm):
    file = FileField(_l("Document"))


class ConcludeForm(FlaskForm):
    outcome_kind = SelectField(_l("Outcome"), choices=[SelectChoice("", _l("Please choose")),
                                                      *_choices(OutcomeKind)])
    outcome = TextAreaField(_l("What came of it"), description=_l("Markdown is possible."))

    def kind(self) -> OutcomeKind | None:
        return OutcomeKind(self.outcome_kind.data) if self.outcome_kind.data else None


class FeedbackForm(FlaskForm):
    rating = RadioField(_l("How helpful was the advice?"),
                        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                        validators=[InputRequired(_l("Please choose a rating from 1 to 5."))])
    text = TextAreaField(_l("Comment (anonymous)"))


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Your answer"),
                         validators=[InputRequired(_l("Please write your answer."))])


class ProfileForm(FlaskForm):
    qualifications = TextAreaField(_l("Qualifications"))
    languages = StringField(_l("Languages"), description=_l("Separated by commas."))
    regions = MultiCheckboxField(_l("Administrative regions served"),
                                 choices=[SelectChoice(region, region) for region in REGIONS])
    topics = StringField(_l("Topics"), description=_l("Separated by commas."))
    availability = StringField(_l("Availability"))
    active = BooleanField(_l("Active (uncheck to pause)"), default=True)

    def fill(self, member: PoolMember) -> None:
        self.qualifications.data = member.qualifications
        self.languages.data = ", ".join(member.languages)
        self.regions.data = list(member.regions)
        self.topics.data = ", ".join(member.topics)
        self.availability.data = member.availability
        self.active.data = member.active

    def profile(self) -> Profile:
        return Profile(qualifications=self.qualifications.data or "",
                       languages=split_list(self.languages.data),
                       regions=tuple(self.regions.data or ()),
                       topics=split_list(self.topics.data),
                       availability=self.availability.data or "",
                       active=bool(self.active.data))


class NewMemberForm(ProfileForm):
    name = StringField(_l("Name"))
    email = StringField(_l("Email address"))

    def person(self) -> PersonDetails:
        return PersonDetails(self.name.data or "", self.email.data or "")
