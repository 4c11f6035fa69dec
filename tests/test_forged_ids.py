"""A participant who forges another municipality's ids into any URL learns and changes nothing.

The demo seeds one cohort with several municipalities' teams, their submissions, versions,
files, reviews, extensions, notifications, committee presentations, measures and a
handbook; a few kinds the demo lacks are added for another team. Signed in as Hamm's
participant, every rule of ``app.url_map`` with integer arguments is called, GET and
POST, once per argument with that argument set to an object of another municipality (or
of a cohort the participant is not in) and the others to the participant's own: each
answer must be 403 or 404, and every row of every table must stay as it was. The cohort
does not share progress here; what sharing shows is the steps' route table's question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import or_, select
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from advice.models import AdviceCase, CaseAssignment, CaseDocument, PoolMember
from assignments.certificates.models import Certificate
from assignments.models import (
    AssignmentSchedule,
    DraftFile,
    Extension,
    Notification,
    Review,
    ReviewFile,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from assignments.steps.models import Handbook, Measure, Presentation, StepSettings
from cohorts.models import Application, Cohort, Enrollment, Municipality
from courses.models import Course, Session
from lms import demo
from lms.auth.models import User
from lms.calendar.tokens import feed_token
from lms.consent.models import ConsentRecord
from lms.db import utcnow
from lms.extensions import db
from lms.mail import OutboxMessage, send_mail
from tests.test_demo_walk import changes, dump

PARTICIPANT = "teilnehmer@example.org"
#: how many of another team's objects of each kind are forged into each argument
PER_KIND = 3
#: a course the participant does not belong to
OTHER_COURSE = "Anderer Lehrgang"
#: the public application form: every cohort takes applications from everybody
PUBLIC = {"cohorts.apply", "cohorts.applied"}
#: a cohort's feed shows each person the cohort's dates they may see: for a cohort they
#: are not in, nothing beyond their own personal feed (its public application round, the
#: course's congresses)
FEEDS = {"calendar.cohort_feed"}
UID = re.compile(r"^UID:(.+?)\r?$", re.MULTILINE)
ARGUMENTS = {
    "cohort_id": Cohort, "municipality_id": Municipality, "enrollment_id": Enrollment,
    "application_id": Application, "schedule_id": AssignmentSchedule,
    "submission_id": Submission, "version_id": SubmissionVersion, "extension_id": Extension,
    "notification_id": Notification, "presentation_id": Presentation, "measure_id": Measure,
    "handbook_id": Handbook, "user_id": User, "message_id": OutboxMessage,
    "session_id": Session, "certificate_id": Certificate, "course_id": Course,
    "consent_id": ConsentRecord, "case_id": AdviceCase, "case_assignment_id": CaseAssignment,
    "document_id": CaseDocument, "member_id": PoolMember,
}
#: ``file_id`` names three kinds of file, told apart by the path
FILES = (("/draft-files/", DraftFile), ("/feedback-files/", ReviewFile), ("/files/", VersionFile))


def file_model(rule: Rule) -> type:
    return next(model for part, model in FILES if part in rule.rule)


class World:
    """Hamm's participant, and another municipality's objects in the same cohort."""

    def __init__(self) -> None:
        self.user_id = User.by_email(PARTICIPANT).id
        enrollment = db.session.scalar(select(Enrollment).where(
            Enrollment.user_id == self.user_id, Enrollment.ended_at.is_(None)))
        self.cohort_id, self.municipality_id = enrollment.cohort_id, enrollment.municipality_id
        own_case = db.session.scalar(select(AdviceCase.id).where(
            AdviceCase.municipality_id == self.municipality_id).order_by(AdviceCase.id))
        self.own = {"cohort_id": self.cohort_id, "municipality_id": self.municipality_id,
                    "enrollment_id": enrollment.id, "case_id": own_case}
        other_submission = db.session.scalar(
            select(Submission).join(Submission.versions).join(SubmissionVersion.review)
            .join(Submission.schedule).where(
                AssignmentSchedule.cohort_id == self.cohort_id,
                Submission.municipality_id != self.municipality_id)
            .order_by(Submission.id))
        self.other = other_submission.municipality_id
        self._add_what_the_demo_lacks(other_submission)

    def _add_what_the_demo_lacks(self, submission: Submission) -> None:
        """A feedback file, a draft file, an extension and a mail for the other team, and a
        course of other people."""
        review = submission.latest_version.review
        file = {"filename": "fremd.pdf", "content_type": "application/pdf", "size": 4,
                "sha256": "0" * 64}
        db.session.add(ReviewFile(review=review, shown_at=utcnow(), **file))
        db.session.add(DraftFile(submission=submission, **file))
        schedule = submission.schedule
        if not db.session.scalar(select(Extension.id).where(
                Extension.municipality_id == self.other, Extension.revoked_at.is_(None),
                Extension.schedule_id == schedule.id)):
            due = utcnow() + timedelta(days=30)
            db.session.add(Extension(schedule=schedule, municipality_id=self.other, due_at=due,
                                     cut_off_at=due, reason="Krankheit"))
        send_mail("fremd@example.org", "Betreff", "Inhalt")
        db.session.add(Course(title=OTHER_COURSE, starts_at=utcnow(),
                              ends_at=utcnow() + timedelta(days=365)))
        db.session.commit()

    def foreign(self, model: type) -> list[int]:
        """Ids of ``model`` that belong to another municipality, or to another cohort."""
        other_team = Submission.municipality_id != self.municipality_id
        other_case = AdviceCase.municipality_id != self.municipality_id
        statements = {
            Cohort: select(Cohort.id).where(Cohort.id != self.cohort_id),
            Municipality: select(Enrollment.municipality_id).where(
                Enrollment.cohort_id == self.cohort_id,
                Enrollment.municipality_id != self.municipality_id),
            Enrollment: select(Enrollment.id).where(
                Enrollment.municipality_id != self.municipality_id),
            Application: select(Application.id).where(
                Application.municipality_id != self.municipality_id),
            AssignmentSchedule: select(AssignmentSchedule.id).where(
                AssignmentSchedule.cohort_id != self.cohort_id),
            Submission: select(Submission.id).where(other_team),
            SubmissionVersion: select(SubmissionVersion.id).join(SubmissionVersion.submission)
            .where(other_team),
            VersionFile: select(VersionFile.id).join(VersionFile.version)
            .join(SubmissionVersion.submission).where(other_team),
            DraftFile: select(DraftFile.id).join(DraftFile.submission).where(other_team),
            ReviewFile: select(ReviewFile.id).join(ReviewFile.review).join(Review.version)
            .join(SubmissionVersion.submission).where(other_team),
            Extension: select(Extension.id).where(or_(
                Extension.municipality_id != self.municipality_id,
                Extension.user_id != self.user_id)),
            Notification: select(Notification.id).where(Notification.user_id != self.user_id),
            Presentation: select(Presentation.id).where(
                Presentation.municipality_id != self.municipality_id),
            Measure: select(Measure.id).where(Measure.municipality_id != self.municipality_id),
            Handbook: select(Handbook.id),
            User: select(Enrollment.user_id).where(
                Enrollment.municipality_id != self.municipality_id),
            OutboxMessage: select(OutboxMessage.id),
            Session: select(Session.id).where(Session.cohort_id != self.cohort_id),
            Certificate: select(Certificate.id).where(Certificate.user_id != self.user_id),
            Course: select(Course.id).where(Course.title == OTHER_COURSE),
            # the demo's applications: consents of other municipalities' contact persons
            ConsentRecord: select(ConsentRecord.id).where(or_(
                ConsentRecord.user_id != self.user_id, ConsentRecord.email != PARTICIPANT)),
            # the advice office: other municipalities' cases, their record, the pool
            AdviceCase: select(AdviceCase.id).where(other_case),
            CaseAssignment: select(CaseAssignment.id).join(CaseAssignment.case)
            .where(other_case),
            CaseDocument: select(CaseDocument.id).join(CaseDocument.case).where(other_case),
            PoolMember: select(PoolMember.id).where(PoolMember.user_id != self.user_id),
        }
        ids = db.session.scalars(statements[model].distinct()).all()
        return sorted(ids)[:PER_KIND]


@pytest.fixture
def world(app: Flask, demo_world) -> World:
    with app.app_context():
        for settings in db.session.scalars(select(StepSettings)):
            settings.share_progress = False
        db.session.commit()
        found = World()
        db.session.expunge_all()
        return found


def integer_arguments(rule: Rule) -> list[str]:
    return [name for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)]


def choices(rule: Rule) -> dict[str, str]:
    """A value for each ``<any(...)>`` part of ``rule`` (an export's format)."""
    return {name: sorted(converter.items)[0] for name, converter in rule._converters.items()
            if isinstance(converter, AnyConverter)}


def forged_urls(app: Flask, world: World) -> Iterator[tuple[str, str, str]]:
    """(method, endpoint, url) with one argument forged and the others the participant's."""
    adapter = app.url_map.bind("localhost")
    with app.app_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            arguments = integer_arguments(rule)
            if not arguments or rule.endpoint in PUBLIC:
                continue
            for name in arguments:
                model = file_model(rule) if name == "file_id" else ARGUMENTS.get(name)
                if model is None:
                    continue
                for forged in world.foreign(model):
                    values = {other: world.own.get(other, 1) for other in arguments}
                    values.update(choices(rule))
                    values[name] = forged
                    url = adapter.build(rule.endpoint, values)
                    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                        yield method, rule.endpoint, url


def test_every_kind_has_objects_of_another_municipality(app, world):
    with app.app_context():
        empty = [model.__name__ for model in {*ARGUMENTS.values(), *dict(FILES).values()}
                 if model is not AssignmentSchedule and not world.foreign(model)]
    assert empty == []


def test_the_participant_opens_their_own_records(app, world):
    """The forged requests below are refused for their ids, not for being this person."""
    client = app.test_client()
    assert client.post("/login", data={"email": PARTICIPANT,
                                       "password": demo.DEMO_PASSWORD}).status_code == 302
    own = f"/assignments/steps/cohorts/{world.cohort_id}/municipalities/{world.municipality_id}"
    assert client.get(own).status_code == 200
    assert client.get(f"/cohorts/{world.cohort_id}").status_code == 200


def test_forged_ids_of_another_municipality_are_refused_and_change_nothing(app, world):
    client = app.test_client()
    assert client.post("/login", data={"email": PARTICIPANT,
                                       "password": demo.DEMO_PASSWORD}).status_code == 302
    with app.app_context():
        token = feed_token(db.session.get(User, world.user_id))
    personal = client.get(f"/calendar/feed/{token}.ics")
    assert personal.status_code == 200
    own_uids = set(UID.findall(personal.get_data(as_text=True)))
    wrong, endpoints = [], set()
    for method, endpoint, url in forged_urls(app, world):
        endpoints.add(endpoint)
        before = dump(app)
        response = client.open(url, method=method)
        if endpoint in FEEDS and response.status_code == 200:
            uids = set(UID.findall(response.get_data(as_text=True)))
            if not uids <= own_uids:
                wrong.append(f"{method} {url}: more than the person's feed: {uids - own_uids}")
        elif response.status_code not in (403, 404):
            wrong.append(f"{method} {url} ({endpoint}): {response.status_code}")
        wrong += [f"{method} {url} changed {line}" for line in changes(before, dump(app))]
    assert len(endpoints) > 30, sorted(endpoints)
    assert wrong == [], "\n".join(wrong)
