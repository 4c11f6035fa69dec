"""In-app notifications, with a copy by mail: feedback released, work returned, a deadline
near without a submission.

A ``Notification`` keeps its ``kind`` and ``params``, not a finished sentence: the text is
built when it is shown, in the reader's language. A ``key`` makes a notification unique
per person, so the reminder run (``lms assignments remind``, started by cron) can run as
often as it likes and still sends each reminder once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import click
from flask import current_app, render_template, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import joinedload

from assignments.access import owner_of, team_members
from assignments.deadlines import effective_deadlines
from assignments.models import (
    Assignment,
    AssignmentSchedule,
    Extension,
    Notification,
    Submission,
)
from assignments.submitting import find_submission
from cohorts.models import Enrollment
from courses.models import Module
from lms.auth.models import Role, User
from lms.datetext import local_datetime
from lms.db import utcnow
from lms.extensions import db
from lms.mail import mail_person
from lms.plugins import DashboardPanel

#: a reminder goes out when the due date is at most this far away
REMIND_BEFORE = timedelta(hours=48)
PANEL_ITEMS = 5


def message(notification: Notification) -> str:
    """The sentence of ``notification`` in the current language."""
    params = notification.params or {}
    title = params.get("title", "")
    match notification.kind:
        case "feedback_released":
            return _("Feedback on “%(title)s” has been released.", title=title)
        case "returned":
            return _("“%(title)s” has been returned to you for revision.", title=title)
        case "deadline_near":
            due = datetime.fromisoformat(params["due"]) if params.get("due") else None
            return _("“%(title)s” is due on %(due)s and nothing has been handed in yet.",
                     title=title, due=local_datetime(due))
    return title


def notify(user: User, kind: str, params: dict[str, Any], *, endpoint: str,
           values: dict[str, Any] | None = None,
           key: str | None = None) -> Notification | None:
    """Tell ``user`` in the app and by mail; None if a notification with ``key`` exists.

    The page ``endpoint`` names is linked in the app by its path, in the mail by its
    address on the configured site.
    """
    if key is not None and db.session.scalar(select(exists().where(
            Notification.user_id == user.id, Notification.key == key))):
        return None
    values = values or {}
    notification = Notification(user_id=user.id, kind=kind, params=params,
                                link=url_for(endpoint, **values), key=key)
    db.session.add(notification)
    mail_person(user, lambda: message(notification), endpoint=endpoint, values=values)
    db.session.flush()
    return notification


def notify_owners(submission: Submission, kind: str, *, link_endpoint: str,
                  values: dict[str, Any] | None = None) -> None:
    """Tell every owner of ``submission`` (the person, or the municipality's team)."""
    params = {"title": submission.schedule.assignment.title}
    for person in team_members(submission):
        notify(person, kind, params, endpoint=link_endpoint, values=values)


# --- Reminders -------------------------------------------------------------------------------


def _candidate_schedules(now: datetime) -> list[AssignmentSchedule]:
    """Published schedules open within the window whose due date, or an extension's, lies
    ahead."""
    extended = exists().where(Extension.schedule_id == AssignmentSchedule.id,
                              Extension.revoked_at.is_(None), Extension.due_at > now)
    return list(db.session.scalars(
        select(AssignmentSchedule).join(AssignmentSchedule.assignment).join(Assignment.module)
        .where(Module.published, AssignmentSchedule.opens_at <= now + REMIND_BEFORE,
               (AssignmentSchedule.due_at > now) | extended)
        .options(joinedload(AssignmentSchedule.assignment))
        .order_by(AssignmentSchedule.due_at, AssignmentSchedule.id)))


def remind(now: datetime | None = None) -> int:
    """Remind everyone whose work is due within ``REMIND_BEFORE`` and not handed in.

    The dates come from the one deadline rule, with extensions applied. Each reminder is
    keyed by schedule and due date: running again sends nothing twice, while a new due
    date (an extension) earns a new reminder. Returns how many were sent.
    """
    now = now or utcnow()
    sent = 0
    for schedule in _candidate_schedules(now):
        people = db.session.scalars(
            select(User).join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.cohort_id == schedule.cohort_id, Enrollment.ended_at.is_(None),
                   User.active).order_by(User.id)).all()
        for person in people:
            owner = owner_of(person, schedule)
            if owner is None:
                continue
            due_at = effective_deadlines(schedule, owner).due_at
            if not now < due_at <= now + REMIND_BEFORE:
                continue
            submission = find_submission(schedule, owner)
            if submission is not None and submission.version_count > 0:
                continue
            created = notify(person, "deadline_near",
                             {"title": schedule.assignment.title, "due": due_at.isoformat()},
                             endpoint="assignments.work",
                             values={"schedule_id": schedule.id},
                             key=f"deadline-{schedule.id}-{int(due_at.timestamp())}")
            sent += created is not None
    return sent


@click.group("assignments", help="Assignments: reminders for work that is due.")
def cli() -> None:
    pass


@cli.command("remind")
@with_appcontext
def remind_command() -> None:
    """Remind people of work due within 48 hours (idempotent; run it from cron)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        sent = remind()
        db.session.commit()
    click.echo(f"{sent} reminder(s) sent.")


# --- Reading them ----------------------------------------------------------------------------


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def notifications_of(user: User, *, unread_only: bool = False,
                     limit: int | None = None) -> Select:
    """The statement for ``user``'s notifications, the newest first."""
    statement = select(Notification).where(Notification.user_id == user.id) \
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    if limit is not None:
        statement = statement.limit(limit)
    return statement


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: User) -> int:
    result = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    return result.rowcount or 0


def notification_panels(user: User) -> list[DashboardPanel]:
    """A participant's unread notifications on the dashboard (none: no panel)."""
    if not user.has_role(Role.PARTICIPANT):
        return []  # every notification so far is for the owners of work
    count = unread_count(user)
    if not count:
        return []
    latest = db.session.scalars(notifications_of(user, unread_only=True,
                                                 limit=PANEL_ITEMS)).all()
    body = Markup(render_template("assignments/notifications/panel.html", count=count,
                                  latest=latest, message=message))
    return [DashboardPanel(_("Notifications"), body, 5)]
