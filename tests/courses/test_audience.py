"""The extension point through which a cohorts plugin tells courses who belongs where."""

from __future__ import annotations

import pytest

from courses.audience import (
    EVERYONE,
    CourseAudience,
    cohort_label,
    current_audience,
    register_audience,
)
from courses.models import Course
from lms.auth.models import User
from lms.extensions import db


def test_without_a_plugin_every_active_account_belongs_and_there_are_no_cohorts(
        app, participant, create_user, course):
    inactive = create_user("inaktiv@example.org", active=False)
    with app.test_request_context():
        audience = current_audience()
        stored = db.session.get(Course, course.id)
        assert audience is EVERYONE
        assert audience.is_member(db.session.get(User, participant.id), stored)
        assert not audience.is_member(db.session.get(User, inactive.id), stored)
        assert audience.cohort_choices(stored) == []
        assert audience.cohort_ids_of(db.session.get(User, participant.id)) is None


def test_only_one_audience_may_be_registered(app):
    mine = CourseAudience(cohort_choices=lambda _c: [], cohort_ids_of=lambda _u: set(),
                          is_member=lambda _u, _c: False)
    register_audience(app, mine)
    with app.app_context():
        assert current_audience() is mine
    with pytest.raises(RuntimeError):
        register_audience(app, mine)


def test_cohort_labels(app, course, cohorts):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        stored = db.session.get(Course, course.id)
        assert cohort_label(stored, 2) == "Studiengruppe 2018"
        assert cohort_label(stored, None) == "All cohorts"
        assert cohort_label(stored, 99) == "#99"
