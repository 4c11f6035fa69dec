"""People and their roles."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from lms.db import UTCDateTime, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum, collation_key


class Role(LabelledEnum):
    PARTICIPANT = "participant", _l("Participant")
    LECTURER = "lecturer", _l("Lecturer")
    ORGANISER = "organiser", _l("Organiser")


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively; we store them lower-cased."""
    return email.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-cased, so the unique constraint is case-insensitive
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: the name as German readers sort it (``lms.i18n.collation_key``); set with the name,
    #: so lists of people page in that order in SQL
    sort_name: Mapped[str] = mapped_column(String(240), index=True, default="",
                                           server_default="")
    #: None until the person has set a password through their invitation link
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: deactivated people cannot sign in; their work and history stay
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: "de" or "en"; None follows the browser
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the person's data was erased (Art. 17 GDPR, ``lms.erasure``): the account stays
    #: as the records' anonymous holder, deactivated, under a pseudonym
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: raised on signing out and on a new password: ends every session and remembered
    #: login made before (see lms.auth.logins)
    login_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @validates("display_name")
    def _keep_sort_name(self, _key: str, name: str) -> str:
        self.sort_name = collation_key(name)[:240]
        return name

    @property
    def is_active(self) -> bool:  # flask-login asks this before signing someone in
        return self.active

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(link.role for link in self.role_links)

    @roles.setter
    def roles(self, roles: set[Role] | frozenset[Role]) -> None:
        keep = [link for link in self.role_links if link.role in roles]
        have = {link.role for link in keep}
        self.role_links = keep + [UserRole(role=role) for role in sorted(roles - have)]

    def has_role(self, *roles: Role) -> bool:
        """True if the person holds any of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def credential_fingerprint(self) -> str:
        """Changes whenever the password does; ends sessions and spends links."""
        return hashlib.sha256((self.password_hash or "unset").encode()).hexdigest()[:16]

    def get_id(self) -> str:
        return f"{self.id}:{self.credential_fingerprint}"

    def get_login_id(self) -> str:
        """What flask-login keeps in the session and the remember cookie, for a login
        starting now (read back by ``lms.auth.logins.user_for_login_id``)."""
        return (f"{self.id}:{self.credential_fingerprint}:{self.login_generation or 0}:"
                f"{int(utcnow().timestamp())}")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @classmethod
    def by_email(cls, email: str) -> User | None:
        return db.session.scalar(select(cls).where(cls.email == normalise_email(email)))


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="role", native_enum=False, create_constraint=True, length=20,
             values_callable=lambda roles: [r.value for r in roles]),
        primary_key=True,
        index=True,
    )

    user: Mapped[User] = relationship(back_populates="role_links")
