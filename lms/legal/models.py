"""The legal pages' texts and every saved version of them."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup
from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.legal.pages import LegalPage
from lms.markdown_columns import rendered_from


class LegalText(db.Model):
    """The current text of one legal page; there is no row until organisers first save one.

    ``revision`` is the number of the newest ``LegalTextRevision``: an edit names the one
    it began from, and is refused if another save came in between.
    """

    __tablename__ = "legal_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[LegalPage] = mapped_column(string_enum(LegalPage, "legal_page"), unique=True)
    #: Markdown, its HTML stored beside it (lms.markdown_columns)
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[Markup] = rendered_from("text")
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revisions: Mapped[list[LegalTextRevision]] = relationship(
        back_populates="legal_text", order_by="LegalTextRevision.number.desc()",
        cascade="all, delete-orphan",
    )


class LegalTextRevision(db.Model):
    """A legal page's text as one save left it; never changed afterwards."""

    __tablename__ = "legal_text_revisions"
    __table_args__ = (UniqueConstraint("legal_text_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_text_id: Mapped[int] = mapped_column(
        ForeignKey("legal_texts.id", ondelete="CASCADE"), index=True)
    #: 1 for the first save, counting up per page
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the number of the version this one brought back, if it was a restore
    restored_from: Mapped[int | None] = mapped_column(Integer)

    legal_text: Mapped[LegalText] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()
