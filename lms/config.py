"""Configuration: defaults, then ``LMS_*`` environment variables, then explicit overrides.

Every setting a deployment may change is listed in ``SETTINGS`` with its type, so the
README, the loader and the tests share one list.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "secret", "changeme"})
ENVIRONMENTS = ("production", "development", "testing")


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    """One configurable value: the Flask config key, how to parse it, its default."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str

    @property
    def env_name(self) -> str:
        return f"LMS_{self.key}"


SETTINGS: tuple[Setting, ...] = (
    Setting("ENV", str, "production", "production, development or testing"),
    Setting("SECRET_KEY", str, None, "signs sessions and links; required in production"),
    Setting("DATABASE_URL", str, None, "SQLAlchemy URL; default SQLite in the instance folder"),
    Setting("PLUGINS", _list, ["courses", "cohorts", "assignments", "assignments.steps",
            "assignments.certificates", "advice"],
            "comma-separated plugin modules (module or module:attribute)"),
    Setting("LOAD_ENTRY_POINTS", _bool, True,
            "also load plugins of the entry-point group lms.plugins"),
    Setting("MAIL_SERVER", str, None, "SMTP host; without it mail goes to the outbox page"),
    Setting("MAIL_PORT", int, 587, "SMTP port"),
    Setting("MAIL_USERNAME", str, None, "SMTP user"),
    Setting("MAIL_PASSWORD", str, None, "SMTP password"),
    Setting("MAIL_USE_TLS", _bool, True, "STARTTLS on the SMTP connection"),
    Setting("MAIL_SENDER", str, "lehrgang@example.org", "From address of outgoing mail"),
    Setting("MAIL_MAX_ATTEMPTS", int, 10, "delivery attempts before a message counts as failed"),
    Setting("MAIL_RETRY_SECONDS", int, 60,
            "wait after the first failed attempt, doubled after each further one"),
    Setting("QUEUE_URL", str, None,
            "Redis URL of the RQ job queue, run by `flask lms worker`; without it the web "
            "processes send mail from a background thread"),
    Setting("JOB_RUNNER", str, None,
            "rq, thread or inline; default rq with QUEUE_URL, inline in testing, else thread"),
    Setting("RATELIMIT_STORAGE_URI", str, "memory://",
            "rate-limit store; redis://127.0.0.1:6379/0 when several workers run"),
    Setting("RATELIMIT_ENABLED", _bool, True, "false switches rate limiting off"),
    Setting("LOGIN_RATE_LIMIT", str, "10 per minute;50 per hour",
            "failed or not, login attempts allowed per client address"),
    Setting("APPLICATION_RATE_LIMIT", str, "10 per hour;30 per day",
            "applications the public application form takes per client address"),
    Setting("VERIFY_RATE_LIMIT", str, "30 per minute;300 per hour",
            "certificate verifications (public page) answered per client address"),
    Setting("INVITATION_MAX_AGE", int, 14 * 24 * 3600, "seconds an invitation link stays valid"),
    Setting("PASSWORD_RESET_MAX_AGE", int, 2 * 3600, "seconds a password-reset link stays valid"),
    Setting("PASSWORD_HASH_METHOD", str, "scrypt", "werkzeug hash method for passwords"),
    Setting("COOKIE_SECURE", _bool, None, "send cookies over HTTPS only; default on in production"),
    Setting("MAX_UPLOAD_MB", int, 20,
            "largest accepted file in megabytes; a bigger one is refused at its form field"),
    Setting("MAX_REQUEST_MB", int, 200,
            "largest request body in megabytes; a bigger one is refused unread"),
    Setting("STORAGE_PATH", str, None,
            "folder for uploaded files; default files/ in the instance folder"),
    Setting("STORAGE_S3_BUCKET", str, None,
            "S3-compatible bucket for uploaded files instead of the folder (several servers)"),
    Setting("STORAGE_S3_ENDPOINT_URL", str, None,
            "address of a non-AWS object store, e.g. https://minio.example.org"),
    Setting("STORAGE_S3_PREFIX", str, "", "key prefix for the files in the bucket"),
    Setting("MATERIAL_MAX_MB", int, 20, "largest course material file in megabytes"),
    Setting("BASE_URL", str, None,
            "address of the site (https://host[/prefix]); every link in mail and feeds is "
            "built from it; required in production, default http://127.0.0.1:5000 otherwise"),
    Setting("TRUSTED_HOSTS", _list, [],
            "further host names the site answers to besides BASE_URL's (others get 400)"),
    Setting("CALENDAR_REFRESH_MINUTES", int, 60,
            "minutes after which subscribed calendars should fetch their feed again"),
    Setting("CALENDAR_FEED_PAST_DAYS", int, 365,
            "days back that subscribed calendar feeds reach; everything ahead is in them, "
            "older items only in the organisers' export"),
    Setting("CALENDAR_CACHE_URL", str, None,
            "Redis URL for built calendar feeds, e.g. redis://127.0.0.1:6379/0; without it "
            "they are kept in the database"),
    # Certificates are asked for long after the course (an employer checks one, a holder
    # needs a copy); ten years is the common retention of examination records, so a
    # participant's records stay whole that long after their last cohort ended.
    Setting("RETENTION_YEARS_AFTER_COHORT", int, 10,
            "years after the end of a participant's or mediator's last cohort until "
            "`flask lms retention` pseudonymises them"),
    # A rejected or withdrawn application is kept long enough to answer questions and
    # objections about the decision, then its people's contact data goes.
    Setting("RETENTION_DAYS_AFTER_APPLICATION", int, 180,
            "days after an application was rejected or withdrawn until `flask lms "
            "retention` pseudonymises its contact and nominees"),
    # An advice case is kept whole long enough for questions, complaints and a new
    # request about the same conflict; then what names or describes people goes, and the
    # anonymous statistics stay.
    Setting("RETENTION_YEARS_AFTER_CASE", int, 3,
            "years after an advice case was concluded or declined until `flask lms "
            "retention` pseudonymises it"),
    Setting("TRUSTED_PROXIES", int, 0,
            "reverse proxies in front of the app whose X-Forwarded-* headers count"),
)

