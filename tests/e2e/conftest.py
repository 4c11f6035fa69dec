"""Browser journeys: the demo programme served for real, driven by Debian's Chromium.

The live server is its own app on its own SQLite file (the ``app`` fixture of
``tests/conftest.py`` is parametrised over databases and empties the tables after each
test, which a server thread must not see). CSRF is on, as in production, and the demo is
seeded through the CLI exactly as ``make run`` does, once a session; each server gets a
copy of it: the one the journeys share (``live_server``), and a module's own
(``own_server``) where tests change what the journeys rely on.

German wording is read from the catalog at test time (``de``), never typed into a test,
so the journeys stay right when a translator changes a phrase.

Without ``/usr/bin/chromium`` the journeys are skipped; with ``LMS_E2E=1`` (CI) they fail.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from filelock import FileLock
from flask import Flask
from werkzeug.serving import make_server

from lms.demo import DEMO_PASSWORD
from lms.extensions import db, limiter
from tests.conftest import make_app
from tests.e2e.pages import ROLES, one_page_per_endpoint
from tests.required import require

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

CATALOG_DIR = Path(__file__).resolve().parents[2] / "lms" / "translations" / "de" / "LC_MESSAGES"
PO_FILE = CATALOG_DIR / "messages.po"
MO_FILE = CATALOG_DIR / "messages.mo"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder drives a browser: mark it ``e2e``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def require_chromium(path: Path | None = None) -> Path:
    """Chromium's path if it is there; otherwise skip, or fail when ``LMS_E2E=1`` says so."""
    path = CHROMIUM_PATH if path is None else path
    require(path.exists(), skip_reason="Chromium not installed (apt-get install chromium)",
            missing=f"Chromium is missing at {path}: install it with `apt-get install chromium`.")
    return path


# --- German wording from the catalog ---------------------------------------------------


@cache
def _po_catalog() -> Catalog:
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="de")


@cache
def _mo_translations() -> Translations | None:
    if not MO_FILE.exists():
        return None
    with MO_FILE.open("rb") as handle:
        return Translations(handle)


def de(msgid: str) -> str:
    """The German translation of ``msgid``, exactly as the app will show it.

    Fails loudly when the catalog has no (or only a fuzzy) translation, and when the
    compiled ``messages.mo`` the app serves does not match the ``.po`` (run
    ``pybabel compile -d lms/translations``).
    """
    message = _po_catalog().get(msgid)
    if message is None:
        pytest.fail(f"msgid {msgid!r} is not in {PO_FILE}; run `make messages`.", pytrace=False)
    msgstr = message.string
    if isinstance(msgstr, tuple | list):  # plural entry: the singular form
        msgstr = msgstr[0]
    if not msgstr:
        pytest.fail(f"No German translation for {msgid!r} in {PO_FILE}.", pytrace=False)
    if message.fuzzy:
        pytest.fail(f"The German translation of {msgid!r} is marked fuzzy in {PO_FILE}; "
                    "the compiled catalog leaves it out.", pytrace=False)
    compiled = _mo_translations()
    if compiled is None or compiled.gettext(msgid) != msgstr:
        pytest.fail(f"{MO_FILE} is missing or older than {PO_FILE.name} for {msgid!r}; "
                    "run `.venv/bin/pybabel compile -d lms/translations`.", pytrace=False)
    return msgstr


# --- The live server ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Path:
    return require_chromium()


