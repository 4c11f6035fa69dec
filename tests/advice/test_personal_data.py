"""A person's part of the advice office in their data export and in their erasure."""

from __future__ import annotations

from sqlalchemy import select

from advice.models import AdviceCase, PoolMember
from advice.personal_data import export_personal_data
from lms.auth.models import User
from lms.erasure import erase_person
from lms.extensions import db
from lms.personal_export import json_ready


def test_the_export_holds_the_request_and_the_members_own_work(
        app, municipalities, participant, organiser, create_member, create_case):
    member = create_member("Mara Mediatorin", "mara@example.org")
    create_case(participant, municipalities["Hamm"], triaged=True, assigned=(member,),
                accepted=True, with_record=True, actor=organiser)
    with app.test_request_context():
        asked = json_ready(dict(export_personal_data(
            db.session.get(User, participant.id)).data))
        mara = export_personal_data(db.session.get(User, member.user_id))
    assert [r["kind"] for r in asked["requests"]] == ["mediation"]
    assert asked["pool_profile"] is None and asked["notes"] == []
    assert mara.data["pool_profile"]["regions"] == ["Arnsberg"]
    assert [note["text"] for note in mara.data["notes"]] == [
        "Vertraulich: Vorgeschichte seit 2016."]
    assert [file.path for file in mara.files] == [mara.data["documents"][0]["file"]]


def test_erasure_empties_the_profile_and_pseudonymises_the_public_contact(
        app, municipalities, organiser, create_member, create_case):
    member = create_member("Karla Kontakt", "karla@example.org")
    case = create_case(None, municipalities["Hamm"])  # asked by karla@example.org
    with app.test_request_context():
        user = db.session.get(User, member.user_id)
        erase_person(user, actor=db.session.get(User, organiser.id))
        db.session.commit()
        profile = db.session.scalar(select(PoolMember).where(PoolMember.id == member.id))
        found = db.session.get(AdviceCase, case.id)
        assert (profile.languages, profile.qualifications, profile.active) == ([], "", False)
        assert found.contact_name == f"Gelöschte Person #{user.id}"
        assert found.contact_email.endswith(".invalid")
