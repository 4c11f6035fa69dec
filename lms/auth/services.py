"""Account rules: creating people, inviting them, passwords, signing in.

These functions flush but never commit; the request (or CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import cache

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from lms import audit
from lms.auth.logins import end_logins
from lms.auth.models import Role, User, UserRole, normalise_email
from lms.auth.tokens import LinkPurpose, make_link_token
from lms.config import MIN_PASSWORD_LENGTH
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE
from lms.links import site_url
from lms.mail import send_mail


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when an email is unknown, so both failures take the same time.

    Made with the configured method: a hash of another cost would make unknown
    addresses measurably slower (or faster) than known ones.
    """
    return generate_password_hash("not a real password", method=method)


def _account_snapshot(user: User) -> dict[str, object]:
    return {"email": user.email, "display_name": user.display_name,
            "roles": sorted(user.roles), "active": user.active, "language": user.language}


def create_account(email: str, display_name: str, roles: Iterable[Role], *,
                   actor: User | None, language: str | None = None,
                   active: bool = True) -> User:
    """Create an account without a password; the person sets one through an invitation."""
    email = normalise_email(email)
    if User.by_email(email) is not None:
        raise DomainError(_("An account with this email address already exists."), field="email")
    roles = frozenset(roles)
    if not roles:
        raise DomainError(_("Choose at least one role."), field="roles")
    user = User(email=email, display_name=display_name.strip(), language=language or None,
                active=active)
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, actor=actor, after=_account_snapshot(user))
    return user


def update_account(user: User, *, actor: User, display_name: str, roles: Iterable[Role],
                   active: bool, language: str | None) -> None:
    """Change an account's name, roles, state and language, keeping the change in the audit.

    An erased person's account (``lms.erasure``) stays as it is: reviving it would give
    the records' anonymous holder a name and a sign-in again.
    """
    if user.erased_at is not None:
        raise DomainError(_("The account of an erased person cannot be changed any more."))
    roles = frozenset(roles)
    if not roles:
        raise DomainError(_("Choose at least one role."), field="roles")
    if user.id == actor.id and (Role.ORGANISER not in roles or not active):
        raise DomainError(_("You cannot remove your own organiser role or deactivate yourself."))
    before = _account_snapshot(user)
    user.display_name = display_name.strip()
    user.roles = roles
    user.active = active
    user.language = language or None
    after = _account_snapshot(user)
    if before != after:
        audit.record("user.updated", user, actor=actor, before=before, after=after)
    db.session.flush()


def find_people(search: str = "", role: Role | None = None) -> Select[tuple[User]]:
    """People by name, narrowed to a part of their name or email and to holders of a role."""
    query = select(User).order_by(User.sort_name, User.id)
    if search:
        # autoescape: "%" and "_" typed into the search box are searched for literally
        query = query.where(or_(User.email.contains(search.lower(), autoescape=True),
                                User.display_name.icontains(search, autoescape=True)))
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    return query


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            field="password",
        )


def set_password(user: User, password: str) -> None:
    """Set a new password; this spends open links and ends other sessions of the person."""
    check_password_rules(password)
    had_password = user.has_password
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )
    audit.record("user.password_set" if not had_password else "user.password_changed", user,
                 actor=user)
    end_logins(user)


def authenticate(email: str, password: str) -> User | None:
    """The active person with these credentials, or None (for every kind of failure)."""
    user = User.by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def send_link(user: User, purpose: LinkPurpose) -> None:
    """Mail the person an invitation or password-reset link, in their language."""
    token = make_link_token(user, purpose)
    invitation = purpose is LinkPurpose.INVITATION
    endpoint = "auth.accept_invitation" if invitation else "auth.reset_password"
    link = site_url(endpoint, token=token)
    with force_locale(user.language or DEFAULT_LANGUAGE):
        subject = (_("Your access to the certificate course") if invitation
                   else _("Reset your password"))
        body = render_template(f"auth/mail/{purpose.value}.txt", user=user, link=link,
                               valid_for=timedelta(seconds=purpose.max_age))
    send_mail(user.email, subject, body, user_id=user.id)


def sign_out(user: User) -> None:
    """Signing out ends the login everywhere it was remembered, not just in this browser."""
    end_logins(user)


def request_password_reset(email: str) -> None:
    """Send a reset link if an active account exists; say nothing either way."""
    user = User.by_email(email)
    if user is not None and user.active:
        send_link(user, LinkPurpose.PASSWORD_RESET)
