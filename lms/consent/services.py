"""Giving and withdrawing consent, and publishing the texts; every step audited.

Every purpose's version 1 is the text its plugin declares: it is stored on first use (a
form shows it unsaved until then), and an organiser's first new text is version 2, so
"version 1" means the same words in every database. Functions here check, change and
flush; they never commit (the request does).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.auth.models import User
from lms.consent.models import ConsentRecord, ConsentText
from lms.consent.purposes import ConsentPurpose, purpose_named
from lms.db import isolated, lock_row, take_write_lock, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE, LANGUAGES


class TextChanged(DomainError):
    """The text was published anew since the page showed it; nothing was stored."""


def _published_meanwhile() -> TextChanged:
    return TextChanged(_("A new version of this text has been published meanwhile; yours "
                         "has not been published. Compare it with the current version below "
                         "and publish again."))


def _purpose(key: str) -> ConsentPurpose:
    purpose = purpose_named(key)
    if purpose is None:
        raise LookupError(f"no plugin declares the consent purpose {key!r}")
    return purpose


def _newest_stored(key: str) -> ConsentText | None:
    return db.session.scalar(select(ConsentText).where(ConsentText.purpose == key)
                             .order_by(ConsentText.version.desc()).limit(1))


def _first_version(purpose: ConsentPurpose) -> ConsentText:
    return ConsentText(purpose=purpose.key, version=1, text_de=purpose.first_text_de,
                       text_en=purpose.first_text_en)


def shown_text(key: str) -> ConsentText:
    """The text a form asks consent to now: the newest version, or version 1 unsaved."""
    return _newest_stored(key) or _first_version(_purpose(key))


def versions(key: str) -> list[ConsentText]:
    """Every version of ``key``'s text, newest first (version 1 unsaved if none is stored)."""
    stored = list(db.session.scalars(select(ConsentText).where(ConsentText.purpose == key)
                                     .order_by(ConsentText.version.desc())))
    return stored or [_first_version(_purpose(key))]


def _stored_current(key: str) -> ConsentText:
    """The newest version, storing version 1 first if nothing is stored yet."""
    current = _newest_stored(key)
    if current is not None:
        return current
    first = _first_version(_purpose(key))
    try:
        with isolated():
            db.session.add(first)
            db.session.flush()
    except IntegrityError:  # PostgreSQL: stored by another request meanwhile (savepoint)
        return _newest_stored(key)
    return first


def give_consent(key: str, *, version: int | None, subject_id: int, language: str,
                 user: User | None = None, email: str | None = None) -> ConsentRecord:
    """Record that ``user`` (or whoever reads ``email``) agreed to ``key``'s text.

    ``version`` is the version the page showed: if it is no longer the current one (or
    never was), ``TextChanged`` is raised and nothing is recorded. None, for callers
    without a page (organisers' entries, the demo), takes the current version.
    """
    take_write_lock()
    text = _stored_current(key)
    if version is not None and version != text.version:
        raise TextChanged(_("The text of this consent has changed since the page was opened. "
                            "Please read it again before you agree."), field="consent")
    record = ConsentRecord(text=text, user=user, email=email, subject_id=subject_id,
                           language=language if language in LANGUAGES else DEFAULT_LANGUAGE)
    db.session.add(record)
    db.session.flush()
    audit.record("consent.given", record, actor=user, after={
        "purpose": key, "version": text.version, "subject_id": subject_id})
    return record


def withdraw_consent(record: ConsentRecord, *, actor: User | None) -> None:
    """Withdraw ``record`` and stop what it allowed (the purpose's ``on_withdraw``).

    A consent withdrawn already raises ``DomainError`` and changes nothing.
    """
    record = lock_row(ConsentRecord, record.id)
    if record.withdrawn_at is not None:
        raise DomainError(_("This consent has already been withdrawn."))
    record.withdrawn_at = utcnow()
    record.withdrawn_by_id = actor.id if actor else None
    purpose = _purpose(record.text.purpose)
    audit.record("consent.withdrawn", record, actor=actor, after={
        "purpose": purpose.key, "version": record.text.version,
        "subject_id": record.subject_id})
    if purpose.on_withdraw is not None:
        purpose.on_withdraw(record, actor)
    db.session.flush()


def active_consent(key: str, subject_id: int) -> ConsentRecord | None:
    """The consent given for ``key`` about ``subject_id`` and not withdrawn, if any."""
    return db.session.scalar(
        select(ConsentRecord).join(ConsentRecord.text)
        .where(ConsentText.purpose == key, ConsentRecord.subject_id == subject_id,
               ConsentRecord.withdrawn_at.is_(None))
        .order_by(ConsentRecord.id.desc()).limit(1))


def consents_about(key: str, subject_id: int) -> list[ConsentRecord]:
    """Every consent for ``key`` about ``subject_id``, oldest first."""
    return list(db.session.scalars(
        select(ConsentRecord).join(ConsentRecord.text)
        .where(ConsentText.purpose == key, ConsentRecord.subject_id == subject_id)
        .order_by(ConsentRecord.id)))


def is_own(record: ConsentRecord, user: User) -> bool:
    """Whether ``record`` is ``user``'s: given with their account, or to their address."""
    if record.user_id is not None:
        return record.user_id == user.id
    return record.email == user.email


def consents_of(user: User) -> list[ConsentRecord]:
    """``user``'s consents, newest first: those of the account and those given, without
    one, with the account's (confirmed) email address."""
    return list(db.session.scalars(
        select(ConsentRecord).where(or_(
            ConsentRecord.user_id == user.id,
            (ConsentRecord.user_id.is_(None)) & (ConsentRecord.email == user.email)))
        .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc())))


def _checked(text: str | None, field: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise DomainError(_("Please enter the text."), field=field)
    return text + "\n"


def publish_text(key: str, text_de: str | None, text_en: str | None, *, actor: User | None,
                 expected_version: int) -> ConsentText:
    """Publish a new version of ``key``'s text, written from version ``expected_version``.

    Refused if a newer version was published meanwhile, or if the text is the current
    one already. Published versions are never changed; records keep naming theirs.
    """
    text_de, text_en = _checked(text_de, "text_de"), _checked(text_en, "text_en")
    take_write_lock()
    current = _stored_current(key)
    if current.version != expected_version:
        raise _published_meanwhile()
    if (current.text_de, current.text_en) == (text_de, text_en):
        raise DomainError(_("The text is the current version already; nothing has been "
                            "published."))
    new = ConsentText(purpose=key, version=current.version + 1, text_de=text_de,
                      text_en=text_en, author=actor)
    db.session.add(new)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same version number published meanwhile
        raise _published_meanwhile() from exc
    audit.record("consent_text.published", new, actor=actor,
                 after={"purpose": key, "version": new.version})
    return new
