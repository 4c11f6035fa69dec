"""Tools outside Python that some tests need: skipped where missing, required in CI.

A developer without Chromium or node still gets a green ``pytest`` with the reason in its
summary; ``LMS_E2E=1`` (set by ``.ci/run``) turns the skip into a failure, so CI cannot
pass without running those tests.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ENV = "LMS_E2E"


def require(present: bool, *, skip_reason: str, missing: str) -> None:
    """Return if ``present``; otherwise skip with ``skip_reason``, or fail when CI says so.

    ``missing`` says what is missing and how to install it, for the failure.
    """
    if present:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 requires these tests, but {missing}", pytrace=False)
    pytest.skip(f"{skip_reason}; set {REQUIRE_ENV}=1 to require")
