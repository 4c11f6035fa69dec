"""Materials: uploaded files and links, with the rules for what may be uploaded.

A file is accepted only if its extension is on the allow-list *and* its first bytes (for
office documents: its inner structure) show that it really is of that kind, so an HTML
page named ``handout.pdf`` is refused. We serve it later with the type that belongs to
the extension, never the type the browser claimed.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from courses.models import Material, MaterialKind, Module
from courses.services import check_web_url, required_title
from lms import audit
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db
from lms.storage import FileTooLarge, current_storage

HEAD_SIZE = 16


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


def allowed_extensions() -> str:
    return ", ".join(sorted(FILE_TYPES))


def max_material_bytes() -> int:
    return current_app.config["MATERIAL_MAX_MB"] * 1024 * 1024


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


def file_type_of(filename: str, stream: BinaryIO) -> FileType:
    """The allowed type of an upload; raises ``DomainError`` if its name or bytes do not fit."""
    file_type = FILE_TYPES.get(PurePosixPath(filename).suffix.lower())
    if file_type is None:
        raise DomainError(_("Files of this type cannot be uploaded. Allowed are: %(types)s.",
                            types=allowed_extensions()), field="file")
    head = stream.read(HEAD_SIZE)
    stream.seek(0)
    fits = file_type.matches(head, stream)
    stream.seek(0)
    if not fits:
        raise DomainError(_("The content of this file does not match its name. Please upload "
                            "the original document."), field="file")
    return file_type


def _too_large() -> DomainError:
    return DomainError(_("The file is larger than %(size)d MB. Please upload a smaller file.",
                         size=current_app.config["MATERIAL_MAX_MB"]), field="file")


def add_file(module: Module, *, title: str, filename: str, stream: BinaryIO,
             actor: User | None) -> Material:
    """Check and store an uploaded file and add it to ``module``'s materials."""
    title = required_title(title)
    filename = clean_filename(filename)
    if not filename:
        raise DomainError(_("Please choose a file."), field="file")
    limit = max_material_bytes()
    size = size_of(stream)
    if size > limit:
        raise _too_large()
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    file_type = file_type_of(filename, stream)
    try:
        stored = current_storage().put(stream, max_size=limit)
    except FileTooLarge as exc:
        raise _too_large() from exc
    material = Material(module=module, kind=MaterialKind.FILE, title=title, filename=filename,
                        sha256=stored.sha256, size=stored.size,
                        content_type=file_type.content_type, created_by=actor)
    db.session.add(material)
    db.session.flush()
    return material


def add_link(module: Module, *, title: str, url: str, actor: User | None) -> Material:
    material = Material(module=module, kind=MaterialKind.LINK, title=required_title(title),
                        url=check_web_url(url, "url"), created_by=actor)
    db.session.add(material)
    db.session.flush()
    return material


def remove_material(material: Material, *, actor: User) -> None:
    """Take a material off its module. The stored bytes stay: other records may share them."""
    audit.record("material.removed", material, actor=actor,
                 before={"title": material.title, "kind": material.kind.value,
                         "url": material.url, "sha256": material.sha256,
                         "filename": material.filename})
    db.session.delete(material)
    db.session.flush()


