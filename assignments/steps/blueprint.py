"""The steps' blueprint: every route of the plugin, registered here and nowhere else.

The view functions live in ``controllers``; they keep their sign-in and role decorators.
The blueprint is mounted under ``/assignments/steps``, where the pages have always been.
"""

from flask import Blueprint

from assignments.steps.controllers import board, committees, handbook, measures, procedures
from lms.tables import FORMAT_PART

URL_PREFIX = "/assignments/steps"
POST = ("POST",)
GET_POST = ("GET", "POST")

bp = Blueprint("steps", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

bp.add_url_rule("/", "index", board.index)

# procedure templates (organisers)
bp.add_url_rule("/procedures", "procedures_page", procedures.procedures_page)
bp.add_url_rule("/procedures/<procedure>/<kind>/edit", "edit_template_step",
                procedures.edit_template_step, methods=GET_POST)

# a cohort's board
bp.add_url_rule("/cohorts/<int:cohort_id>", "board", board.board)
bp.add_url_rule("/cohorts/<int:cohort_id>/take", "take_template", board.take_template,
                methods=POST)
bp.add_url_rule("/cohorts/<int:cohort_id>/sharing", "set_sharing", board.set_sharing,
                methods=POST)
bp.add_url_rule(f"/cohorts/<int:cohort_id>/board.{FORMAT_PART}", "board_export", board.board_export)
bp.add_url_rule(f"/cohorts/<int:cohort_id>/measures.{FORMAT_PART}", "measures_export",
                board.measures_export)

# one municipality
MUNICIPALITY = "/cohorts/<int:cohort_id>/municipalities/<int:municipality_id>"
bp.add_url_rule(MUNICIPALITY, "municipality_page", board.municipality_page)
bp.add_url_rule(f"{MUNICIPALITY}/timeline", "timeline_page", board.timeline_page)

# step 3: committee meetings
bp.add_url_rule(f"{MUNICIPALITY}/presentations/new", "new_presentation",
                committees.new_presentation, methods=GET_POST)
bp.add_url_rule("/presentations/<int:presentation_id>/edit", "edit_presentation",
                committees.edit_presentation, methods=GET_POST)
bp.add_url_rule("/presentations/<int:presentation_id>/document", "presentation_document",
                committees.presentation_document)

# step 4: measures
bp.add_url_rule(f"{MUNICIPALITY}/measures/new", "new_measure", measures.new_measure,
                methods=GET_POST)
bp.add_url_rule("/measures/<int:measure_id>", "measure_page", measures.measure_page)
bp.add_url_rule("/measures/<int:measure_id>/edit", "edit_measure", measures.edit_measure,
                methods=GET_POST)
bp.add_url_rule("/measures/<int:measure_id>/updates", "update_measure",
                measures.update_measure, methods=POST)

# the handbook
bp.add_url_rule("/handbooks", "handbooks", handbook.handbooks, methods=GET_POST)
bp.add_url_rule("/handbooks/<int:handbook_id>", "handbook_page", handbook.handbook_page)
bp.add_url_rule("/handbooks/<int:handbook_id>/edit", "edit_handbook", handbook.edit_handbook,
                methods=GET_POST)
bp.add_url_rule("/handbooks/<int:handbook_id>/print", "handbook_print",
                handbook.handbook_print)
bp.add_url_rule("/handbooks/<int:handbook_id>/handbook.md", "handbook_markdown",
                handbook.handbook_markdown)
