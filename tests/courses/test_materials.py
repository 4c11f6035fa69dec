"""Materials: what may be uploaded, how it is served, and that bad files store nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from courses.demo import simple_pdf
from courses.models import Material, MaterialKind
from lms.downloads import content_disposition
from lms.extensions import db
from lms.storage import current_storage
from lms.uploads import clean_filename

GERMAN = {"Accept-Language": "de"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def office_zip(*names: str, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = office_zip("[Content_Types].xml", "word/document.xml")
ODT = office_zip("content.xml", first=("mimetype", b"application/vnd.oasis.opendocument.text"))


def stored_files(app) -> list[Path]:
    with app.app_context():
        root = current_storage().root
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def materials(app) -> list[Material]:
    with app.app_context():
        found = list(db.session.scalars(select(Material).order_by(Material.id)))
        for material in found:
            db.session.expunge(material)
        return found


def upload(client, module_id: int, filename: str, data: bytes, title: str = "Handout"):
    return client.post(f"/course/modules/{module_id}/materials/file", headers=GERMAN,
                       data={"file-title": title, "file-file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


@pytest.fixture
def clean_storage(app):
    """Every test here sees only the files it stored itself."""
    for path in stored_files(app):
        path.unlink()
    yield
    for path in stored_files(app):
        path.unlink()


pytestmark = pytest.mark.usefixtures("clean_storage")


@pytest.mark.parametrize(("filename", "data", "content_type"), [
    ("Leitfaden.pdf", simple_pdf(["Leitfaden"]), "application/pdf"),
    ("Foto.PNG", PNG, "image/png"),
    ("Bild.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 30, "image/jpeg"),
    ("Vorlage.docx", DOCX,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Protokoll.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("Alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30, "application/msword"),
    ("Checkliste.txt", "Akteure: Ämter, Vereine\n".encode(), "text/plain; charset=utf-8"),
])
def test_allowed_files_are_stored_and_served_safely(app, client, login, lecturer, participant,
                                                    module, filename, data, content_type):
    login(lecturer)
    assert upload(client, module.id, filename, data).status_code == 302
    [material] = materials(app)
    assert (material.kind, material.filename, material.size, material.content_type) == \
        (MaterialKind.FILE, filename, len(data), content_type)
    assert len(stored_files(app)) == 1

    client.post("/logout")
    login(participant)
    response = client.get(f"/course/materials/{material.id}/download")
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("filename", "data"), [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60),
    ("seite.html", b"<html><script>alert(1)</script></html>"),
    ("grafik.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("skript.js", b"alert(1)"),
    ("ohne-endung", b"%PDF-1.4"),
    ("Leitfaden.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
    ("Foto.png", b"<html>nope</html>"),
    ("Vorlage.docx", b"PK\x03\x04 not really a zip"),
    ("Vorlage.docx", office_zip("something.xml")),
    ("Tabelle.xlsx", DOCX),
    ("Notiz.txt", b"\xff\xfe\x00b\x00i\x00n"),
    ("leer.pdf", b""),
])
def test_forbidden_or_disguised_files_are_refused_and_nothing_is_stored(
        app, client, login, lecturer, module, filename, data):
    login(lecturer)
    response = upload(client, module.id, filename, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="file-file-error"' in body
    assert materials(app) == [] and stored_files(app) == []


def test_oversized_file_gets_a_message_and_nothing_is_stored(app, client, login, lecturer,
                                                             module):
    app.config["MATERIAL_MAX_MB"] = 1
    try:
        login(lecturer)
        data = simple_pdf(["groß"]) + b"0" * (1024 * 1024)
        response = upload(client, module.id, "Gross.pdf", data)
    finally:
        app.config["MATERIAL_MAX_MB"] = 20
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="file-file-error"' in body and "1 MB" in body
    assert materials(app) == [] and stored_files(app) == []


def test_a_file_beyond_the_host_limit_is_refused_at_its_field_keeping_the_title(
        app, client, login, lecturer, module, monkeypatch):
    """One host mechanism for every upload form: the file is refused, the form stays."""
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    login(lecturer)
    page = client.get(f"/course/modules/{module.id}/materials/new", headers=GERMAN)
    assert "1 MB" in page.get_data(as_text=True)  # named before anything is sent
    response = upload(client, module.id, "Gross.pdf", simple_pdf(["x"]) + b"0" * (1024 * 1024),
                      title="Mein Handout")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="file-file-error"' in body
    assert "größer als 1 MB" in body and 'value="Mein Handout"' in body
    assert materials(app) == [] and stored_files(app) == []


def test_request_beyond_the_upload_limit_is_refused(app, client, login, lecturer, module):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        login(lecturer)
        response = upload(client, module.id, "Gross.pdf", simple_pdf(["x"]) + b"0" * 4096)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    assert response.status_code == 413
    assert materials(app) == [] and stored_files(app) == []


def test_missing_title_or_file(app, client, login, lecturer, module):
    login(lecturer)
    assert 'id="file-title-error"' in upload(client, module.id, "a.pdf", simple_pdf(["a"]),
                                             title="").get_data(as_text=True)
    response = client.post(f"/course/modules/{module.id}/materials/file",
                           data={"file-title": "Ohne Datei"})
    assert 'id="file-file-error"' in response.get_data(as_text=True)
    assert materials(app) == [] and stored_files(app) == []


def test_same_file_twice_is_stored_once(app, client, login, lecturer, module, draft):
    login(lecturer)
    data = simple_pdf(["Gleich"])
    upload(client, module.id, "a.pdf", data)
    upload(client, draft.id, "b.pdf", data)
    assert len(materials(app)) == 2 and len(stored_files(app)) == 1


def test_links_http_and_https_only(app, client, login, lecturer, participant, module):
    login(lecturer)
    path = f"/course/modules/{module.id}/materials/link"
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                "ftp://example.org", "www.example.org", "https://", "https://exa mple.org"):
        response = client.post(path, data={"link-title": "Böse", "link-url": bad})
        assert 'id="link-url-error"' in response.get_data(as_text=True), bad
    assert materials(app) == []
    assert client.post(path, data={"link-title": "KI NRW",
                                   "link-url": "https://www.example.org/ki"}).status_code == 302
    client.post("/logout")
    login(participant)
    page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    assert '<a href="https://www.example.org/ki" rel="noopener noreferrer">KI NRW</a>' in page


def test_remove_material_keeps_the_page_and_audits(app, client, login, organiser, module,
                                                   create_material):
    material = create_material(module)
    login(organiser)
    assert client.post(f"/course/materials/{material.id}/delete").status_code == 302
    assert materials(app) == []
    from lms.audit import AuditEntry

    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "material.removed"))
        assert entry.before["title"] == "Leitfaden"


def test_download_name_uses_rfc_5987_for_umlauts(app, client, login, participant, module,
                                                 create_material):
    material = create_material(module, "Übersicht Gremien (Köln).pdf")
    login(participant)
    header = client.get(f"/course/materials/{material.id}/download").headers[
        "Content-Disposition"]
    assert header == ("attachment; filename=\"Ubersicht Gremien (Koln).pdf\"; "
                      f"filename*=UTF-8''{quote('Übersicht Gremien (Köln).pdf', safe='')}")


@pytest.mark.parametrize(("raw", "clean"), [
    ("C:\\Users\\x\\Leitfaden.pdf", "Leitfaden.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("name\r\nX-Injected: 1.pdf", "nameX-Injected: 1.pdf"),
    ("  .versteckt.pdf ", "versteckt.pdf"),
    ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
])
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_content_disposition_cannot_break_the_header():
    header = content_disposition('bö"se;\\name.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="bosename.pdf"; filename*=UTF-8\'\'')


def test_missing_stored_file_is_not_found(app, client, login, participant, module,
                                          create_material):
    material = create_material(module)
    for path in stored_files(app):
        path.unlink()
    login(participant)
    assert client.get(f"/course/materials/{material.id}/download").status_code == 404
