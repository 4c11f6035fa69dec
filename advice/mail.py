"""The advice office's mail: who is told what, with a link to the case.

A mail names the case by its number, kind and municipality and leads to the case page,
where the reader's rights decide what they see. It never carries the case's record
(notes, documents, description): mail is kept in the outbox and read outside the site.
The office's question is the one text passed on, as the municipality is to answer it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from advice.access import people_speaking_for
from advice.consents import ADVICE_REQUEST
from advice.models import AdviceCase, CaseAssignment
from lms.auth.models import Role, User
from lms.auth.services import find_people
from lms.consent.services import consents_about
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE
from lms.mail import mail_person, send_mail


def _mail(person: User, case: AdviceCase, subject: Callable[[], str], details: str = "") -> None:
    mail_person(person, subject, endpoint="advice.case", values={"case_id": case.id},
                details=details)


def mail_assigned(assignments: list[CaseAssignment]) -> None:
    """Each member asked to take a case is told, and answers on the case page."""
    for assignment in assignments:
        case = assignment.case
        _mail(assignment.member.user, case, lambda case=case: _(
            "You have been asked to take advice case %(number)d (%(kind)s, %(municipality)s)",
            number=case.id, kind=case.kind.label, municipality=case.municipality.name))


def mail_question(case: AdviceCase) -> None:
    """The office's question reaches everyone who may answer it for the municipality, and
    the contact of a request sent by the public form, who has no account: they answer by
    replying (the office records it), so their mail links to nothing they cannot open."""
    def subject() -> str:
        return _("The advice office has a question about case %(number)d", number=case.id)

    for person in people_speaking_for(case):
        _mail(person, case, subject, details=case.question)
    if case.requester_id is None and case.contact_email:
        with force_locale(_form_language(case)):
            send_mail(case.contact_email, subject(),
                      render_template("advice/mail/question_public.txt", case=case))


def _form_language(case: AdviceCase) -> str:
    """The language the public form was sent in, as its consent record keeps it."""
    sent = consents_about(ADVICE_REQUEST, case.id)
    return sent[0].language if sent else DEFAULT_LANGUAGE


def mail_declined(assignment: CaseAssignment) -> None:
    """The organisers learn that a member declined, to ask someone else; the reason is
    on the case page."""
    case = assignment.case
    for person in db.session.scalars(find_people(role=Role.ORGANISER).where(User.active)):
        _mail(person, case, lambda: _(
            "%(name)s has declined advice case %(number)d", number=case.id,
            name=assignment.member.user.display_name))
