"""Browser journeys: the demo programme served for real, driven by Debian's Chromium.

The live server is its own app on its own SQLite file (the ``app`` fixture of
``tests/conftest.py`` is parametrised over databases and empties the tables after each
test, which a server thread must not see). CSRF is on, as in production, and the demo is
seeded through the CLI exactly as ``make run`` does.

German wording is read from the catalog at test time (``de``), never typed into a test,
so the journeys stay right when a translator changes a phrase.

Without ``/usr/bin/chromium`` the journeys are skipped; with ``LMS_E2E=1`` (CI) they fail.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask
from werkzeug.serving import make_server

from lms.demo import DEMO_PASSWORD
from lms.extensions import db, limiter
from tests.conftest import make_app
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


@pytest.fixture(scope="session")
def live_app(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on a fresh SQLite file with real CSRF, the demo seeded by the CLI."""
    folder = tmp_path_factory.mktemp("e2e")
    instance = folder / "instance"
    instance.mkdir()
    app = make_app(f"sqlite:///{folder / 'e2e.sqlite3'}", str(instance),
                   ENV="testing", WTF_CSRF_ENABLED=True)
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, f"lms seed-demo failed:\n{result.output}\n{result.exception!r}"
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL (no trailing slash) of the app, served by threads on a free port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url  # the site address links in mail and feeds use
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


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


def sign_in(page: Page, live_server: str, email: str) -> None:
    """Sign ``email`` in with the demo password, in the browser under test."""
    from playwright.sync_api import expect

    page.goto(live_server + "/login")
    page.get_by_label(de("Email address"), exact=True).fill(email)
    page.get_by_label(de("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=de("Sign in"), exact=True).click()
    expect(page).to_have_url(live_server + "/")
