"""Translations and languages: a complete German catalog, the language choice, Berlin times.

The screens are German unless a person (or their browser) asks for English. The first tests
extract every marked string from the source tree, as ``make messages`` does, and fail with
the list of strings that have no German translation yet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import render_template_string
from sqlalchemy import select

from lms.auth.models import Role, User
from lms.datetext import local_date, local_datetime, local_duration
from lms.extensions import db
from lms.mail import OutboxMessage

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "lms" / "translations"
GERMAN_PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
GERMAN_MO = GERMAN_PO.with_suffix(".mo")
#: the keywords of ``pybabel extract -k _l`` (see the Makefile's ``messages`` target)
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}

GERMAN_BROWSER = {"Accept-Language": "de-DE,de;q=0.9"}
ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}

#: a %-placeholder such as %(name)s or %(count)d, or an escaped percent sign
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%")


# --- the catalog ---------------------------------------------------------------------------

def source_packages() -> list[str]:
    """The packages ``make messages`` extracts from (the Makefile's ``SOURCES``)."""
    match = re.search(r"^SOURCES\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, "the Makefile no longer names SOURCES"
    return match.group(1).split()


@cache
def extracted_catalog() -> Catalog:
    """Every marked string in the source tree, extracted with the mapping in babel.cfg."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    catalog = Catalog(locale=None)
    for package in source_packages():
        directory = ROOT / package
        for filename, lineno, message, comments, context in extract_from_dir(
            directory, method_map, options_map, keywords=KEYWORDS
        ):
            catalog.add(message, None, [(f"{package}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


@cache
def german_catalog() -> Catalog:
    with GERMAN_PO.open("rb") as po:
        return read_po(po, locale="de")


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def extracted_messages() -> Iterator:
    return (message for message in extracted_catalog() if message.id)


def where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations)


def test_the_source_tree_has_marked_strings():
    ids = {message.id if isinstance(message.id, str) else message.id[0]
           for message in extracted_messages()}
    # a guard against an extraction that silently finds nothing (wrong mapping or keywords)
    assert {"Sign in", "Please sign in to open this page.", "Overview"} <= ids


def test_the_german_catalog_defines_each_message_once():
    """Babel keeps the first of two definitions and gettext's tools refuse the file; two
    appended translations of one text once disagreed ("Was geschieht")."""
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"\n((?:".*"\n)*)msgstr',
                         GERMAN_PO.read_text(encoding="utf-8"), re.MULTILINE)
    twice = [key for key, count in Counter(entries).items() if count > 1]
    assert not twice


def test_the_german_catalog_header():
    catalog = german_catalog()
    assert str(catalog.locale) == "de"
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert not catalog.fuzzy


def test_every_marked_string_has_a_german_translation():
    catalog = german_catalog()
    missing = []
    for message in extracted_messages():
        translated = catalog.get(message.id, context=message.context)
        if translated is None:
            problem = "not in the catalog (run `make messages`)"
        elif translated.fuzzy:
            problem = "marked fuzzy"
        elif (len(forms(translated.string)) != (catalog.num_plurals if message.pluralizable else 1)
              or not all(text.strip() for text in forms(translated.string))):
            problem = "not translated"
        else:
            continue
        missing.append(f"{forms(message.id)[0]!r} ({where(message)}): {problem}")
    assert not missing, "strings without a German translation:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_of_their_source():
    catalog = german_catalog()
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        sources = forms(message.id)
        for index, text in enumerate(forms(message.string)):
            source = sources[min(index, len(sources) - 1)]
            expected = Counter(PLACEHOLDER.findall(source))
            found = Counter(PLACEHOLDER.findall(text))
            # a lone % (not %% or a placeholder) breaks Jinja's and Flask-Babel's formatting
            stray = "%" in PLACEHOLDER.sub("", text) and "%" not in PLACEHOLDER.sub("", source)
            if found != expected or stray:
                wrong.append(f"{source!r} -> {text!r}: expected {sorted(expected.elements())}, "
                             f"found {sorted(found.elements())}{' and a stray %' if stray else ''}")
    assert not wrong, "translations whose placeholders differ:\n" + "\n".join(wrong)


def test_the_catalog_holds_no_obsolete_or_unused_strings():
    """The catalog was updated from the current sources (run `make messages` otherwise)."""
    extracted = {(message.id if isinstance(message.id, str) else message.id[0], message.context)
                 for message in extracted_messages()}
    unused = [message.id for message in german_catalog()
              if message.id and (forms(message.id)[0], message.context) not in extracted]
    assert not unused, f"strings in the catalog that no source uses any more: {unused}"
    assert not german_catalog().obsolete, "obsolete (#~) entries left in the catalog"


def _text(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """Plural entries come back as tuples from a .po file and as lists from a .mo file."""
    return value if isinstance(value, str) else tuple(value)


def test_the_compiled_catalog_matches_the_po_file():
    assert GERMAN_MO.exists(), "no compiled catalog: run `make translations`"
    with GERMAN_MO.open("rb") as mo:
        compiled = read_mo(mo)
    expected = {(_text(message.id), message.context, _text(message.string))
                for message in german_catalog() if message.id and message.string
                and not message.fuzzy}
    actual = {(_text(message.id), message.context, _text(message.string))
              for message in compiled if message.id}
    assert actual == expected, "the .mo file is out of date: run `make translations`"


# --- the language of a page ---------------------------------------------------------------

def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True))
    assert match, "no <html lang> on the page"
    return match.group(1)


@pytest.mark.parametrize("headers", [GERMAN_BROWSER, {}], ids=["german-browser", "no-preference"])
def test_the_sign_in_page_is_german_by_default(client, headers):
    response = client.get("/login", headers=headers)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert page_language(response) == "de"
    assert "Anmelden" in text
    assert "Integrationsmanagement und Systemdesign" in text
    assert "Sign in" not in text


def test_the_sign_in_page_follows_an_english_browser(client):
    response = client.get("/login", headers=ENGLISH_BROWSER)
    text = response.get_data(as_text=True)
    assert page_language(response) == "en"
    assert "Sign in" in text
    assert "Integration Management and System Design" in text
    assert "Anmelden" not in text


def test_form_errors_are_german_too(client):
    response = client.post("/login", data={"email": "", "password": ""}, headers=GERMAN_BROWSER)
    text = response.get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in text
    assert "This field is required." not in text


def test_an_anonymous_visitor_switches_to_english(client):
    response = client.post("/language/en", data={"next": "/login"}, headers=GERMAN_BROWSER)
    assert response.status_code == 302
    assert response.location.endswith("/login")
    page = client.get("/login", headers=GERMAN_BROWSER)
    assert page_language(page) == "en"
    assert "Sign in" in page.get_data(as_text=True)

    client.post("/language/de", headers=ENGLISH_BROWSER)
    page = client.get("/login", headers=ENGLISH_BROWSER)
    assert page_language(page) == "de"
    assert "Anmelden" in page.get_data(as_text=True)


def test_a_signed_in_persons_choice_is_stored(app, client, create_user, login):
    user = create_user("lena@example.org", Role.PARTICIPANT, language=None)
    login(user)
    assert page_language(client.get("/", headers=GERMAN_BROWSER)) == "de"

    assert client.post("/language/en", headers=GERMAN_BROWSER).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).language == "en"
    page = client.get("/", headers=GERMAN_BROWSER)
    assert page_language(page) == "en"
    assert "Sign out" in page.get_data(as_text=True)

    # the choice follows the person, not the browser session
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": user.email, "password": "ein-sicheres-passwort"},
                       headers=GERMAN_BROWSER)
    page = other_browser.get("/", headers=GERMAN_BROWSER)
    assert page_language(page) == "en"
    assert "Overview" in page.get_data(as_text=True)


def test_a_person_who_chose_german_sees_german_in_an_english_browser(client, create_user,
                                                                       login):
    user = create_user("jan@example.org", Role.LECTURER, language="de")
    login(user)
    page = client.get("/", headers=ENGLISH_BROWSER)
    text = page.get_data(as_text=True)
    assert page_language(page) == "de"
    assert "Abmelden" in text
    assert "Übersicht" in text
    assert "Dozent/in" in text


def test_choosing_the_browser_setting_again_follows_the_browser(app, client, create_user,
                                                                login):
    user = create_user("mia@example.org", Role.PARTICIPANT)
    login(user)
    client.post("/language/en", headers=GERMAN_BROWSER)
    response = client.post("/account/profile", headers=GERMAN_BROWSER,
                           data={"profile-display_name": user.display_name,
                                 "profile-language": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).language is None
    assert page_language(client.get("/", headers=GERMAN_BROWSER)) == "de"


def test_an_unknown_language_is_not_found(client):
    response = client.post("/language/fr", headers=GERMAN_BROWSER)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    page = client.get("/login", headers=GERMAN_BROWSER)
    assert page_language(page) == "de"


def test_mail_is_written_in_the_recipients_language(app, client, create_user, login):
    organiser = create_user("olga@example.org", Role.ORGANISER, language="en")
    login(organiser)
    for email, language in (("de@example.org", ""), ("en@example.org", "en")):
        response = client.post("/admin/people/new", headers=ENGLISH_BROWSER, data={
            "email": email, "display_name": f"Person {language or 'de'}",
            "roles": "participant", "language": language, "active": "y",
            "send_invitation": "y",
        })
        assert response.status_code == 302
    with app.app_context():
        mail = {message.recipient: message
                for message in db.session.scalars(select(OutboxMessage))}
    assert mail["de@example.org"].subject == "Ihr Zugang zum Zertifikatslehrgang"
    assert mail["de@example.org"].body.startswith("Guten Tag Person de,")
    assert "„Integrationsmanagement und Systemdesign“" in mail["de@example.org"].body
    assert "(14 Tage gültig, nur einmal verwendbar)" in mail["de@example.org"].body
    assert "(valid for 14 days, usable once)" in mail["en@example.org"].body
    assert mail["en@example.org"].subject == "Your access to the certificate course"
    assert mail["en@example.org"].body.startswith("Hello Person en,")


# --- times --------------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "german", "english"), [
    (timedelta(days=14), "14 Tage", "14 days"),
    (timedelta(days=1), "1 Tag", "1 day"),
    (timedelta(hours=2), "2 Stunden", "2 hours"),
    (timedelta(hours=36), "36 Stunden", "36 hours"),
    (timedelta(minutes=1), "1 Minute", "1 minute"),
    (timedelta(seconds=90), "2 Minuten", "2 minutes"),
])
def test_durations_read_as_people_write_them(app, length, german, english):
    for language, expected in (("de", german), ("en", english)):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert local_duration(length) == expected

WINTER = datetime(2017, 12, 7, 8, 30, tzinfo=UTC)  # the first congress, Dortmund
SUMMER = datetime(2018, 7, 1, 8, 30, tzinfo=UTC)


def test_the_datetime_filter_is_local_datetime(app):
    assert app.jinja_env.filters["datetime"] is local_datetime


@pytest.mark.parametrize(("moment", "expected"), [(WINTER, "07.12.2017, 09:30 Uhr"),
                                                  (SUMMER, "01.07.2018, 10:30 Uhr")],
                         ids=["winter-CET", "summer-CEST"])
def test_times_are_shown_in_berlin_time_in_german(app, moment, expected):
    with app.test_request_context("/", headers=GERMAN_BROWSER):
        assert local_datetime(moment) == expected
        rendered = render_template_string("{{ moment|datetime }}", moment=moment)
        assert rendered == expected
        assert "08:30" not in rendered


def test_times_in_english_are_berlin_time_too(app):
    with app.test_request_context("/", headers=ENGLISH_BROWSER):
        rendered = render_template_string("{{ moment|datetime }}", moment=WINTER)
    assert rendered == "7 Dec 2017, 09:30"


def test_a_date_is_the_berlin_day_of_a_stored_time(app):
    berlin_midnight = datetime(2017, 12, 6, 23, 0, tzinfo=UTC)
    with app.test_request_context("/", headers=GERMAN_BROWSER):
        assert local_date(berlin_midnight) == "07.12.2017"
        assert local_date(date(2017, 12, 7)) == "07.12.2017"
        assert local_date(None) == ""


@pytest.mark.parametrize(("headers", "expected"), [(GERMAN_BROWSER, "1.234,5 %"),
                                                   (ENGLISH_BROWSER, "1,234.5 %")],
                         ids=["de", "en"])
def test_numbers_follow_the_readers_language(app, headers, expected):
    with app.test_request_context("/", headers=headers):
        assert render_template_string("{{ value|number }} %", value=Decimal("1234.5")) \
            == expected
        assert render_template_string("{{ none|number }}", none=None) == ""


def test_a_missing_time_is_empty(app):
    with app.test_request_context("/", headers=GERMAN_BROWSER):
        assert local_datetime(None) == ""


def test_enum_choices_built_at_import_speak_the_readers_language(app):
    from flask_babel import lazy_gettext as _l

    from lms.i18n import LabelledEnum, enum_choices

    class Kind(LabelledEnum):
        ORGANISER = "organiser", _l("Organiser")

    choices = enum_choices(Kind)  # as a form class does, outside any request
    with app.test_request_context("/", headers=GERMAN_BROWSER):
        german = str(choices[0].label)
    with app.test_request_context("/", headers=ENGLISH_BROWSER):
        english = str(choices[0].label)
    assert choices[0].value == "organiser"
    assert english == "Organiser" and german != english


def test_one_word_for_a_version_everywhere():
    """A receipt said "Fassung 1" beside a list saying "Version 1"; a saved state of any
    text (work, module, legal page, consent text) is a "Version" (a print version is a
    "Druckfassung", another thing)."""
    mixed = [text for message in german_catalog() if message.id
             for text in forms(message.string)
             if re.search(r"\bFassung", text) and "kommentierte Fassung" not in text]
    assert not mixed, mixed
