"""Authorisation: one place that decides who may do what, used by every view.

Role checks guard whole views (``roles_required``). Object checks go through policies
that each plugin registers for its models (``register_policy``); ``get_authorized``
loads an object and answers 404 or 403 in one step. ``load`` does the same for objects
whose very existence is private: what a person may not even view answers 404, like a
missing id, so that a forged id learns nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from flask_login import current_user

from lms.auth.models import Role, User
from lms.extensions import db, login_manager

Policy = Callable[[User, str, Any], bool]
EXTENSION_KEY = "lms.policies"
F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Only signed-in people holding one of ``roles`` reach the view; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def register_policy(app: Flask, model: type, policy: Policy) -> None:
    """Name the function that decides what a person may do with objects of ``model``."""
    policies = app.extensions.setdefault(EXTENSION_KEY, {})
    if model in policies:
        raise RuntimeError(f"a policy for {model.__name__} is already registered")
    policies[model] = policy


def can(action: str, obj: Any, user: User | None = None) -> bool:
    """Whether ``user`` (default: the current person) may do ``action`` with ``obj``."""
    user = current_user if user is None else user
    if not user or not user.is_authenticated or not user.active:
        return False
    policy = current_app.extensions.get(EXTENSION_KEY, {}).get(type(obj))
    if policy is None:
        raise RuntimeError(f"no access policy is registered for {type(obj).__name__}")
    return policy(user, action, obj)


def authorize(action: str, obj: M) -> M:
    """Return ``obj`` if the current person may do ``action`` with it, else answer 403."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can(action, obj):
        abort(403)
    return obj


def get_authorized(model: type[M], ident: Any, action: str = "view") -> M:
    """Load ``model`` by primary key: 404 if it does not exist, 403 if not allowed."""
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return authorize(action, obj)


def user_policy(user: User, action: str, target: User) -> bool:
    """Organisers manage every account; everyone may view and edit their own."""
    if user.has_role(Role.ORGANISER):
        return True
    return target.id == user.id and action in {"view", "edit"}


def authorize_or_hide(action: str, obj: M) -> M:
    """Return ``obj`` if the current person may do ``action`` with it.

    Otherwise 403 if they may at least view it, 404 if not even that.
    """
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if can(action, obj):
        return obj
    abort(403 if can("view", obj) else 404)


def load(model: type[M], ident: Any, action: str = "view") -> M:
    """Load ``model`` by primary key: 404 if missing or hidden, 403 if seen but not allowed."""
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return authorize_or_hide(action, obj)
