"""Rules for congresses, their agendas and attendance.

Functions here check their input, change objects and flush; they never commit. A broken
rule raises ``DomainError`` with a translated message (and the form field it belongs to),
and the caller rolls back, so nothing is changed.

Every change of what a calendar shows raises ``sequence`` of the congress or the item;
an item's calendar SEQUENCE is the sum of both (``courses.calendar``), so a change of the
congress (its venue, its cancellation) reaches subscribers of the agenda as well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, time, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from courses.congress_models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Congress,
    Speaker,
)
from courses.models import Course
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_day, check_date
from lms.datetext import day_span, local_datetime
from lms.db import lock_row, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import BERLIN, DEFAULT_LANGUAGE
from lms.mail import send_mail
from lms.tables import Column, Kind, Table

TITLE_MAX = 200
SUBTITLE_MAX = 300
VENUE_MAX = 200
ROOM_MAX = 120
SPEAKER_NAME_MAX = 120
SPEAKER_TEXT_MAX = 200
#: the most speakers one agenda item lists
SPEAKERS_MAX = 20


# --- Shared checks -------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """Form text with uniform line endings, without blank lines around it."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _line(value: str | None, field: str, limit: int, missing: LazyString | None = None) -> str:
    value = " ".join((value or "").split())
    if not value and missing is not None:
        raise DomainError(str(missing), field=field)
    if len(value) > limit:
        raise DomainError(_("Please use at most %(count)d characters.", count=limit), field=field)
    return value


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None:
        raise DomainError(_("Please enter the start."), field="starts_at")
    if ends_at is None:
        raise DomainError(_("Please enter the end."), field="ends_at")
    check_date(starts_at, "starts_at")
    check_date(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")


def _days(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The start of the first and the end of the last Berlin day of a span of time."""
    first, last = berlin_day(starts_at), berlin_day(ends_at)
    if ends_at.astimezone(BERLIN).time() == time() and last > first:
        last -= timedelta(days=1)  # ending at midnight does not touch the next day
    return (datetime.combine(first, time(), BERLIN),
            datetime.combine(last + timedelta(days=1), time(), BERLIN))


def congress_days(congress: Congress) -> tuple[datetime, datetime]:
    """The first moment of the congress's first day and the end of its last day, in Berlin."""
    return _days(congress.starts_at, congress.ends_at)


def _days_text(congress: Congress) -> str:
    first, end = congress_days(congress)
    first_day, last_day = first.date(), (end - timedelta(days=1)).date()
    return day_span(first_day, last_day)


def _check_within_congress(congress: Congress, starts_at: datetime, ends_at: datetime,
                           field: str = "starts_at") -> None:
    if starts_at < congress.starts_at or ends_at > congress.ends_at:
        raise DomainError(_("Agenda items must lie within the congress, from %(start)s to "
                            "%(end)s.", start=local_datetime(congress.starts_at),
                            end=local_datetime(congress.ends_at)), field=field)


# --- Congresses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CongressDetails:
    """What the congress form sends; times aware (UTC)."""

    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    subtitle: str = ""
    venue: str = ""
    address: str = ""
    description: str = ""
    public: bool = False
    capacity: int | None = None


def _checked_congress(details: CongressDetails) -> CongressDetails:
    _check_times(details.starts_at, details.ends_at)
    if details.capacity is not None and details.capacity < 0:
        raise DomainError(_("The capacity cannot be below zero. Leave it empty for no limit."),
                          field="capacity")
    return replace(
        details,
        title=_line(details.title, "title", TITLE_MAX, _l("Please enter a title.")),
        subtitle=_line(details.subtitle, "subtitle", SUBTITLE_MAX),
        venue=_line(details.venue, "venue", VENUE_MAX),
        address=_text(details.address), description=_text(details.description),
        public=bool(details.public),
    )


def create_congress(course: Course, details: CongressDetails, *, actor: User | None,
                    demo_key: str | None = None) -> Congress:
    details = _checked_congress(details)
    congress = Congress(course=course, demo_key=demo_key, **asdict(details))
    db.session.add(congress)
    db.session.flush()
    audit.record("congress.created", congress, actor=actor, after=_snapshot(congress))
    return congress


def _snapshot(congress: Congress) -> dict[str, object]:
    values = {name: getattr(congress, name) for name in CongressDetails.__dataclass_fields__}
    return {name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in values.items()}


def update_congress(congress: Congress, details: CongressDetails, *, actor: User) -> bool:
    """Change a congress. True if anything changed.

    Its times may not leave agenda items outside, and its capacity may not drop below the
    people already registered; a larger capacity lets people move up from the waiting list.
    """
    details = _checked_congress(details)
    congress = lock_congress(congress.id)
    before = _snapshot(congress)
    for item in programme(congress):
        if item.starts_at < details.starts_at or item.ends_at > details.ends_at:
            raise DomainError(_("The agenda item \u201c%(title)s\u201d would lie outside the "
                                "congress. Move it first.", title=item.title),
                              field="starts_at")
    registered = _count(congress, AttendanceStatus.REGISTERED)
    if details.capacity is not None and details.capacity < registered:
        raise DomainError(_("%(count)d people are already registered; the capacity cannot be "
                            "smaller.", count=registered), field="capacity")
    for name, value in asdict(details).items():
        setattr(congress, name, value)
    after = _snapshot(congress)
    if before == after:
        return False
    congress.sequence += 1
    audit.record("congress.updated", congress, actor=actor, before=before, after=after)
    _fill_from_waiting_list(congress)
    db.session.flush()
    return True


def cancellation_consequences(congress: Congress) -> list[str]:
    """What cancelling ``congress`` does, one sentence each, for the page that confirms it."""
    registered = _count(congress, AttendanceStatus.REGISTERED) \
        + _count(congress, AttendanceStatus.WAITLISTED)
    return [
        _("The congress and its programme stay listed, marked as cancelled, also in "
          "calendars subscribed to."),
        ngettext("%(num)d person has registered and is not told by mail: please let them "
                 "know yourself.",
                 "%(num)d people have registered and are not told by mail: please let them "
                 "know yourself.", registered)
        if registered else _("Nobody has registered yet."),
        _("You can reinstate the congress later."),
    ]


def set_congress_cancelled(congress: Congress, cancelled: bool, *, actor: User | None) -> None:
    """Cancel the congress (it stays, marked, with its agenda) or take that back."""
    audit.set_cancelled(congress, cancelled, actor=actor, kind="congress")


# --- Agenda items --------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeakerDetails:
    name: str
    role: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class ItemDetails:
    """What the agenda item form sends; times aware (UTC)."""

    title: str
    kind: AgendaKind | str | None
    starts_at: datetime | None
    ends_at: datetime | None
    room: str = ""
    description: str = ""
    speakers: tuple[SpeakerDetails, ...] = ()


def parse_speakers(text: str | None) -> tuple[SpeakerDetails, ...]:
    """One speaker per line, "Name; role; organisation" (role and organisation optional)."""
    speakers = []
    for number, line in enumerate(_text(text).split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) > 3 or not parts[0]:
            raise DomainError(_("Line %(number)d: please write “Name; role; organisation”.",
                                number=number), field="speakers")
        parts += [""] * (3 - len(parts))
        speakers.append(SpeakerDetails(*parts))
    return tuple(speakers)


def speakers_text(item: AgendaItem) -> str:
    """The speakers as the form shows them, the reverse of ``parse_speakers``."""
    lines = []
    for speaker in item.speakers:
        parts = [speaker.name, speaker.role, speaker.organisation]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("; ".join(parts))
    return "\n".join(lines)


def _checked_item(congress: Congress, details: ItemDetails) -> ItemDetails:
    title = _line(details.title, "title", TITLE_MAX, _l("Please enter a title."))
    try:
        kind = AgendaKind(details.kind)
    except ValueError:
        raise DomainError(_("Please choose one of the listed kinds."), field="kind") from None
    _check_times(details.starts_at, details.ends_at)
    _check_within_congress(congress, details.starts_at, details.ends_at)
    if len(details.speakers) > SPEAKERS_MAX:
        raise DomainError(_("Please name at most %(count)d speakers.", count=SPEAKERS_MAX),
                          field="speakers")
    speakers = tuple(
        SpeakerDetails(_line(s.name, "speakers", SPEAKER_NAME_MAX),
                       _line(s.role, "speakers", SPEAKER_TEXT_MAX),
                       _line(s.organisation, "speakers", SPEAKER_TEXT_MAX))
        for s in details.speakers)
    return replace(details, title=title, kind=kind, room=_line(details.room, "room", ROOM_MAX),
                   description=_text(details.description), speakers=speakers)


def programme(congress: Congress) -> list[AgendaItem]:
    """The congress's items in programme order, also right after changes in this session."""
    return sorted(congress.items, key=lambda item: (item.starts_at, item.position, item.id))


def _speaker_rows(details: ItemDetails) -> list[Speaker]:
    return [Speaker(position=index, name=s.name, role=s.role, organisation=s.organisation)
            for index, s in enumerate(details.speakers)]


def _item_values(details: ItemDetails) -> dict[str, object]:
    return {name: getattr(details, name)
            for name in ("title", "kind", "starts_at", "ends_at", "room", "description")}


def add_item(congress: Congress, details: ItemDetails) -> AgendaItem:
    details = _checked_item(congress, details)
    item = AgendaItem(congress=congress, speakers=_speaker_rows(details),
                      **_item_values(details))
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: AgendaItem, details: ItemDetails) -> bool:
    """Change an item; any change raises its sequence. True if anything changed."""
    details = _checked_item(item.congress, details)
    changed = False
    for name, value in _item_values(details).items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    have = tuple(SpeakerDetails(s.name, s.role, s.organisation) for s in item.speakers)
    if have != details.speakers:
        item.speakers = _speaker_rows(details)
        changed = True
    if changed:
        item.sequence += 1
    db.session.flush()
    return changed


def move_item(item: AgendaItem, starts_at: datetime | None, *,
              shift_following: bool = False) -> None:
    """Give ``item`` a new start, keeping its length.

    With ``shift_following``, the items after it on the same day move by as much, as when
    a talk runs late. All of them must stay within the congress's days.
    """
    if starts_at is None:
        raise DomainError(_("Please enter the start."), field="starts_at")
    check_date(starts_at, "starts_at")
    delta = starts_at - item.starts_at
    if not delta:
        return
    moved = [item]
    if shift_following:
        day = berlin_day(item.starts_at)
        moved += [other for other in programme(item.congress)
                  if other is not item and other.starts_at >= item.starts_at
                  and berlin_day(other.starts_at) == day]
    for each in moved:
        _check_within_congress(item.congress, each.starts_at + delta, each.ends_at + delta)
    for each in moved:
        each.starts_at += delta
        each.ends_at += delta
        each.sequence += 1
    db.session.flush()


def reorder_item(item: AgendaItem, offset: int) -> bool:
    """Swap ``item`` with its neighbour before (-1) or after (+1) it in the programme.

    Items that start together (parallel rooms) swap places in the list. Otherwise the two
    swap their time slots: the later one starts where the earlier one started, the other
    follows after the same gap, and together they end when they ended before. False at
    either end of the programme.
    """
    items = programme(item.congress)
    index = items.index(item)
    other_index = index + offset
    if offset not in (-1, 1) or not 0 <= other_index < len(items):
        return False
    first, second = sorted((item, items[other_index]), key=items.index)
    if first.starts_at == second.starts_at:
        first.position, second.position = second.position, first.position
        if first.position == second.position:
            second.position -= 1
    else:
        gap = second.starts_at - first.ends_at
        start = first.starts_at
        second_length = second.ends_at - second.starts_at
        first_length = first.ends_at - first.starts_at
        second.starts_at, second.ends_at = start, start + second_length
        first.starts_at = second.ends_at + gap
        first.ends_at = first.starts_at + first_length
    first.sequence += 1
    second.sequence += 1
    db.session.flush()
    return True


def set_item_cancelled(item: AgendaItem, cancelled: bool, *, actor: User | None) -> None:
    """Cancel an agenda item (it stays in the programme, marked) or take that back."""
    audit.set_cancelled(item, cancelled, actor=actor, kind="agenda_item")


# --- Attendance ----------------------------------------------------------------------------


def lock_congress(congress_id: int) -> Congress:
    """Hold the congress's row lock until the transaction ends (``lms.db.lock_row``).

    Every change that counts registrations takes this lock first and counts afterwards.
    """
    congress = lock_row(Congress, congress_id)
    if congress is None:
        raise DomainError(_("This congress no longer exists."))
    return congress


def _count(congress: Congress, status: AttendanceStatus) -> int:
    return db.session.scalar(select(func.count(Attendance.id)).where(
        Attendance.congress_id == congress.id, Attendance.status == status)) or 0


def attendance_of(congress: Congress, user: User) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(
        Attendance.congress_id == congress.id, Attendance.user_id == user.id))


