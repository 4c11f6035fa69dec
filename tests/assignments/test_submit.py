"""Handing in work: drafts, files, versions, late marks, refusals, receipts, teams."""

from __future__ import annotations

import hashlib
import re
import secrets

import pytest
from sqlalchemy import select

from assignments.models import (
    AssignmentKind,
    DraftFile,
    Submission,
    SubmissionState,
    SubmissionVersion,
    VersionFile,
)
from lms.errors import ERROR_TEXTS
from lms.extensions import db
from lms.mail import OutboxMessage
from lms.storage import current_storage
from tests.assignments.conftest import DAY, count, pdf, snapshot, upload

TOKEN = re.compile(r'name="token"[^>]*value="([0-9a-f]{32})"')
EN = {"Accept-Language": "en"}


def work_url(schedule) -> str:
    return f"/assignments/schedules/{schedule.id}"


def token_of(client, schedule) -> str:
    """The token of the page's form; a made-up one where the page shows no form."""
    page = client.get(work_url(schedule))
    assert page.status_code == 200
    found = TOKEN.search(page.get_data(as_text=True))
    return found.group(1) if found else secrets.token_hex(16)


def send(client, schedule, button: str = "save", *, text: str = "Meine Antwort",
         files=(), token: str | None = None, headers=None):
    data = {"text": text, "token": token or token_of(client, schedule), button: "1"}
    if files:
        data["files"] = list(files)
    return client.post(work_url(schedule), data=data, content_type="multipart/form-data",
                       headers=headers or EN)


@pytest.fixture
def individual(world, create_assignment, create_schedule):
    return create_schedule(create_assignment(world.module), world.cohort)


@pytest.fixture
def team(world, create_assignment, create_schedule):
    assignment = create_assignment(world.module, "Akteurslandkarte", kind=AssignmentKind.TEAM,
                                   max_files=2)
    return create_schedule(assignment, world.cohort)


def only(app, model):
    with app.app_context():
        rows = db.session.scalars(select(model)).all()
        assert len(rows) == 1, rows
        db.session.expunge_all()
        return rows[0]


def only_version_late(app) -> bool:
    """Whether the one version is late, asked now (the deadline rule reads its owner's dates)."""
    with app.app_context():
        return db.session.scalars(select(SubmissionVersion)).one().late


def test_draft_then_submit_makes_an_immutable_version_with_a_receipt(app, client_for, world,
                                                                     individual):
    client = client_for(world["hamm1"])
    data = pdf("Fallbeschreibung")
    response = send(client, individual, text="## Entwurf", files=[upload("fall.pdf", data)])
    assert response.status_code == 302
    assert count(app, DraftFile) == 1 and count(app, SubmissionVersion) == 0
    draft = only(app, Submission)
    assert draft.state is SubmissionState.DRAFT and draft.draft_text == "## Entwurf"

    response = send(client, individual, "submit", text="## Endfassung")
    assert response.status_code == 302
    version = only(app, SubmissionVersion)
    assert response.headers["Location"].endswith(f"/assignments/versions/{version.id}")
    assert (version.number, version.text) == (1, "## Endfassung")
    assert only_version_late(app) is False
    file = only(app, VersionFile)
    assert file.sha256 == hashlib.sha256(data).hexdigest() and file.filename == "fall.pdf"
    with app.app_context():
        assert current_storage().exists(file.sha256)
    assert count(app, DraftFile) == 0
    assert only(app, Submission).state is SubmissionState.SUBMITTED

    receipt = client.get(f"/assignments/versions/{version.id}", headers=EN)
    page = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert file.sha256 in page and "fall.pdf" in page and "Konfliktfall beschreiben" in page
    mail = only(app, OutboxMessage)
    assert mail.recipient == "hamm1@example.org" and file.sha256 in mail.body
    assert f"/assignments/versions/{version.id}" in mail.body


