"""Several app servers, as a deployment that outgrew one machine runs them: two gunicorn
instances on different ports sharing one PostgreSQL, one Redis and one S3-compatible
store (moto's server here). Work handed in on one is downloaded from the other, signed
in once: nothing a request needs is kept in one server's memory or on its disk."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from tests.assignments.conftest import pdf
from tests.conftest import TEST_PASSWORD
from tests.servers import free_port, gunicorn, production_environment

REDIS_URL = "redis://127.0.0.1:6379/13"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "eu-central-1"}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TOKEN = re.compile(r'name="token"[^>]*value="([0-9a-f]{32})"')


@pytest.fixture
def object_store(monkeypatch) -> Iterator[tuple[str, str]]:
    """The address of an S3-compatible server, and a new bucket on it (moto keeps its
    buckets in the process, so each test names its own)."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    address = f"http://127.0.0.1:{server._port}"
    bucket = f"lms-files-{uuid.uuid4().hex[:8]}"
    try:
        boto3.client("s3", endpoint_url=address).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        yield address, bucket
    finally:
        server.stop()


def _sign_in(session: requests.Session, base_url: str, email: str) -> None:
    form = session.get(f"{base_url}/login")
    answer = session.post(f"{base_url}/login", allow_redirects=False, data={
        "csrf_token": CSRF.search(form.text).group(1), "email": email,
        "password": TEST_PASSWORD})
    assert answer.status_code == 302 and "/login" not in answer.headers["Location"]


def test_work_handed_in_on_one_server_is_downloaded_from_the_other(
        app, world, create_assignment, create_schedule, object_store):
    database_url = app.config["DATABASE_URL"]
    if not database_url.startswith("postgresql"):
        pytest.skip("several servers share PostgreSQL (its run of this test)")
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    address, bucket = object_store
    env = production_environment(
        database_url, "http://127.0.0.1", RATELIMIT_STORAGE_URI=REDIS_URL,
        STORAGE_S3_BUCKET=bucket, STORAGE_S3_ENDPOINT_URL=address)
    document = pdf("Konzept Hamm")
    browser = requests.Session()  # one browser: its cookie goes to both servers
    with gunicorn("wsgi:app", env, workers=1) as first, \
            gunicorn("wsgi:app", env, workers=1) as second:
        _sign_in(browser, first, "hamm1@example.org")
        work = browser.get(f"{first}/assignments/schedules/{schedule.id}")
        answer = browser.post(
            f"{first}/assignments/schedules/{schedule.id}", allow_redirects=False,
            data={"csrf_token": CSRF.search(work.text).group(1), "text": "Unser Konzept",
                  "token": TOKEN.search(work.text).group(1), "submit": "1"},
            files={"files": ("konzept.pdf", document, "application/pdf")})
        assert answer.status_code == 302, answer.text
        receipt = browser.get(second + answer.headers["Location"])
        assert receipt.status_code == 200 and "konzept.pdf" in receipt.text
        link = re.search(r'href="(/assignments/files/\d+)"', receipt.text).group(1)
        download = browser.get(second + link)
    assert download.status_code == 200
    assert download.content == document
    stored = boto3.client("s3", endpoint_url=address).list_objects_v2(Bucket=bucket)
    digest = hashlib.sha256(document).hexdigest()
    assert [entry["Key"].endswith(digest) for entry in stored["Contents"]] == [True]
