"""Who may do what with the certificate rule, eligibility and certificates: the plugin's
policies, registered with the host's permission registry (``lms.auth.access``).

The rule and who meets it:

- A course's rule is set by those who set the course's other rules: the course policy's
  "set_rules" (organisers).
- ``Eligibility`` (a cohort's standings against the rule, the board and its export):
  organisers and the lecturers who teach the cohort read it ("view", "export"); other
  staff know it exists (403); participants learn nothing (404).

Issued certificates:

- ``Certificate``: its holder "view"s it and "download"s its PDF while it is valid;
  staff teaching its cohort "view" it in lists; organisers also "download" every one
  and "revoke" or "reissue" it. Anyone else learns nothing (404).
- ``CohortCertificates`` (a cohort's certificates as a whole): staff "know" of them
  (403 for lecturers of other cohorts); staff teaching the cohort "view" the list;
  organisers "issue" and "export" (the ZIP). Participants learn nothing (404): their own
  certificates are on their own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, abort

from assignments.certificates.models import Certificate
from cohorts.access import is_organiser, is_staff, teaches
from cohorts.models import Cohort
from lms.auth.access import KNOW, authorize_or_hide, register_policy
from lms.auth.models import User
from lms.extensions import db

W = TypeVar("W", "Eligibility", "CohortCertificates")


@dataclass(frozen=True)
class Eligibility:
    """A cohort's standings against its course's certificate rule."""

    cohort: Cohort


@dataclass(frozen=True)
class CohortCertificates:
    """A cohort's certificates as a whole: its list, issuing, its ZIP."""

    cohort: Cohort


def eligibility_policy(user: User, action: str, eligibility: Eligibility) -> bool:
    if not is_staff(user):
        return False
    if action == KNOW:
        return True
    return action in {"view", "export"} and teaches(user, eligibility.cohort.id)


def certificate_policy(user: User, action: str, certificate: Certificate) -> bool:
    if is_organiser(user):
        return action in {"view", "download", "revoke", "reissue"}
    if certificate.user_id == user.id:
        return action == "view" or (action == "download" and not certificate.revoked)
    return action == "view" and is_staff(user) and teaches(user, certificate.cohort_id)


def cohort_certificates_policy(user: User, action: str, certificates: CohortCertificates) -> bool:
    if not is_staff(user):
        return False
    if action in {"issue", "export"}:
        return is_organiser(user)
    return action == KNOW or (action == "view" and teaches(user, certificates.cohort.id))


def _load_of_cohort(whole: type[W], cohort_id: int, action: str) -> W:
    """A cohort's part as a whole, like a cohort's progress board
    (``steps.access.load_board``): 404 if the cohort is missing or the part hidden, 403 if
    known but refused."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return authorize_or_hide(action, whole(cohort))


def load_eligibility(cohort_id: int, action: str = "view") -> Eligibility:
    return _load_of_cohort(Eligibility, cohort_id, action)


def load_cohort_certificates(cohort_id: int, action: str = "view") -> CohortCertificates:
    return _load_of_cohort(CohortCertificates, cohort_id, action)


def register_policies(app: Flask) -> None:
    """The plugin's setup: one policy per object its pages load."""
    register_policy(app, Eligibility, eligibility_policy)
    register_policy(app, Certificate, certificate_policy)
    register_policy(app, CohortCertificates, cohort_certificates_policy)