def test_work_after_the_due_date_is_marked_late(app, client_for, world, create_assignment,
                                                create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort, opens=-9 * DAY,
                               due=-1 * DAY, cut_off=2 * DAY)
    send(client_for(world["hamm1"]), schedule, "submit")
    assert only_version_late(app) is True


def test_after_the_cut_off_work_is_refused_saying_until_when(app, client_for, world,
                                                             create_assignment,
                                                             create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort, opens=-9 * DAY,
                               due=-3 * DAY, cut_off=-1 * DAY)
    client = client_for(world["hamm1"])
    page = client.get(work_url(schedule), headers=EN).get_data(as_text=True)
    assert "The cut-off has passed" in page and 'name="submit"' not in page
    before = snapshot(app)
    response = send(client, schedule, "submit", files=[upload()])
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "nothing can be handed in any more" in text and "Work was accepted until" in text
    assert snapshot(app) == before


def test_an_extension_lets_its_holder_hand_in_after_the_cut_off(app, client_for, world,
                                                               create_assignment,
                                                               create_schedule):
    from assignments.extensions import ExtensionRequest, grant_extension
    from assignments.models import AssignmentSchedule
    from lms.auth.models import User
    from lms.db import utcnow

    schedule = create_schedule(create_assignment(world.module), world.cohort, opens=-9 * DAY,
                               due=-3 * DAY, cut_off=-1 * DAY)
    with app.test_request_context():
        grant_extension(db.session.get(AssignmentSchedule, schedule.id), ExtensionRequest(
            f"user:{world['hamm1'].id}", utcnow() + DAY, None, "Krankheit"),
            actor=db.session.get(User, world["organiser"].id))
        db.session.commit()
    send(client_for(world["hamm1"]), schedule, "submit")
    assert only_version_late(app) is False
    assert send(client_for(world["hamm2"]), schedule, "submit").status_code == 422


def test_before_it_opens_drafts_are_possible_but_not_handing_in(app, client_for, world,
                                                                create_assignment,
                                                                create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort, opens=2 * DAY,
                               due=9 * DAY)
    client = client_for(world["hamm1"])
    assert send(client, schedule).status_code == 302
    response = send(client, schedule, "submit")
    assert response.status_code == 422
    assert "This assignment opens on" in response.get_data(as_text=True)
    assert count(app, SubmissionVersion) == 0


def test_empty_work_is_refused(app, client_for, world, individual):
    response = send(client_for(world["hamm1"]), individual, "submit", text="   ")
    assert response.status_code == 422
    assert "nothing to hand in yet" in response.get_data(as_text=True)
    assert count(app, SubmissionVersion) == 0 and count(app, Submission) == 0


def test_a_required_text_must_be_written(app, client_for, world, create_assignment,
                                         create_schedule):
    schedule = create_schedule(create_assignment(world.module, text_required=True),
                               world.cohort)
    response = send(client_for(world["hamm1"]), schedule, "submit", text="",
                    files=[upload()])
    assert response.status_code == 422
    assert "asks for a written answer" in response.get_data(as_text=True)
    assert count(app, SubmissionVersion) == 0 and count(app, DraftFile) == 0


@pytest.mark.parametrize(("name", "data", "message"), [
    ("programm.exe", b"MZ\x90\x00", "cannot be uploaded here"),
    ("tabelle.xlsx", b"PK\x03\x04", "cannot be uploaded here"),  # not allowed for this one
    ("falsch.pdf", b"<html><script>alert(1)</script></html>", "does not match its name"),
    ("leer.pdf", b"", "is empty"),
])
def test_forbidden_files_are_refused_and_nothing_is_kept(app, client_for, world, individual,
                                                         name, data, message):
    before = snapshot(app)
    response = send(client_for(world["hamm1"]), individual, files=[upload(name, data)])
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_too_many_files_are_refused(app, client_for, world, team):
    client = client_for(world["hamm1"])
    send(client, team, files=[upload("a.pdf", pdf("a")), upload("b.pdf", pdf("b"))])
    assert count(app, DraftFile) == 2
    response = send(client, team, files=[upload("c.pdf", pdf("c"))])
    assert response.status_code == 422
    assert "At most 2 files" in response.get_data(as_text=True)
    assert count(app, DraftFile) == 2


