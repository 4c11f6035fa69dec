"""Rules for cohorts: creating and changing them, their lecturers and application forms.

Functions here check their input, change objects and flush; they never commit. A broken
rule raises ``DomainError`` with a translated message and the name of its form field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from cohorts.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    FieldRule,
    Procedure,
)
from cohorts.people import NAME_MAX, checked_text
from courses.models import Course
from lms import audit
from lms.auth.models import Role, User, UserRole
from lms.dates import check_date
from lms.db import lock_row
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import collation_key

MAX_CAPACITY = 100
MAX_SEATS = 10

#: what each procedure asks by default: (motivation, structures, phone)
DEFAULT_FIELD_RULES = {
    Procedure.FULL: (FieldRule.REQUIRED, FieldRule.REQUIRED, FieldRule.OPTIONAL),
    Procedure.SHORTENED: (FieldRule.HIDDEN, FieldRule.OPTIONAL, FieldRule.OPTIONAL),
}


@dataclass(frozen=True)
class CohortDetails:
    course_id: int
    name: str
    capacity: int
    procedure: Procedure
    application_opens_on: date
    application_closes_on: date
    starts_on: date
    ends_on: date
    seats_per_municipality: int = 2
    ask_motivation: FieldRule | None = None
    ask_structures: FieldRule | None = None
    ask_phone: FieldRule | None = None
    lecturer_ids: frozenset[int] = field(default_factory=frozenset)

    def rules(self) -> tuple[FieldRule, FieldRule, FieldRule]:
        """The form's field rules, the procedure's defaults where none is given."""
        defaults = DEFAULT_FIELD_RULES[Procedure(self.procedure)]
        given = (self.ask_motivation, self.ask_structures, self.ask_phone)
        return tuple(FieldRule(rule) if rule is not None else default  # type: ignore[return-value]
                     for rule, default in zip(given, defaults, strict=True))


def _required_date(value: date | None, name: str) -> date:
    if value is None:
        raise DomainError(_("Please enter a date."), field=name)
    check_date(value, name)
    return value


def _check(details: CohortDetails) -> tuple[str, list[User]]:
    name = checked_text(details.name, "name", limit=NAME_MAX,
                        missing=_l("Please enter the name of the cohort."))
    if db.session.get(Course, details.course_id) is None:
        raise DomainError(_("Please choose the course."), field="course_id")
    if not 1 <= (details.capacity or 0) <= MAX_CAPACITY:
        raise DomainError(_("The capacity is a number of municipalities from 1 to %(max)d.",
                            max=MAX_CAPACITY), field="capacity")
    if not 1 <= (details.seats_per_municipality or 0) <= MAX_SEATS:
        raise DomainError(_("Each municipality sends from 1 to %(max)d persons.", max=MAX_SEATS),
                          field="seats_per_municipality")
    opens = _required_date(details.application_opens_on, "application_opens_on")
    closes = _required_date(details.application_closes_on, "application_closes_on")
    starts = _required_date(details.starts_on, "starts_on")
    ends = _required_date(details.ends_on, "ends_on")
    if closes < opens:
        raise DomainError(_("The application window cannot close before it opens."),
                          field="application_closes_on")
    if closes > starts:
        raise DomainError(_("Applications must close by the day the cohort starts."),
                          field="application_closes_on")
    if ends <= starts:
        raise DomainError(_("The end must be after the start."), field="ends_on")
    motivation, _structures, _phone = details.rules()
    if details.procedure is Procedure.SHORTENED and motivation is not FieldRule.HIDDEN:
        raise DomainError(_("The shortened procedure does not ask for the long motivation."),
                          field="ask_motivation")
    lecturers = list(db.session.scalars(select(User).where(User.id.in_(details.lecturer_ids))))
    if len(lecturers) != len(details.lecturer_ids) \
            or not all(user.has_role(Role.LECTURER) for user in lecturers):
        raise DomainError(_("Please choose lecturers from the list."), field="lecturer_ids")
    return name, lecturers


def _apply(cohort: Cohort, details: CohortDetails, name: str, lecturers: list[User]) -> None:
    cohort.course_id = details.course_id
    cohort.name = name
    cohort.capacity = details.capacity
    cohort.seats_per_municipality = details.seats_per_municipality
    cohort.procedure = Procedure(details.procedure)
    cohort.application_opens_on = details.application_opens_on
    cohort.application_closes_on = details.application_closes_on
    cohort.starts_on = details.starts_on
    cohort.ends_on = details.ends_on
    cohort.ask_motivation, cohort.ask_structures, cohort.ask_phone = details.rules()
    cohort.lecturers = sorted(lecturers,
                              key=lambda user: (collation_key(user.display_name), user.id))


def _snapshot(cohort: Cohort) -> dict[str, object]:
    return {
        "name": cohort.name, "course_id": cohort.course_id, "capacity": cohort.capacity,
        "seats_per_municipality": cohort.seats_per_municipality,
        "procedure": str(cohort.procedure),
        "application_opens_on": cohort.application_opens_on.isoformat(),
        "application_closes_on": cohort.application_closes_on.isoformat(),
        "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat(),
        "fields": {name: str(rule) for name, rule in cohort.field_rules.items()},
        "lecturers": sorted(user.id for user in cohort.lecturers),
    }


DATED = ("application_opens_on", "application_closes_on", "starts_on", "ends_on")


def create_cohort(details: CohortDetails, *, actor: User | None) -> Cohort:
    name, lecturers = _check(details)
    cohort = Cohort()
    _apply(cohort, details, name, lecturers)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.created", cohort, actor=actor, after=_snapshot(cohort))
    return cohort


def open_cohorts(today: date) -> list[Cohort]:
    """Cohorts whose application window is open on ``today``, the soonest deadline first."""
    return list(db.session.scalars(
        select(Cohort).where(Cohort.application_opens_on <= today,
                             Cohort.application_closes_on >= today)
        .order_by(Cohort.application_closes_on, Cohort.id)))


def lecturer_accounts() -> list[User]:
    """Everyone who can be a cohort's lecturer."""
    lecturers = select(UserRole.user_id).where(UserRole.role == Role.LECTURER)
    return list(db.session.scalars(select(User).where(User.id.in_(lecturers))
                                   .order_by(User.sort_name, User.id)))


