"""The record of processing activities (Art. 30 GDPR): what personal data the system keeps.

Each plugin declares its part (``Plugin.personal_data``); the host declares its own here.
Organisers read the combined record as a page and export it. A test holds every table
that names a person (a link to an account, an email address, a phone number, a person's
name) to a declaration, so a new table cannot keep personal data unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData, current_plugins
from lms.tables import Column, Table

#: the retention every record of the programme has today
KEPT_WITH_RECORDS = _l("As long as the programme's records are kept; nothing is deleted "
                       "automatically.")


def years_after_cohort() -> int:
    """Years a participant's data is kept after their last cohort ended (configured)."""
    return current_app.config["RETENTION_YEARS_AFTER_COHORT"]


def days_after_application() -> int:
    """Days a rejected or withdrawn application's contact data is kept (configured)."""
    return current_app.config["RETENTION_DAYS_AFTER_APPLICATION"]


def years_after_case() -> int:
    """Years an advice case is kept whole after it was concluded or declined (configured)."""
    return current_app.config["RETENTION_YEARS_AFTER_CASE"]


#: the retention of a person's records, stating the configured period when shown
KEPT_AFTER_COHORT = LazyString(lambda: _(
    "Participants and mediators: %(years)d years after the end of their last cohort, then "
    "pseudonymised (flask lms retention); lecturers and organisers: as long as the "
    "programme's records are kept.", years=years_after_cohort()))
#: the retention of the people named in applications, stating the configured period
KEPT_AFTER_APPLICATION = LazyString(lambda: _(
    "Rejected or withdrawn applications: contact persons and nominees %(days)d days after "
    "the decision, then pseudonymised (flask lms retention); otherwise as long as the "
    "programme's records are kept.", days=days_after_application()))
EVERYONE = _l("Participants, lecturers and organisers")

HOST_PERSONAL_DATA = (
    PersonalData(
        _l("Accounts"), EVERYONE,
        _l("Name, email address, roles, language, times of sign-in, password hash, the "
           "secret address of the personal calendar feed"),
        _l("Signing in, addressing people, deciding who may do what"), KEPT_AFTER_COHORT,
        ("users", "user_roles", "calendar_feed_secrets")),
    PersonalData(
        _l("Audit log"), EVERYONE,
        _l("Who changed what and when, with the values before and after"),
        _l("Tracing decisions, grades and corrections"), KEPT_WITH_RECORDS,
        ("audit_entries",)),
    PersonalData(
        _l("Mail"), _l("Recipients of mail from the system"),
        _l("Address, subject and text of each mail, its delivery attempts"),
        _l("Sending invitations and notifications, showing that they were sent"),
        KEPT_WITH_RECORDS, ("outbox_messages",)),
    PersonalData(
        _l("Files chosen but not yet saved"), _l("Lecturers"),
        _l("Feedback files chosen before a preview"),
        _l("Keeping chosen files across a preview or a confirmation"),
        _l("Until the feedback is saved; left-overs are removed with the person's next "
           "upload a day later"), ("pending_uploads",)),
    PersonalData(
        _l("Legal pages"), _l("Organisers"), _l("Author and time of each version"),
        _l("Tracing who published which text"), KEPT_WITH_RECORDS,
        ("legal_text_revisions",)),
    PersonalData(
        _l("Consents"), _l("People asked for their consent, also contact persons of "
                           "applications without an account"),
        _l("Who agreed (account or email address) to which version of which text, when, in "
           "which language, and when and by whom it was withdrawn; the author of each "
           "version of a consent text"),
        _l("Showing which consent was given and honouring its withdrawal"),
        _l("As long as the programme's records are kept, withdrawn consents included (as "
           "proof of the consent and of its withdrawal)."),
        ("consent_texts", "consent_records")),
)


@dataclass(frozen=True)
class Entry:
    """One declaration and the part of the system it comes from."""

    part: str
    declared: PersonalData


def processing_record() -> list[Entry]:
    """The host's declarations, then each plugin's, in plugin order."""
    entries = [Entry("lms", declared) for declared in HOST_PERSONAL_DATA]
    for plugin in current_plugins():
        entries += [Entry(plugin.name, declared) for declared in plugin.personal_data]
    return entries


def processing_table(entries: list[Entry]) -> Table:
    table = Table(_("Record of processing activities"), "processing-record", [
        Column(_("Part")), Column(_("Processing")), Column(_("Data subjects")),
        Column(_("Data")), Column(_("Purpose")), Column(_("Retention")),
        Column(_("Tables"))], sheet=_("Processing"))
    for entry in entries:
        declared = entry.declared
        table.add(entry.part, str(declared.title), str(declared.subjects),
                  str(declared.data), str(declared.purpose), str(declared.retention),
                  ", ".join(declared.tables))
    return table
