"""A cohort's roster: its municipalities with their people, mediators and lecturers.

Loaded in a fixed number of queries however large the cohort grows, for the cohort page,
the exports and the dashboard alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cohorts.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    Municipality,
)
from lms.auth.models import Role, User
from lms.extensions import db
from lms.plugins import PersonColumn
from lms.tables import Column, Kind, Table


@dataclass
class Team:
    """A municipality holding a place, and its current responsible persons."""

    municipality: Municipality
    application: Application
    members: list[Enrollment] = field(default_factory=list)
    #: mediators paired with this municipality
    mediators: list[Enrollment] = field(default_factory=list)


@dataclass
class Roster:
    cohort: Cohort
    teams: list[Team]
    mediators: list[Enrollment]
    lecturers: list[User]
    #: ended enrollments, newest first (only loaded for organisers)
    former: list[Enrollment]

    @property
    def people(self) -> int:
        return sum(len(team.members) for team in self.teams) + len(self.mediators)


def places(cohort: Cohort) -> list[Municipality]:
    """The municipalities holding a place in ``cohort``, by name."""
    return list(db.session.scalars(
        select(Municipality).join(Application, Application.municipality_id == Municipality.id)
        .where(Application.cohort_id == cohort.id,
               Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Municipality.sort_name, Municipality.id)))


def _enrollments(cohort: Cohort, *, current: bool) -> list[Enrollment]:
    query = (select(Enrollment).where(Enrollment.cohort_id == cohort.id)
             .options(joinedload(Enrollment.user), joinedload(Enrollment.municipality),
                      selectinload(Enrollment.paired_municipalities)))
    if current:
        query = query.where(Enrollment.ended_at.is_(None)).order_by(Enrollment.started_at,
                                                                     Enrollment.id)
    else:
        query = query.where(Enrollment.ended_at.is_not(None)).order_by(
            Enrollment.ended_at.desc(), Enrollment.id.desc())
    return list(db.session.scalars(query).unique())


def load_roster(cohort: Cohort, *, with_history: bool = False) -> Roster:
    places = db.session.scalars(
        select(Application).join(Application.municipality)
        .where(Application.cohort_id == cohort.id,
               Application.status == ApplicationStatus.ACCEPTED)
        .options(joinedload(Application.municipality))
        .order_by(Municipality.sort_name, Municipality.id)).all()
    teams = {application.municipality_id: Team(application.municipality, application)
             for application in places}
    mediators = []
    for enrollment in _enrollments(cohort, current=True):
        if enrollment.kind is EnrollmentKind.MEDIATOR:
            mediators.append(enrollment)
            for municipality in enrollment.paired_municipalities:
                if municipality.id in teams:
                    teams[municipality.id].mediators.append(enrollment)
        elif enrollment.municipality_id in teams:
            teams[enrollment.municipality_id].members.append(enrollment)
    mediators.sort(key=lambda enrollment: enrollment.user.display_name)
    former = _enrollments(cohort, current=False) if with_history else []
    return Roster(cohort, list(teams.values()), mediators, list(cohort.lecturers), former)


def roster_table(roster: Roster, extra: Sequence[PersonColumn] = ()) -> Table:
    """The roster as a table to export: each municipality's people, mediators, lecturers.
    ``extra``: other plugins' columns of the cohort's people, after the roster's own."""
    table = Table(_("Roster %(cohort)s", cohort=roster.cohort.name), roster.cohort.name, [
        Column(_("Municipality")), Column(_("AGS"), Kind.CODE),
        Column(_("Administrative region")), Column(_("Role")), Column(_("Name")),
        Column(_("Email address")), Column(_("Function")), Column(_("Phone")),
        Column(_("Enrolled since"), Kind.DATE), *[Column(column.label) for column in extra]],
        sheet=_("Roster"))

    def more(user_id: int | None) -> list[object]:
        return [column.value_for(user_id) for column in extra]

    for team in roster.teams:
        municipality = team.municipality
        for member in team.members:
            table.add(municipality.name, municipality.ags, municipality.region,
                      member.kind.label, member.user.display_name, member.user.email,
                      member.function, member.phone, member.started_at, *more(member.user_id))
    for mediator in roster.mediators:
        paired = ", ".join(m.name for m in mediator.paired_municipalities)
        ags = ", ".join(m.ags for m in mediator.paired_municipalities)
        table.add(paired, ags, None, mediator.kind.label, mediator.user.display_name,
                  mediator.user.email, mediator.function, mediator.phone, mediator.started_at,
                  *more(mediator.user_id))
    for lecturer in roster.lecturers:
        table.add(None, None, None, Role.LECTURER.label, lecturer.display_name, lecturer.email,
                  None, None, None, *more(None))
    return table
