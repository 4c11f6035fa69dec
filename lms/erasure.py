"""Erasing a person (Art. 17 GDPR) while the programme's records stay whole.

Where a record must stay (submissions, grades, attendance, certificates), it keeps its
holder: the account, pseudonymised ("Gelöschte Person #12", an address that cannot be
delivered, deactivated, without password or feed secret). Where nothing must stay
(drafts, notifications, feed secrets, files not yet saved, mail to the person, shared
contact data), the rows go. Consents stay as proof of what was allowed, withdrawn.
Each plugin does its part (``Plugin.erase_personal_data``) with the ``Erasure`` it is
handed; the host does its own here, last, and records the erasure in the audit log
without the erased data, after scrubbing the name and address from every earlier entry.

Texts written by others may name the person (feedback, a mail to a colleague, a note):
``Erasure.scrub`` replaces the name and the address in the columns a plugin names.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import JSON, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute

from lms import audit, jobs
from lms.audit import AuditEntry
from lms.auth.logins import end_logins
from lms.auth.models import Role, User, UserRole
from lms.calendar import cache as calendar_cache
from lms.calendar.models import CalendarFeedSecret
from lms.consent.models import ConsentRecord
from lms.consent.services import consents_of, withdraw_consent
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import OutboxMessage
from lms.plugins import current_plugins
from lms.storage import current_storage
from lms.uploads import PendingUpload, referenced

#: the name an erased person's records show; stored as data, in the programme's language
PSEUDONYM = "Gelöschte Person #{id}"
#: ".invalid" can never be delivered (RFC 2606); every placeholder address ends in it
ERASED_DOMAIN = "geloescht.invalid"
PLACEHOLDER_EMAIL = "geloescht-{id}@" + ERASED_DOMAIN


class Replacement:
    """Replaces a name and an address by a pseudonym and an undeliverable address in texts:
    a person's erasure, or the contact data of an application past its retention."""

    name: str
    email: str
    pseudonym: str
    placeholder_email: str

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        words = sorted({self.name.strip(), self.email} - {""}, key=len, reverse=True)
        return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)

    def _replacement(self, match: re.Match[str]) -> str:
        return self.placeholder_email if "@" in match.group(0) else self.pseudonym

    def scrubbed(self, value: Any) -> Any:
        """``value`` (text, or JSON data) with the name and address replaced."""
        if isinstance(value, str):
            return self._pattern.sub(self._replacement, value)
        if isinstance(value, dict):
            return {key: self.scrubbed(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrubbed(item) for item in value]
        return value

    def scrub(self, *columns: InstrumentedAttribute[Any], where: Any = None) -> None:
        """Replace the name and address wherever they stand in ``columns`` (text or JSON,
        of one model or several), in every row (or, with ``where``, in the rows it picks)."""
        by_model: dict[type, list[InstrumentedAttribute[Any]]] = defaultdict(list)
        for column in columns:
            by_model[column.class_].append(column)
        for model, model_columns in by_model.items():
            query = select(model).where(self._mentions(model_columns))
            if where is not None:
                query = query.where(where)
            for row in db.session.scalars(query):
                for column in model_columns:
                    value = getattr(row, column.key)
                    scrubbed = self.scrubbed(value)
                    if scrubbed != value:
                        setattr(row, column.key, scrubbed)
        db.session.flush()

    def _mentions(self, columns: list[InstrumentedAttribute[Any]]) -> Any:
        """Rows that may name the person, found by the database. JSON is searched as its
        text, where "ü" may stand escaped ("\\u00fc", as Python writes it) or as itself
        (as PostgreSQL's jsonb would give it back), so both spellings are looked for."""
        words = {self.name.strip(), self.email} - {""}
        in_json = words | {json.dumps(word)[1:-1] for word in words}
        conditions = []
        for column in columns:
            text, variants = ((cast(column, Text), in_json) if isinstance(column.type, JSON)
                              else (column, words))
            conditions += [text.icontains(word, autoescape=True) for word in variants]
        return or_(*conditions)


@dataclass(frozen=True)
class Erasure(Replacement):
    """One person's erasure, as the plugins see it: who, by whom (None: the retention
    command), and what to replace."""

    user: User
    actor: User | None
    #: the name and address as they were before the erasure
    name: str
    email: str

    @property
    def pseudonym(self) -> str:  # type: ignore[override]
        return PSEUDONYM.format(id=self.user.id)

    @property
    def placeholder_email(self) -> str:  # type: ignore[override]
        return PLACEHOLDER_EMAIL.format(id=self.user.id)

    def forget_files(self, sha256s: Iterable[str]) -> None:
        forget_files(sha256s)


def forget_files(sha256s: Iterable[str]) -> None:
    """Delete the stored bytes once the transaction is committed, unless a row still
    refers to them (the same file handed in elsewhere)."""
    for sha256 in set(sha256s):
        jobs.defer(delete_unreferenced_file, sha256)


def delete_unreferenced_file(sha256: str) -> None:
    """A job: delete stored bytes no row refers to any more."""
    if not referenced(sha256):
        current_storage().delete(sha256)


def erasure_problem(user: User, actor: User | None) -> str | None:
    """Why ``actor`` (None: the retention command) may not erase ``user`` (German on
    German pages), or None."""
    if user.erased_at is not None:
        return _("The data of this person has already been erased.")
    if actor is not None and user.id == actor.id:
        return _("You cannot erase your own data. Ask another organiser.")
    if user.has_role(Role.ORGANISER) and not _other_organisers(user):
        return _("%(name)s is the last active organiser and cannot be erased. Give another "
                 "person the organiser role first.", name=user.display_name)
    return None


def _other_organisers(user: User) -> int:
    return db.session.scalar(
        select(func.count(User.id)).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ORGANISER, User.id != user.id, User.active.is_(True),
               User.erased_at.is_(None))) or 0


