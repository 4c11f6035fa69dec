"""The certificate's PDF and the cohort's ZIP: read back, with the name, number and code,
a QR code to the configured site, and only for those who may have them."""

from __future__ import annotations

import io

from pypdf import PdfReader

from assignments.certificates import document
from assignments.certificates.models import Certificate
from lms.extensions import db
from tests.certificates import issue_factories as factories
from tests.certificates.issue_factories import issue_all, pdf_text, zip_names
from tests.conftest import SITE

client_for, course, create_cohort = factories.client_for, factories.course, factories.create_cohort
create_module, create_municipality = factories.create_module, factories.create_municipality
enroll, finished, module = factories.enroll, factories.finished, factories.module


def test_the_holder_downloads_an_a4_pdf_with_name_number_and_code(app, finished, client_for):
    ids = issue_all(app, finished)
    response = client_for(finished["hamm1"]).get(f"/certificates/{ids['hamm1']}/certificate.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    with app.app_context():
        certificate = db.session.get(Certificate, ids["hamm1"])
        number, code = certificate.number, certificate.code
    text = pdf_text(response.data)
    for expected in ("Sabine Hoffmann", number, code, "Zertifikat",
                     "Integrationsmanagement und Systemdesign", "Studiengruppe 2017",
                     "Landesweite Koordinierungsstelle Kommunale Integrationszentren NRW",
                     "Grundlagen des Konfliktmanagements"):
        assert expected in text, expected
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1


def test_the_qr_code_and_link_lead_to_the_configured_site(app, finished, other_host):
    ids = issue_all(app, finished)
    with app.test_request_context():
        certificate = db.session.get(Certificate, ids["hamm1"])
        url = document.verification_url(certificate)
        html = document.certificate_html(certificate)
    assert url == f"{SITE}/certificates/verify/{certificate.code}"
    assert url in html and "alias.example" not in html
    assert 'src="data:image/svg+xml' in html


def test_the_zip_holds_one_pdf_per_valid_certificate(app, finished, client_for):
    ids = issue_all(app, finished)
    organiser = client_for(finished["organiser"])
    organiser.post(f"/certificates/{ids['hamm2']}/revoke", data={"reason": "Irrtum"})
    response = organiser.get(f"/certificates/cohorts/{finished.cohort.id}/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with app.app_context():
        valid = sorted(document.file_name(db.session.get(Certificate, ids[name]))
                       for name in ("hamm1", "mediator"))
    assert zip_names(response.data) == valid


def test_nobody_else_gets_a_certificate(app, finished, client_for):
    ids = issue_all(app, finished)
    url = f"/certificates/{ids['hamm1']}/certificate.pdf"
    assert client_for(finished["hamm2"]).get(url).status_code == 404
    assert client_for(finished["outsider"]).get(url).status_code == 404
    assert client_for(finished["other_lecturer"]).get(url).status_code == 404
    assert client_for(finished["lecturer"]).get(url).status_code == 403
    assert app.test_client().get(url).status_code == 302


def test_mine_and_the_dashboard_lead_to_the_own_certificate(app, finished, client_for):
    hamm1 = client_for(finished["hamm1"])
    assert "Sie haben noch kein Zertifikat" in hamm1.get("/certificates/mine").get_data(
        as_text=True)
    assert "Ihr Zertifikat" not in hamm1.get("/").get_data(as_text=True)
    ids = issue_all(app, finished)
    pdf = f"/certificates/{ids['hamm1']}/certificate.pdf"
    mine = hamm1.get("/certificates/mine").get_data(as_text=True)
    assert pdf in mine and f"/certificates/{ids['hamm2']}/" not in mine
    dashboard = hamm1.get("/").get_data(as_text=True)
    assert pdf in dashboard and "Ihr Zertifikat" in dashboard
    # once revoked, the holder sees that, and no longer the PDF
    client_for(finished["organiser"]).post(f"/certificates/{ids['hamm1']}/revoke",
                                           data={"reason": "Name falsch geschrieben"})
    mine = hamm1.get("/certificates/mine").get_data(as_text=True)
    assert "widerrufen" in mine and pdf not in mine
    assert hamm1.get(pdf).status_code == 403
    assert pdf not in hamm1.get("/").get_data(as_text=True)
