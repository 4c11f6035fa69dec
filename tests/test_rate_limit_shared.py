"""With Redis as the rate-limit store, several worker processes share one limit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import uuid

import pytest

REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

WORKER = textwrap.dedent("""
    import sys
    from lms import create_app
    app = create_app({
        "ENV": "testing", "SECRET_KEY": "worker-secret-0123456789",
        "DATABASE_URL": sys.argv[1], "RATELIMIT_STORAGE_URI": sys.argv[2],
        "RATELIMIT_KEY_PREFIX": sys.argv[3], "LOGIN_RATE_LIMIT": "3 per minute",
        "WTF_CSRF_ENABLED": False,
    })
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.org", "password": "falsch"})
             .status_code for _ in range(int(sys.argv[4]))]
    print(" ".join(map(str, codes)))
""")


def _redis_reachable() -> bool:
    host, port = "127.0.0.1", 6379
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _worker(database_url: str, prefix: str, attempts: int) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", WORKER, database_url, REDIS_URL, prefix, str(attempts)],
        capture_output=True, text=True, timeout=120, check=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    return [int(code) for code in result.stdout.split()]


@pytest.mark.skipif(not _redis_reachable() and not os.environ.get("CI"),
                    reason="no Redis at 127.0.0.1:6379")
def test_two_workers_share_the_login_limit_through_redis(app, database_url):
    prefix = f"lms-test-{uuid.uuid4().hex}"
    assert _worker(database_url, prefix, 2) == [200, 200]
    # A second process: it has no memory of the first, only Redis does.
    assert _worker(database_url, prefix, 2) == [200, 429]
