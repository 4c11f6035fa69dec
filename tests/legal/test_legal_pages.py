"""The legal pages: public reading, organisers' versioned edits, stale saves, the footer."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.audit import AuditEntry
from lms.auth.models import Role, User
from lms.extensions import db
from lms.legal.models import LegalText, LegalTextRevision
from lms.legal.pages import LegalPage
from lms.legal.services import save_text
from tests.concurrency import kinds, run_at_once

PATHS = {LegalPage.IMPRINT: "/impressum", LegalPage.PRIVACY: "/datenschutz",
         LegalPage.ACCESSIBILITY: "/barrierefreiheit"}
TITLES = {LegalPage.IMPRINT: "Impressum", LegalPage.PRIVACY: "Datenschutzerklärung",
          LegalPage.ACCESSIBILITY: "Erklärung zur Barrierefreiheit"}
MISSING = {
    LegalPage.IMPRINT: "Die Organisatoren haben das Impressum noch nicht hinterlegt.",
    LegalPage.PRIVACY: "Die Organisatoren haben die Datenschutzerklärung noch nicht hinterlegt.",
    LegalPage.ACCESSIBILITY:
        "Die Organisatoren haben die Erklärung zur Barrierefreiheit noch nicht hinterlegt.",
}
ACCESSIBILITY_OUTLINE = ("Stand der Vereinbarkeit mit den Anforderungen",
                         "Nicht barrierefreie Inhalte", "Erstellung dieser Erklärung",
                         "Feedback und Kontakt", "Durchsetzungsverfahren")


def stored(app) -> tuple[object, ...]:
    """Everything a legal edit may change: texts, versions, audit entries."""
    with app.app_context():
        texts = tuple(db.session.execute(
            select(LegalText.page, LegalText.text, LegalText.revision).order_by(LegalText.id)))
        revisions = db.session.scalar(select(func.count(LegalTextRevision.id)))
        audit = db.session.scalar(select(func.count(AuditEntry.id)))
        return texts, revisions, audit


def write(app, page: LegalPage, *texts: str) -> None:
    with app.test_request_context():
        for text in texts:
            current = db.session.scalar(select(LegalText.revision).where(LegalText.page == page))
            save_text(page, text, actor=None, expected_revision=current or 0)
        db.session.commit()


def form_version(body: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', body).group(1)


@pytest.mark.parametrize("page", list(LegalPage))
def test_anonymous_visitors_read_the_honest_empty_state(app, client, page):
    response = client.get(PATHS[page])
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{TITLES[page]}</h1>" in body
    assert MISSING[page] in body
    assert "/bearbeiten" not in body


@pytest.mark.parametrize("page", list(LegalPage))
def test_anonymous_visitors_read_the_written_text_sanitised(app, client, page):
    write(app, page, "# Kontakt\n\nLaKI NRW, <script>alert(1)</script>[Mail](javascript:x)")
    body = client.get(PATHS[page]).get_data(as_text=True)
    assert "<h2" in body and "Kontakt</h2>" in body and "LaKI NRW" in body
    assert "<script>alert" not in body and "javascript:" not in body
    assert MISSING[page] not in body
    assert "Stand: " in body


def test_the_empty_edit_form_starts_with_the_outline(app, client, login, organiser):
    login(organiser)
    page = client.get("/barrierefreiheit").get_data(as_text=True)
    assert 'href="/barrierefreiheit/bearbeiten"' in page and "Text schreiben" in page
    form = client.get("/barrierefreiheit/bearbeiten").get_data(as_text=True)
    headings = re.findall(r"^# (.+)$", form, flags=re.MULTILINE)
    assert headings == list(ACCESSIBILITY_OUTLINE)
    assert form_version(form) == "0"
    assert stored(app) == ((), 0, 0)  # GET wrote nothing


def test_organisers_save_versions_each_audited_and_listed(app, client, login, organiser):
    login(organiser)
    first = client.post("/impressum/bearbeiten", data={"text": "# Anbieter\r\n\r\nLaKI",
                                                      "version": "0"})
    assert first.status_code == 302 and first.location.endswith("/impressum")
    second = client.post("/impressum/bearbeiten", data={"text": "# Anbieter\n\nLaKI NRW",
                                                       "version": "1"})
    assert second.status_code == 302
    with app.app_context():
        legal = db.session.scalar(select(LegalText))
        assert (legal.revision, legal.text) == (2, "# Anbieter\n\nLaKI NRW\n")
        assert [(r.number, r.author_id, r.text) for r in legal.revisions] == [
            (2, organiser.id, "# Anbieter\n\nLaKI NRW\n"),
            (1, organiser.id, "# Anbieter\n\nLaKI\n")]
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "legal_texts", AuditEntry.actor_id == organiser.id)).all()
        assert actions == ["legal_text.saved", "legal_text.saved"]
    form = client.get("/impressum/bearbeiten").get_data(as_text=True)
    assert "Version 2" in form and "Version 1" in form and "Olga Organisatorin" in form
    assert form_version(form) == "2"
    assert "Version 1 wiederherstellen" in form and "Version 2 wiederherstellen" not in form


def test_saving_the_same_text_adds_no_version(app, client, login, organiser):
    write(app, LegalPage.IMPRINT, "Gleich")
    login(organiser)
    before = stored(app)
    response = client.post("/impressum/bearbeiten", data={"text": "Gleich", "version": "1"},
                           follow_redirects=True)
    assert "Der Text ist unverändert" in response.get_data(as_text=True)
    assert stored(app) == before


@pytest.mark.parametrize(("data", "message"), [
    ({"text": "", "version": "0"}, "Bitte füllen Sie dieses Feld aus."),
    ({"text": "   \r\n  ", "version": "0"}, "Bitte geben Sie den Text der Seite ein."),
    ({"text": "x" * 100_001, "version": "0"}, "Bitte geben Sie höchstens"),
    ({"text": "Text", "version": "abc"}, "Dieses Formular ist veraltet."),
    ({"text": "Text", "version": "-1"}, "Dieses Formular ist veraltet."),
    ({"text": "Text"}, "Dieses Formular ist veraltet."),
])
def test_bad_input_is_refused_in_german_and_changes_nothing(app, client, login, organiser,
                                                            data, message):
    login(organiser)
    before = stored(app)
    response = client.post("/impressum/bearbeiten", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert stored(app) == before


def test_a_stale_save_is_refused_and_shows_the_other_text(app, client, login, organiser,
                                                          create_user):
    colleague = create_user("kollegin@example.org", Role.ORGANISER, name="Karla Kollegin")
    write(app, LegalPage.PRIVACY, "Alte Fassung")
    login(organiser)
    stale_version = form_version(client.get("/datenschutz/bearbeiten").get_data(as_text=True))
    with app.test_request_context():
        save_text(LegalPage.PRIVACY, "Fassung der Kollegin", actor=db.session.get(
            User, colleague.id), expected_revision=1)
        db.session.commit()
    before = stored(app)

    response = client.post("/datenschutz/bearbeiten",
                           data={"text": "Meine Fassung", "version": stale_version})

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Diese Seite wurde gespeichert, nachdem Sie mit der Bearbeitung begonnen haben" in body
    assert "Fassung der Kollegin" in body and "Karla Kollegin" in body
    assert "Meine Fassung" in body
    assert form_version(body) == "2"  # saving again now is a deliberate overwrite
    assert stored(app) == before


@pytest.mark.parametrize("existing", [(), ("Erste",)], ids=["first save", "later save"])
def test_two_saves_at_once_from_the_same_version_leave_one(app, existing):
    """As two workers would run them: one is saved, the other refused as stale."""
    write(app, LegalPage.IMPRINT, *existing)

    def save(text: str):
        def job() -> str:
            save_text(LegalPage.IMPRINT, text, actor=None, expected_revision=len(existing))
            return "saved"
        return job

    outcomes = run_at_once(app, [save("Eins"), save("Zwei")])
    assert kinds(outcomes) == ["refused", "saved"], outcomes
    texts, revisions, audit = stored(app)
    assert (len(texts), revisions, audit) == (1, len(existing) + 1, len(existing) + 1)


def test_restoring_an_old_version_adds_a_new_one(app, client, login, organiser):
    write(app, LegalPage.ACCESSIBILITY, "Erste", "Zweite")
    login(organiser)
    response = client.post("/barrierefreiheit/wiederherstellen", data={"number": "1"},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Version 1 wurde als Version 3 wiederhergestellt." in body
    with app.app_context():
        legal = db.session.scalar(select(LegalText))
        assert (legal.revision, legal.text) == (3, "Erste\n")
        assert legal.revisions[0].restored_from == 1
        assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())
                                 .limit(1)) == "legal_text.restored"
    before = stored(app)
    again = client.post("/barrierefreiheit/wiederherstellen", data={"number": "3"},
                        follow_redirects=True)
    assert "Diese Version ist bereits der aktuelle Text." in again.get_data(as_text=True)
    assert stored(app) == before


@pytest.mark.parametrize("number", ["9", "0", "abc", "", "99999999999", "²"])
def test_restoring_a_version_that_does_not_exist_answers_404(app, client, login, organiser,
                                                             number):
    write(app, LegalPage.ACCESSIBILITY, "Erste")
    login(organiser)
    before = stored(app)
    response = client.post("/barrierefreiheit/wiederherstellen", data={"number": number})
    assert response.status_code == 404
    assert stored(app) == before


@pytest.mark.parametrize("who", ["participant", "lecturer"])
def test_participants_and_lecturers_may_not_write(app, client, login, request, who):
    write(app, LegalPage.IMPRINT, "Erste", "Zweite")
    login(request.getfixturevalue(who))
    before = stored(app)
    assert "/bearbeiten" not in client.get("/impressum").get_data(as_text=True)
    assert client.get("/impressum/bearbeiten").status_code == 403
    assert client.post("/impressum/bearbeiten",
                       data={"text": "Fremd", "version": "2"}).status_code == 403
    assert client.post("/impressum/wiederherstellen", data={"number": "1"}).status_code == 403
    assert stored(app) == before


def test_anonymous_visitors_are_asked_to_sign_in_to_write(app, client):
    before = stored(app)
    for response in (client.get("/datenschutz/bearbeiten"),
                     client.post("/datenschutz/bearbeiten", data={"text": "x", "version": "0"}),
                     client.post("/datenschutz/wiederherstellen", data={"number": "1"})):
        assert response.status_code == 302 and "/login" in response.location
    assert stored(app) == before


@pytest.mark.parametrize("who", ["anonymous", "participant", "lecturer", "organiser"])
def test_every_role_finds_the_three_pages_in_the_footer(app, client, login, request, who):
    if who != "anonymous":
        login(request.getfixturevalue(who))
    path = "/login" if who == "anonymous" else "/"
    body = client.get(path).get_data(as_text=True)
    footer = body[body.index('<footer class="site-footer">'):]
    for page, href in PATHS.items():
        assert f'<a href="{href}">{TITLES[page]}</a>' in footer
