"""The host application: configuration, extensions, accounts, plugins."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from lms import cli, datetext, errors, i18n, jobs, logs, markdown, uploads, web
from lms.auth import access
from lms.auth.access import organisers_only, register_policy, user_policy
from lms.auth.logins import user_for_login_id
from lms.auth.models import User
from lms.config import load_config
from lms.extensions import csrf, db, limiter, login_manager, migrate
from lms.mail import OutboxMessage
from lms.plugins import CalendarEvent, load_plugins

MIGRATIONS_DIRECTORY = Path(__file__).resolve().parent.parent / "migrations"


def create_app(overrides: Mapping[str, Any] | None = None, *,
               instance_path: str | None = None) -> Flask:
    """Build the app: config, extensions, host blueprints, plugins, plugin blueprints."""
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(load_config(Path(app.instance_path), overrides))
    if app.config["TRUSTED_PROXIES"]:
        count = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,
                                x_prefix=count)

    db.init_app(app)
    jobs.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIRECTORY), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _check_rate_limit_store(app)
    _init_login(app)
    i18n.init_app(app)
    datetext.init_app(app)
    markdown.init_app(app)
    errors.init_app(app)
    uploads.init_app(app)
    web.init_app(app)

    from lms import admin, consent, dashboard, legal
    from lms.auth import views as auth_views
    from lms.calendar import cache as calendar_cache
    from lms.calendar import stamp as calendar_stamp
    from lms.calendar.views import bp as calendar_bp

    for blueprint in (auth_views.bp, dashboard.bp, admin.bp, calendar_bp):
        app.register_blueprint(blueprint)
    access.init_app(app)
    register_policy(app, User, user_policy)
    register_policy(app, OutboxMessage, organisers_only)
    # organisers see every cohort's dates and export them
    register_policy(app, CalendarEvent, organisers_only)
    legal.init_app(app)
    consent.init_app(app)

    registry = load_plugins(app)
    calendar_cache.init_app(app)
    calendar_stamp.init_app(app, registry)
    cli.init_app(app, registry)
    logs.init_app(app)
    app.context_processor(_navigation)
    return app


def _check_rate_limit_store(app: Flask) -> None:
    """Say loudly, at every start, when production counts rate limits in process memory.

    Each worker would then keep its own count, and N workers let N times the attempts
    through. One worker is a legitimate set-up, so this warns rather than refuses.
    """
    config = app.config
    if config["ENV"] == "production" and config["RATELIMIT_ENABLED"] \
            and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.error(
            "LMS_RATELIMIT_STORAGE_URI is %s: every worker process counts sign-in and form "
            "attempts on its own, so the rate limits do not hold with several workers. Set "
            "LMS_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a Redis all workers share).",
            config["RATELIMIT_STORAGE_URI"])


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    # The session is bound to the browser (address and user agent); a mismatch ends it.
    login_manager.session_protection = "strong"
    login_manager.id_attribute = "get_login_id"
    login_manager.user_loader(user_for_login_id)


def _navigation() -> dict[str, Any]:
    from flask_login import current_user

    from lms.navigation import LazyNavigation

    return {"navigation": LazyNavigation(current_user)}


def mount(host: Flask, prefix: str = "/lehrgang", lms_app: Flask | None = None) -> Flask:
    """Serve the LMS inside ``host`` under ``prefix``; returns the LMS app.

    The LMS keeps its own config, session cookie and database; links, static files and
    redirects carry the prefix because WSGI's SCRIPT_NAME does.
    """
    lms_app = lms_app or create_app()
    host.wsgi_app = DispatcherMiddleware(host.wsgi_app, {prefix: lms_app.wsgi_app})
    return lms_app