def test_files_above_the_assignment_s_limit_are_refused(app, client_for, world,
                                                        create_assignment, create_schedule):
    schedule = create_schedule(create_assignment(world.module, max_file_mb=1), world.cohort)
    big = pdf() + b"0" * (1024 * 1024)
    response = send(client_for(world["hamm1"]), schedule, files=[upload("gross.pdf", big)])
    assert response.status_code == 422
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert count(app, DraftFile) == 0


def test_a_file_above_the_host_limit_returns_to_the_form_keeping_the_text(
        app, client_for, world, individual, monkeypatch):
    """It used to end on a bare 413 page that lost the typed answer."""
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    before = snapshot(app)
    response = send(client_for(world["hamm1"]), individual, "submit", text="Mein langer Text",
                    files=[upload("gross.pdf", pdf() + b"0" * (1024 * 1024))],
                    headers={"Accept-Language": "de"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mein langer Text" in html and "„gross.pdf“ ist größer als 1 MB" in html
    assert snapshot(app) == before


def test_a_request_above_the_request_limit_goes_back_to_its_form_naming_the_limit(
        app, client_for, world, individual, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    client = client_for(world["hamm1"])
    before = snapshot(app)
    form_page = f"http://localhost{work_url(individual)}"
    response = client.post(work_url(individual), data={
        "text": "x", "token": token_of(client, individual), "save": "1",
        "files": [upload("gross.pdf", pdf() + b"0" * 100_000)]},
        content_type="multipart/form-data",
        headers={"Accept-Language": "de", "Referer": form_page})
    assert response.status_code == 303 and response.location.endswith(work_url(individual))
    page = client.get(work_url(individual), headers={"Accept-Language": "de"})
    assert "größer als 64 KB" in page.get_data(as_text=True)
    assert snapshot(app) == before
    # without a page of this site to go back to: the German error page, naming the limit
    response = send(client, individual, files=[upload("gross.pdf", pdf() + b"0" * 100_000)],
                    headers={"Accept-Language": "de"})
    assert response.status_code == 413 and "größer als 64 KB" in response.get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert str(ERROR_TEXTS[413][0]) in response.get_data(as_text=True)


def test_a_second_click_of_the_same_form_adds_no_version(app, client_for, world, individual):
    client = client_for(world["hamm1"])
    token = token_of(client, individual)
    first = send(client, individual, "submit", token=token, files=[upload()])
    again = send(client, individual, "submit", token=token, files=[upload()])
    assert first.headers["Location"] == again.headers["Location"]
    assert count(app, SubmissionVersion) == 1 and count(app, VersionFile) == 1
    assert count(app, DraftFile) == 0 and count(app, OutboxMessage) == 1


def test_preview_renders_safely_and_saves_nothing(app, client_for, world, individual):
    response = send(client_for(world["hamm1"]), individual, "preview",
                    text="**fett** <script>alert(1)</script>")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>fett</strong>" in page and "<script>alert(1)" not in page
    assert count(app, Submission) == 0


def test_draft_files_can_be_removed_by_their_owners_only(app, client_for, world, team,
                                                        individual):
    send(client_for(world["hamm1"]), team, files=[upload()])
    file = only(app, DraftFile)

    def remove(who, schedule):
        client = client_for(world[who])
        return client.post(work_url(schedule), data={
            "text": "", "remove_file": str(file.id), "token": token_of(client, schedule)})

    assert remove("duisburg", team).status_code == 404  # another team's file
    assert remove("hamm1", individual).status_code == 404  # from another assignment's form
    assert count(app, DraftFile) == 1
    assert remove("hamm2", team).status_code == 200 and count(app, DraftFile) == 0


def test_a_team_shares_one_submission_and_both_get_the_receipt(app, client_for, world, team):
    first, second = client_for(world["hamm1"]), client_for(world["hamm2"])
    send(first, team, "submit", text="Fassung von Sabine")
    page = second.get(work_url(team), headers=EN).get_data(as_text=True)
    assert "Fassung von Sabine" in page and "Version 1" in page
    send(second, team, "submit", text="Fassung von Tobias")
    submission = only(app, Submission)
    assert submission.municipality_id == world.hamm.id and submission.user_id is None
    with app.app_context():
        versions = db.session.execute(select(SubmissionVersion.number,
                                             SubmissionVersion.submitted_by_id)
                                      .order_by(SubmissionVersion.number)).all()
        recipients = sorted(db.session.scalars(select(OutboxMessage.recipient)))
    assert versions == [(1, world["hamm1"].id), (2, world["hamm2"].id)]
    assert recipients == ["hamm1@example.org", "hamm1@example.org", "hamm2@example.org",
                          "hamm2@example.org"]


def test_returned_work_can_be_handed_in_again_but_not_while_in_review(app, client_for, world,
                                                                      individual):
    client = client_for(world["hamm1"])
    send(client, individual, "submit", text="Erste Fassung")

    def set_state(state):
        with app.app_context():
            db.session.scalars(select(Submission)).one().state = state
            db.session.commit()

    set_state(SubmissionState.IN_REVIEW)
    response = send(client, individual, "submit", text="Zweite Fassung")
    assert response.status_code == 422 and "being reviewed" in response.get_data(as_text=True)
    set_state(SubmissionState.RETURNED)
    assert send(client, individual, "submit", text="Zweite Fassung").status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(SubmissionVersion.text)
                                   .order_by(SubmissionVersion.number)).all()
        newest = db.session.scalar(select(SubmissionVersion.id)
                                   .where(SubmissionVersion.number == 2))
    assert texts == ["Erste Fassung", "Zweite Fassung"]
    submission = only(app, Submission)
    assert submission.state is SubmissionState.SUBMITTED
    # lists join the newest version by its stored id, not by counting
    assert submission.latest_version_id == newest


@pytest.fixture
def failing_draft_rows(monkeypatch):
    """Writing a draft file's row fails, as if the database went away after the upload."""
    real_flush = db.session.flush

    def failing_flush(*args, **kwargs):
        if any(isinstance(obj, DraftFile) for obj in db.session.new):
            raise RuntimeError("database went away")
        return real_flush(*args, **kwargs)

    monkeypatch.setattr(db.session, "flush", failing_flush, raising=False)
    yield
    monkeypatch.undo()


def _upload_failing(client, schedule, name: str, data: bytes) -> None:
    token = token_of(client, schedule)
    with pytest.raises(RuntimeError):
        client.post(work_url(schedule), data={
            "text": "x", "token": token, "save": "1", "files": [upload(name, data)]},
            content_type="multipart/form-data")


def test_a_failure_while_storing_leaves_neither_file_nor_row(app, client_for, world, individual,
                                                            failing_draft_rows):
    data = pdf("Nur hier")
    _upload_failing(client_for(world["hamm1"]), individual, "nur.pdf", data)
    assert count(app, DraftFile) == 0 and count(app, Submission) == 0
    with app.app_context():
        assert not current_storage().exists(hashlib.sha256(data).hexdigest())


def test_a_failure_never_removes_bytes_that_other_rows_still_use(app, client_for, world, team,
                                                                request):
    data = pdf("Geteilt")
    send(client_for(world["hamm1"]), team, files=[upload("erst.pdf", data)])
    request.getfixturevalue("failing_draft_rows")
    _upload_failing(client_for(world["duisburg"]), team, "gleich.pdf", data)
    assert count(app, DraftFile) == 1
    with app.app_context():
        assert current_storage().exists(hashlib.sha256(data).hexdigest())
