"""Uploads: the one pipeline every uploaded file goes through, and who refers to stored bytes.

A file is accepted only if its extension is on the host's list (and on the pipeline's own,
if it narrows it) *and* its first bytes (for office documents: its inner structure) show
that it really is of that kind, so an HTML page named ``handout.pdf`` is refused. It is
served later with the type that belongs to the extension, never the type the browser
claimed. Materials, handed-in work, feedback files and committee papers all use
``check_upload`` and ``stored_uploads``; each passes its own ``UploadRules``.

Too large a file never ends the request: the request class the host installs
(``init_app``) keeps at most ``MAX_UPLOAD_MB`` (and one byte more) of each uploaded file
and marks a bigger one ``too_large``; ``check_upload`` refuses it with the limit named, so
every form answers at its field and keeps what was typed. Only a body beyond
``MAX_CONTENT_LENGTH`` as a whole is refused unread (``lms.errors``).

Storing is all or nothing: ``stored_uploads`` remembers which stored files a request
created. If the request fails before its rows are written, those files are removed again
unless a row already refers to the same bytes. Which rows can refer to stored bytes, each
plugin declares (``Plugin.file_references``); nothing here lists them by hand.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from flask import Flask, Request, current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ForeignKey, Integer, String, delete, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.plugins import current_plugins
from lms.storage import FileTooLarge, StoredFile, current_storage, hash_of

HEAD_SIZE = 16
MB = 1024 * 1024
#: what of an uploaded file is kept in memory before it goes to a temporary file
SPOOL_SIZE = 512 * 1024
#: how long a file chosen in a form waits for the form to be saved
PENDING_KEPT = timedelta(days=1)


def _starts_with(*magics: bytes) -> Callable[[bytes, BinaryIO], bool]:
    return lambda head, _stream: head.startswith(magics)


def _webp(head: bytes, _stream: BinaryIO) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _zip_names(stream: BinaryIO) -> list[str] | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _office_open_xml(folder: str) -> Callable[[bytes, BinaryIO], bool]:
    """A .docx/.xlsx/.pptx: a zip with a content-types part and its main folder."""

    def matches(head: bytes, stream: BinaryIO) -> bool:
        names = _zip_names(stream) if head.startswith(b"PK\x03\x04") else None
        return bool(names) and "[Content_Types].xml" in names \
            and any(name.startswith(f"{folder}/") for name in names)

    return matches


def _open_document(mimetype: str) -> Callable[[bytes, BinaryIO], bool]:
    """An .odt/.ods/.odp: a zip whose first member, ``mimetype``, names the kind."""
    marker = b"mimetype" + mimetype.encode()

    def matches(head: bytes, stream: BinaryIO) -> bool:
        start = stream.read(30 + len(marker) + 8)
        return head.startswith(b"PK\x03\x04") and marker in start \
            and _zip_names(stream) is not None

    return matches


def _plain_text(_head: bytes, stream: BinaryIO) -> bool:
    data = stream.read()
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"


@dataclass(frozen=True)
class FileType:
    content_type: str
    #: (first bytes, the whole stream at its start) -> whether the content fits
    matches: Callable[[bytes, BinaryIO], bool]


FILE_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", _starts_with(b"%PDF-")),
    ".png": FileType("image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".jpeg": FileType("image/jpeg", _starts_with(b"\xff\xd8\xff")),
    ".gif": FileType("image/gif", _starts_with(b"GIF87a", b"GIF89a")),
    ".webp": FileType("image/webp", _webp),
    ".docx": FileType(f"{_OOXML}.wordprocessingml.document", _office_open_xml("word")),
    ".xlsx": FileType(f"{_OOXML}.spreadsheetml.sheet", _office_open_xml("xl")),
    ".pptx": FileType(f"{_OOXML}.presentationml.presentation", _office_open_xml("ppt")),
    ".odt": FileType(f"{_ODF}.text", _open_document(f"{_ODF}.text")),
    ".ods": FileType(f"{_ODF}.spreadsheet", _open_document(f"{_ODF}.spreadsheet")),
    ".odp": FileType(f"{_ODF}.presentation", _open_document(f"{_ODF}.presentation")),
    ".doc": FileType("application/msword", _starts_with(_OLE2)),
    ".xls": FileType("application/vnd.ms-excel", _starts_with(_OLE2)),
    ".ppt": FileType("application/vnd.ms-powerpoint", _starts_with(_OLE2)),
    ".txt": FileType("text/plain; charset=utf-8", _plain_text),
    ".csv": FileType("text/csv; charset=utf-8", _plain_text),
}


#: every type the host can check, without the dot
KNOWN_EXTENSIONS = tuple(sorted(ext.lstrip(".") for ext in FILE_TYPES))


def allowed_extensions() -> str:
    """Every type the host can check, as a list for people (".docx, .pdf, ...")."""
    return ", ".join(sorted(FILE_TYPES))


def clean_filename(name: str) -> str:
    """The last path part of an uploaded name, without control characters, at most 255 long."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    name = "".join(ch for ch in PurePosixPath(name).name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".")
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name


