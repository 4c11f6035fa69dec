"""Consent texts in every published version, and each consent a person gave."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db
from lms.markdown_columns import rendered_from


class ConsentText(db.Model):
    """One version of the text a person agrees to for a purpose; never changed once
    stored. It is asked from ``valid_from`` (its publication) until the next version's."""

    __tablename__ = "consent_texts"
    __table_args__ = (UniqueConstraint("purpose", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the key of a ``ConsentPurpose``
    purpose: Mapped[str] = mapped_column(String(40))
    #: 1 for the text the purpose came with, counting up per purpose
    version: Mapped[int] = mapped_column(Integer)
    #: Markdown, its HTML stored beside it (lms.markdown_columns)
    text_de: Mapped[str] = mapped_column(Text)
    text_de_html: Mapped[Markup] = rendered_from("text_de")
    text_en: Mapped[str] = mapped_column(Text)
    text_en_html: Mapped[Markup] = rendered_from("text_en")
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: who published it; None for version 1, which came with the system
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    author: Mapped[User | None] = relationship()

    def text_in(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_de

    def html_in(self, language: str) -> Markup:
        return self.text_en_html if language == "en" else self.text_de_html


class ConsentRecord(db.Model):
    """A consent one person gave to one text version, and its withdrawal.

    The person is an account, or for an application (sent without one) its contact
    email. ``subject_id`` names what the consent is about in the purpose's plugin: the
    application, the enrollment whose contact data is shared.
    """

    __tablename__ = "consent_records"
    __table_args__ = (CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL",
                                      name="names_a_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("consent_texts.id", ondelete="RESTRICT"),
                                         index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                                index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    #: the language the text was shown in ("de", "en")
    language: Mapped[str] = mapped_column(String(5), default="de")
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    text: Mapped[ConsentText] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def shown_text(self) -> str:
        """The words the person agreed to, in the language they read them."""
        return self.text.text_in(self.language)

    @property
    def shown_html(self) -> Markup:
        """The same words as they were shown: the stored HTML."""
        return self.text.html_in(self.language)
