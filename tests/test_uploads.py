"""The host's upload pipeline: every stored-file column is declared, so no clean-up can
delete bytes a row still refers to."""

from __future__ import annotations

import io
from datetime import timedelta

from lms.auth.models import Role
from lms.db import utcnow
from lms.extensions import db
from lms.storage import current_storage
from lms.uploads import (
    PendingUpload,
    UploadRules,
    check_upload,
    file_references,
    keep_pending,
    pending_uploads,
    referenced,
    stored_uploads,
)


def _looks_like_a_stored_file(column) -> bool:
    """Stored bytes are named by their sha256, and so is every column that refers to them."""
    return "sha256" in column.name


def test_every_sha256_column_in_the_metadata_is_a_declared_file_reference(app):
    with app.app_context():
        declared = {(ref.class_.__table__.name, ref.key) for ref in file_references()}
    found = {(table.name, column.name) for table in db.metadata.tables.values()
             for column in table.columns if _looks_like_a_stored_file(column)}
    assert found, "no stored-file column found: the search is broken"
    assert found - declared == set(), "not declared by its plugin (Plugin.file_references)"
    assert declared <= found


def test_a_failed_request_takes_back_the_bytes_it_stored_and_only_those(app):
    rules = UploadRules(1, field="file")
    with app.test_request_context():
        upload = check_upload("notiz.txt", io.BytesIO(b"neu und ungenutzt"), rules)
        try:
            with stored_uploads() as store:
                stored = store.put(upload, rules)
                raise RuntimeError("the request fails before its row is written")
        except RuntimeError:
            pass
        assert not referenced(stored.sha256)
        assert not current_storage().exists(stored.sha256)


def test_pending_uploads_are_their_owner_s_and_left_ones_go_after_a_day(app, create_user):
    owner, other = create_user("a@example.org", Role.LECTURER), create_user(
        "b@example.org", Role.LECTURER)
    rules = UploadRules(1)
    with app.test_request_context():
        old, = keep_pending([check_upload("alt.txt", io.BytesIO(b"alt"), rules)], rules,
                            owner_id=owner.id)
        old.created_at = utcnow() - timedelta(days=2)
        new, = keep_pending([check_upload("neu.txt", io.BytesIO(b"neu"), rules)], rules,
                            owner_id=owner.id)
        assert [row.filename for row in db.session.query(PendingUpload)] == ["neu.txt"]
        assert referenced(new.sha256)
        assert pending_uploads([str(new.id), "x", "²"], owner_id=owner.id) == [new]
        assert pending_uploads([str(new.id)], owner_id=other.id) == []