def erase_person(user: User, *, actor: User | None) -> None:
    """Erase ``user`` as the module says; refused with a ``DomainError`` (nothing changed)
    for oneself, the last organiser, and someone erased before."""
    problem = erasure_problem(user, actor)
    if problem:
        raise DomainError(problem)
    erasure = Erasure(user=user, actor=actor, name=user.display_name, email=user.email)
    for plugin in current_plugins():
        if plugin.erase_personal_data:
            plugin.erase_personal_data(erasure)
    _erase_host_data(erasure)
    audit.record("user.erased", user, actor=actor)
    db.session.flush()


def _erase_host_data(erasure: Erasure) -> None:
    user = erasure.user
    # the consents stay as proof of what was allowed until now, withdrawn from now on
    for record in consents_of(user):
        if record.withdrawn_at is None:
            withdraw_consent(record, actor=erasure.actor)
    db.session.execute(update(ConsentRecord).where(ConsentRecord.email == erasure.email)
                       .values(email=erasure.placeholder_email))
    db.session.execute(delete(CalendarFeedSecret).where(CalendarFeedSecret.user_id == user.id))
    calendar_cache.forget_all()  # feeds of her cohorts name her too
    pending = db.session.scalars(select(PendingUpload).where(PendingUpload.user_id == user.id))
    files = [row.sha256 for row in pending]
    db.session.execute(delete(PendingUpload).where(PendingUpload.user_id == user.id))
    erasure.forget_files(files)
    db.session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.user_id == user.id, func.lower(OutboxMessage.recipient) == erasure.email)))
    erasure.scrub(OutboxMessage.subject, OutboxMessage.body, AuditEntry.before, AuditEntry.after)
    user.display_name = erasure.pseudonym
    user.email = erasure.placeholder_email
    user.password_hash = None
    user.active = False
    user.language = None
    user.last_login_at = None
    user.erased_at = utcnow()
    end_logins(user)
    db.session.flush()
