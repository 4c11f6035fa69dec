"""Configuration from the environment, and the refusal to run with a default secret."""

from __future__ import annotations

import logging

import pytest

from lms import create_app
from lms.config import SETTINGS, load_config


@pytest.mark.parametrize("secret", [None, "", "dev", "change-me"])
def test_production_refuses_missing_or_default_secret(tmp_path, secret):
    environ = {"LMS_ENV": "production"}
    if secret is not None:
        environ["LMS_SECRET_KEY"] = secret
    with pytest.raises(RuntimeError, match="LMS_SECRET_KEY"):
        load_config(tmp_path, environ=environ)


PRODUCTION = {"LMS_ENV": "production", "LMS_SECRET_KEY": "x" * 64,
              "LMS_BASE_URL": "https://lehrgang.example.org"}


def test_production_starts_with_a_real_secret(tmp_path):
    config = load_config(tmp_path, environ=PRODUCTION)
    assert config["SECRET_KEY"] == "x" * 64
    assert config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_the_site_address(tmp_path, monkeypatch):
    environ = {key: value for key, value in PRODUCTION.items() if key != "LMS_BASE_URL"}
    with pytest.raises(RuntimeError, match="LMS_BASE_URL"):
        load_config(tmp_path, environ=environ)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LMS_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="Refusing to start: LMS_BASE_URL"):
        create_app(instance_path=str(tmp_path))


@pytest.mark.parametrize("base_url", ["lehrgang.example.org", "ftp://lehrgang.example.org",
                                      "https://", "https://lehrgang.example.org/?x=1"])
def test_a_site_address_that_cannot_make_links_is_refused(tmp_path, base_url):
    with pytest.raises(RuntimeError, match="LMS_BASE_URL"):
        load_config(tmp_path, environ={**PRODUCTION, "LMS_BASE_URL": base_url})


def test_only_the_site_s_hosts_are_trusted_in_production(tmp_path):
    config = load_config(tmp_path, environ={
        **PRODUCTION, "LMS_BASE_URL": "https://lehrgang.example.org:8443/lms/",
        "LMS_TRUSTED_HOSTS": "lms.intern, lehrgang.example.org"})
    assert config["BASE_URL"] == "https://lehrgang.example.org:8443/lms"
    assert config["TRUSTED_HOSTS"] == ["lehrgang.example.org", "lms.intern"]
    development = load_config(tmp_path, environ={"LMS_ENV": "development"})
    assert development["BASE_URL"] == "http://127.0.0.1:5000"
    assert {"127.0.0.1", "localhost"} <= set(development["TRUSTED_HOSTS"])


def test_development_keeps_a_generated_secret_in_the_instance_folder(tmp_path):
    first = load_config(tmp_path, environ={"LMS_ENV": "development"})
    second = load_config(tmp_path, environ={"LMS_ENV": "development"})
    assert len(first["SECRET_KEY"]) == 64
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    config = load_config(tmp_path, environ={"LMS_ENV": "development"})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"


def test_environment_variables_are_parsed(tmp_path):
    config = load_config(tmp_path, environ={
        "LMS_ENV": "testing", "LMS_DATABASE_URL": "postgresql+psycopg://u@h/db",
        "LMS_PLUGINS": "a, b:plugin", "LMS_MAIL_PORT": "2525", "LMS_MAIL_USE_TLS": "no",
        "LMS_MAX_UPLOAD_MB": "5", "LMS_MAX_REQUEST_MB": "50",
    })
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["PLUGINS"] == ["a", "b:plugin"]
    assert config["MAIL_PORT"] == 2525
    assert config["MAIL_USE_TLS"] is False
    assert config["MAX_UPLOAD_MB"] == 5  # one file; bigger ones are refused at their field
    assert config["MAX_CONTENT_LENGTH"] == 50 * 1024 * 1024  # the body, refused unread


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="LMS_ENV"):
        load_config(tmp_path, environ={"LMS_ENV": "staging"})


def test_readme_documents_every_setting():
    with open("README.md", encoding="utf-8") as readme:
        text = readme.read()
    missing = [s.env_name for s in SETTINGS if f"`{s.env_name}`" not in text]
    assert missing == []


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    from sqlalchemy import text

    from lms.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas only")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_create_app_refuses_to_start_in_production_without_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    monkeypatch.setenv("LMS_ENV", "production")
    with pytest.raises(RuntimeError, match="Refusing to start"):
        create_app(instance_path=str(tmp_path))


@pytest.mark.parametrize(("env", "warned"), [("production", True), ("development", False)])
def test_rate_limits_in_process_memory_are_reported_loudly_in_production(tmp_path, caplog,
                                                                         env, warned):
    with caplog.at_level(logging.WARNING):
        create_app({"ENV": env, "SECRET_KEY": "x" * 64, "BASE_URL": "https://lehrgang.example.org",
                    "RATELIMIT_STORAGE_URI": "memory://",
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite3'}"},
                   instance_path=str(tmp_path))
    loud = [record.getMessage() for record in caplog.records
            if record.levelno >= logging.ERROR and "LMS_RATELIMIT_STORAGE_URI" in
            record.getMessage()]
    assert bool(loud) is warned
    if warned:
        assert "redis://" in loud[0] and "several workers" in loud[0]
