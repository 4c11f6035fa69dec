"""The migration that brings consent records backfills the consents given before it:
every application's (at its ``consent_at``) and every shared contact's (since the person
chose it, by the audit log, else since the enrollment began), against version 1."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime

import flask_migrate
import pytest
from sqlalchemy import select

from cohorts.consents import APPLICATION, PURPOSES, SHARE_CONTACT
from cohorts.models import Application, Enrollment
from lms.audit import AuditEntry
from lms.consent.models import ConsentRecord, ConsentText
from lms.extensions import db
from tests.conftest import BACKENDS, POSTGRES_URL, make_app, scratch_postgres_database

#: the revision before the consent records
BEFORE_CONSENTS = "e4705f70920f"
CHOSEN_AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@pytest.mark.parametrize("backend", BACKENDS)
def test_old_consents_are_backfilled_against_version_1(tmp_path, backend):
    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'backfill.sqlite3'}"
        else:
            url = stack.enter_context(scratch_postgres_database(POSTGRES_URL))
        app = make_app(url, str(tmp_path))
        with app.app_context():
            assert app.test_cli_runner().invoke(args=["lms", "seed-demo"]).exit_code == 0
            flask_migrate.downgrade(revision=BEFORE_CONSENTS)
            db.session.remove()
            applications = {ident: (email, _aware(at)) for ident, email, at in db.session.execute(
                select(Application.id, Application.contact_email, Application.consent_at))}
            sharing = {ident: (user_id, _aware(started)) for ident, user_id, started
                       in db.session.execute(
                           select(Enrollment.id, Enrollment.user_id, Enrollment.started_at)
                           .where(Enrollment.share_contact))}
            assert applications and sharing
            chosen = min(sharing)
            db.session.add(AuditEntry(action="enrollment.contact_sharing",
                                      object_type="cohort_enrollments", object_id=chosen,
                                      at=CHOSEN_AT, after={"share_contact": True}))
            db.session.commit()
            db.session.remove()

            flask_migrate.upgrade()
            found = db.session.execute(
                select(ConsentText.purpose, ConsentText.version, ConsentRecord.subject_id,
                       ConsentRecord.user_id, ConsentRecord.email, ConsentRecord.given_at)
                .join(ConsentRecord.text)).all()
            assert {row.version for row in found} == {1}
            assert {row.subject_id: (row.email, _aware(row.given_at)) for row in found
                    if row.purpose == APPLICATION} == applications
            assert {row.subject_id: (row.user_id, _aware(row.given_at)) for row in found
                    if row.purpose == SHARE_CONTACT} == {**sharing, chosen: (sharing[chosen][0],
                                                                             CHOSEN_AT)}
            texts = {purpose.key: (purpose.first_text_de, purpose.first_text_en)
                     for purpose in PURPOSES}
            assert {row.purpose: (row.text_de, row.text_en) for row in db.session.scalars(
                select(ConsentText))} == texts
            db.session.remove()
            db.engine.dispose()
