"""A case's confidential record: appointments, notes and documents.

Documents go through the host's upload pipeline; every view and download of one is
written to the audit log (``advice.document_viewed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advice.models import AdviceCase, Appointment, CaseDocument, CaseNote, CaseState
from cohorts.people import checked_text
from lms import audit
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import UploadRules, check_upload, stored_uploads

#: states in which the record is still written
WORKING_STATES = frozenset({CaseState.ASSIGNED, CaseState.IN_PROGRESS})


def _check_open(case: AdviceCase) -> None:
    if case.state not in WORKING_STATES:
        raise DomainError(_("This case is not being worked on; its record is closed."))


def add_appointment(case: AdviceCase, *, title: str, starts_at: datetime | None,
                    ends_at: datetime | None, location: str, actor: User) -> Appointment:
    _check_open(case)
    title = checked_text(title, "title", limit=200, missing=_l("Please enter a title."))
    if starts_at is None:
        raise DomainError(_("Please enter a date and a time."), field="starts_at")
    if ends_at is None:
        raise DomainError(_("Please enter a date and a time."), field="ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The end must lie after the start."), field="ends_at")
    appointment = Appointment(case=case, title=title, starts_at=starts_at, ends_at=ends_at,
                              location=checked_text(location, "location", limit=200),
                              created_by_id=actor.id)
    db.session.add(appointment)
    db.session.flush()
    audit.record("advice.appointment_added", appointment, actor=actor,
                 after={"case": case.id, "starts_at": starts_at.isoformat()})
    return appointment


def add_note(case: AdviceCase, body: str, *, actor: User) -> CaseNote:
    note = CaseNote(case=case, author=actor, body=checked_text(
        body, "body", limit=20000, missing=_l("Please write the note.")))
    db.session.add(note)
    db.session.flush()
    return note


def document_rules() -> UploadRules:
    return UploadRules(current_app.config["MATERIAL_MAX_MB"])


def add_document(case: AdviceCase, filename: str, stream: BinaryIO, *,
                 actor: User) -> CaseDocument:
    _check_open(case)
    rules = document_rules()
    upload = check_upload(filename, stream, rules)
    with stored_uploads() as store:
        stored = store.put(upload, rules)
        document = CaseDocument(case=case, filename=upload.filename, sha256=stored.sha256,
                                size=stored.size, content_type=upload.content_type,
                                uploaded_by_id=actor.id)
        db.session.add(document)
        db.session.flush()
    audit.record("advice.document_added", document, actor=actor, after={"case": case.id})
    return document


def record_view(document: CaseDocument, *, actor: User) -> None:
    """Every view and download of a case's document leaves an audit entry."""
    audit.record("advice.document_viewed", document, actor=actor,
                 after={"case": document.case_id})
