"""Calendar days in Berlin: application windows and cohort dates are whole days there.

``BERLIN`` and ``berlin_midnight`` are the host's (``lms.dates``), offered here as well
since the cohort plugin and those after it use them with ``berlin_today``.
"""

from __future__ import annotations

from datetime import date, datetime

from lms.dates import BERLIN, berlin_midnight

__all__ = ["BERLIN", "berlin_midnight", "berlin_today"]


def berlin_today() -> date:
    """Today's date in Berlin (not in UTC: just after midnight they differ)."""
    return datetime.now(BERLIN).date()