def made_once(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
              make: Callable[[Path], None]) -> Path:
    """The folder ``name`` that ``make`` fills once per test run, shared by every xdist
    worker: the first to come makes it, the others wait for it instead of doing the
    same work on the same cores."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with FileLock(f"{folder}.lock"):
        done = folder / ".done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def demo_folder(chromium: Path, tmp_path_factory: pytest.TempPathFactory,
                worker_id: str) -> Path:
    """The demo, seeded once by the CLI exactly as ``make run`` does: a folder holding the
    SQLite file and the instance folder (uploaded files), copied by every app below."""
    return made_once(tmp_path_factory, worker_id, "demo", _seed_demo)


def _seed_demo(folder: Path) -> None:
    app = _app_in(folder)
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, f"lms seed-demo failed:\n{result.output}\n{result.exception!r}"
    with app.app_context():
        db.engine.dispose()  # the file complete, no write-ahead log left to copy


def _app_in(folder: Path) -> Flask:
    instance = folder / "instance"
    instance.mkdir(exist_ok=True)
    return make_app(f"sqlite:///{folder / 'e2e.sqlite3'}", str(instance),
                    ENV="testing", WTF_CSRF_ENABLED=True)


@contextmanager
def demo_app(demo_folder: Path, folder: Path) -> Iterator[Flask]:
    """An app with real CSRF on its own copy of the seeded demo in ``folder``."""
    shutil.copytree(demo_folder, folder, dirs_exist_ok=True)
    app = _app_in(folder)
    try:
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The base URL (no trailing slash) of ``app``, served by threads on a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url  # the site address links in mail and feeds use
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def live_app(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app the journeys share, on its own copy of the demo.

    Each journey changes only demo objects that no other test touches.
    """
    with demo_app(demo_folder, tmp_path_factory.mktemp("e2e")) as app:
        yield app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL (no trailing slash) of ``live_app``, served by threads on a free port."""
    with serving(live_app) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def own_server(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server of the module's own, on its own copy of the demo, for
    tests that change what the journeys on ``live_server`` rely on."""
    with (demo_app(demo_folder, tmp_path_factory.mktemp("own")) as app,
          serving(app) as base_url):
        yield base_url


@pytest.fixture(scope="session")
def pages_by_role(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory,
                  worker_id: str) -> dict[str | None, list[str]]:
    """One page per endpoint for each role (``pages.ROLES``), crawled once per run on an
    untouched copy of the demo, so that journeys run before do not change it."""

    def crawl(folder: Path) -> None:
        with demo_app(demo_folder, folder / "demo") as app:
            pages = []
            for email in ROLES:
                limiter.reset()
                pages.append([email, one_page_per_endpoint(app, email)])
        (folder / "pages.json").write_text(json.dumps(pages))

    folder = made_once(tmp_path_factory, worker_id, "crawl", crawl)
    return dict(json.loads((folder / "pages.json").read_text()))


# --- The browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh German-speaking visitor in Berlin: own cookies, own session."""
    # Every journey signs in; start each with a clean sign-in rate limit.
    limiter.reset()
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def axe_pages(browser: Browser, own_server: str) -> Iterator[tuple[str, dict[str | None, Page]]]:
    """A signed-in page per role on the module's own server, carrying axe-core."""
    from tests.e2e.axe import with_axe

    with signed_in_pages(browser, own_server) as pages:
        for page in pages.values():
            with_axe(page)
        yield own_server, pages


@contextmanager
def signed_in_pages(browser: Browser, base_url: str) -> Iterator[dict[str | None, Page]]:
    """A browser page for each role (``pages.ROLES``) on the server at ``base_url``,
    signed in: one context per role, whatever the number of pages opened in it."""
    limiter.reset()
    contexts = []
    pages: dict[str | None, Page] = {}
    try:
        for email in ROLES:
            context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                          base_url=base_url)
            context.set_default_timeout(10_000)
            contexts.append(context)
            pages[email] = context.new_page()
            if email is not None:
                sign_in(pages[email], base_url, email)
        yield pages
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="module")
def role_pages(browser: Browser, live_server: str) -> Iterator[dict[str | None, Page]]:
    """``signed_in_pages`` on the live server, kept for the module's tests."""
    with signed_in_pages(browser, live_server) as pages:
        yield pages


def sign_in(page: Page, live_server: str, email: str) -> None:
    """Sign ``email`` in with the demo password, in the browser under test."""
    from playwright.sync_api import expect

    page.goto(live_server + "/login")
    page.get_by_label(de("Email address"), exact=True).fill(email)
    page.get_by_label(de("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=de("Sign in"), exact=True).click()
    expect(page).to_have_url(live_server + "/")
