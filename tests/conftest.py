"""Test fixtures: an app per database, clean tables per test, factories for people.

Every test that uses ``app`` (directly or through ``client`` or a factory) runs on
SQLite, and again on PostgreSQL when ``LMS_TEST_DATABASE_URL`` names one. The schema is
built once per database by the Alembic migrations, exactly as in production; after each
test the tables are emptied. (A rolled-back outer transaction would be faster, but the
views commit for real, and the concurrency tests need real commits from other threads.)
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, create_engine, make_url, select, text

from lms import create_app
from lms.auth.models import Role, User
from lms.extensions import db, limiter

TEST_PASSWORD = "ein-sicheres-passwort"
POSTGRES_URL = os.environ.get("LMS_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

TEST_CONFIG = {
    "ENV": "testing",
    "BASE_URL": "http://localhost",  # the test client's host, so mailed links can be followed
    "SECRET_KEY": "tests-only-secret-key-0123456789",
    "WTF_CSRF_ENABLED": False,  # one test module checks CSRF on every form
    "RATELIMIT_STORAGE_URI": "memory://",
    "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # fast; production keeps the strong default
    # the tests' dates lie in 2017 and 2018; tests/calendar/test_feed_cache.py sets a year
    "CALENDAR_FEED_PAST_DAYS": 40_000,
}


def make_app(database_url: str, instance_path: str, **overrides: object) -> Flask:
    """A test app on ``database_url`` with its schema migrated to the newest revision."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, **overrides},
                     instance_path=instance_path)
    with app.app_context():
        flask_migrate.upgrade()
    return app


@contextmanager
def scratch_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``, dropped afterwards.

    Each test run gets its own, so runs in parallel (or a crashed run) never collide.
    """
    name = f"lms_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class DemoSnapshot:
    """The demo's rows and stored files, seeded once per database and run, put back for
    each test that asks for the demo.

    ``lms seed-demo`` hands in, grades and releases some 240 pieces of work through the
    services and takes 10-15 s; putting its rows back takes a fraction of a second. The
    tests of the seeding itself (tests/test_cli.py and the plugins' demo tests that check
    idempotence) still run the command.
    """

    def __init__(self, files: Path) -> None:
        self.rows: dict[str, list[dict]] | None = None
        #: a copy of the stored files the demo wrote (tests of erasure delete some)
        self.files = files

    def put_back(self, app: Flask) -> None:
        """Seed the demo into the (empty) database of ``app``: by the command the first
        time, keeping a copy of what it wrote, by that copy afterwards."""
        storage_root = _storage_root(app)
        if self.rows is None:
            result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
            assert result.exit_code == 0, result.output
            self.rows = _all_rows(app)
            if storage_root.exists():
                shutil.copytree(storage_root, self.files)
            return
        _insert_rows(app, self.rows)
        if self.files.exists():
            shutil.copytree(self.files, storage_root, dirs_exist_ok=True)


def _storage_root(app: Flask) -> Path:
    return Path(app.config.get("STORAGE_PATH") or Path(app.instance_path) / "files")


def _all_rows(app: Flask) -> dict[str, list[dict]]:
    with app.app_context():
        db.session.remove()
        with db.engine.connect() as connection:
            return {table.name: [dict(row) for row in
                                 connection.execute(table.select()).mappings()]
                    for table in db.metadata.sorted_tables}


def _insert_rows(app: Flask, rows: dict[str, list[dict]]) -> None:
    """Insert ``rows`` as they were read, ids included, with foreign keys checked only at
    the end (rows referring to each other, as a submission and its newest version, go in
    one after the other), then move each id sequence past the ids inserted and renew the
    calendar's change stamp, as a write by the app would."""
    from lms.calendar.stamp import renew_stamp

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                connection.execute(text("PRAGMA defer_foreign_keys = ON"))
            for table in db.metadata.sorted_tables:
                if rows[table.name]:
                    connection.execute(table.insert(), rows[table.name])
            if postgres:
                _advance_sequences(connection)
            renew_stamp(connection)


def _advance_sequences(connection: Connection) -> None:
    """Set each id sequence to the highest id inserted, so the next insert takes the next,
    in one statement (``setval`` of NULL, an empty table's, changes nothing)."""
    columns = connection.execute(text(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
        " AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')")).all()
    if columns:
        connection.execute(text("SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('\"{table}\"', '{column}'),"
            f' (SELECT max("{column}") FROM "{table}"))' for table, column in columns)))


