"""Rules for the course, its modules and their revisions, and sessions.

Functions here check their input, change objects and flush; they never commit (the request
or the CLI command does, once). A broken rule raises ``DomainError`` with a translated
message and, where it belongs to one form field, that field's name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from courses.audience import cohort_label, current_audience
from courses.models import Course, Module, ModuleRevision, Session
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_day, check_date
from lms.datetext import local_date, local_datetime
from lms.errors import DomainError
from lms.extensions import db

# --- Shared checks -------------------------------------------------------------------------


def required_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Please enter a title."), field="title")
    return title


def _check_order(starts_at: datetime | None, ends_at: datetime | None) -> None:
    """Both times within the accepted window, and the end after the start."""
    check_date(starts_at, "starts_at")
    check_date(ends_at, "ends_at")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")


def _check_within_course(course: Course, starts_at: datetime | None,
                         ends_at: datetime | None) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and not course.starts_at <= value <= course.ends_at:
            raise DomainError(_("Dates must lie within the course, from %(start)s to %(end)s.",
                                start=local_datetime(course.starts_at),
                                end=local_datetime(course.ends_at)), field=name)


def _check_within_cohort(course: Course, cohort_id: int, starts_at: datetime,
                         ends_at: datetime) -> None:
    """A cohort's session lies within the cohort's days (Berlin), from first to last."""
    period = current_audience().cohort_period(cohort_id)
    if period is None:
        return
    first, last = period
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not first <= berlin_day(value) <= last:
            raise DomainError(_("Sessions of \u201c%(cohort)s\u201d must lie within its dates, "
                                "from %(first)s to %(last)s.",
                                cohort=cohort_label(course, cohort_id),
                                first=local_date(first), last=local_date(last)), field=name)


def check_web_url(url: str, field: str) -> str:
    """``url`` stripped, if it is an http or https address; raises ``DomainError`` if not."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname \
            or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise DomainError(_("Please enter a web address starting with https:// or http://."),
                          field=field)
    return url


