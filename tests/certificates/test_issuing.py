"""Issuing certificates: who gets one (THE rule decides), once only, concurrently too;
revoking with a reason and re-issuing after a name correction; the audit trail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assignments.certificates import issuing
from assignments.certificates.models import Certificate
from cohorts.models import Cohort
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from tests.certificates import issue_factories as factories
from tests.certificates.issue_factories import audit_actions, certificate_rows, issue_all
from tests.concurrency import run_at_once

client_for, course, create_cohort = factories.client_for, factories.course, factories.create_cohort
create_module, create_municipality = factories.create_module, factories.create_municipality
enroll, finished, module = factories.enroll, factories.finished, factories.module


def test_the_confirmation_page_lists_who_gets_one_who_has_one_and_who_not_and_why(
        app, finished, client_for):
    organiser = client_for(finished["organiser"])
    url = f"/certificates/cohorts/{finished.cohort.id}/issue"
    page = organiser.get(url).get_data(as_text=True)
    receive, holding, refused = re.split(r"<h2>", page)[1:4]
    for name in ("Sabine Hoffmann", "Tobias Brandt", "Bernd Koch"):
        assert name in receive
    assert re.search(r'Nadine Kaya <span class="hint">\w', refused)  # with what she lacks
    assert "Nadine Kaya" not in receive
    assert certificate_rows(app) == []  # the page itself issues nothing
    issue_all(app, finished)
    page = organiser.get(url).get_data(as_text=True)
    receive, holding, refused = re.split(r"<h2>", page)[1:4]
    assert "Sabine Hoffmann" in holding and "IMS-" in holding
    assert "Sabine Hoffmann" not in receive


def test_issuing_to_the_cohort_issues_to_the_eligible_once(app, finished, client_for):
    organiser = client_for(finished["organiser"])
    url = f"/certificates/cohorts/{finished.cohort.id}/issue"
    response = organiser.post(url)
    assert response.status_code == 302
    rows = certificate_rows(app)
    holders = {row[1] for row in rows}
    assert holders == {finished[name].id for name in ("hamm1", "hamm2", "mediator")}
    year = finished.cohort.starts_on.year
    assert sorted(row[0] for row in rows) == [f"IMS-{year}-000{n}" for n in (1, 2, 3)]
    # twice: nothing new
    assert organiser.post(url).status_code == 302
    assert certificate_rows(app) == rows
    assert audit_actions(app) == ["certificate.issued"] * 3


def test_a_certificate_keeps_what_it_certified(app, finished):
    ids = issue_all(app, finished)
    with app.app_context():
        certificate = db.session.get(Certificate, ids["hamm1"])
        cohort = db.session.get(Cohort, finished.cohort.id)
        assert certificate.holder_name == "Sabine Hoffmann"
        assert certificate.course_title == "Integrationsmanagement und Systemdesign"
        assert certificate.cohort_name == "Studiengruppe 2017"
        assert (certificate.period_start, certificate.period_end) == (cohort.starts_on,
                                                                      cohort.ends_on)
        assert certificate.module_titles == ["Grundlagen des Konfliktmanagements"]
        assert len(certificate.code) >= 32
        assert len({c.code for c in db.session.scalars(select(Certificate))}) == 3


def test_issuing_to_one_person_refuses_the_ineligible_and_the_holder(app, finished,
                                                                     client_for):
    organiser = client_for(finished["organiser"])
    base = f"/certificates/cohorts/{finished.cohort.id}/people"
    organiser.post(f"{base}/{finished['hamm1'].id}/issue")
    assert [row[1] for row in certificate_rows(app)] == [finished["hamm1"].id]
    before = certificate_rows(app)
    for name in ("hamm1", "duisburg", "outsider"):
        response = organiser.post(f"{base}/{finished[name].id}/issue", follow_redirects=True)
        assert response.status_code == 200
        assert certificate_rows(app) == before, name
    page = organiser.post(f"{base}/{finished['duisburg'].id}/issue",
                          follow_redirects=True).get_data(as_text=True)
    assert "erfüllt die Zertifikatsregel noch nicht" in page


def test_concurrent_issuing_issues_once(app, finished):
    def issue() -> int:
        return len(issuing.issue_eligible(db.session.get(Cohort, finished.cohort.id),
                                          actor=db.session.get(User, finished["organiser"].id)))

    assert sorted(run_at_once(app, [issue, issue])) == ["0", "3"]
    rows = certificate_rows(app)
    assert len(rows) == 3 and len({row[0] for row in rows}) == 3


def test_revoke_needs_a_reason_and_reissue_replaces(app, finished, client_for):
    ids = issue_all(app, finished)
    organiser = client_for(finished["organiser"])
    revoke = f"/certificates/{ids['hamm1']}/revoke"
    page = organiser.get(revoke).get_data(as_text=True)
    assert "Grund" in page and "Sabine Hoffmann" in page
    before = certificate_rows(app)
    page = organiser.post(revoke, data={"reason": "   "}).get_data(as_text=True)
    assert "Bitte geben Sie den Grund" in page
    assert certificate_rows(app) == before
    # the name was misspelt: correct it, revoke, re-issue
    with app.app_context():
        db.session.get(User, finished["hamm1"].id).display_name = "Sabine Hofmann-Berg"
        db.session.commit()
    assert organiser.post(revoke, data={"reason": "Name falsch geschrieben"}).status_code == 302
    assert organiser.post(revoke, data={"reason": "noch einmal"}).status_code == 200
    reissue = f"/certificates/{ids['hamm1']}/reissue"
    assert organiser.post(reissue).status_code == 302
    assert organiser.post(reissue).status_code == 302  # a double submit: nothing new
    with app.app_context():
        old = db.session.get(Certificate, ids["hamm1"])
        new = db.session.scalars(select(Certificate).where(
            Certificate.replaces_id == old.id)).one()
        assert old.revoked and old.revoke_reason == "Name falsch geschrieben"
        assert old.revoked_by_id == finished["organiser"].id
        assert not new.revoked and new.holder_name == "Sabine Hofmann-Berg"
        assert new.number not in {old.number} and new.code != old.code
        assert new.number == f"IMS-{finished.cohort.starts_on.year}-0004"
    assert audit_actions(app) == ["certificate.issued"] * 3 + ["certificate.revoked",
                                                               "certificate.issued"]
    assert organiser.post(f"/certificates/{ids['hamm2']}/reissue").status_code == 302
    assert len(certificate_rows(app)) == 4  # a valid certificate is not re-issued


def test_domain_refusals_say_why(app, finished):
    ids = issue_all(app, finished)
    with app.test_request_context():
        certificate = db.session.get(Certificate, ids["mediator"])
        with pytest.raises(DomainError):
            issuing.reissue(certificate, actor=None)
        with pytest.raises(DomainError) as refused:
            issuing.revoke(certificate, "", actor=None)
        assert refused.value.field == "reason"
