"""The certificates plugin's routes by role, as tables (``tests/route_tables.py`` reads them).

``RULE_CASES``: the rule, the eligibility board and the own progress. Keys are
``(method, path)`` with ``{cohort}`` and ``{course}`` filled in per test; values map each
role of ``ROLES`` to the status it gets (anonymous visitors: 302 to sign in). POST rows
send ``RULE_FORM``.
"""

from __future__ import annotations

ROLES = ("anonymous", "hamm1", "mediator", "outsider", "lecturer", "other_lecturer",
         "organiser")

STAFF_PAGE = {"anonymous": 302, "hamm1": 403, "mediator": 403, "outsider": 403,
              "lecturer": 200, "other_lecturer": 200, "organiser": 200}
#: organisers and the lecturers teaching the cohort; other staff know it exists
BOARD = {"anonymous": 302, "hamm1": 404, "mediator": 404, "outsider": 404,
         "lecturer": 200, "other_lecturer": 403, "organiser": 200}
#: the course's members and staff know the course; only organisers set its rule
RULE_GET = {"anonymous": 302, "hamm1": 403, "mediator": 403, "outsider": 403,
            "lecturer": 403, "other_lecturer": 403, "organiser": 200}
RULE_POST = {**RULE_GET, "organiser": 302}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}

RULE_FORM = {"min_attendance_percent": "75", "required_step": "recommendations"}

RULE_CASES = {
    ("GET", "/certificates/eligibility"): STAFF_PAGE,
    ("GET", "/certificates/eligibility/cohorts/{cohort}"): BOARD,
    ("GET", "/certificates/eligibility/cohorts/{cohort}?show=pending"): BOARD,
    ("GET", "/certificates/eligibility/cohorts/{cohort}/eligibility.csv"): BOARD,
    ("GET", "/certificates/eligibility/cohorts/{cohort}/eligibility.xlsx"): BOARD,
    ("GET", "/certificates/rules/courses/{course}"): RULE_GET,
    ("POST", "/certificates/rules/courses/{course}"): RULE_POST,
    ("GET", "/certificates/progress"): SIGNED_IN,
}
