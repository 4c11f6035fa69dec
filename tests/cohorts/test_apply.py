"""The public application form: what it asks, what it stores, and all the bad input it refuses."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    FieldRule,
    Nominee,
    Procedure,
)
from lms.dates import berlin_today
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.cohorts.conftest import config, snapshot

EN = {"Accept-Language": "en"}


def form_data(municipality_id: int | str, *, seats: int = 2, **overrides: object) -> dict:
    data: dict[str, object] = {
        "municipality_id": str(municipality_id),
        "contact_name": "Karla Kontakt",
        "contact_email": "karla@hamm.de",
        "contact_phone": "02381 17-0",
        "motivation": "Wir wollen **Konflikte** gestalten.",
        "structures": "- Integrationsrat\n- KI",
        "consent": "y",
        "consent_version": "1",  # the version of the consent text the form shows
        "website": "",
    }
    for index in range(seats):
        data[f"nominees-{index}-name"] = f"Person {index + 1}"
        data[f"nominees-{index}-email"] = f"person{index + 1}@hamm.de"
        data[f"nominees-{index}-function"] = "Kommunales Integrationszentrum"
    data.update(overrides)
    return data


def stored_applications(app) -> list[Application]:
    with app.app_context():
        found = list(db.session.scalars(select(Application)))
        db.session.expunge_all()
        return found


def test_open_rounds_are_public(client, cohort, create_cohort):
    today = berlin_today()
    create_cohort("Geschlossen", opens=today - timedelta(days=90),
                  closes=today - timedelta(days=30))
    page = client.get("/apply").get_data(as_text=True)
    assert "Studiengruppe 2017" in page
    assert "Geschlossen" not in page
    assert f'href="/apply/{cohort.id}"' in page


def test_a_municipality_applies(app, client, cohort, municipalities):
    hamm = municipalities["Hamm"]
    form = client.get(f"/apply/{cohort.id}", headers=EN)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'name="nominees-1-email"' in page and 'name="motivation"' in page
    assert 'name="website"' in page  # the honeypot

    response = client.post(f"/apply/{cohort.id}", data=form_data(hamm.id), headers=EN)
    assert response.status_code == 302
    assert response.location.endswith(f"/apply/{cohort.id}/sent")

    confirmation = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Application received" in confirmation and "Hamm" in confirmation

    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        assert application.status is ApplicationStatus.SUBMITTED
        assert application.municipality_id == hamm.id
        assert application.language == "en"
        assert [(n.position, n.email) for n in application.nominees] == [
            (1, "person1@hamm.de"), (2, "person2@hamm.de")]
        event = db.session.scalars(select(ApplicationEvent)).one()
        assert (event.from_status, event.to_status, event.actor_id) == (
            None, ApplicationStatus.SUBMITTED, None)
        mail = db.session.scalars(select(OutboxMessage)).one()
        assert mail.recipient == "karla@hamm.de"
        assert "Hamm" in mail.body and f"Application number: {application.id}" in mail.body


def test_the_confirmation_is_only_for_the_browser_that_applied(app, client, cohort,
                                                               municipalities):
    client.post(f"/apply/{cohort.id}", data=form_data(municipalities["Hamm"].id))
    other = app.test_client()
    response = other.get(f"/apply/{cohort.id}/sent")
    assert response.status_code == 302
    assert response.location.endswith(f"/apply/{cohort.id}")


def test_the_shortened_procedure_asks_less(app, client, create_cohort, municipalities):
    short = create_cohort("Studiengruppe 2018", procedure=Procedure.SHORTENED, capacity=10)
    page = client.get(f"/apply/{short.id}").get_data(as_text=True)
    assert 'name="motivation"' not in page
    assert 'name="structures"' in page
    data = form_data(municipalities["Bochum"].id, motivation="Wird nicht gefragt.",
                     structures="")
    assert client.post(f"/apply/{short.id}", data=data).status_code == 302
    with app.app_context():
        application = db.session.scalars(select(Application)).one()
        assert application.motivation == "" and application.structures == ""


def test_the_cohort_decides_which_fields_are_required(app, client, create_cohort,
                                                      municipalities):
    strict = create_cohort(ask_phone=FieldRule.REQUIRED, ask_structures=FieldRule.HIDDEN)
    page = client.get(f"/apply/{strict.id}").get_data(as_text=True)
    assert 'name="structures"' not in page
    before = snapshot(app)
    response = client.post(f"/apply/{strict.id}",
                           data=form_data(municipalities["Hamm"].id, contact_phone=""))
    assert response.status_code == 200
    assert snapshot(app) == before


def test_seats_decide_how_many_people_are_nominated(app, client, create_cohort,
                                                    municipalities):
    three = create_cohort(seats=3)
    page = client.get(f"/apply/{three.id}").get_data(as_text=True)
    assert 'name="nominees-2-email"' in page
    before = snapshot(app)
    response = client.post(f"/apply/{three.id}", data=form_data(municipalities["Hamm"].id))
    assert response.status_code == 200  # the third person is missing
    assert snapshot(app) == before
    assert client.post(f"/apply/{three.id}",
                       data=form_data(municipalities["Hamm"].id, seats=3)).status_code == 302


# --- bad input: a clear message, nothing stored -------------------------------------------


def refused(app, client, cohort_id: int, data: dict, message: str) -> None:
    before = snapshot(app)
    response = client.post(f"/apply/{cohort_id}", data=data, headers=EN)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.parametrize(("days", "what"), [(-30, "closed"), (30, "not yet open")])
def test_outside_the_window(app, client, create_cohort, municipalities, days, what):
    today = berlin_today()
    outside = create_cohort(opens=today + timedelta(days=days - 10),
                            closes=today + timedelta(days=days), starts=today + timedelta(days=60),
                            ends=today + timedelta(days=400))
    assert "not possible at the moment" in client.get(f"/apply/{outside.id}",
                                                      headers=EN).get_data(as_text=True)
    refused(app, client, outside.id, form_data(municipalities["Hamm"].id),
            "not possible at the moment")


def test_the_last_day_of_the_window_still_counts(app, client, create_cohort, municipalities):
    today = berlin_today()
    last_day = create_cohort(opens=today - timedelta(days=5), closes=today)
    assert client.post(f"/apply/{last_day.id}",
                       data=form_data(municipalities["Hamm"].id)).status_code == 302


@pytest.mark.parametrize("municipality", ["999999", "", "abc", "-1", "²", "\u0661", "9" * 40])
def test_unknown_municipality(app, client, cohort, municipalities, municipality):
    refused(app, client, cohort.id, form_data(municipality),
            "Please choose your municipality from the list.")


def test_the_same_person_twice_in_one_application(app, client, cohort, municipalities):
    refused(app, client, cohort.id,
            form_data(municipalities["Hamm"].id, **{"nominees-1-email": "person1@hamm.de"}),
            "Each person needs their own email address.")


@pytest.mark.parametrize("field", ["contact_email", "nominees-0-email", "nominees-1-email"])
@pytest.mark.parametrize("email", ["keine-adresse", "a@b", "zwei@@example.org",
                                   "leer zeichen@example.org", "x" * 250 + "@example.org"])
def test_malformed_emails(app, client, cohort, municipalities, field, email):
    before = snapshot(app)
    response = client.post(f"/apply/{cohort.id}", headers=EN,
                           data=form_data(municipalities["Hamm"].id, **{field: email}))
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert snapshot(app) == before


@pytest.mark.parametrize(("field", "size"), [
    ("motivation", 15_001), ("structures", 15_001), ("contact_name", 121),
    ("nominees-0-name", 121), ("nominees-1-function", 121), ("contact_phone", 41),
])
def test_oversized_text(app, client, cohort, municipalities, field, size):
    before = snapshot(app)
    response = client.post(f"/apply/{cohort.id}", headers=EN,
                           data=form_data(municipalities["Hamm"].id, **{field: "x" * size}))
    assert response.status_code == 200
    assert "characters" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_oversized_request_is_refused_before_it_is_read(app, client, cohort, municipalities):
    before = snapshot(app)
    response = client.post(f"/apply/{cohort.id}", headers=EN,
                           data=form_data(municipalities["Hamm"].id, motivation="x" * 200_000))
    assert response.status_code == 413
    assert snapshot(app) == before


def test_honeypot_filled(app, client, cohort, municipalities):
    refused(app, client, cohort.id,
            form_data(municipalities["Hamm"].id, website="http://spam.example"),
            "Your application could not be sent.")


def test_consent_is_required(app, client, cohort, municipalities):
    data = form_data(municipalities["Hamm"].id)
    del data["consent"]
    refused(app, client, cohort.id, data, "Please agree to the processing of your data.")


def test_unknown_cohort(client):
    assert client.get("/apply/999").status_code == 404
    assert client.post("/apply/999", data={}).status_code == 404


def test_the_form_needs_its_csrf_token(app, client, cohort, municipalities, csrf_enabled):
    before = snapshot(app)
    response = client.post(f"/apply/{cohort.id}", data=form_data(municipalities["Hamm"].id))
    assert response.status_code == 400
    assert snapshot(app) == before
    page = client.get(f"/apply/{cohort.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_sends_are_rate_limited(app, client, cohort, municipalities):
    with config(app, APPLICATION_RATE_LIMIT="2 per hour"):
        for name in ("Hamm", "Duisburg"):
            assert client.post(f"/apply/{cohort.id}",
                               data=form_data(municipalities[name].id,
                                              **{"nominees-0-email": f"1@{name}.de",
                                                 "nominees-1-email": f"2@{name}.de"})
                               ).status_code == 302
        before = snapshot(app)
        response = client.post(f"/apply/{cohort.id}", data=form_data(municipalities["Köln"].id))
        assert response.status_code == 429
        assert snapshot(app) == before
        assert client.get(f"/apply/{cohort.id}").status_code == 200  # reading stays possible
    assert len(stored_applications(app)) == 2


# --- what the public form and its mail reveal: nothing about others -----------------------


def main_of(page: str) -> str:
    return page[page.index('<main'):page.index("</main>")]


def outbox(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(m.recipient, m.subject + "\n" + m.body) for m in
                db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_confirmation_names_the_municipality_and_a_reference_number_only(
        app, client, cohort, municipalities):
    """The form makes the official address write to any address: none of its text goes along."""
    bait = "Gewinn! http://evil.example"
    data = form_data(municipalities["Hamm"].id, contact_name=bait, contact_phone=bait,
                     motivation=bait, structures=bait,
                     **{"nominees-0-name": bait, "nominees-0-function": bait,
                        "nominees-1-email": "opfer@evil.example"})
    assert client.post(f"/apply/{cohort.id}", data=data).status_code == 302
    [application] = stored_applications(app)
    [(recipient, mail)] = outbox(app)
    assert recipient == "karla@hamm.de"
    assert "Hamm" in mail and f"Bewerbungsnummer: {application.id}" in mail
    assert "evil.example" not in mail and "Gewinn" not in mail
    assert "Person 2" not in mail and "karla" not in mail


def test_a_second_application_of_a_municipality_gets_the_same_answer(app, client, cohort,
                                                                    municipalities):
    """Whether a municipality applied is not told to whoever asks; its contact hears of it."""
    hamm = municipalities["Hamm"]
    first = client.post(f"/apply/{cohort.id}", data=form_data(hamm.id))  # mails in German
    first_page = client.get(first.location, headers=EN).get_data(as_text=True)
    stranger = app.test_client()
    second = stranger.post(f"/apply/{cohort.id}", headers=EN, data=form_data(
        hamm.id, contact_name="Neugierig", contact_email="neugierig@example.org",
        motivation="Geheime Nachricht", **{"nominees-0-email": "neu1@example.org",
                                           "nominees-1-email": "neu2@example.org"}))
    assert (second.status_code, second.location) == (first.status_code, first.location)
    second_page = stranger.get(second.location, headers=EN).get_data(as_text=True)
    assert main_of(second_page) == main_of(first_page)
    assert "Application received" in second_page and "Hamm" in second_page

    [application] = stored_applications(app)
    assert application.contact_email == "karla@hamm.de"
    mails = outbox(app)
    assert [recipient for recipient, _mail in mails] == ["karla@hamm.de", "karla@hamm.de"]
    assert f"Bewerbungsnummer {application.id}" in mails[1][1] and "weitere" in mails[1][1]
    assert not any("Neugierig" in mail or "Geheime" in mail or "neu1" in mail
                   for _recipient, mail in mails)


def test_a_refused_second_application_is_refused_like_a_first(app, client, cohort,
                                                              municipalities):
    """Form errors come before the duplicate check, so they cannot tell one either."""
    hamm = municipalities["Hamm"]
    assert client.post(f"/apply/{cohort.id}", data=form_data(hamm.id)).status_code == 302
    data = form_data(hamm.id)
    del data["consent"]
    refused(app, client, cohort.id, data, "Please agree to the processing of your data.")


@pytest.mark.parametrize("where", ["elsewhere", "here"])
def test_a_nominee_already_enrolled_is_not_revealed_but_shown_to_organisers(
        app, client, login, organiser, cohort, create_cohort, municipalities,
        create_application, where):
    target = create_cohort("Studiengruppe 2018") if where == "elsewhere" else cohort
    create_application(target, municipalities["Duisburg"], status=ApplicationStatus.ACCEPTED,
                       nominees=None)
    with app.app_context():
        taken = db.session.scalars(select(Nominee.email)).first()
    response = client.post(f"/apply/{cohort.id}", headers=EN, data=form_data(
        municipalities["Hamm"].id, **{"nominees-1-email": taken.upper()}))
    assert response.status_code == 302
    assert "already enrolled" not in client.get(response.location, headers=EN).get_data(
        as_text=True)
    hamm = next(a for a in stored_applications(app) if a.cohort_id == cohort.id
                and a.municipality_id == municipalities["Hamm"].id)
    login(organiser)
    page = client.get(f"/cohorts/{cohort.id}/applications/{hamm.id}", headers=EN)
    expected = ("already enrolled in another cohort (Studiengruppe 2018)" if where == "elsewhere"
                else "already enrolled in this cohort")
    assert f"{taken} is {expected}" in page.get_data(as_text=True)


def test_an_empty_form_marks_every_required_field_in_german(app, client, cohort,
                                                            municipalities):
    """The nominees' fields (a subform) and the municipality select say what is missing."""
    empty = {name: "" for name in form_data("", seats=2)}
    response = client.post(f"/apply/{cohort.id}", data=empty,
                           headers={"Accept-Language": "de"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This field" not in page and "required." not in page
    select = re.search(r"<select[^>]*\bname=\"municipality_id\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in select and "municipality_id-error" in select
    assert '<p class="error" id="municipality_id-error">Bitte wählen Sie Ihre Kommune aus ' \
           'der Liste aus.</p>' in page
    for name in ("nominees-0-name", "nominees-0-email", "nominees-1-function", "contact_name"):
        assert f'<p class="error" id="{name}-error">Bitte füllen Sie dieses Feld aus.</p>' \
               in page, name
    assert stored_applications(app) == []