def _text(value: str | None) -> str:
    """Form text with uniform line endings, so revisions compare and diff cleanly."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")


# --- The course ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseDetails:
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    certificate_requirements: str = ""
    #: the attendance rule; None leaves it as it is (only organisers set it)
    excused_counts_as_attended: bool | None = None


def _checked_course(details: CourseDetails) -> CourseDetails:
    if details.starts_at is None:
        raise DomainError(_("Please enter the start."), field="starts_at")
    if details.ends_at is None:
        raise DomainError(_("Please enter the end."), field="ends_at")
    _check_order(details.starts_at, details.ends_at)
    return replace(details, title=required_title(details.title),
                   description=_text(details.description),
                   certificate_requirements=_text(details.certificate_requirements))


def create_course(details: CourseDetails, *, actor: User | None) -> Course:
    details = _checked_course(details)
    course = Course(**asdict(replace(details, excused_counts_as_attended=bool(
        details.excused_counts_as_attended))))
    db.session.add(course)
    db.session.flush()
    audit.record("course.created", course, actor=actor,
                 after={"title": course.title, "starts_at": course.starts_at.isoformat(),
                        "ends_at": course.ends_at.isoformat()})
    return course


def _dated_span(course: Course) -> tuple[datetime | None, datetime | None]:
    """The earliest start and latest end of the course's modules.

    Sessions are not bound to the course's dates: the course is offered to one cohort
    after another, and a cohort's sessions lie within that cohort's dates instead.
    """
    return tuple(db.session.execute(
        select(func.min(Module.starts_at), func.max(Module.ends_at))
        .where(Module.course_id == course.id)).one())


def _audited(course: Course) -> dict[str, object]:
    return {"starts_at": course.starts_at.isoformat(), "ends_at": course.ends_at.isoformat(),
            "title": course.title, "excused_counts_as_attended": course.excused_counts_as_attended}


def update_course(course: Course, details: CourseDetails, *, actor: User) -> None:
    """Change the course; its dates may not leave existing modules outside."""
    details = _checked_course(details)
    earliest, latest = _dated_span(course)
    if earliest is not None and earliest < details.starts_at:
        raise DomainError(_("A module starts before this date (%(date)s). Move it first.",
                            date=local_datetime(earliest)), field="starts_at")
    if latest is not None and latest > details.ends_at:
        raise DomainError(_("A module ends after this date (%(date)s). Move it first.",
                            date=local_datetime(latest)), field="ends_at")
    before = _audited(course)
    for name, value in asdict(details).items():
        if value is not None:
            setattr(course, name, value)
    after = _audited(course)
    if before != after:
        audit.record("course.updated", course, actor=actor, before=before, after=after)
    db.session.flush()


# --- Modules and their revisions -----------------------------------------------------------


@dataclass(frozen=True)
class ModuleContent:
    """The part of a module that every save keeps as a revision."""

    title: str
    summary: str = ""
    objectives: str = ""
    content: str = ""

    @classmethod
    def of(cls, source: Module | ModuleRevision) -> ModuleContent:
        return cls(source.title, source.summary, source.objectives, source.content)

    def checked(self) -> ModuleContent:
        return ModuleContent(required_title(self.title), _text(self.summary).strip(),
                             _text(self.objectives), _text(self.content))


class EditConflict(DomainError):
    """The module was saved after this edit began, by someone else or by the same person in
    another window; nothing was saved. The page names who saved it, and when."""

    def __init__(self) -> None:
        super().__init__(_("This module has been saved since you began editing it, so your "
                           "changes have not been saved yet. Compare your text with the saved "
                           "one below, take over what you need and save again."))


def _check_module_dates(course: Course, starts_at: datetime | None,
                        ends_at: datetime | None) -> None:
    _check_order(starts_at, ends_at)
    _check_within_course(course, starts_at, ends_at)


def _record_revision(module: Module, content: ModuleContent, actor: User | None,
                     restored_from: int | None = None) -> ModuleRevision:
    """Put ``content`` into ``module`` and keep it as the next revision."""
    number = (module.revision or 0) + 1
    for name, value in asdict(content).items():
        setattr(module, name, value)
    module.revision = number
    revision = ModuleRevision(module=module, number=number, author=actor,
                              restored_from=restored_from, **asdict(content))
    db.session.add(revision)
    return revision


def create_module(course: Course, content: ModuleContent, *, actor: User | None,
                  starts_at: datetime | None = None, ends_at: datetime | None = None) -> Module:
    """Add a draft module at the end of the course, with its first revision."""
    content = content.checked()
    _check_module_dates(course, starts_at, ends_at)
    last = db.session.scalar(select(func.max(Module.position)).where(Module.course_id == course.id))
    module = Module(course=course, position=(last or 0) + 1, starts_at=starts_at,
                    ends_at=ends_at)
    db.session.add(module)
    _record_revision(module, content, actor)
    db.session.flush()
    return module


def update_module(module: Module, content: ModuleContent, *, actor: User,
                  expected_revision: int, starts_at: datetime | None,
                  ends_at: datetime | None) -> bool:
    """Save an edit that began at revision ``expected_revision``.

    Raises ``EditConflict`` if the module has a newer revision by now, also when the other
    save happens between our read and our write (the optimistic lock on the row).
    Returns whether the content changed, i.e. whether a revision was added.
    """
    if module.revision != expected_revision:
        raise EditConflict()
    content = content.checked()
    _check_module_dates(module.course, starts_at, ends_at)
    module.starts_at, module.ends_at = starts_at, ends_at
    changed = content != ModuleContent.of(module)
    if changed:
        _record_revision(module, content, actor)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise EditConflict() from exc
    return changed


def restore_revision(module: Module, revision: ModuleRevision, *, actor: User) -> ModuleRevision:
    """Bring back an earlier revision's content as a new revision."""
    if revision.module_id != module.id:
        raise ValueError("the revision belongs to another module")
    content = ModuleContent.of(revision)
    if content == ModuleContent.of(module):
        raise DomainError(_("This version is already the current content."))
    restored = _record_revision(module, content, actor, restored_from=revision.number)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise EditConflict() from exc
    return restored