def places_left(congress: Congress) -> int | None:
    """Free places, or None when the congress has no limit."""
    if congress.capacity is None:
        return None
    return max(0, congress.capacity - _count(congress, AttendanceStatus.REGISTERED))


def registration_open(congress: Congress, now: datetime | None = None) -> bool:
    return not congress.cancelled and congress.ends_at > (now or utcnow())


def register(congress: Congress, user: User, *, now: datetime | None = None) -> Attendance:
    """Register ``user``; on the waiting list when the congress is full.

    A second registration (a double click) is refused with a message, and the unique
    constraint on (congress, person) backs that check.
    """
    now = now or utcnow()
    congress = lock_congress(congress.id)
    if congress.cancelled:
        raise DomainError(_("This congress has been cancelled."))
    if not registration_open(congress, now):
        raise DomainError(_("Registration for this congress has closed."))
    attendance = attendance_of(congress, user)
    if attendance is not None and attendance.status is not AttendanceStatus.CANCELLED:
        raise DomainError(_("You are already registered for this congress.")
                          if attendance.status is AttendanceStatus.REGISTERED
                          else _("You are already on the waiting list for this congress."))
    status = (AttendanceStatus.WAITLISTED if places_left(congress) == 0
              else AttendanceStatus.REGISTERED)
    if attendance is None:
        attendance = Attendance(congress=congress, user_id=user.id, status=status,
                                registered_at=now)
        db.session.add(attendance)
    else:
        attendance.status, attendance.registered_at = status, now
    db.session.flush()
    return attendance