class Backend:
    """One database of the run, with the app on it and the demo's copy once seeded."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.app = make_app(url, str(folder / "instance"))
        self.demo = DemoSnapshot(folder / "demo-files")

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


class Backends:
    """Each database's app, made when a test first asks for it and kept to the run's end.

    Pytest finalises a parametrized session fixture whenever the next test asks for the
    other parameter, and xdist's ``--dist loadfile`` runs each file's SQLite tests, then its
    PostgreSQL tests: the databases were created and migrated afresh twice per file (about
    a second each) and the demo seeded again. The parametrized fixtures look them up here.
    """

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, stack: ExitStack) -> None:
        self._tmp = tmp_path_factory
        self._stack = stack
        self._made: dict[str, Backend] = {}

    def get(self, name: str) -> Backend:
        if name not in self._made:
            if name == "sqlite":
                url = f"sqlite:///{self._tmp.mktemp('sqlite') / 'test.sqlite3'}"
            else:
                url = self._stack.enter_context(scratch_postgres_database(POSTGRES_URL))
            backend = Backend(url, self._tmp.mktemp(name))
            self._stack.callback(backend.close)
            self._made[name] = backend
        return self._made[name]


@pytest.fixture(scope="session")
def _backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    with ExitStack() as stack:
        yield Backends(tmp_path_factory, stack)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, _backends: Backends) -> Backend:
    return _backends.get(request.param)


@pytest.fixture(scope="session")
def database_url(backend: Backend) -> str:
    return backend.url


@pytest.fixture(scope="session")
def _session_app(backend: Backend) -> Flask:
    return backend.app


def empty_all_tables(app: Flask) -> None:
    """Delete every row, children first so that foreign keys stay on and checked, and
    start the ids at 1 again.

    On PostgreSQL one query first finds the tables that hold rows: a test writes to a
    handful, and a TRUNCATE of every table costs about 140 ms however empty they are (it
    gives each table new files). Sequences restart through ``setval``, which also covers
    inserts that were rolled back and left their table empty.
    """
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in db.metadata.sorted_tables]
        with db.engine.begin() as connection:
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                tables = _tables_with_rows(connection, tables)
            for name in reversed(tables):
                connection.execute(text(f'DELETE FROM "{name}"'))
            if postgres:
                connection.execute(text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                    " FROM pg_sequences"
                    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"))


def _tables_with_rows(connection: Connection, tables: list[str]) -> list[str]:
    """Those of ``tables`` that hold a row, in the order given."""
    probes = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in tables)
    used = set(connection.execute(text(probes)).scalars())
    return [name for name in tables if name in used]


@pytest.fixture
def app(_session_app: Flask) -> Iterator[Flask]:
    yield _session_app
    empty_all_tables(_session_app)
    limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def create_user(app: Flask) -> Callable[..., User]:
    """Create a person with a password; returns the (detached) user."""
    counter = iter(range(1, 10_000))

    def create(email: str | None = None, *roles: Role, name: str | None = None,
               password: str | None = TEST_PASSWORD, active: bool = True,
               language: str | None = None) -> User:
        from werkzeug.security import generate_password_hash

        number = next(counter)
        with app.app_context():
            user = User(email=email or f"person{number}@example.org",
                        display_name=name or f"Person {number}", active=active,
                        language=language)
            user.roles = set(roles or (Role.PARTICIPANT,))
            if password is not None:
                user.password_hash = generate_password_hash(
                    password, method=app.config["PASSWORD_HASH_METHOD"]
                )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            _ = user.role_links
            db.session.expunge(user)
        return user

    return create


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign ``user`` in on the shared test client."""

    def sign_in(user: User, password: str = TEST_PASSWORD) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in


@pytest.fixture
def organiser(create_user: Callable[..., User]) -> User:
    return create_user("orga@example.org", Role.ORGANISER, name="Olga Organisatorin")


@pytest.fixture
def lecturer(create_user: Callable[..., User]) -> User:
    return create_user("dozent@example.org", Role.LECTURER, name="Doris Dozentin")


@pytest.fixture
def participant(create_user: Callable[..., User]) -> User:
    return create_user("teilnehmer@example.org", Role.PARTICIPANT, name="Paul Teilnehmer")


@pytest.fixture
def demo_world(app: Flask, backend: Backend) -> dict[str, tuple[int, str]]:
    """The demo, seeded; returns each person's (id, name) by email."""
    backend.demo.put_back(app)
    with app.app_context():
        return {user.email: (user.id, user.display_name)
                for user in db.session.scalars(select(User))}


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


#: the configured site address in ``other_host`` tests, with a mount prefix in its path
SITE = "https://lehrgang.example.org/lms"
#: a host name the site also answers to (say, an old domain): trusted, yet never in a link
ALIAS = "alias.example"


@pytest.fixture
def other_host(app: Flask) -> Iterator[None]:
    """Requests arrive for ``ALIAS`` while the site is configured as ``SITE``.

    Every test client then talks to ``ALIAS`` (Flask's test client takes SERVER_NAME as
    its host), which is what a forged ``Host`` looks like to link building.
    """
    keys = ("BASE_URL", "SERVER_NAME", "TRUSTED_HOSTS")
    saved = {key: app.config.get(key) for key in keys}
    hosts = [*(saved["TRUSTED_HOSTS"] or ()), urlsplit(SITE).hostname, ALIAS]
    app.config.update(BASE_URL=SITE, SERVER_NAME=ALIAS, TRUSTED_HOSTS=hosts)
    yield
    app.config.update(saved)
