"""Forms of issuing, revoking and verifying certificates. They parse; the rules live in
``issuing``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from lms.forms import FlaskForm

#: the longest reason kept for a revocation
MAX_REASON = 2000


class ConfirmForm(FlaskForm):
    """A confirmation button (issue, re-issue): nothing to fill in but the CSRF token."""


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the revocation"), validators=[Length(max=MAX_REASON)],
                           description=_l("For example “name misspelt”. Kept in the record; "
                                          "the public verification page shows only the date."))


class VerifyForm(FlaskForm):
    """The public form to type a verification code in (GET: it changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(_l("Verification code"), validators=[Length(max=64)])