def unregister(congress: Congress, user: User, *, now: datetime | None = None) -> list[User]:
    """Cancel ``user``'s registration; returns the people who moved up from the waiting list."""
    congress = lock_congress(congress.id)
    if not registration_open(congress, now):
        raise DomainError(_("Registration for this congress has closed."))
    attendance = attendance_of(congress, user)
    if attendance is None or attendance.status is AttendanceStatus.CANCELLED:
        raise DomainError(_("You are not registered for this congress."))
    attendance.status = AttendanceStatus.CANCELLED
    db.session.flush()
    return _fill_from_waiting_list(congress)


def _fill_from_waiting_list(congress: Congress) -> list[User]:
    """Move people up from the waiting list, first come first served, while places are free."""
    left = places_left(congress)
    waiting = db.session.scalars(
        select(Attendance).where(Attendance.congress_id == congress.id,
                                 Attendance.status == AttendanceStatus.WAITLISTED)
        .order_by(Attendance.registered_at, Attendance.id)
        .limit(left).options(joinedload(Attendance.user))).all()
    for attendance in waiting:
        attendance.status = AttendanceStatus.REGISTERED
        _announce_place(congress, attendance.user)
    db.session.flush()
    return [attendance.user for attendance in waiting]


def _announce_place(congress: Congress, user: User) -> None:
    """Tell someone who moved up from the waiting list, in their language."""
    with force_locale(user.language or DEFAULT_LANGUAGE):
        send_mail(user.email, _("Your place at %(title)s", title=congress.title),
                  _("Hello %(name)s,\n\na place has become free at %(title)s (%(days)s): you "
                    "are now registered. If you cannot come, please cancel your registration "
                    "on the congress page, so that the next person can move up.",
                    name=user.display_name, title=congress.title, days=_days_text(congress)),
                  user_id=user.id)


