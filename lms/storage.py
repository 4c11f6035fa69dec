"""File storage addressed by content: every file is named by its sha256.

Plugins hand a stream to ``current_storage().put`` and keep the returned hash; they never
write to the file system themselves. The same bytes are stored once, whoever uploads
them, so a stored file is never overwritten with different content.

Only a local folder backend exists (``STORAGE_PATH``, default ``instance/files``). The
``Storage`` base class is the whole interface, so an object-store backend for several app
servers can be added later without touching its callers.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app

EXTENSION_KEY = "lms.storage"
CHUNK_SIZE = 64 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class StorageError(Exception):
    """A file could not be stored or found."""


class FileTooLarge(StorageError):
    """The stream was longer than the allowed size; nothing was stored."""

    def __init__(self, max_size: int):
        super().__init__(f"file exceeds {max_size} bytes")
        self.max_size = max_size


class FileMissing(StorageError):
    """No file with this hash is stored."""


def check_sha256(sha256: str) -> str:
    """``sha256`` if it is a lower-case hex digest; anything else could name a path."""
    if not _SHA256.fullmatch(sha256):
        raise FileMissing(f"not a sha256 digest: {sha256!r}")
    return sha256


class Storage(ABC):
    """What every backend offers."""

    @abstractmethod
    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredFile:
        """Store the rest of ``stream``; raises ``FileTooLarge`` beyond ``max_size`` bytes."""

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """The stored bytes for reading; raises ``FileMissing``."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove a file (for maintenance only: other records may share the same bytes)."""


class LocalStorage(Storage):
    """Files in a folder, sharded as ``ab/cd/abcd...`` so no directory grows too large.

    A file is written to a temporary name in the same folder tree and renamed into place,
    so readers and other workers never see half a file.
    """

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredFile:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(dir=incoming, prefix="upload-")
        temp_path = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as temp:
                while chunk := stream.read(CHUNK_SIZE):
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise FileTooLarge(max_size)
                    digest.update(chunk)
                    temp.write(chunk)
                temp.flush()
                os.fsync(temp.fileno())
            stored = StoredFile(digest.hexdigest(), size)
            target = self.path_for(stored.sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            # The same content may already be there; replacing it with itself is harmless.
            os.replace(temp_path, target)
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        return stored

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError as exc:
            raise FileMissing(sha256) from exc

    def exists(self, sha256: str) -> bool:
        try:
            return self.path_for(sha256).is_file()
        except FileMissing:
            return False

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)


def storage_for(app: Flask) -> Storage:
    """The app's storage, created on first use from ``STORAGE_PATH``."""
    storage = app.extensions.get(EXTENSION_KEY)
    if storage is None:
        root = app.config.get("STORAGE_PATH") or Path(app.instance_path) / "files"
        storage = app.extensions.setdefault(EXTENSION_KEY, LocalStorage(Path(root)))
    return storage


def current_storage() -> Storage:
    return storage_for(current_app)
