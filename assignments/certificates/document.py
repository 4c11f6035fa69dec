"""The certificate as a document: a German A4 PDF from an HTML template, and a cohort's
certificates as one ZIP.

WeasyPrint lays the page out (``templates/certificates/document.html``, fonts DejaVu);
the QR code leads to the public verification page at the configured site address
(``lms.links.site_url``), never the address a request came in on. A document is always
German, whatever language its reader's screens are in. Rendering takes about half a
second, so documents are made on download, never stored.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML

from assignments.certificates.models import Certificate
from lms.links import site_url

PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"


@dataclass(frozen=True)
class Issuer:
    """A body that issues the certificate (its proper name: never translated)."""

    short_name: str
    name: str


#: who issues the course's certificates, in the order they sign; the one place to change
ISSUERS = (
    Issuer("LaKI", "Landesweite Koordinierungsstelle Kommunale Integrationszentren NRW"),
    Issuer("Universitätsakademie", "Akademie für wissenschaftliche Weiterbildung"),
)


def verification_url(certificate: Certificate) -> str:
    """The public page that confirms ``certificate``, on the configured site."""
    return site_url("certificates.verify", code=certificate.code)


def qr_code(url: str) -> str:
    """``url`` as a QR code, an SVG data URI for an ``<img>``."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def certificate_html(certificate: Certificate) -> str:
    url = verification_url(certificate)
    with force_locale("de"):
        return render_template("certificates/document.html", certificate=certificate,
                               issuers=ISSUERS, verification_url=url, qr=qr_code(url))


def certificate_pdf(certificate: Certificate) -> bytes:
    return HTML(string=certificate_html(certificate)).write_pdf()


def file_name(certificate: Certificate) -> str:
    return f"Zertifikat-{certificate.number}.pdf"


def certificates_zip(certificates: Iterable[Certificate]) -> bytes:
    """One PDF per certificate, named by its number."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(file_name(certificate), certificate_pdf(certificate))
    return buffer.getvalue()
