"""The legally required pages (Impressum, Datenschutzerklärung, Erklärung zur
Barrierefreiheit): public, linked from every page's footer, written by organisers."""

from __future__ import annotations

from typing import Any

from flask import Flask

from lms.auth.access import register_policy
from lms.legal.access import legal_text_policy
from lms.legal.models import LegalText
from lms.legal.pages import PAGES


def _footer_links() -> dict[str, Any]:
    return {"legal_pages": PAGES}


def init_app(app: Flask) -> None:
    from lms.legal.views import bp

    app.register_blueprint(bp)
    register_policy(app, LegalText, legal_text_policy, public=True)
    app.context_processor(_footer_links)
