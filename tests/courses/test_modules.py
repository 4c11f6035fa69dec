"""Modules: writing, preview, publishing, order, revisions and two people saving at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from courses import services
from courses.models import Module, ModuleRevision
from courses.services import EditConflict, ModuleContent
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.extensions import db

GERMAN = {"Accept-Language": "de"}


def module_form(**overrides: str) -> dict[str, str]:
    return {"title": "Mediation", "summary": "Verfahren kennen", "objectives": "- Phasen",
            "content": "## Phasen\n\n1. Auftrag\n2. Themen", "starts_at": "", "ends_at": "",
            **overrides}


def revisions_of(app, module_id: int) -> list[tuple[int, str, str, int | None]]:
    with app.app_context():
        return [(r.number, r.title, r.content, r.restored_from) for r in db.session.scalars(
            select(ModuleRevision).where(ModuleRevision.module_id == module_id)
            .order_by(ModuleRevision.number))]


def stored(app, module_id: int) -> Module:
    with app.app_context():
        module = db.session.get(Module, module_id)
        db.session.expunge(module)
        return module


# --- writing ---------------------------------------------------------------------------


def test_lecturer_writes_a_module_as_a_draft(app, client, login, lecturer, course):
    login(lecturer)
    response = client.post(f"/course/{course.id}/modules/new", data=module_form())
    assert response.status_code == 302
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert (module.title, module.published, module.position, module.revision) == \
            ("Mediation", False, 1, 1)
        assert module.content == "## Phasen\n\n1. Auftrag\n2. Themen"
        revision = module.revisions[0]
        assert (revision.number, revision.author.email) == (1, lecturer.email)
    page = client.get(response.location).get_data(as_text=True)
    assert '<h2 id="md-phasen">Phasen</h2>' in page
    assert "badge--draft" in page


def test_new_modules_go_to_the_end(app, create_module):
    first, second = create_module("Eins"), create_module("Zwei")
    assert (first.position, second.position) == (1, 2)


def test_module_text_is_rendered_safely(client, login, lecturer, create_module):
    module = create_module(content="Hallo <script>alert(1)</script> **Welt**",
                           objectives='<img src=x onerror="alert(1)">Ziel')
    login(lecturer)
    page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    assert "<strong>Welt</strong>" in page
    assert "<script>alert" not in page and "onerror" not in page


@pytest.mark.parametrize("title", ["", "   "])
def test_missing_title_changes_nothing(app, client, login, lecturer, course, title):
    login(lecturer)
    response = client.post(f"/course/{course.id}/modules/new", data=module_form(title=title),
                           headers=GERMAN)
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Module)) is None


@pytest.mark.parametrize(("starts", "ends", "field"), [
    ("2017-06-02T10:00", "2017-06-01T10:00", "ends_at"),
    ("2017-06-01T10:00", "2017-06-01T10:00", "ends_at"),
    ("2016-06-01T10:00", "", "starts_at"),
    ("", "2019-02-01T10:00", "ends_at"),
])
def test_bad_module_dates_change_nothing(app, client, login, lecturer, course, starts, ends,
                                         field):
    login(lecturer)
    response = client.post(f"/course/{course.id}/modules/new",
                           data=module_form(starts_at=starts, ends_at=ends), headers=GERMAN)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in body
    with app.app_context():
        assert db.session.scalar(select(Module)) is None


def test_module_dates_are_entered_in_berlin_time(app, client, login, lecturer, course):
    login(lecturer)
    client.post(f"/course/{course.id}/modules/new",
                data=module_form(starts_at="2017-07-01T10:00", ends_at="2017-12-01T10:00"))
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert module.starts_at.isoformat() == "2017-07-01T08:00:00+00:00"  # summer time
        assert module.ends_at.isoformat() == "2017-12-01T09:00:00+00:00"  # winter time
    form = client.get(f"/course/modules/{module.id}/edit").get_data(as_text=True)
    assert 'value="2017-07-01T10:00"' in form


def test_preview_shows_rendered_text_and_saves_nothing(app, client, login, lecturer, course,
                                                       module):
    login(lecturer)
    for path, data in ((f"/course/{course.id}/modules/new", module_form()),
                       (f"/course/modules/{module.id}/edit",
                        module_form(version="1", content="# Neu\n\n<script>x</script>"))):
        response = client.post(path, data={**data, "preview": "1"}, headers=GERMAN)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert 'class="preview"' in body and "<h" in body and "<script>x" not in body
        assert "# Neu" in body or "## Phasen" in body  # the source stays in the textarea
    with app.app_context():
        assert db.session.scalar(select(Module).where(Module.id != module.id)) is None
        assert db.session.get(Module, module.id).revision == 1


# --- editing and revisions -------------------------------------------------------------


def test_every_save_keeps_a_revision(app, client, login, lecturer, module):
    login(lecturer)
    for version, text in ((1, "Zweite Fassung"), (2, "Dritte Fassung")):
        response = client.post(f"/course/modules/{module.id}/edit",
                               data=module_form(version=str(version), content=text))
        assert response.status_code == 302
    assert [(n, c) for n, _t, c, _r in revisions_of(app, module.id)] == [
        (1, "## Einstieg\n\nKonflikte gehören zur Integration."),
        (2, "Zweite Fassung"), (3, "Dritte Fassung")]
    assert stored(app, module.id).revision == 3


def test_a_save_shows_the_new_text_on_the_module_page(app, client, login, lecturer, module):
    login(lecturer)
    response = client.post(f"/course/modules/{module.id}/edit",
                           data=module_form(version="1", content="## Neu\n\n**Zweite** Fassung",
                                            objectives="- Neues Ziel"))
    assert response.status_code == 302
    page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    assert '<h2 id="md-neu">Neu</h2>' in page and "<strong>Zweite</strong> Fassung" in page
    assert "<li>Neues Ziel</li>" in page
    assert "Einstieg" not in page and "Konflikte beschreiben" not in page


def test_saving_without_a_content_change_adds_no_revision(app, client, login, lecturer,
                                                          module):
    login(lecturer)
    current = stored(app, module.id)
    client.post(f"/course/modules/{module.id}/edit", data=module_form(
        version="1", title=current.title, summary=current.summary,
        objectives=current.objectives, content=current.content.replace("\n", "\r\n"),
        starts_at="2017-06-01T10:00"))
    assert len(revisions_of(app, module.id)) == 1
    assert stored(app, module.id).starts_at is not None


def test_history_shows_who_and_what_changed(app, client, login, lecturer, module):
    login(lecturer)
    client.post(f"/course/modules/{module.id}/edit",
                data=module_form(version="1", content="Neue Zeile"))
    listing = client.get(f"/course/modules/{module.id}/revisions").get_data(as_text=True)
    assert lecturer.display_name in listing
    diff = client.get(f"/course/modules/{module.id}/revisions/2").get_data(as_text=True)
    assert 'class="diff__added">' in diff and "Neue Zeile" in diff
    assert 'class="diff__removed">' in diff and "Konflikte gehören zur Integration." in diff


def test_restore_creates_a_new_revision(app, client, login, lecturer, module):
    login(lecturer)
    client.post(f"/course/modules/{module.id}/edit",
                data=module_form(version="1", content="Verschlimmbessert"))
    response = client.post(f"/course/modules/{module.id}/revisions/1/restore")
    assert response.status_code == 302
    history = revisions_of(app, module.id)
    assert [(n, r) for n, _t, _c, r in history] == [(1, None), (2, None), (3, 1)]
    assert history[2][2] == history[0][2]
    current = stored(app, module.id)
    assert (current.revision, current.content, current.title) == (3, history[0][2],
                                                                  history[0][1])


def test_restoring_the_current_text_changes_nothing(app, client, login, lecturer, module):
    login(lecturer)
    response = client.post(f"/course/modules/{module.id}/revisions/1/restore",
                           follow_redirects=True, headers=GERMAN)
    assert 'flash--error' in response.get_data(as_text=True)
    assert len(revisions_of(app, module.id)) == 1


# --- two people at once ----------------------------------------------------------------


def test_a_save_in_another_window_is_named_as_such(app, client_for, lecturer, module):
    """The same person in two tabs: not "someone else", but their own earlier save."""
    client = client_for(lecturer)
    assert client.post(f"/course/modules/{module.id}/edit", data=module_form(
        version="1", content="Aus dem ersten Tab")).status_code == 302
    body = client.post(f"/course/modules/{module.id}/edit", headers=GERMAN, data=module_form(
        version="1", content="Aus dem zweiten Tab")).get_data(as_text=True)
    assert 'class="conflict"' in body
    assert "Sie haben Version 2 selbst am" in body and "in einem anderen Fenster" in body
    assert "Jemand anderes" not in body and lecturer.display_name not in body.split(
        'class="conflict"')[1].split("</p>")[0]


def test_second_save_is_told_and_sees_both_texts(app, client_for, lecturer, organiser, module):
    first, second = client_for(lecturer), client_for(organiser)
    # both open the form at version 1
    assert 'name="version" type="hidden" value="1"' in \
        first.get(f"/course/modules/{module.id}/edit").get_data(as_text=True)
    second.get(f"/course/modules/{module.id}/edit")
    assert first.post(f"/course/modules/{module.id}/edit", data=module_form(
        version="1", content="Text der Dozentin")).status_code == 302

    response = second.post(f"/course/modules/{module.id}/edit", data=module_form(
        version="1", content="Text der Organisatorin"), headers=GERMAN)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="conflict"' in body and "flash--error" in body
    assert body.count("Text der Organisatorin") >= 2  # in the form and in the comparison
    assert "Text der Dozentin" in body and lecturer.display_name in body
    assert 'name="version" type="hidden" value="2"' in body  # saving again is deliberate
    assert stored(app, module.id).content == "Text der Dozentin"
    assert len(revisions_of(app, module.id)) == 2

    # after comparing, the organiser saves on top of version 2; nothing was lost
    assert second.post(f"/course/modules/{module.id}/edit", data=module_form(
        version="2", content="Zusammengeführt")).status_code == 302
    assert [c for _n, _t, c, _r in revisions_of(app, module.id)][1:] == [
        "Text der Dozentin", "Zusammengeführt"]


def test_the_row_lock_catches_a_save_between_read_and_write(app, lecturer, module):
    """The version check also holds when the other save lands after this one read the row."""
    with app.test_request_context():
        mine = db.session.get(Module, module.id)
        assert mine.revision == 1
        # someone else's save, behind the ORM's back
        db.session.connection().execute(
            update(Module.__table__).where(Module.__table__.c.id == module.id)
            .values(revision=2, content="fremd"))
        with pytest.raises(EditConflict):
            services.update_module(mine, ModuleContent("Meins", content="meins"),
                                   actor=db.session.get(User, lecturer.id),
                                   expected_revision=1, starts_at=None, ends_at=None)
        db.session.rollback()
    assert stored(app, module.id).content != "meins"


def test_concurrent_saves_from_threads_never_lose_a_revision(app, lecturer, module):
    """Two real transactions save version 1 at the same moment: one wins, one conflicts."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        with app.test_request_context():
            mine = db.session.get(Module, module.id)
            barrier.wait()
            try:
                services.update_module(mine, ModuleContent("T", content=text),
                                       actor=db.session.get(User, lecturer.id),
                                       expected_revision=1, starts_at=None, ends_at=None)
                db.session.commit()
                outcomes.append("saved")
            except EditConflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert len(revisions_of(app, module.id)) == 2


