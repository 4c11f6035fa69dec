"""Secret tokens in addresses (invitation, password reset, personal feeds) stay out of logs.

Whoever reads a log must not be able to take over an account or read a person's calendar.
Every route with a ``<token>`` argument contributes its address prefix; a filter on the
app's logger, werkzeug's request log (development) and gunicorn's access log masks the
path segment after such a prefix.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

MASK = "[redacted]"
#: loggers that write request paths: Flask's own (exceptions name the path), the
#: development server's request log, gunicorn's access log
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


class SecretPathFilter(logging.Filter):
    """Masks the segment after each known prefix in every record it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.prefixes: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, prefixes: set[str]) -> None:
        self.prefixes |= prefixes
        alternatives = "|".join(re.escape(prefix) for prefix in sorted(self.prefixes))
        self._pattern = re.compile(f"({alternatives})[^/\\s?#\"']+") if alternatives else None

    def redact(self, text: str) -> str:
        return self._pattern.sub(lambda m: m.group(1) + MASK, text) if self._pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


#: one filter for the process: several apps (tests, a mounted LMS) share the loggers
secret_paths = SecretPathFilter()


def token_prefixes(app: Flask) -> set[str]:
    """The static part before ``<token>`` of every route that has one."""
    prefixes = set()
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            prefix = rule.rule.partition("<token>")[0]
            if prefix.strip("/"):
                prefixes.add(prefix)
    return prefixes


def init_app(app: Flask) -> None:
    """Call after every blueprint is registered, so all token routes are known."""
    secret_paths.add(token_prefixes(app))
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        logger.addFilter(secret_paths)
