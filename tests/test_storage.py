"""File storage by sha256: content addressing, atomic writes, size limits, safe names."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from lms.storage import (
    FileMissing,
    FileTooLarge,
    LocalStorage,
    S3Storage,
    Storage,
    StoredFile,
    current_storage,
    storage_for,
)

BUCKET = "lehrgang-dateien"


@pytest.fixture
def local_storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "files")


@pytest.fixture
def s3_storage(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Storage]:
    """A bucket in moto's in-process S3: the real boto3 calls, no server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    with mock_aws():
        boto3.client("s3").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield S3Storage(BUCKET, prefix="/lms/")


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest) -> Storage:
    return request.getfixturevalue(f"{request.param}_storage")


def stored_names(storage: Storage) -> list[str]:
    """Every stored file (or object) of the backend, temporary ones included."""
    if isinstance(storage, LocalStorage):
        return [str(p) for p in storage.root.rglob("*") if p.is_file()]
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_put_returns_hash_and_size_and_open_reads_back(storage):
    data = b"Handbuch Integration\n" * 1000
    stored = storage.put(io.BytesIO(data))
    assert stored == StoredFile(hashlib.sha256(data).hexdigest(), len(data))
    assert storage.exists(stored.sha256)
    with storage.open(stored.sha256) as handle:
        assert handle.read() == data


def test_files_are_sharded_by_hash(storage):
    stored = storage.put(io.BytesIO(b"abc"))
    name = f"{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}"
    if isinstance(storage, LocalStorage):
        assert stored_names(storage) == [str(storage.root / name)]
    else:
        assert stored_names(storage) == [f"lms/{name}"]


def test_same_content_is_stored_once(storage):
    first = storage.put(io.BytesIO(b"gleich"))
    second = storage.put(io.BytesIO(b"gleich"))
    assert first == second
    assert len(stored_names(storage)) == 1


def test_too_large_stores_nothing_and_leaves_no_temp_file(storage):
    with pytest.raises(FileTooLarge):
        storage.put(io.BytesIO(b"x" * 2000), max_size=1000)
    assert stored_names(storage) == []
    exactly = storage.put(io.BytesIO(b"x" * 1000), max_size=1000)
    assert exactly.size == 1000


def test_failed_write_leaves_no_temp_file(storage):
    class Broken(io.BytesIO):
        def read(self, size: int = -1) -> bytes:
            raise OSError("disk gone")

    with pytest.raises(OSError):
        storage.put(Broken(b"data"))
    assert stored_names(storage) == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "ABC", "a" * 63, "g" * 64, "",
                                  "/" + "a" * 63])
def test_only_hex_digests_name_files(storage, name):
    assert not storage.exists(name)
    with pytest.raises(FileMissing):
        storage.open(name)


def test_missing_file(storage):
    with pytest.raises(FileMissing):
        storage.open("0" * 64)
    assert not storage.exists("0" * 64)


def test_delete(storage):
    stored = storage.put(io.BytesIO(b"weg"))
    storage.delete(stored.sha256)
    assert not storage.exists(stored.sha256)
    storage.delete(stored.sha256)  # twice is fine


def test_default_folder_is_in_the_instance_path(app):
    with app.app_context():
        storage = current_storage()
        assert isinstance(storage, LocalStorage)
        assert storage.root == Path(app.instance_path) / "files"
        assert current_storage() is storage


def test_configured_folder(tmp_path):
    from flask import Flask

    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.config["STORAGE_PATH"] = str(tmp_path / "elsewhere")
    storage = storage_for(app)
    assert storage.root == tmp_path / "elsewhere"
    assert storage.put(io.BytesIO(b"x")).size == 1


def test_configured_bucket(tmp_path, s3_storage):
    from flask import Flask

    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.config.update(STORAGE_S3_BUCKET=BUCKET, STORAGE_S3_PREFIX="lms")
    storage = storage_for(app)
    assert isinstance(storage, S3Storage)
    stored = storage.put(io.BytesIO(b"geteilt"))
    # another app server with the same settings reads the same object
    with s3_storage.open(stored.sha256) as handle:
        assert handle.read() == b"geteilt"