def size_of(stream: BinaryIO) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def upload_limit_mb() -> int:
    """The largest file any form takes (``MAX_UPLOAD_MB``); bigger ones are not kept."""
    return current_app.config["MAX_UPLOAD_MB"]


@dataclass(frozen=True)
class UploadRules:
    """What one pipeline accepts, and the form field its messages belong to."""

    max_mb: int
    #: the extensions allowed, without dots; None: every type the host can check
    extensions: Collection[str] | None = None
    field: str = "file"

    @property
    def max_bytes(self) -> int:
        return self.max_mb * MB

    @property
    def limit_mb(self) -> int:
        """The limit people are told: the pipeline's, or the host's if that is lower."""
        return min(self.max_mb, upload_limit_mb()) if has_app_context() else self.max_mb

    @property
    def allowed(self) -> tuple[str, ...]:
        return KNOWN_EXTENSIONS if self.extensions is None else tuple(self.extensions)

    def hint(self, count: int | None = None) -> str:
        """The limit and the allowed types, for the upload field before anything is sent."""
        types = ", ".join(self.allowed)
        if count is None:
            return _("At most %(size)d MB: %(types)s.", size=self.limit_mb, types=types)
        return ngettext("One file of at most %(size)d MB: %(types)s.",
                        "Up to %(num)d files, each at most %(size)d MB: %(types)s.",
                        count, size=self.limit_mb, types=types)

    def too_large(self, name: str) -> DomainError:
        return DomainError(_("“%(name)s” is larger than %(size)d MB. Please upload a "
                             "smaller file.", name=name, size=self.limit_mb), field=self.field)


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    stream: BinaryIO


def check_upload(filename: str, stream: BinaryIO, rules: UploadRules) -> CheckedUpload:
    """An upload that fits ``rules``; raises ``DomainError`` with the reason if not."""
    name = clean_filename(filename)
    if not name:
        raise DomainError(_("Please choose a file."), field=rules.field)
    if getattr(stream, "too_large", False):
        raise rules.too_large(name)
    extension = PurePosixPath(name).suffix.lower()
    file_type = FILE_TYPES.get(extension)
    allowed = rules.allowed
    if file_type is None or extension.lstrip(".") not in allowed:
        raise DomainError(_("“%(name)s” cannot be uploaded here. Allowed file types: "
                            "%(types)s.", name=name, types=", ".join(allowed)),
                          field=rules.field)
    size = size_of(stream)
    if size == 0:
        raise DomainError(_("“%(name)s” is empty.", name=name), field=rules.field)
    if size > rules.max_bytes:
        raise rules.too_large(name)
    head = stream.read(HEAD_SIZE)
    stream.seek(0)
    fits = file_type.matches(head, stream)
    stream.seek(0)
    if not fits:
        raise DomainError(_("The content of “%(name)s” does not match its name. Please "
                            "upload the original document.", name=name), field=rules.field)
    return CheckedUpload(name, file_type.content_type, stream)


def parse_extensions(text: str, field: str = "allowed_extensions") -> str:
    """``"PDF, .docx"`` as ``"pdf,docx"``; raises ``DomainError`` for unknown types."""
    names = [part.strip().lower().lstrip(".") for part in text.replace(";", ",").split(",")]
    names = list(dict.fromkeys(name for name in names if name))
    unknown = [name for name in names if name not in KNOWN_EXTENSIONS]
    if unknown:
        raise DomainError(_("These file types cannot be allowed: %(unknown)s. Possible are: "
                            "%(known)s.", unknown=", ".join(unknown),
                            known=", ".join(KNOWN_EXTENSIONS)), field=field)
    return ",".join(names)


# --- Who refers to stored bytes ----------------------------------------------------------


