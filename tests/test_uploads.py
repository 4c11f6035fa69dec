"""The host's upload pipeline: every stored-file column is declared, so no clean-up can
delete bytes a row still refers to."""

from __future__ import annotations

import io

from lms.extensions import db
from lms.storage import current_storage
from lms.uploads import UploadRules, check_upload, file_references, referenced, stored_uploads


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
