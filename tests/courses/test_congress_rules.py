"""The congress rules: dates, agenda items within the congress's days, moving and reordering,
cancelling, and attendance with capacity and waiting list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courses import congresses as rules
from courses.congress_models import (
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Congress,
)
from courses.congresses import SpeakerDetails
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.courses.congress_factories import (
    BEFORE,
    congress_details,
    item_details,
    make_congress,
    standard_items,
    when,
)


@pytest.fixture
def ctx(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
        db.session.rollback()


@pytest.fixture
def congress_id(app, course):
    return make_congress(app, course.id, items=standard_items())


def _congress(congress_id: int) -> Congress:
    return db.session.get(Congress, congress_id)


def _items(congress_id: int) -> list[tuple[str, str, str]]:
    """(title, start, end) in programme order, times as Berlin HH:MM."""
    return [(item.title, item.starts_at.astimezone(rules.BERLIN).strftime("%H:%M"),
             item.ends_at.astimezone(rules.BERLIN).strftime("%H:%M"))
            for item in rules.programme(_congress(congress_id))]


# --- Congresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "  "}, "title"),
    ({"starts_at": None}, "starts_at"),
    ({"ends_at": when("2017-12-07 09:00")}, "ends_at"),
    ({"ends_at": when("2017-12-07 10:00")}, "ends_at"),
    ({"capacity": -1}, "capacity"),
    ({"subtitle": "x" * 301}, "subtitle"),
])
def test_bad_congress_details_are_refused(app, course, ctx, changes, field):
    from courses.models import Course

    with pytest.raises(DomainError) as refused:
        rules.create_congress(db.session.get(Course, course.id), congress_details(**changes),
                              actor=None)
    assert refused.value.field == field


def test_congress_is_created_with_clean_text_and_an_audit_entry(app, course, ctx):
    from courses.models import Course

    congress = rules.create_congress(
        db.session.get(Course, course.id),
        congress_details(title="  Erster   Kongress ", address="Rheinlanddamm 200\r\n44139 "
                         "Dortmund\r\n"), actor=None)
    assert congress.title == "Erster Kongress"
    assert congress.address == "Rheinlanddamm 200\n44139 Dortmund"
    assert db.session.scalar(select(AuditEntry.action).where(
        AuditEntry.object_type == "congresses", AuditEntry.object_id == congress.id)
    ) == "congress.created"


def test_update_raises_the_sequence_only_when_something_changed(app, congress_id, ctx):
    congress = _congress(congress_id)
    assert rules.update_congress(congress, congress_details(), actor=None) is False
    assert congress.sequence == 0
    assert rules.update_congress(congress, congress_details(venue="Halle 3"), actor=None)
    assert congress.sequence == 1 and congress.venue == "Halle 3"


def test_congress_days_cannot_leave_agenda_items_outside(app, congress_id, ctx):
    congress = _congress(congress_id)
    with pytest.raises(DomainError, match="Eröffnung"):
        rules.update_congress(congress, congress_details(
            starts_at=when("2017-12-08 10:00"), ends_at=when("2017-12-08 16:00")), actor=None)


def test_capacity_cannot_drop_below_the_registered(app, congress_id, ctx, create_user):
    people = [db.session.get(User, create_user().id) for _ in range(3)]
    congress = _congress(congress_id)
    for person in people:
        rules.register(congress, person, now=BEFORE)
    with pytest.raises(DomainError) as refused:
        rules.update_congress(congress, congress_details(capacity=2), actor=None)
    assert refused.value.field == "capacity"


def test_cancelling_keeps_the_congress_and_raises_the_sequence(app, congress_id, ctx):
    congress = _congress(congress_id)
    rules.set_congress_cancelled(congress, True, actor=None)
    rules.set_congress_cancelled(congress, True, actor=None)
    assert congress.cancelled and congress.sequence == 1
    assert len(congress.items) == 3
    rules.set_congress_cancelled(congress, False, actor=None)
    assert not congress.cancelled and congress.sequence == 2


# --- Agenda items --------------------------------------------------------------------------


@pytest.mark.parametrize(("details", "field"), [
    (item_details(starts="2017-12-06 23:30", ends="2017-12-07 00:30"), "starts_at"),
    (item_details(starts="2017-12-07 23:30", ends="2017-12-08 00:30"), "starts_at"),
    (item_details(starts="2017-12-08 10:00", ends="2017-12-08 11:00"), "starts_at"),
    (item_details(starts="2017-12-07 11:00", ends="2017-12-07 10:00"), "ends_at"),
    (item_details(starts="2017-12-07 11:00", ends="2017-12-07 11:00"), "ends_at"),
    (item_details(title=""), "title"),
    (item_details(kind="keynote"), "kind"),
    (item_details(room="R" * 121), "room"),
    (item_details(speakers=(SpeakerDetails("S" * 121),)), "speakers"),
])
def test_bad_agenda_items_are_refused_and_nothing_is_added(app, congress_id, ctx, details,
                                                           field):
    with pytest.raises(DomainError) as refused:
        rules.add_item(_congress(congress_id), details)
    assert refused.value.field == field
    db.session.rollback()
    assert len(_congress(congress_id).items) == 3


def test_outside_message_names_the_congress_times(app, congress_id, ctx):
    with pytest.raises(DomainError, match=r"7 Dec 2017, 10:00.*7 Dec 2017, 16:00"):
        rules.add_item(_congress(congress_id),
                       item_details(starts="2017-12-08 10:00", ends="2017-12-08 11:00"))


@pytest.mark.parametrize(("starts", "ends"), [
    ("2017-12-07 09:00", "2017-12-07 10:00"),
    ("2017-12-07 09:30", "2017-12-07 10:30"),
    ("2017-12-07 15:30", "2017-12-07 16:30"),
    ("2017-12-07 18:00", "2017-12-08 00:00"),
])
def test_items_lie_within_the_congress_s_times_not_just_its_day(app, congress_id, ctx,
                                                                starts, ends):
    with pytest.raises(DomainError):
        rules.add_item(_congress(congress_id), item_details("Empfang", starts, ends,
                                                            kind=AgendaKind.BREAK))


def test_items_may_fill_the_congress_from_its_start_to_its_end(app, congress_id, ctx):
    congress = _congress(congress_id)
    rules.add_item(congress, item_details("Ausklang", "2017-12-07 15:00", "2017-12-07 16:00",
                                          kind=AgendaKind.BREAK))
    assert _items(congress_id)[-1] == ("Ausklang", "15:00", "16:00")


def test_a_shorter_congress_cannot_leave_an_item_after_its_end(app, congress_id, ctx):
    with pytest.raises(DomainError, match="Mittagspause"):
        rules.update_congress(_congress(congress_id), congress_details(
            ends_at=when("2017-12-07 13:00")), actor=None)


def test_speakers_are_parsed_kept_in_order_and_shown_back():
    text = ("Dr. Anna Berger; Leitung der Integrationsabteilung; MKFFI NRW\r\n\n"
            "  Projektleitung ;; LaKI NRW \nKonfliktforscher")
    speakers = rules.parse_speakers(text)
    assert speakers == (
        SpeakerDetails("Dr. Anna Berger", "Leitung der Integrationsabteilung", "MKFFI NRW"),
        SpeakerDetails("Projektleitung", "", "LaKI NRW"),
        SpeakerDetails("Konfliktforscher", "", ""),
    )


@pytest.mark.parametrize("text", ["; Rolle", "A; B; C; D"])
def test_bad_speaker_lines_are_refused(app, ctx, text):
    with pytest.raises(DomainError) as refused:
        rules.parse_speakers(f"Gute Zeile\n{text}")
    assert refused.value.field == "speakers" and "2" in refused.value.message


def test_update_item_replaces_speakers_and_raises_its_sequence(app, congress_id, ctx):
    item = rules.programme(_congress(congress_id))[0]
    details = item_details(speakers=(SpeakerDetails("A", "B", "C"),
                                     SpeakerDetails("D")))
    assert rules.update_item(item, details)
    assert item.sequence == 1
    assert rules.speakers_text(item) == "A; B; C\nD"
    assert rules.update_item(item, details) is False
    assert item.sequence == 1


def test_move_keeps_the_length_and_can_shift_the_rest_of_the_day(app, congress_id, ctx):
    congress = _congress(congress_id)
    rules.move_item(rules.programme(congress)[1], when("2017-12-07 10:45"))
    assert _items(congress_id)[1] == ("Ziele und Stand des Projekts", "10:45", "11:30")
    rules.move_item(rules.programme(_congress(congress_id))[0], when("2017-12-07 10:15"),
                    shift_following=True)
    assert _items(congress_id) == [("Eröffnung", "10:15", "10:45"),
                                   ("Ziele und Stand des Projekts", "11:00", "11:45"),
                                   ("Mittagspause", "12:45", "13:45")]


def test_a_move_outside_the_days_changes_nothing(app, congress_id, ctx):
    congress = _congress(congress_id)
    before = _items(congress_id)
    with pytest.raises(DomainError):
        rules.move_item(rules.programme(congress)[0], when("2017-12-07 23:00"),
                        shift_following=True)
    assert _items(congress_id) == before  # the check runs before any item moves
    with pytest.raises(DomainError):
        rules.move_item(rules.programme(congress)[2], when("2017-12-08 12:30"))
    assert _items(congress_id) == before


def test_reorder_swaps_time_slots_and_keeps_the_span(app, congress_id, ctx):
    congress = _congress(congress_id)
    assert rules.reorder_item(rules.programme(congress)[1], -1)
    assert _items(congress_id)[:2] == [("Ziele und Stand des Projekts", "10:00", "10:45"),
                                       ("Eröffnung", "10:45", "11:15")]
    # the 75 minutes between them are kept
    assert rules.reorder_item(rules.programme(_congress(congress_id))[1], 1)
    assert _items(congress_id)[1:] == [("Mittagspause", "10:45", "11:45"),
                                       ("Eröffnung", "13:00", "13:30")]
    assert rules.reorder_item(rules.programme(_congress(congress_id))[0], -1) is False
    assert rules.reorder_item(rules.programme(_congress(congress_id))[2], 1) is False


def test_reorder_of_parallel_items_swaps_their_places(app, congress_id, ctx):
    congress = _congress(congress_id)
    rules.add_item(congress, item_details("Forum B", "2017-12-07 14:00", "2017-12-07 15:00",
                                          room="Saal 2"))
    rules.add_item(congress, item_details("Forum A", "2017-12-07 14:00", "2017-12-07 15:30"))
    titles = [item.title for item in rules.programme(_congress(congress_id))]
    assert titles[-2:] == ["Forum B", "Forum A"]
    rules.reorder_item(rules.programme(_congress(congress_id))[-1], -1)
    titles = [item.title for item in rules.programme(_congress(congress_id))]
    assert titles[-2:] == ["Forum A", "Forum B"]
    assert _items(congress_id)[-1] == ("Forum B", "14:00", "15:00")


def test_cancelled_items_stay_and_can_be_reinstated(app, congress_id, ctx):
    item = rules.programme(_congress(congress_id))[1]
    rules.set_item_cancelled(item, True, actor=None)
    assert item.cancelled and item.sequence == 1 and len(_congress(congress_id).items) == 3
    rules.set_item_cancelled(item, False, actor=None)
    assert not item.cancelled and item.sequence == 2


# --- Attendance ----------------------------------------------------------------------------


@pytest.fixture
def people(app, create_user):
    return [create_user(name=f"Person {number}").id for number in range(5)]


def _person(ident: int) -> User:
    return db.session.get(User, ident)


def _statuses(congress_id: int) -> dict[int, AttendanceStatus]:
    return dict(db.session.execute(select(Attendance.user_id, Attendance.status).where(
        Attendance.congress_id == congress_id)).all())


def test_capacity_puts_further_people_on_the_waiting_list(app, course, ctx, people):
    congress_id = make_congress(app, course.id, capacity=2)
    congress = _congress(congress_id)
    for ident in people[:4]:
        rules.register(congress, _person(ident), now=BEFORE)
    S = AttendanceStatus
    assert _statuses(congress_id) == {people[0]: S.REGISTERED, people[1]: S.REGISTERED,
                                      people[2]: S.WAITLISTED, people[3]: S.WAITLISTED}
    assert rules.places_left(congress) == 0


def test_when_a_registered_person_cancels_the_first_waiting_moves_up(app, course, ctx,
                                                                      people):
    congress_id = make_congress(app, course.id, capacity=1)
    congress = _congress(congress_id)
    for offset, ident in enumerate(people[:3]):
        rules.register(congress, _person(ident), now=BEFORE.replace(minute=offset))
    moved = rules.unregister(congress, _person(people[0]), now=BEFORE)
    assert [user.id for user in moved] == [people[1]]
    S = AttendanceStatus
    assert _statuses(congress_id) == {people[0]: S.CANCELLED, people[1]: S.REGISTERED,
                                      people[2]: S.WAITLISTED}
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.user_id == people[1] and "Gesellschaftliche Konflikte" in mail.subject


def test_a_waitlisted_person_cancelling_moves_nobody_up(app, course, ctx, people):
    congress_id = make_congress(app, course.id, capacity=1)
    congress = _congress(congress_id)
    for ident in people[:3]:
        rules.register(congress, _person(ident), now=BEFORE)
    assert rules.unregister(congress, _person(people[1]), now=BEFORE) == []
    assert _statuses(congress_id)[people[2]] is AttendanceStatus.WAITLISTED


def test_raising_the_capacity_lets_waiting_people_move_up(app, course, ctx, people):
    congress_id = make_congress(app, course.id, capacity=1)
    congress = _congress(congress_id)
    for ident in people[:3]:
        rules.register(congress, _person(ident), now=BEFORE)
    rules.update_congress(congress, congress_details(capacity=None), actor=None)
    assert set(_statuses(congress_id).values()) == {AttendanceStatus.REGISTERED}


def test_capacity_zero_means_waiting_list_only(app, course, ctx, people):
    congress = _congress(make_congress(app, course.id, capacity=0))
    attendance = rules.register(congress, _person(people[0]), now=BEFORE)
    assert attendance.status is AttendanceStatus.WAITLISTED


def test_registering_twice_is_refused(app, congress_id, ctx, people):
    congress = _congress(congress_id)
    rules.register(congress, _person(people[0]), now=BEFORE)
    with pytest.raises(DomainError, match="already registered"):
        rules.register(congress, _person(people[0]), now=BEFORE)
    assert len(_statuses(congress_id)) == 1


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue(app, course, ctx,
                                                                          people):
    congress_id = make_congress(app, course.id, capacity=1)
    congress = _congress(congress_id)
    rules.register(congress, _person(people[0]), now=BEFORE)
    rules.unregister(congress, _person(people[0]), now=BEFORE)
    rules.register(congress, _person(people[1]), now=BEFORE)
    again = rules.register(congress, _person(people[0]), now=BEFORE.replace(hour=13))
    assert again.status is AttendanceStatus.WAITLISTED
    assert db.session.scalar(select(Attendance.id).where(
        Attendance.user_id == people[0])) == again.id  # the same row, reused


@pytest.mark.parametrize("moment", ["2017-12-07 16:00", "2018-01-01 10:00"])
def test_registration_closes_when_the_congress_ends(app, congress_id, ctx, people, moment):
    with pytest.raises(DomainError, match="closed"):
        rules.register(_congress(congress_id), _person(people[0]), now=when(moment))


def test_no_registration_for_a_cancelled_congress(app, congress_id, ctx, people):
    congress = _congress(congress_id)
    rules.set_congress_cancelled(congress, True, actor=None)
    with pytest.raises(DomainError, match="cancelled"):
        rules.register(congress, _person(people[0]), now=BEFORE)


def test_unregistering_without_registration_is_refused(app, congress_id, ctx, people):
    with pytest.raises(DomainError, match="not registered"):
        rules.unregister(_congress(congress_id), _person(people[0]), now=BEFORE)


def test_attendance_list_orders_registered_waiting_cancelled(app, course, ctx, people):
    congress = _congress(make_congress(app, course.id, capacity=1))
    for offset, ident in enumerate(people[:3]):
        rules.register(congress, _person(ident), now=BEFORE.replace(minute=offset))
    rules.unregister(congress, _person(people[2]), now=BEFORE)
    rules.register(congress, _person(people[3]), now=BEFORE.replace(minute=9))
    order = [(row.user_id, row.status) for row in rules.attendance_list(congress)]
    S = AttendanceStatus
    assert order == [(people[0], S.REGISTERED), (people[1], S.WAITLISTED),
                     (people[3], S.WAITLISTED), (people[2], S.CANCELLED)]
    assert rules.attendance_counts(congress) == {S.REGISTERED: 1, S.WAITLISTED: 2,
                                                 S.CANCELLED: 1}



def test_a_capacity_no_one_needs_is_refused_with_a_message(app):
    from courses.congress_forms import CongressForm

    with app.test_request_context(method="POST", data={"capacity": "9" * 23},
                                  headers={"Accept-Language": "en"}):
        form = CongressForm(meta={"csrf": False})
        form.validate()
        assert form.capacity.errors
