"""Art. 15 GDPR: a person downloads everything the system holds about them, and an
organiser does it for anyone; the ZIP holds one JSON document and the person's files,
nothing of anyone else, and every download is in the audit log.

The demo's participant has team work with versions, files, released grades and
feedback, attendance and notifications; her teammate shares the team's submissions.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from assignments.models import VersionFile
from lms.audit import AuditEntry
from lms.auth.models import Role
from lms.extensions import db
from lms.storage import current_storage
from tests.subject_rights import GERMAN, ORGANISER, PARTICIPANT, sign_in, team_of


def read_zip(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(contents["daten.json"]), contents


def file_entries(value: Any) -> list[dict[str, Any]]:
    """Every ``{"file": path, ...}`` entry anywhere in the document."""
    if isinstance(value, dict):
        own = [value] if isinstance(value.get("file"), str) else []
        return own + [entry for item in value.values() for entry in file_entries(item)]
    if isinstance(value, list):
        return [entry for item in value for entry in file_entries(item)]
    return []


def exports(app: Flask) -> list[tuple[int, int | None, Any, Any]]:
    with app.app_context():
        return [(entry.object_id, entry.actor_id, entry.before, entry.after)
                for entry in db.session.scalars(select(AuditEntry).where(
                    AuditEntry.action == "user.data_exported"))]


def test_a_participant_downloads_her_data_from_her_account(app, client, demo_world):
    user_id, name = demo_world[PARTICIPANT]
    sign_in(client, PARTICIPANT)
    page = client.get("/account/data", headers=GERMAN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Meine Daten" in text and "Meine Daten herunterladen (ZIP)" in text
    assert "Meine Daten" in client.get("/account", headers=GERMAN).get_data(as_text=True)
    assert exports(app) == [], "showing the page records nothing"

    response = client.post("/account/data", headers=GERMAN)

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    document, contents = read_zip(response.data)
    sections = document["sections"]
    assert list(sections) == ["lms", "courses", "cohorts", "assignments", "steps",
                              "certificates", "advice"]
    account = sections["lms"]["account"]
    assert (account["id"], account["email"], account["name"]) == (user_id, PARTICIPANT, name)
    assert datetime.fromisoformat(account["created_at"]).utcoffset() is not None
    assert datetime.fromisoformat(document["created_at"])
    consents = sections["lms"]["consents"]
    assert consents and all(consent["text"] and datetime.fromisoformat(consent["given_at"])
                            for consent in consents)
    enrolment, = sections["cohorts"]["enrolments"]
    municipality, _teammate = team_of(app, PARTICIPANT)
    assert enrolment["municipality"] == municipality and enrolment["attendance"]
    submissions = sections["assignments"]["submissions"]
    assert {item["team"] for item in submissions} == {None, municipality}, "her own and her team's"
    versions = [version for item in submissions for version in item["versions"]]
    assert any(version["review"] for version in versions), "released feedback is in it"
    entries = file_entries(document)
    assert entries, "the team's files are in it"
    assert all(entry["file"].startswith("dateien/") and entry["file"] in contents
               for entry in entries)
    assert document["files_missing"] == []
    assert "Ihre Daten im Zertifikatslehrgang" in contents["LIESMICH.txt"].decode()
    assert exports(app) == [(user_id, user_id, None, None)]


def test_the_files_are_the_stored_bytes(app, client, demo_world):
    sign_in(client, PARTICIPANT)
    document, contents = read_zip(client.post("/account/data").data)
    versions = [version for item in document["sections"]["assignments"]["submissions"]
                for version in item["versions"]]
    with app.app_context():
        for version in versions:
            for entry in version["files"]:
                row_id = int(entry["file"].rpartition("/")[2].partition("-")[0])
                row = db.session.get(VersionFile, row_id)
                assert row.filename == entry["name"]
                with current_storage().open(row.sha256) as stream:
                    assert contents[entry["file"]] == stream.read()


def test_nothing_of_anyone_else_is_in_it(app, client, demo_world):
    """Team work shows the team's submission, not the teammate; no other person's name or
    address appears anywhere in the archive."""
    sign_in(client, PARTICIPANT)
    _document, contents = read_zip(client.post("/account/data").data)
    archive_text = "\n".join(data.decode("utf-8", "replace") for name, data in contents.items()
                             if name.endswith((".json", ".txt")))
    others = {email: name for email, (_id, name) in demo_world.items() if email != PARTICIPANT}
    assert team_of(app, PARTICIPANT)[1] in others
    leaked = sorted(value for email, name in others.items() for value in (email, name)
                    if value in archive_text)
    assert leaked == []


def test_an_organiser_downloads_anyones_data_from_the_account_admin(app, client, demo_world):
    organiser_id, _ = demo_world[ORGANISER]
    teammate = team_of(app, PARTICIPANT)[1]
    user_id, _ = demo_world[teammate]
    sign_in(client, ORGANISER)
    page = client.get(f"/admin/people/{user_id}", headers=GERMAN).get_data(as_text=True)
    assert f'action="/admin/people/{user_id}/data"' in page
    assert "Daten dieser Person herunterladen (ZIP)" in page

    response = client.post(f"/admin/people/{user_id}/data")

    assert response.status_code == 200
    document, _contents = read_zip(response.data)
    assert document["person_id"] == user_id
    assert document["sections"]["lms"]["account"]["email"] == teammate
    assert exports(app) == [(user_id, organiser_id, None, None)]
    assert client.get(f"/admin/people/{user_id}/data").status_code == 405


@pytest.mark.parametrize("email", ["dozent@example.org", PARTICIPANT])
def test_other_roles_cannot_download_someone_elses_data(app, client, demo_world, email):
    target, _ = demo_world[ORGANISER]
    sign_in(client, email)
    assert client.post(f"/admin/people/{target}/data").status_code == 403
    assert exports(app) == []


def test_forged_and_missing_ids_learn_nothing(app, client, demo_world):
    sign_in(client, ORGANISER)
    assert client.post("/admin/people/999999/data").status_code == 404
    assert client.post("/admin/people/99999999999999999999/data").status_code == 404
    client.post("/logout")
    assert client.post("/account/data").status_code == 302  # to sign in
    assert exports(app) == []


def test_a_lecturer_sees_what_she_graded_but_not_whose(app, client, create_user, demo_world):
    sign_in(client, "dozent@example.org")
    document, _contents = read_zip(client.post("/account/data").data)
    assert document["sections"]["lms"]["account"]["roles"] == [Role.LECTURER.value]
    written = document["sections"]["assignments"]["reviews_written"]
    assert written and set(written[0]) == {"assignment", "created_at", "updated_at"}
