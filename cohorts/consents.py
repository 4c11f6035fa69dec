"""What the cohort plugin asks consent for: processing an application's data, and showing
a person's contact data to the others of their cohort (other municipalities included).

The consents themselves are the host's (``lms.consent``); here are the texts' first
versions, what withdrawing changes, and the contact-sharing choice, which gives or
withdraws its consent.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cohorts.models import Application, Enrollment
from lms import audit
from lms.auth.models import Role, User
from lms.auth.services import find_people
from lms.consent.models import ConsentRecord
from lms.consent.purposes import ConsentPurpose
from lms.consent.services import active_consent, give_consent, withdraw_consent
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE
from lms.links import site_url
from lms.mail import send_mail

APPLICATION = "application"
SHARE_CONTACT = "share_contact"


def _application_consent_withdrawn(record: ConsentRecord, actor: User | None) -> None:
    """The organisers hear of it at once (by mail and in the audit log) and act as the
    text says: an undecided application is no longer considered."""
    application = db.session.get(Application, record.subject_id)
    if application is None:
        return
    audit.record("application.consent_withdrawn", application, actor=actor,
                 after={"consent_record": record.id, "version": record.text.version})
    link = site_url("cohorts.application", cohort_id=application.cohort_id,
                    application_id=application.id)
    for organiser in db.session.scalars(find_people(role=Role.ORGANISER)
                                        .where(User.active)):
        with force_locale(organiser.language or DEFAULT_LANGUAGE):
            subject = _("Consent withdrawn: application of %(municipality)s",
                        municipality=application.municipality.name)
            body = render_template("cohorts/mail/consent_withdrawn.txt",
                                   application=application, record=record, link=link)
        send_mail(organiser.email, subject, body, user_id=organiser.id)


def _mark_sharing(enrollment: Enrollment, share: bool, actor: User | None) -> None:
    enrollment.share_contact = share
    audit.record("enrollment.contact_sharing", enrollment, actor=actor,
                 after={"share_contact": share})


def _contact_consent_withdrawn(record: ConsentRecord, actor: User | None) -> None:
    """Sharing stops at once: the cohort's pages show name and function only."""
    enrollment = db.session.get(Enrollment, record.subject_id)
    if enrollment is not None and enrollment.share_contact:
        _mark_sharing(enrollment, False, actor)


def set_contact_sharing(enrollment: Enrollment, share: bool, *, actor: User | None,
                        version: int | None, language: str) -> None:
    """Whether the others of the cohort see the person's email and phone.

    Sharing records the person's consent to the text ``version`` they were shown (in
    ``language``); hiding withdraws it. Choosing what is chosen already changes nothing.
    """
    if enrollment.share_contact == share:
        return
    if share:
        give_consent(SHARE_CONTACT, version=version, subject_id=enrollment.id,
                     language=language, user=enrollment.user)
        _mark_sharing(enrollment, True, actor)
    else:
        given = active_consent(SHARE_CONTACT, enrollment.id)
        if given is None:  # shared before consents were recorded
            _mark_sharing(enrollment, False, actor)
        else:
            withdraw_consent(given, actor=actor)
    db.session.flush()


PURPOSES = (
    ConsentPurpose(
        APPLICATION, _l("Processing of the application's data"),
        first_text_de=(
            "Wir willigen ein, dass die Landesweite Koordinierungsstelle Kommunale "
            "Integrationszentren NRW (LaKI) die Angaben dieser Bewerbung verarbeitet: Namen, "
            "E-Mail-Adressen, Telefonnummern und Funktionen der Ansprechperson und der "
            "benannten Personen sowie die Antworten der Bewerbung. Sie dienen dazu, das "
            "Bewerbungsverfahren durchzuführen und, wenn die Kommune aufgenommen wird, den "
            "Lehrgang auszurichten.\n\n"
            "Die Einwilligung ist freiwillig. Sie kann jederzeit mit Wirkung für die Zukunft "
            "widerrufen werden; was bis dahin geschah, bleibt rechtmäßig. Nach einem Widerruf "
            "werden die Organisatorinnen und Organisatoren sofort benachrichtigt: Eine noch "
            "nicht entschiedene Bewerbung wird nicht weiter berücksichtigt. Was die Unterlagen "
            "des Programms aufbewahren müssen, bleibt erhalten.\n"),
        first_text_en=(
            "We agree that the state coordination office of the municipal integration "
            "centres of North Rhine-Westphalia (LaKI) processes the details of this "
            "application: names, email addresses, phone numbers and functions of the contact "
            "person and of the nominated persons, and the answers of the application. They "
            "serve to carry out the application procedure and, if the municipality is "
            "accepted, to hold the course.\n\n"
            "This consent is voluntary. It can be withdrawn at any time with effect for the "
            "future; what happened until then remains lawful. After a withdrawal the "
            "organisers are told at once: an application not yet decided is no longer "
            "considered. What the programme's records must keep is kept.\n"),
        withdrawal_effect=_l("The organisers are told at once. As the text says, an "
                             "application not yet decided is no longer considered; what the "
                             "programme's records must keep is kept."),
        on_withdraw=_application_consent_withdrawn),
    ConsentPurpose(
        SHARE_CONTACT, _l("Showing my contact data to my cohort"),
        first_text_de=(
            "Ich willige ein, dass die anderen Teilnehmenden meiner Studiengruppe, auch die "
            "anderer Kommunen, meine E-Mail-Adresse und Telefonnummer auf der Seite der "
            "Studiengruppe sehen, damit wir uns untereinander austauschen können.\n\n"
            "Die Einwilligung ist freiwillig und kann jederzeit widerrufen werden, auf der "
            "Seite der Studiengruppe oder unter „Mein Konto“. Nach dem Widerruf sehen die "
            "anderen sofort nur noch meinen Namen und meine Funktion.\n"),
        first_text_en=(
            "I agree that the other participants of my cohort, those of other "
            "municipalities included, see my email address and phone number on the cohort's "
            "page, so that we can be in touch with each other.\n\n"
            "This consent is voluntary and can be withdrawn at any time, on the cohort's page "
            "or under \"My account\". After the withdrawal the others see only my name and "
            "my function, at once.\n"),
        withdrawal_effect=_l("The others of your cohort no longer see your email address and "
                             "phone, from now on."),
        on_withdraw=_contact_consent_withdrawn),
)
