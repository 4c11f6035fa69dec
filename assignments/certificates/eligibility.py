"""The eligibility board of a cohort: the rule's standings with their counts, filtered,
and as a table to export. Reads ``rule.standings`` only; decides nothing itself."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from assignments.certificates.forms import ELIGIBLE, PENDING
from assignments.certificates.rule import Standing, standings
from cohorts.models import Cohort
from lms.tables import Column, Kind, Table


@dataclass(frozen=True)
class EligibilityBoard:
    cohort: Cohort
    #: every current member's standing (all of them, whatever the filter)
    standings: list[Standing]
    #: the ones shown: all, or those the filter asks for
    shown: list[Standing]

    @property
    def eligible_count(self) -> int:
        return sum(standing.eligible for standing in self.standings)


def eligibility_board(cohort: Cohort, show: str = "") -> EligibilityBoard:
    """``cohort``'s board; ``show``: "" (everybody), ``ELIGIBLE`` or ``PENDING``."""
    found = standings(cohort)
    wanted = {ELIGIBLE: True, PENDING: False}.get(show)
    shown = found if wanted is None else [s for s in found if s.eligible is wanted]
    return EligibilityBoard(cohort, found, shown)


def eligibility_table(board: EligibilityBoard) -> Table:
    """The standings shown on the board, one row per person, as a table to export."""
    table = Table(_("Certificate eligibility %(cohort)s", cohort=board.cohort.name),
                  f"certificate-eligibility-{board.cohort.id}", [
                      Column(_("Name")), Column(_("Email")), Column(_("Role")),
                      Column(_("Municipality")), Column(_("AGS"), Kind.CODE),
                      Column(_("Meets the rule"), Kind.YES_NO),
                      Column(_("Certificate")),
                      Column(_("Attendance rate (%)"), Kind.DECIMAL),
                      Column(_("Attended sessions"), Kind.INTEGER),
                      Column(_("Counted sessions"), Kind.INTEGER),
                      Column(_("Not recorded"), Kind.INTEGER),
                      Column(_("Sessions to come"), Kind.INTEGER),
                      Column(_("Module work missing"), Kind.INTEGER)],
                  sheet=_("Eligibility"))
    for standing in board.shown:
        municipality = standing.enrollment.municipality
        rate = standing.attendance
        table.add(standing.user.display_name, standing.user.email,
                  standing.enrollment.kind.label,
                  municipality.name if municipality else None,
                  municipality.ags if municipality else None,
                  standing.eligible, standing.summary(), rate.percent, rate.attended,
                  rate.counted, rate.unrecorded, standing.upcoming_sessions,
                  len(standing.work_missing))
    return table

