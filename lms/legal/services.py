"""Saving and restoring the legal pages' texts; every save is a new version.

Functions here check, change and flush; they never commit (the request does).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.auth.models import User
from lms.db import expire_read_rows, take_write_lock, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.legal.models import LegalText, LegalTextRevision
from lms.legal.pages import LegalPage


class EditConflict(DomainError):
    """The page was saved after this edit began (by someone else, or in another window);
    nothing was saved."""

    def __init__(self) -> None:
        super().__init__(_("This page has been saved since you began editing it, so your "
                           "changes have not been saved yet. Compare your text with the saved "
                           "one below, take over what you need and save again."))


def current_text(page: LegalPage) -> LegalText | None:
    """The saved text of ``page``, or None while nobody has written one."""
    return db.session.scalar(select(LegalText).where(LegalText.page == page))


def _locked_text(page: LegalPage) -> LegalText | None:
    """``current_text`` read fresh and held until the transaction ends (``lms.db.lock_row``)."""
    take_write_lock()
    expire_read_rows()
    return db.session.scalar(select(LegalText).where(LegalText.page == page)
                             .with_for_update(key_share=True)
                             .execution_options(populate_existing=True))


def _checked(text: str | None) -> str:
    """``text`` with uniform line endings; refused if it says nothing."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise DomainError(_("Please enter the text of the page."), field="text")
    return text + "\n"


def _record(page: LegalPage, legal: LegalText | None, text: str, actor: User | None,
            restored_from: int | None = None) -> LegalTextRevision:
    """Make ``text`` the page's current text and keep it as the next version."""
    if legal is None:
        legal = LegalText(page=page, revision=0)
        db.session.add(legal)
    legal.text, legal.revision, legal.updated_at = text, legal.revision + 1, utcnow()
    revision = LegalTextRevision(legal_text=legal, number=legal.revision, text=text,
                                 author=actor, restored_from=restored_from)
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same version number (or first text) saved meanwhile
        raise EditConflict() from exc
    audit.record("legal_text.restored" if restored_from else "legal_text.saved", legal,
                 actor=actor, after={"page": page.value, "revision": legal.revision,
                                     "restored_from": restored_from})
    return revision


def save_text(page: LegalPage, text: str | None, *, actor: User | None,
              expected_revision: int) -> LegalTextRevision | None:
    """Save an edit of ``page`` that began at version ``expected_revision`` (0: none yet).

    Raises ``EditConflict`` if the page has a newer version by now. Returns the new
    version, or None if the text is the saved one already.
    """
    text = _checked(text)
    legal = _locked_text(page)
    if (legal.revision if legal else 0) != expected_revision:
        raise EditConflict()
    if legal is not None and legal.text == text:
        return None
    return _record(page, legal, text, actor)


def restore_revision(page: LegalPage, number: int, *,
                     actor: User | None) -> LegalTextRevision | None:
    """Bring back version ``number`` of ``page`` as a new version; None if there is none."""
    legal = _locked_text(page)
    old = None if legal is None else db.session.scalar(select(LegalTextRevision).where(
        LegalTextRevision.legal_text_id == legal.id, LegalTextRevision.number == number))
    if old is None:
        return None
    if old.text == legal.text:
        raise DomainError(_("This version is already the current text."))
    return _record(page, legal, old.text, actor, restored_from=number)
