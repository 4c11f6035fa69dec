"""Benchmarks: query counts always run; throughput only with ``make bench``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

RUN_THROUGHPUT = os.environ.get("LMS_BENCHMARKS") == "1"

throughput = pytest.mark.skipif(
    not RUN_THROUGHPUT, reason="throughput is measured by `make bench` (LMS_BENCHMARKS=1)"
)


def requests_per_second(send: Callable[[], object], seconds: float = 2.0) -> float:
    """Send requests for about ``seconds`` after a warm-up; return the rate achieved."""
    for _ in range(20):
        send()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        send()
        count += 1
    return count / elapsed