def accepted_count(cohort: Cohort) -> int:
    """How many municipalities hold a place (have an accepted application)."""
    return db.session.scalar(
        select(func.count(Application.id)).where(Application.cohort_id == cohort.id,
                                                 Application.status == ApplicationStatus.ACCEPTED)
    ) or 0


def _largest_team(cohort: Cohort) -> int:
    per_municipality = (
        select(func.count(Enrollment.id).label("people"))
        .where(Enrollment.cohort_id == cohort.id, Enrollment.ended_at.is_(None),
               Enrollment.kind == EnrollmentKind.MUNICIPALITY)
        .group_by(Enrollment.municipality_id).subquery()
    )
    return db.session.scalar(select(func.max(per_municipality.c.people))) or 0


def lock_cohort(cohort_id: int) -> Cohort:
    """Hold the cohort's row lock until the transaction ends (``lms.db.lock_row``).

    Every change that counts a cohort's places or seats takes this lock first and counts
    afterwards, so two such changes never count at the same time.
    """
    cohort = lock_row(Cohort, cohort_id)
    if cohort is None:
        raise DomainError(_("This cohort no longer exists."))
    return cohort


def update_cohort(cohort: Cohort, details: CohortDetails, *, actor: User) -> None:
    """Change a cohort; its capacity and seats cannot drop below what is already taken."""
    name, lecturers = _check(details)
    cohort = lock_cohort(cohort.id)
    taken = accepted_count(cohort)
    if details.capacity < taken:
        raise DomainError(ngettext(
            "%(num)d municipality already holds a place; the capacity cannot be smaller.",
            "%(num)d municipalities already hold a place; the capacity cannot be smaller.",
            taken), field="capacity")
    team = _largest_team(cohort)
    if details.seats_per_municipality < team:
        raise DomainError(ngettext(
            "A municipality already has %(num)d person in this cohort.",
            "A municipality already has %(num)d persons in this cohort.",
            team), field="seats_per_municipality")
    before = _snapshot(cohort)
    _apply(cohort, details, name, lecturers)
    after = _snapshot(cohort)
    if any(before[key] != after[key] for key in DATED):
        cohort.calendar_sequence += 1
    if before != after:
        audit.record("cohort.updated", cohort, actor=actor, before=before, after=after)
    db.session.flush()