MIN_PASSWORD_LENGTH = 12
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
#: hosts a developer's browser or Flask's test client use; trusted outside production only
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
#: a remembered login (and any session) ends this long after signing in
REMEMBER_DURATION = timedelta(days=30)


def load_config(instance_path: Path, overrides: Mapping[str, Any] | None = None,
                environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from defaults, the environment and ``overrides``.

    Raises ``RuntimeError`` in production when the secret key is missing or a known
    default, since every signed link and session would then be forgeable.
    """
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env_name)
        config[setting.key] = setting.default if raw is None else setting.parse(raw)
    config.update(overrides)

    env = config["ENV"]
    if env not in ENVIRONMENTS:
        raise RuntimeError(f"LMS_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    config["TESTING"] = env == "testing" or bool(config.get("TESTING"))

    if not config["SECRET_KEY"] or config["SECRET_KEY"] in INSECURE_SECRET_KEYS:
        if env == "production":
            raise RuntimeError(
                "Refusing to start: LMS_SECRET_KEY is missing or a well-known default. "
                "Set it to a long random value, for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        config["SECRET_KEY"] = _instance_secret(instance_path)

    config["BASE_URL"], config["TRUSTED_HOSTS"] = _site(config, env)

    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'lms.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    secure = config["COOKIE_SECURE"]
    if secure is None:
        secure = env == "production"
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = secure
    # Own cookie names, so the LMS can share a domain with the application it is mounted in.
    config.setdefault("SESSION_COOKIE_NAME", "lms_session")
    config.setdefault("REMEMBER_COOKIE_NAME", "lms_remember")
    config["REMEMBER_COOKIE_DURATION"] = REMEMBER_DURATION
    config["SESSION_COOKIE_HTTPONLY"] = config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    config["MAX_CONTENT_LENGTH"] = config["MAX_REQUEST_MB"] * 1024 * 1024
    config["RATELIMIT_DEFAULT"] = None
    config["RATELIMIT_HEADERS_ENABLED"] = True
    config["BABEL_DEFAULT_LOCALE"] = "de"
    config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    config["WTF_CSRF_TIME_LIMIT"] = None  # tied to the session; long forms must not expire
    return config


def _site(config: Mapping[str, Any], env: str) -> tuple[str, list[str]]:
    """The checked site address and the hosts requests may name (Flask's TRUSTED_HOSTS).

    Links in mail are built from the address alone, so production refuses to start
    without one; any other ``Host`` is answered 400.
    """
    base_url = config["BASE_URL"]
    if not base_url:
        if env == "production":
            raise RuntimeError(
                "Refusing to start: LMS_BASE_URL is missing. Set it to the address people "
                "use, for example https://lehrgang.example.org; links in mail are built from it."
            )
        base_url = DEVELOPMENT_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise RuntimeError(f"LMS_BASE_URL must be an http(s) address such as "
                           f"https://lehrgang.example.org, not {base_url!r}.")
    hosts = [parts.hostname, *config["TRUSTED_HOSTS"]]
    if env != "production":
        hosts += LOCAL_HOSTS
    return base_url.rstrip("/"), list(dict.fromkeys(hosts))


def _instance_secret(instance_path: Path) -> str:
    """A random secret kept in the instance folder, so development sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
