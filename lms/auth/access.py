"""Authorisation: one place that decides who may do what, used by every view and template.

Each plugin declares, in its ``access.py``, one policy per model and registers it in its
setup (``register_policy``); a policy is ``policy(user, action, obj) -> bool``. The host
asks them through three functions, and nothing else decides:

- ``load(Model, id, action)`` loads an object for a view and answers in one place:
  anonymous visitors are sent to sign in unless the policy lets everybody do ``action``;
  a missing id, and what the person may not even know exists, answer 404 (a forged id
  learns nothing); what they know but may not do answers 403. A person knows an object
  when the policy grants "view" or "know" (staff know that a cohort's work exists even
  where they may not open it). ``within`` adds attributes the object must have (an
  enrollment of *this* cohort): another parent's object answers 404.
- ``can(action, obj)`` for views and templates (a Jinja global). For actions that have
  no object yet (create a cohort, list the people), ask with the model class,
  ``can("create", Cohort)``: the policy receives the class itself, so a policy must
  decide such actions before it reads an object's attributes.
- ``authorize(action, obj)`` for an object a view already holds: 403 unless allowed;
  ``authorize_or_hide`` answers like ``load`` for objects without an id of their own.

Policies see anonymous visitors only when registered with ``public=True`` (public
congresses); otherwise an anonymous or deactivated person may do nothing. Whole views
that belong to a role say so declaratively with ``roles_required``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from flask_login import current_user

from lms.auth.models import Role, User
from lms.extensions import db, login_manager

Policy = Callable[[Any, str, Any], bool]
EXTENSION_KEY = "lms.policies"
#: the action that lets a person know an object exists without opening it (403, not 404)
KNOW = "know"
F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


@dataclass(frozen=True)
class Registered:
    policy: Policy
    #: whether the policy also decides for anonymous visitors
    public: bool = False


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


def register_policy(app: Flask, model: type, policy: Policy, *, public: bool = False) -> None:
    """Name the function that decides what a person may do with objects of ``model``.

    ``public``: the policy is asked for anonymous visitors too (it must check
    ``user.is_authenticated`` itself).
    """
    policies = app.extensions.setdefault(EXTENSION_KEY, {})
    if model in policies:
        raise RuntimeError(f"a policy for {model.__name__} is already registered")
    policies[model] = Registered(policy, public)


def _registered(obj: Any) -> Registered:
    model = obj if isinstance(obj, type) else type(obj)
    registered = current_app.extensions.get(EXTENSION_KEY, {}).get(model)
    if registered is None:
        raise RuntimeError(f"no access policy is registered for {model.__name__}")
    return registered


def can(action: str, obj: Any, user: User | None = None) -> bool:
    """Whether ``user`` (default: the current person) may do ``action`` with ``obj``.

    ``obj`` is an object, or a model class for actions without an object ("create").
    """
    user = current_user if user is None else user
    registered = _registered(obj)
    signed_in = bool(user) and user.is_authenticated and user.active
    if not signed_in and not registered.public:
        return False
    return bool(registered.policy(user, action, obj))


def knows(obj: Any, user: User | None = None) -> bool:
    """Whether ``user`` may learn that ``obj`` exists (refusals answer 403, not 404)."""
    return can("view", obj, user) or can(KNOW, obj, user)


def authorize(action: str, obj: M) -> M:
    """Return ``obj`` if the current person may do ``action`` with it, else answer 403."""
    if can(action, obj):
        return obj
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


def load(model: type[M], ident: Any, action: str = "view", *, options: Sequence[Any] = (),
         **within: Any) -> M:
    """Load ``model`` by primary key for the current person and check ``action``.

    404 if missing, hidden, or not ``within`` (attribute values it must have); 403 if the
    person knows it but may not do ``action``. Anonymous visitors who may not are asked to
    sign in, whether the id exists or not, so that hidden and missing look alike; only
    where everybody may do ``action`` with every object of the model (``can(action,
    Model)``: apply to a cohort) does a missing id answer them 404.
    """
    obj = db.session.get(model, ident, options=list(options))
    if obj is None or any(getattr(obj, name) != value for name, value in within.items()):
        if not current_user.is_authenticated and not can(action, model):
            abort(login_manager.unauthorized())
        abort(404)
    return authorize_or_hide(action, obj)


def authorize_or_hide(action: str, obj: M) -> M:
    """``obj`` if the current person may do ``action`` with it; else 403 if they know it
    exists, 404 if not (anonymous visitors: sign in). For objects that have no id of
    their own (a cohort's board); everything with an id goes through ``load``."""
    if can(action, obj):
        return obj
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403 if knows(obj) else 404)


#: what everyone may do with their own account
OWN_ACCOUNT_ACTIONS = frozenset({"view", "edit", "export"})


def user_policy(user: User, action: str, target: User | type[User]) -> bool:
    """Organisers manage every account; everyone may view and edit their own and download
    what the system holds about them ("export"). Organisers may also "export" and "erase"
    anyone's (``lms.erasure`` refuses oneself and the last organiser).

    ``can("teach", User)``: whether the person teaches (a lecturer's empty dashboard).
    """
    if action == "teach":
        return user.has_role(Role.LECTURER)
    if user.has_role(Role.ORGANISER):
        return True
    return isinstance(target, User) and target.id == user.id and action in OWN_ACCOUNT_ACTIONS


def organisers_only(user: User, _action: str, _obj: Any) -> bool:
    """A policy for what only organisers see and do (accounts aside: ``user_policy``)."""
    return user.has_role(Role.ORGANISER)


def init_app(app: Flask) -> None:
    """Templates ask ``can(action, obj)``, never a role."""
    app.jinja_env.globals["can"] = can