def set_module_published(module: Module, published: bool, *, actor: User | None) -> None:
    if module.published == published:
        return
    module.published = published
    audit.record("module.published" if published else "module.unpublished", module, actor=actor)
    db.session.flush()


def move_module(module: Module, offset: int) -> bool:
    """Move ``module`` ``offset`` places (-1 up, +1 down); positions stay 1, 2, 3, ...

    Returns False when it is already first or last.
    """
    siblings = list(db.session.scalars(
        select(Module).where(Module.course_id == module.course_id)
        .order_by(Module.position, Module.id)
    ))
    index = siblings.index(module)
    target = index + offset
    moved = 0 <= target < len(siblings) and target != index
    if moved:
        siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
    db.session.flush()
    return moved


def module_revision(module: Module, number: int) -> ModuleRevision | None:
    return db.session.scalar(select(ModuleRevision).where(
        ModuleRevision.module_id == module.id, ModuleRevision.number == number))


def previous_revision(revision: ModuleRevision) -> ModuleRevision | None:
    return db.session.scalar(
        select(ModuleRevision)
        .where(ModuleRevision.module_id == revision.module_id,
               ModuleRevision.number < revision.number)
        .order_by(ModuleRevision.number.desc()).limit(1)
    )


# --- Sessions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDetails:
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    cohort_id: int | None = None
    location: str = ""
    online_url: str = ""
    notes: str = ""


def _checked_session(course: Course, details: SessionDetails) -> SessionDetails:
    if details.starts_at is None:
        raise DomainError(_("Please enter the start."), field="starts_at")
    if details.ends_at is None:
        raise DomainError(_("Please enter the end."), field="ends_at")
    _check_order(details.starts_at, details.ends_at)
    if details.cohort_id is not None:
        if details.cohort_id not in dict(current_audience().cohort_choices(course)):
            raise DomainError(_("Please choose one of the listed cohorts."), field="cohort_id")
        _check_within_cohort(course, details.cohort_id, details.starts_at, details.ends_at)
    location = (details.location or "").strip()
    online_url = (details.online_url or "").strip()
    if online_url:
        online_url = check_web_url(online_url, "online_url")
    if not location and not online_url:
        raise DomainError(_("Please enter a place or an online link."), field="location")
    return replace(details, title=(details.title or "").strip(), location=location,
                   online_url=online_url, notes=_text(details.notes))


def schedule_session(module: Module, details: SessionDetails, *,
                     demo_key: str | None = None) -> Session:
    details = _checked_session(module.course, details)
    session = Session(module=module, demo_key=demo_key, **asdict(details))
    db.session.add(session)
    db.session.flush()
    return session


def update_session(session: Session, details: SessionDetails) -> bool:
    """Change a session; every change raises its calendar sequence. True if anything changed."""
    details = _checked_session(session.module.course, details)
    changed = False
    for name, value in asdict(details).items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed = True
    if changed:
        session.sequence += 1
    db.session.flush()
    return changed


def cancellation_consequences(session: Session) -> list[str]:
    """What cancelling ``session`` does, one sentence each, for the page that confirms it."""
    return [
        _("The session stays listed for %(audience)s, marked as cancelled.",
          audience=cohort_label(session.module.course, session.cohort_id)),
        _("Calendars show it as cancelled, also those subscribed to."),
        _("Nobody is told by mail: please let the participants know yourself."),
        _("You can reinstate the session later."),
    ]


def set_session_cancelled(session: Session, cancelled: bool, *, actor: User | None) -> None:
    """Cancel a session (it stays, marked) or take the cancellation back."""
    audit.set_cancelled(session, cancelled, actor=actor, kind="session")
