"""Forms for signing in, passwords, one's own account and account administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from lms.auth.models import Role
from lms.config import MIN_PASSWORD_LENGTH
from lms.fields import MultiCheckboxField
from lms.filters import ChoiceFilter, QueryForm, SearchFilter
from lms.forms import FlaskForm
from lms.i18n import LANGUAGES, enum_choices

LANGUAGE_CHOICES = [SelectChoice("", _l("Browser setting")),
                    *(SelectChoice(code, name) for code, name in LANGUAGES.items())]


def _strip(value: str | None) -> str | None:
    """Pasted addresses often carry spaces, which the email check would refuse."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay signed in on this device"))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("Email address"), filters=[_strip],
                       validators=[InputRequired(), Email(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired()])


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


ROLE_CHOICES = enum_choices(Role)


def _at_least_one(_form: FlaskForm, field: SelectMultipleField) -> None:
    if not field.data:
        raise ValidationError(_l("Choose at least one role."))


class AccountForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=ROLE_CHOICES, validators=[_at_least_one])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    active = BooleanField(_l("Account is active"), default=True)

    @property
    def selected_roles(self) -> set[Role]:
        return {Role(value) for value in self.roles.data}


class NewAccountForm(AccountForm):
    email = EmailField(_l("Email address"), filters=[_strip],
                       validators=[InputRequired(), Email(), Length(max=254)])
    send_invitation = BooleanField(_l("Send an invitation link now"), default=True)


class PeopleFilterForm(QueryForm):
    """The people list's filters."""

    q = SearchFilter(_l("Name or email"))
    role = ChoiceFilter(_l("Role"), _l("All roles"), ROLE_CHOICES)

    @property
    def chosen_role(self) -> Role | None:
        return Role(self.role.chosen) if self.role.chosen else None


class OutboxFilterForm(QueryForm):
    """The outbox's filter."""

    q = SearchFilter(_l("Recipient"))


class ActionForm(FlaskForm):
    """A button that posts an action on an account (download its data, erase it): nothing
    to fill in but the CSRF token."""
