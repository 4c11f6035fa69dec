"""The module-work blueprint: every route of the plugin, registered here and nowhere else.

The view functions live in ``views`` (staff: write, schedule, extensions), ``work``
(participants: their work, receipts, files), ``grading_views``, ``gradebook_views`` and
``notifications_views``; they keep their sign-in and role decorators.
"""

from flask import Blueprint

from assignments import gradebook_views, grading_views, notifications_views, views, work
from lms.tables import FORMAT_PART

POST = ("POST",)
GET_POST = ("GET", "POST")

bp = Blueprint("assignments", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

# participants: their assignments, the work page, receipts and files
bp.add_url_rule("/", "index", work.index)
bp.add_url_rule("/schedules/<int:schedule_id>", "work", work.work)
bp.add_url_rule("/schedules/<int:schedule_id>", "save_work", work.save_work, methods=POST)
bp.add_url_rule("/draft-files/<int:file_id>", "draft_file", work.draft_file)
bp.add_url_rule("/versions/<int:version_id>", "version", work.version)
bp.add_url_rule("/files/<int:file_id>", "version_file", work.version_file)

# staff: write assignments, schedule them per cohort, extensions
bp.add_url_rule("/modules/<int:module_id>/new", "new_assignment", views.new_assignment,
                methods=GET_POST)
bp.add_url_rule("/<int:assignment_id>", "assignment", views.assignment)
bp.add_url_rule("/<int:assignment_id>/edit", "edit_assignment", views.edit_assignment,
                methods=GET_POST)
bp.add_url_rule("/<int:assignment_id>/schedules", "schedule_assignment",
                views.schedule_assignment, methods=POST)
bp.add_url_rule("/schedules/<int:schedule_id>/copy", "copy_schedule", views.copy_schedule,
                methods=POST)
bp.add_url_rule("/schedules/<int:schedule_id>/manage", "manage", views.manage)
bp.add_url_rule("/schedules/<int:schedule_id>/dates", "edit_schedule", views.edit_schedule,
                methods=POST)
bp.add_url_rule("/schedules/<int:schedule_id>/extensions", "grant_extension",
                views.grant_extension, methods=POST)
bp.add_url_rule("/extensions/<int:extension_id>/revoke", "revoke_extension",
                views.revoke_extension, methods=POST)

# grading
bp.add_url_rule("/schedules/<int:schedule_id>/grading", "grading_queue",
                grading_views.grading_queue)
bp.add_url_rule("/schedules/<int:schedule_id>/release", "release_schedule",
                grading_views.release_schedule, methods=POST)
bp.add_url_rule("/submissions/<int:submission_id>/grade", "grade", grading_views.grade)
bp.add_url_rule("/submissions/<int:submission_id>/grade", "save_grade",
                grading_views.save_grade, methods=POST)
bp.add_url_rule("/submissions/<int:submission_id>/start-review", "start_review",
                grading_views.start_review, methods=POST)
bp.add_url_rule("/submissions/<int:submission_id>/release", "release_grade",
                grading_views.release_grade, methods=POST)
bp.add_url_rule("/files/<int:file_id>/inline", "version_file_inline",
                grading_views.version_file_inline)
bp.add_url_rule("/feedback-files/<int:file_id>", "review_file", grading_views.review_file)

# gradebooks
bp.add_url_rule("/gradebooks", "gradebooks", gradebook_views.gradebooks)
bp.add_url_rule("/cohorts/<int:cohort_id>/gradebook", "gradebook", gradebook_views.gradebook)
bp.add_url_rule(f"/cohorts/<int:cohort_id>/gradebook.{FORMAT_PART}", "gradebook_export",
                gradebook_views.gradebook_export)
bp.add_url_rule("/my-grades", "my_grades", gradebook_views.my_grades)

# notifications
bp.add_url_rule("/notifications", "notification_list", notifications_views.notification_list)
bp.add_url_rule("/notifications/<int:notification_id>/open", "open_notification",
                notifications_views.open_notification, methods=POST)
bp.add_url_rule("/notifications/read", "read_all_notifications",
                notifications_views.read_all_notifications, methods=POST)
