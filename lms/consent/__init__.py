"""Consent: the versioned texts people agree to, each consent given, and its withdrawal.

Plugins declare the purposes they ask consent for (``lms.consent.purposes``) and record
consents through ``lms.consent.services``; people withdraw theirs from their account page.
"""

from __future__ import annotations

from flask import Flask

from lms.auth.access import register_policy
from lms.consent.access import consent_record_policy, consent_text_policy
from lms.consent.models import ConsentRecord, ConsentText


def init_app(app: Flask) -> None:
    from lms.consent.views import bp

    app.register_blueprint(bp)
    register_policy(app, ConsentText, consent_text_policy, public=True)
    register_policy(app, ConsentRecord, consent_record_policy)
