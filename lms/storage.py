"""File storage addressed by content: every file is named by its sha256.

Plugins hand a stream to ``current_storage().put`` and keep the returned hash; they never
write to the file system themselves. The same bytes are stored once, whoever uploads
them, so a stored file is never overwritten with different content.

Two backends: a local folder (``STORAGE_PATH``, default ``instance/files``), and an
S3-compatible object store (``STORAGE_S3_BUCKET``) that several app servers share. The
``Storage`` base class is the whole interface its callers see.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

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


def copy_hashed(stream: BinaryIO, target: IO[bytes], max_size: int | None) -> StoredFile:
    """Copy ``stream`` into ``target`` while hashing it; ``FileTooLarge`` beyond ``max_size``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise FileTooLarge(max_size)
        digest.update(chunk)
        target.write(chunk)
    return StoredFile(digest.hexdigest(), size)


def hash_of(stream: BinaryIO) -> str:
    """The sha256 of ``stream``'s bytes, read from its start; it is left at its start."""
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def sharded_name(sha256: str) -> str:
    """``ab/cd/abcd...``: no folder (or key listing) grows too large."""
    check_sha256(sha256)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


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
        return self.root / sharded_name(sha256)

    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredFile:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=incoming, prefix="upload-")
        temp_path = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as temp:
                stored = copy_hashed(stream, temp, max_size)
                temp.flush()
                os.fsync(temp.fileno())
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


class S3Storage(Storage):
    """Objects in an S3-compatible bucket (AWS, MinIO, Ceph ...), keyed like local files.

    Credentials and region come from boto3's usual sources (``AWS_ACCESS_KEY_ID``,
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``, instance roles). An upload is spooled
    to a temporary file first: its hash, which names the object, is known only at the end.
    """

    #: bytes of an upload or download kept in memory before spooling to disk
    SPOOL_IN_MEMORY = 8 * 1024 * 1024

    def __init__(self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None,
                 client: Any = None):
        if client is None:
            import boto3  # only deployments that configure a bucket need it

            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def key_for(self, sha256: str) -> str:
        return self.prefix + sharded_name(sha256)

    def put(self, stream: BinaryIO, *, max_size: int | None = None) -> StoredFile:
        with tempfile.SpooledTemporaryFile(max_size=self.SPOOL_IN_MEMORY) as spool:
            stored = copy_hashed(stream, spool, max_size)
            if not self.exists(stored.sha256):
                spool.seek(0)
                self.client.upload_fileobj(spool, self.bucket, self.key_for(stored.sha256))
        return stored

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        # handed to the caller, who closes it
        spool = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_IN_MEMORY)  # noqa: SIM115
        try:
            self.client.download_fileobj(self.bucket, self.key_for(sha256), spool)
        except ClientError as exc:
            spool.close()
            raise FileMissing(sha256) from exc
        spool.seek(0)
        return spool  # type: ignore[return-value]

    def exists(self, sha256: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except (FileMissing, ClientError):
            return False
        return True

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key_for(sha256))


def storage_for(app: Flask) -> Storage:
    """The app's storage, created on first use: the S3 bucket if one is set, else the folder."""
    storage = app.extensions.get(EXTENSION_KEY)
    if storage is None:
        if app.config.get("STORAGE_S3_BUCKET"):
            storage = S3Storage(app.config["STORAGE_S3_BUCKET"],
                                prefix=app.config.get("STORAGE_S3_PREFIX") or "",
                                endpoint_url=app.config.get("STORAGE_S3_ENDPOINT_URL"))
        else:
            root = app.config.get("STORAGE_PATH") or Path(app.instance_path) / "files"
            storage = LocalStorage(Path(root))
        storage = app.extensions.setdefault(EXTENSION_KEY, storage)
    return storage


def current_storage() -> Storage:
    return storage_for(current_app)
