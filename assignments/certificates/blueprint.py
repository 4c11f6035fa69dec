"""The certificates' blueprint: every route of the plugin, registered here and nowhere else.

The view functions live in ``controllers``.
"""

from flask import Blueprint

URL_PREFIX = "/certificates"
POST = ("POST",)
GET_POST = ("GET", "POST")

bp = Blueprint("certificates", __name__, template_folder="templates")

# --- the rule and who meets it (rule settings, eligibility board, own progress)

# --- issued certificates (issuing, PDF, verification, revocation, downloads)
