"""The rule's verdict as a column of a cohort's person tables (the gradebook and its
export, the roster export), offered through the host (``Plugin.person_columns``), so that
those plugins show the one rule without importing this one."""

from __future__ import annotations

from flask_babel import gettext as _

from assignments.certificates.access import Eligibility
from assignments.certificates.rule import standings
from cohorts.models import Cohort
from lms.auth.access import can
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import PersonColumn


def certificate_columns(cohort_id: int, viewer: User) -> list[PersonColumn]:
    """"met" or "missing: ..." per current member, for those who may read the board."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can("view", Eligibility(cohort), viewer):
        return []
    return [PersonColumn(_("Certificate"), {standing.user.id: standing.summary()
                                            for standing in standings(cohort)})]
