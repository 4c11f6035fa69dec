"""Files handed in with work: checking uploads, storing them safely, serving them.

The checks of the course materials apply (``courses.materials``: the extension must be on
the host's list *and* the bytes must fit it); each assignment narrows the list and sets
its own count and size limits.

Storing is all or nothing: ``stored_uploads`` remembers which stored files this request
created. If the request fails before its rows are written, those files are removed again
unless a row (of any plugin) already refers to the same bytes, so a failure leaves
neither a row without its file nor a file without its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import exists, select

from assignments.models import Assignment, DraftFile, ReviewFile, VersionFile
from courses.materials import (
    FILE_TYPES,
    clean_filename,
    file_type_of,
    size_of,
)
from courses.models import Material
from lms.errors import DomainError
from lms.extensions import db
from lms.storage import CHUNK_SIZE, FileTooLarge, StoredFile, current_storage

#: every type the host can check, without the dot, for the assignment form
KNOWN_EXTENSIONS = tuple(sorted(ext.lstrip(".") for ext in FILE_TYPES))


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    stream: BinaryIO


def parse_extensions(text: str) -> str:
    """``"PDF, .docx"`` as ``"pdf,docx"``; raises ``DomainError`` for unknown types."""
    names = [part.strip().lower().lstrip(".") for part in text.replace(";", ",").split(",")]
    names = list(dict.fromkeys(name for name in names if name))
    unknown = [name for name in names if name not in KNOWN_EXTENSIONS]
    if unknown:
        raise DomainError(_("These file types cannot be allowed: %(unknown)s. Possible are: "
                            "%(known)s.", unknown=", ".join(unknown),
                            known=", ".join(KNOWN_EXTENSIONS)), field="allowed_extensions")
    return ",".join(names)


def check_upload(assignment: Assignment, filename: str, stream: BinaryIO) -> CheckedUpload:
    """An upload that fits ``assignment``; raises ``DomainError`` with the reason if not."""
    name = clean_filename(filename)
    if not name:
        raise DomainError(_("Please choose a file."), field="files")
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension not in assignment.extensions:
        raise DomainError(_("“%(name)s” cannot be handed in here. Allowed file types: "
                            "%(types)s.", name=name, types=", ".join(assignment.extensions)),
                          field="files")
    size = size_of(stream)
    if size == 0:
        raise DomainError(_("“%(name)s” is empty.", name=name), field="files")
    if size > assignment.max_file_mb * 1024 * 1024:
        raise _too_large(assignment, name)
    try:
        file_type = file_type_of(name, stream)
    except DomainError as exc:
        raise DomainError(f"{name}: {exc.message}", field="files") from exc
    return CheckedUpload(name, file_type.content_type, stream)


def _too_large(assignment: Assignment, name: str) -> DomainError:
    return DomainError(_("“%(name)s” is larger than %(size)d MB. Please hand in a smaller "
                         "file.", name=name, size=assignment.max_file_mb), field="files")


def _sha256_of(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def referenced(sha256: str) -> bool:
    """Whether any row of any plugin still refers to these bytes."""
    return any(db.session.scalar(select(exists().where(model.sha256 == sha256)))
               for model in (DraftFile, VersionFile, ReviewFile, Material))


class UploadStore:
    """Stores uploads and remembers which of them were new to the storage."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def put(self, assignment: Assignment, upload: CheckedUpload) -> StoredFile:
        storage = current_storage()
        is_new = not storage.exists(_sha256_of(upload.stream))
        try:
            stored = storage.put(upload.stream,
                                 max_size=assignment.max_file_mb * 1024 * 1024)
        except FileTooLarge as exc:
            raise _too_large(assignment, upload.filename) from exc
        if is_new:
            self.created.append(stored.sha256)
        return stored


@contextmanager
def stored_uploads() -> Iterator[UploadStore]:
    """Store uploads inside the block; if it fails, take back the files it added.

    The block must flush its rows, so that database errors surface inside it.
    """
    store = UploadStore()
    try:
        yield store
    except BaseException:
        db.session.rollback()
        for sha256 in store.created:
            if not referenced(sha256):
                current_storage().delete(sha256)
        raise


