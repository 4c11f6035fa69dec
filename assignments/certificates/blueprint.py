"""The certificates' blueprint: every route of the plugin, registered here and nowhere else.

The view functions live in ``controllers``.
"""

from flask import Blueprint

from assignments.certificates.controllers import eligibility, issued, progress, rule
from lms.tables import FORMAT_PART

URL_PREFIX = "/certificates"
POST = ("POST",)
GET_POST = ("GET", "POST")

bp = Blueprint("certificates", __name__, template_folder="templates")

# --- the rule and who meets it (rule settings, eligibility board, own progress)
bp.add_url_rule("/eligibility", "eligibility_index", eligibility.index)
bp.add_url_rule("/eligibility/cohorts/<int:cohort_id>", "eligibility_board", eligibility.board)
bp.add_url_rule(f"/eligibility/cohorts/<int:cohort_id>/eligibility.{FORMAT_PART}",
                "eligibility_export", eligibility.board_export)
bp.add_url_rule("/rules/courses/<int:course_id>", "edit_rule", rule.edit_rule, methods=GET_POST)
bp.add_url_rule("/progress", "my_progress", progress.my_progress)

# --- issued certificates (issuing, PDF, verification, revocation, downloads)
ISSUED = "/cohorts/<int:cohort_id>"
bp.add_url_rule("/issued", "issued_index", issued.issued_index)
bp.add_url_rule(f"{ISSUED}/issued", "cohort_certificates", issued.cohort_certificates)
bp.add_url_rule(f"{ISSUED}/issue", "issue_cohort", issued.issue_cohort, methods=GET_POST)
bp.add_url_rule(f"{ISSUED}/people/<int:user_id>/issue", "issue_person", issued.issue_person,
                methods=POST)
bp.add_url_rule(f"{ISSUED}/certificates.zip", "cohort_zip", issued.cohort_zip)
bp.add_url_rule("/<int:certificate_id>/certificate.pdf", "certificate_pdf",
                issued.certificate_pdf)
bp.add_url_rule("/<int:certificate_id>/revoke", "revoke", issued.revoke, methods=GET_POST)
bp.add_url_rule("/<int:certificate_id>/reissue", "reissue", issued.reissue, methods=POST)
bp.add_url_rule("/mine", "mine", issued.mine)
bp.add_url_rule("/verify", "verify_form", issued.verify_form)
bp.add_url_rule("/verify/<code>", "verify", issued.verify)
