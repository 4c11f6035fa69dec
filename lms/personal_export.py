"""A person's copy of everything the system holds about them (Art. 15 GDPR), as one ZIP.

The ZIP holds ``daten.json``, one JSON document with a section per part of the system
(the host's own under "lms", then each plugin's, ``Plugin.export_personal_data``), the
person's stored files under ``dateien/`` and a German ``LIESMICH.txt`` that explains
both. Dates and times are ISO 8601 (times in UTC with their offset). A section holds
only the person's own data: a shared record (a team's submission) is shown without the
names or addresses of the others who share it.
"""

from __future__ import annotations

import enum
import io
import json
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Response, render_template
from sqlalchemy import or_, select

from lms import audit
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.calendar.models import CalendarFeedSecret
from lms.consent.services import consents_of
from lms.db import utcnow
from lms.downloads import content_disposition
from lms.extensions import db
from lms.legal.models import LegalTextRevision
from lms.mail import OutboxMessage
from lms.plugins import ExportedFile, PersonalSection, current_plugins
from lms.storage import FileMissing, current_storage
from lms.uploads import PendingUpload

DOCUMENT_NAME = "daten.json"
README_NAME = "LIESMICH.txt"
FILES_FOLDER = "dateien"
#: characters a file or folder name in the ZIP may keep; others become "_"
_UNSAFE = re.compile(r"[^\w.\- ]+")


def file_path(part: str, *names: object) -> str:
    """The path of a stored file in the ZIP: ``dateien/<part>/<names...>``, each name
    reduced to safe characters, so no name can climb out of its folder."""
    parts = [_UNSAFE.sub("_", str(name)).strip(" .") or "_" for name in (part, *names)]
    return "/".join((FILES_FOLDER, *parts))


def json_ready(value: Any) -> Any:
    """``value`` with dates as ISO 8601 text, enums as their values, decimals as numbers."""
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_ready(item) for item in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_ready(value.value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def host_section(user: User) -> PersonalSection:
    """The account, its history, its consents, the mail sent to it, its files not yet
    saved and the legal texts it wrote."""
    feed = db.session.get(CalendarFeedSecret, user.id)
    account = {
        "id": user.id, "email": user.email, "name": user.display_name,
        "roles": sorted(role.value for role in user.roles), "language": user.language,
        "active": user.active, "password_set": user.has_password,
        "created_at": user.created_at, "last_login_at": user.last_login_at,
        "calendar_feed_renewed_at": feed.created_at if feed else None,
    }
    pending = db.session.scalars(select(PendingUpload).where(PendingUpload.user_id == user.id)
                                 .order_by(PendingUpload.id)).all()
    files = [ExportedFile(file_path("lms", "nicht-gespeichert", row.id, row.filename),
                          row.sha256) for row in pending]
    return PersonalSection({
        "account": account,
        "account_history": [_history_entry(entry) for entry in _account_history(user)],
        "actions_recorded": [{"at": entry.at, "action": entry.action,
                              "object_type": entry.object_type, "object_id": entry.object_id}
                             for entry in _acted(user)],
        "consents": [{"purpose": record.text.purpose, "version": record.text.version,
                      "language": record.language, "given_at": record.given_at,
                      "withdrawn_at": record.withdrawn_at, "text": record.shown_text}
                     for record in reversed(consents_of(user))],
        "mail": [{"created_at": message.created_at, "sent_at": message.sent_at,
                  "recipient": message.recipient, "subject": message.subject,
                  "body": message.body} for message in _mail_to(user)],
        "files_not_yet_saved": [
            {"name": row.filename, "size": row.size, "chosen_at": row.created_at,
             "file": exported.path} for row, exported in zip(pending, files, strict=True)],
        "legal_text_versions_written": [
            {"page": revision.legal_text.page, "number": revision.number,
             "saved_at": revision.created_at} for revision in db.session.scalars(
                select(LegalTextRevision).where(LegalTextRevision.author_id == user.id)
                .order_by(LegalTextRevision.id))],
    }, tuple(files))


def _account_history(user: User) -> Iterable[AuditEntry]:
    """What happened to the account: the values before and after are the person's own."""
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == User.__tablename__, AuditEntry.object_id == user.id)
        .order_by(AuditEntry.at, AuditEntry.id))


def _history_entry(entry: AuditEntry) -> dict[str, Any]:
    # who else made a change is that person's data, not this one's: only "you" or not
    return {"at": entry.at, "action": entry.action, "by_you": entry.actor_id == entry.object_id,
            "before": entry.before, "after": entry.after}


def _acted(user: User) -> Iterable[AuditEntry]:
    """What the person did elsewhere: that they did it and when, without the values, which
    may be other people's (an organiser's changes to other accounts)."""
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.actor_id == user.id,
        or_(AuditEntry.object_type != User.__tablename__, AuditEntry.object_id != user.id))
        .order_by(AuditEntry.at, AuditEntry.id))


def _mail_to(user: User) -> Iterable[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(
        or_(OutboxMessage.user_id == user.id, OutboxMessage.recipient == user.email))
        .order_by(OutboxMessage.created_at, OutboxMessage.id))


def personal_sections(user: User) -> dict[str, PersonalSection]:
    """The host's section, then each plugin's that keeps data of people, in plugin order."""
    sections = {"lms": host_section(user)}
    for plugin in current_plugins():
        if plugin.export_personal_data:
            sections[plugin.name] = plugin.export_personal_data(user)
    return sections


def export_zip(user: User) -> bytes:
    """The ZIP of everything about ``user``; a stored file that has gone is listed as
    missing in the document instead of failing the whole copy."""
    sections = personal_sections(user)
    missing: list[str] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        written: set[str] = set()
        for section in sections.values():
            for exported in section.files:
                if exported.path in written:
                    continue
                try:
                    with current_storage().open(exported.sha256) as stream:
                        archive.writestr(exported.path, stream.read())
                except FileMissing:
                    missing.append(exported.path)
                    continue
                written.add(exported.path)
        document = {"person_id": user.id, "created_at": utcnow(),
                    "files_missing": missing,
                    "sections": {name: section.data for name, section in sections.items()}}
        archive.writestr(DOCUMENT_NAME, json.dumps(json_ready(document), ensure_ascii=False,
                                                   indent=2))
        archive.writestr(README_NAME, render_template("personal_export/readme.txt",
                                                      now=utcnow(), sections=list(sections)))
    return buffer.getvalue()


def export_file_name(user: User) -> str:
    return f"Meine-Daten-{user.id}-{utcnow().date().isoformat()}.zip"


def export_response(user: User, *, actor: User) -> Response:
    """The ZIP of ``user`` as a download, recorded in the audit log (that it was made and
    by whom, never what it held)."""
    data = export_zip(user)
    audit.record("user.data_exported", user, actor=actor)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": content_disposition(export_file_name(user)),
        "Cache-Control": "private, no-store"})
