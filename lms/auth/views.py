"""Sign in and out, invitation and reset links, one's own account and language."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lms.auth import services
from lms.auth.access import authorize
from lms.auth.forms import (
    ActionForm,
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
)
from lms.auth.models import User
from lms.auth.tokens import LinkError, LinkProblem, LinkPurpose, read_link_token
from lms.consent.purposes import registered_purposes
from lms.consent.services import consents_of
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import limiter
from lms.i18n import LANGUAGES, SESSION_LANGUAGE_KEY
from lms.personal_export import export_response
from lms.web import reject, safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("dashboard.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            return redirect(safe_next(url_for("dashboard.index")))
        flash(_("Email address or password is wrong."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.sign_out(current_user._get_current_object())
    logout_user()
    session.pop(SESSION_LANGUAGE_KEY, None)  # the next person at a shared computer starts afresh
    flash(_("You have been signed out."), "info")
    return redirect(url_for("auth.login"))


def _link_error_page(problem: LinkProblem, purpose: LinkPurpose):
    return render_template("auth/link_problem.html", problem=problem, purpose=purpose), (
        410 if problem is not LinkProblem.INVALID else 404
    )


def _set_password_from_link(token: str, purpose: LinkPurpose):
    try:
        user = read_link_token(token, purpose)
    except LinkError as exc:
        return _link_error_page(exc.problem, purpose)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data)
        except DomainError as exc:
            reject(form, exc)
        else:
            logout_user()
            login_user(user)
            user.last_login_at = utcnow()
            flash(_("Your password has been saved. Welcome!"), "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_from_link(token, LinkPurpose.INVITATION)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_from_link(token, LinkPurpose.PASSWORD_RESET)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for this address, we have sent a link to reset the "
                "password. Please check your mailbox."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _account_page(profile: ProfileForm, password: ChangePasswordForm) -> str:
    """One's settings, password and consents (withdrawn from ``consent.withdraw``)."""
    return render_template("auth/account.html", profile=profile, password=password,
                           consents=consents_of(current_user), purposes=registered_purposes())


@bp.route("/account")
@login_required
def account():
    user: User = current_user
    profile = ProfileForm(obj=user, prefix="profile")
    if profile.language.data is None:
        profile.language.data = ""
    return _account_page(profile, ChangePasswordForm(prefix="password"))


@bp.route("/account/profile", methods=["POST"])
@login_required
def update_profile():
    user: User = current_user
    profile = ProfileForm(prefix="profile")
    if profile.validate_on_submit():
        user.display_name = profile.display_name.data.strip()
        user.language = profile.language.data or None
        _remember_language_choice(user.language)
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(profile, ChangePasswordForm(prefix="password")), 400


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    user: User = current_user._get_current_object()  # the model itself, for the audit entry
    password = ChangePasswordForm(prefix="password")
    if password.validate_on_submit():
        if services.authenticate(user.email, password.current.data) is None:
            password.current.errors = [_("The current password is wrong.")]
        else:
            try:
                services.set_password(user, password.password.data)
            except DomainError as exc:
                reject(password, exc)
            else:
                # The session (and a remember cookie, if this device had one) now carries
                # the new fingerprint; other sessions end.
                remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
                login_user(user, remember=remembered)
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("auth.account"))
    return _account_page(ProfileForm(obj=user, prefix="profile"), password), 400


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
def my_data():
    """What the system holds about the person (Art. 15 GDPR): the page says what the
    download holds; its button posts, and the answer is the ZIP."""
    user: User = authorize("export", current_user._get_current_object())
    form = ActionForm()
    if form.validate_on_submit():
        return export_response(user, actor=user)
    return render_template("auth/my_data.html", form=form)


def _remember_language_choice(code: str | None) -> None:
    """Keep the choice for this browser session; None goes back to the browser's language."""
    if code:
        session[SESSION_LANGUAGE_KEY] = code
    else:
        session.pop(SESSION_LANGUAGE_KEY, None)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in LANGUAGES:
        abort(404)
    _remember_language_choice(code)
    if current_user.is_authenticated:
        current_user.language = code
    return redirect(safe_next(url_for("dashboard.index")))