def attendance_list(congress: Congress) -> list[Attendance]:
    """Everyone who registered: registered first, then the waiting list, then cancellations."""
    rank = {AttendanceStatus.REGISTERED: 0, AttendanceStatus.WAITLISTED: 1,
            AttendanceStatus.CANCELLED: 2}
    rows = db.session.scalars(select(Attendance).where(Attendance.congress_id == congress.id)
                              .order_by(Attendance.registered_at, Attendance.id)
                              .options(joinedload(Attendance.user))).all()
    return sorted(rows, key=lambda row: rank[row.status])


def attendance_table(congress: Congress) -> Table:
    """The attendance list as a table to export, in the order of ``attendance_list``."""
    table = Table(_("Attendance list: %(congress)s", congress=congress.title),
                  f"kongress-{congress.id}-anmeldungen", [
        Column(_("Name")), Column(_("Email address")), Column(_("Status")),
        Column(_("Registered at (Berlin time)"), Kind.DATETIME)], sheet=_("Attendance list"))
    for row in attendance_list(congress):
        table.add(row.user.display_name, row.user.email, row.status.label, row.registered_at)
    return table


def attendance_counts(congress: Congress) -> dict[AttendanceStatus, int]:
    counts = dict(db.session.execute(
        select(Attendance.status, func.count(Attendance.id))
        .where(Attendance.congress_id == congress.id).group_by(Attendance.status)).all())
    return {status: counts.get(status, 0) for status in AttendanceStatus}