# --- publishing and order ----------------------------------------------------------------


def test_publish_and_unpublish_are_audited(app, client, login, lecturer, draft):
    login(lecturer)
    client.post(f"/course/modules/{draft.id}/publish", data={"published": "1"})
    assert stored(app, draft.id).published
    client.post(f"/course/modules/{draft.id}/publish", data={"published": "0"})
    assert not stored(app, draft.id).published
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "course_modules", AuditEntry.object_id == draft.id)
            .order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["module.published", "module.unpublished"]


def positions(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [(m.title, m.position) for m in db.session.scalars(
            select(Module).order_by(Module.position, Module.id))]


def test_reorder_keeps_positions_dense(app, client, login, organiser, course, create_module):
    one, two, three = (create_module(title) for title in ("Eins", "Zwei", "Drei"))
    login(organiser)
    move = f"/course/{course.id}/modules/{{}}/move"
    client.post(move.format(three.id), data={"direction": "up"})
    assert positions(app) == [("Eins", 1), ("Drei", 2), ("Zwei", 3)]
    client.post(move.format(three.id), data={"direction": "up"})
    client.post(move.format(three.id), data={"direction": "up"})  # already first
    assert positions(app) == [("Drei", 1), ("Eins", 2), ("Zwei", 3)]
    client.post(move.format(one.id), data={"direction": "down"})
    client.post(move.format(one.id), data={"direction": "down"})  # already last
    assert positions(app) == [("Drei", 1), ("Zwei", 2), ("Eins", 3)]
    assert two.id  # untouched module moved along


def test_reorder_repairs_gaps(app, client, login, organiser, course, create_module):
    one, two = create_module("Eins"), create_module("Zwei")
    with app.app_context():
        db.session.get(Module, two.id).position = 7
        db.session.commit()
    login(organiser)
    client.post(f"/course/{course.id}/modules/{two.id}/move", data={"direction": "up"})
    assert positions(app) == [("Zwei", 1), ("Eins", 2)]
    assert one.id


def test_reorder_of_another_course_s_module_is_not_found(app, client, login, organiser,
                                                         course, create_course,
                                                         create_module):
    other_course = create_course("Anderer Lehrgang")
    mine = create_module("Eigenes")
    theirs = create_module("Fremdes", in_course=other_course)
    create_module("Fremdes Zweites", in_course=other_course)
    login(organiser)
    before = positions(app)
    response = client.post(f"/course/{course.id}/modules/{theirs.id}/move",
                           data={"direction": "down"})
    assert response.status_code == 404
    assert positions(app) == before
    assert mine.id


def test_reorder_needs_a_direction(app, client, login, organiser, course, module):
    login(organiser)
    response = client.post(f"/course/{course.id}/modules/{module.id}/move",
                           data={"direction": "sideways"})
    assert response.status_code == 400


# --- what participants see -------------------------------------------------------------


def test_participant_sees_published_modules_in_order_and_no_drafts(
        client, login, participant, course, create_module):
    create_module("Erstes Modul")
    draft = create_module("Geheimer Entwurf", published=False)
    create_module("Drittes Modul")
    login(participant)
    page = client.get(f"/course/{course.id}").get_data(as_text=True)
    assert page.index("Erstes Modul") < page.index("Drittes Modul")
    assert "Geheimer Entwurf" not in page
    assert client.get(f"/course/modules/{draft.id}").status_code == 404
    assert client.get(f"/course/modules/{draft.id}/edit").status_code == 403
    dashboard = client.get("/").get_data(as_text=True)
    assert "Erstes Modul" in dashboard and "Geheimer Entwurf" not in dashboard


def test_participant_module_page_has_no_editing_controls(client, login, participant, module):
    login(participant)
    page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    assert "/edit" not in page and "/publish" not in page and "/revisions" not in page


def test_unpublishing_hides_the_module_again(app, client, login, participant, module):
    with app.test_request_context():
        services.set_module_published(db.session.get(Module, module.id), False, actor=None)
        db.session.commit()
    login(participant)
    assert client.get(f"/course/modules/{module.id}").status_code == 404


def test_progress_hook_is_shown_on_the_module_page(app, client, login, participant, module):
    from markupsafe import Markup

    from courses.progress import EXTENSION_KEY, register_module_progress

    seen = []

    def progress(user, shown):
        seen.append((user.email, shown.id))
        return Markup("<p class='progress'>2 von 3 Aufgaben erledigt</p>")

    # the app is shared by the session: keep the plugins' own sources (module work's)
    kept = list(app.extensions.get(EXTENSION_KEY, []))
    register_module_progress(app, progress)
    register_module_progress(app, lambda _user, _module: None)
    try:
        login(participant)
        page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    finally:
        app.extensions[EXTENSION_KEY] = kept
    assert "2 von 3 Aufgaben erledigt" in page
    assert seen == [(participant.email, module.id)]
