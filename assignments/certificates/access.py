"""Who may do what with the certificate rule, eligibility and certificates: the plugin's
policies, registered with the host's permission registry (``lms.auth.access``).

- A course's rule is set by those who set the course's other rules: the course policy's
  "set_rules" (organisers).
- ``Eligibility`` (a cohort's standings against the rule, the board and its export):
  organisers and the lecturers who teach the cohort read it ("view", "export"); other
  staff know it exists (403); participants learn nothing (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort

from cohorts.access import is_staff, teaches
from cohorts.models import Cohort
from lms.auth.access import KNOW, authorize_or_hide, register_policy
from lms.auth.models import User
from lms.extensions import db


@dataclass(frozen=True)
class Eligibility:
    """A cohort's standings against its course's certificate rule."""

    cohort: Cohort


def eligibility_policy(user: User, action: str, eligibility: Eligibility) -> bool:
    if not is_staff(user):
        return False
    if action == KNOW:
        return True
    return action in {"view", "export"} and teaches(user, eligibility.cohort.id)


def load_eligibility(cohort_id: int, action: str = "view") -> Eligibility:
    """A cohort's standings, like a cohort's progress board (``steps.access.load_board``):
    404 if the cohort is missing or its standings hidden, 403 if known but refused."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return authorize_or_hide(action, Eligibility(cohort))


def register_policies(app: Flask) -> None:
    """The plugin's setup: one policy per object its pages load."""
    register_policy(app, Eligibility, eligibility_policy)