class PendingUpload(db.Model):
    """A checked file kept for the person who chose it, between a page that shows it as
    attached (a preview, a confirmation) and the save that attaches it to its row."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    filename: Mapped[str] = mapped_column(String(255))
    #: the type we serve it as, chosen by us from the allow-list
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def file_references() -> list[Any]:
    """Every column that holds the sha256 of stored bytes: the host's own pending uploads
    and those the plugins declare."""
    return [PendingUpload.sha256,
            *(column for plugin in current_plugins() for column in plugin.file_references)]


def referenced(sha256: str) -> bool:
    """Whether any row of any plugin still refers to these bytes."""
    return any(db.session.scalar(select(exists().where(column == sha256)))
               for column in file_references())


# --- Storing -----------------------------------------------------------------------------


class UploadStore:
    """Stores checked uploads and remembers which of them were new to the storage."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def put(self, upload: CheckedUpload, rules: UploadRules) -> StoredFile:
        storage = current_storage()
        is_new = not storage.exists(hash_of(upload.stream))
        try:
            stored = storage.put(upload.stream, max_size=rules.max_bytes)
        except FileTooLarge as exc:
            raise rules.too_large(upload.filename) from exc
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


# --- Kept between requests ---------------------------------------------------------------


def keep_pending(uploads: Iterable[CheckedUpload], rules: UploadRules, *,
                 owner_id: int) -> list[PendingUpload]:
    """Store checked uploads for their owner until a later request attaches them.

    The owner's pending uploads older than ``PENDING_KEPT`` go: their form was left.
    """
    db.session.execute(delete(PendingUpload).where(
        PendingUpload.user_id == owner_id, PendingUpload.created_at < utcnow() - PENDING_KEPT))
    rows = []
    with stored_uploads() as store:
        for upload in uploads:
            stored = store.put(upload, rules)
            rows.append(PendingUpload(user_id=owner_id, filename=upload.filename,
                                      content_type=upload.content_type, size=stored.size,
                                      sha256=stored.sha256))
        db.session.add_all(rows)
        db.session.flush()
    return rows


def pending_uploads(ids: Iterable[str], *, owner_id: int) -> list[PendingUpload]:
    """The pending uploads a form names (its ``pending`` values) that belong to ``owner_id``.

    Others are left out without a word: ids already attached by a first click of the
    same form, or someone else's, which nothing here reveals.
    """
    wanted = {int(part) for part in ids if part.isascii() and part.isdigit() and len(part) <= 9}
    if not wanted:
        return []
    return list(db.session.scalars(
        select(PendingUpload).where(PendingUpload.id.in_(wanted),
                                    PendingUpload.user_id == owner_id)
        .order_by(PendingUpload.id)))


def release_pending(rows: Iterable[PendingUpload]) -> None:
    """Forget pending uploads that are attached to their row now.

    The stored bytes stay; the host never deletes bytes after the request that stored them.
    """
    for row in rows:
        db.session.delete(row)
    db.session.flush()


# --- Receiving -----------------------------------------------------------------------------


class CappedFile(tempfile.SpooledTemporaryFile):
    """An uploaded file as the request brings it, kept up to ``limit`` bytes and one more.

    A bigger file is marked ``too_large`` instead of ending the whole request, so the
    form's other fields arrive; what is kept is too large for every size check, so code
    that reads the file without asking still refuses it.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(max_size=SPOOL_SIZE, mode="rb+")
        self.limit = limit
        self.received = 0

    @property
    def too_large(self) -> bool:
        return self.received > self.limit

    def write(self, data: bytes) -> int:  # type: ignore[override]
        room = self.limit + 1 - self.received
        self.received += len(data)
        if room > 0:
            super().write(data[:room])
        return len(data)


class UploadRequest(Request):
    """The host's request: uploaded files arrive as ``CappedFile``."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> BinaryIO:
        return CappedFile(upload_limit_mb() * MB)  # type: ignore[return-value]


def upload_hint(max_mb: int | None = None, extensions: Collection[str] | None = None,
                count: int | None = None) -> str:
    """``UploadRules.hint`` for templates: the host's limit unless ``max_mb`` is given."""
    return UploadRules(max_mb or upload_limit_mb(), extensions).hint(count)


def init_app(app: Flask) -> None:
    app.request_class = UploadRequest
    app.jinja_env.globals["upload_hint"] = upload_hint
