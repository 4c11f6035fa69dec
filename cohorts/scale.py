"""The cohort plugin's part of ``flask lms seed-scale`` (``lms.scale``): cohorts of the
demo course one month apart, a session per module for each, and the scale's people
enrolled two per municipality, spread evenly over the cohorts."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from cohorts.models import (
    Cohort,
    Enrollment,
    EnrollmentKind,
    FieldRule,
    Municipality,
    Procedure,
)
from courses.models import Course, Module, Session
from lms.extensions import db
from lms.scale import ScaleSizes, at, insert_rows, scale_people

FIRST_START = date(2019, 2, 1)
MODULE_WEEKS = 5
SEATS = 2


def scale_cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).where(Cohort.name.like("Skalierung %"))
                                   .order_by(Cohort.id)))


def seed_scale(sizes: ScaleSizes) -> None:
    course = db.session.scalar(select(Course).order_by(Course.id))
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                 .order_by(Module.position)).all()
    people = scale_people()
    municipalities = db.session.scalars(select(Municipality.id).order_by(Municipality.id)).all()
    per_cohort = -(-len(people) // sizes.cohorts)
    first = db.session.scalar(select(func.count(Cohort.id))
                              .where(Cohort.name.like("Skalierung %"))) or 0
    starts = [FIRST_START + timedelta(days=30 * number)
              for number in range(first, first + sizes.cohorts)]
    cohort_ids = insert_rows(Cohort, ({
        "course_id": course.id, "name": f"Skalierung {number:03d}",
        "capacity": max(1, -(-per_cohort // SEATS)), "seats_per_municipality": SEATS,
        "procedure": Procedure.SHORTENED, "application_opens_on": start - timedelta(days=90),
        "application_closes_on": start - timedelta(days=30), "starts_on": start,
        "ends_on": start + timedelta(weeks=MODULE_WEEKS * (len(modules) + 1)),
        "ask_motivation": FieldRule.HIDDEN, "ask_structures": FieldRule.OPTIONAL,
        "ask_phone": FieldRule.OPTIONAL,
    } for number, start in enumerate(starts, start=first)))
    insert_rows(Session, ({
        "module_id": module.id, "cohort_id": cohort_id,
        "starts_at": at(start + timedelta(weeks=MODULE_WEEKS * index), 8),
        "ends_at": at(start + timedelta(weeks=MODULE_WEEKS * index), 15),
        "location": "Dortmund",
    } for cohort_id, start in zip(cohort_ids, starts, strict=True)
        for index, module in enumerate(modules)))
    taken = set(db.session.scalars(select(Enrollment.user_id).join(Cohort)
                                   .where(Cohort.name.like("Skalierung %"))))
    new = [person for person in people if person not in taken]
    insert_rows(Enrollment, ({
        "cohort_id": cohort_ids[number % len(cohort_ids)], "user_id": person,
        "kind": EnrollmentKind.MUNICIPALITY,
        "municipality_id": municipalities[(number // len(cohort_ids) // SEATS)
                                          % len(municipalities)],
        "started_at": at(starts[number % len(starts)], 0),
    } for number, person in enumerate(new)))

