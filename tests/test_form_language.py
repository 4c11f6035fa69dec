"""No English reaches a German page: every form of every role, sent empty and sent wrong.

Each demo login (and an anonymous visitor) walks the demo's pages whose routes the
route tables list (tests/route_tables.py), a page or two per route, asking in German.
Every form it finds that posts something typed is sent twice: empty, and with wrong
values (text far too long, letters in numbers, dates out of order or out of range, an
email address without @, choices that are not offered). The answer, and the page a
redirect leads to, must not contain words that never occur in German text: WTForms'
built-in messages ("This field is required.", "Not a valid choice.") and any message of
ours that lacks its translation.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import wtforms
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms.validators import InputRequired, Length

from lms import demo, forms
from tests.crawl import links_of
from tests.route_tables import classified

#: English words and phrases that German text never contains
ENGLISH = re.compile(r"\b(This field|[Rr]equired|Invalid|Not a valid|must be|between|"
                     r"characters?|Field|Please|cannot|choose|enter|should|value)\b")
#: pages visited per route: enough to meet each form, few enough to stay quick
PAGES_PER_ENDPOINT = 2
#: where a date field is read as the end of a span (it gets the earlier date)
END_NAMES = ("end", "closes", "until", "due", "cutoff")
#: forms that end the visit
SKIPPED_ACTIONS = ("/logout",)


@dataclass
class FoundForm:
    action: str
    #: (name, type, value) of each input, textarea and select; type "select" or
    #: "select-multiple" for selects
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def typed(self) -> list[tuple[str, str, str]]:
        """The fields a person fills in (not hidden ones, buttons or file choosers)."""
        return [f for f in self.fields
                if f[1] not in {"hidden", "submit", "button", "file", "reset", "image"}]


class _FormCollector(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[FoundForm] = []
        self.current: FoundForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            post = values.get("method", "get").lower() == "post"
            self.current = FoundForm(urljoin(self.base, values.get("action") or self.base)) \
                if post else None
            return
        if self.current is None or not values.get("name"):
            return
        if tag == "input":
            kind = values.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in values:
                kind = f"{kind}-unchecked"
            self.current.fields.append((values["name"], kind, values.get("value", "")))
        elif tag == "textarea":
            self.current.fields.append((values["name"], "textarea", ""))
        elif tag == "select":
            kind = "select-multiple" if "multiple" in values else "select"
            self.current.fields.append((values["name"], kind, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def forms_of(html: str, base: str) -> list[FoundForm]:
    collector = _FormCollector(base)
    collector.feed(html)
    return collector.forms


class _TextCollector(HTMLParser):
    """The text a reader sees, without scripts and without parts marked as English."""

    HIDDEN = {"script", "style", "textarea", "option"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"input", "br", "img", "meta", "link", "hr"}:
            return
        english = dict(attrs).get("lang", "de") not in {"de", ""}
        if self.skipping or tag in self.HIDDEN or english:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    collector = _TextCollector()
    collector.feed(html)
    text = " ".join(" ".join(collector.parts).split())
    return [text[max(0, m.start() - 60):m.end() + 60] for m in ENGLISH.finditer(text)]


def _date(kind: str, *, early: bool) -> str:
    day = "2001-01-02" if early else "2099-12-30"
    return f"{day}T10:00" if kind == "datetime-local" else day


def filled(form: FoundForm, variant: str) -> dict[str, list[str]]:
    """The form's data for ``variant`` "empty" or "wrong"; hidden fields as the page set them."""
    data: dict[str, list[str]] = {}
    for name, kind, value in form.fields:
        if kind == "hidden":
            data.setdefault(name, []).append(value)
        elif kind in {"submit", "button", "file", "reset", "image"}:
            continue
        elif variant == "empty":
            if not kind.startswith(("checkbox", "radio")):
                data[name] = [""]
        elif kind == "number":
            data[name] = ["zwölf"]
        elif kind in {"date", "datetime-local"}:
            data[name] = [_date(kind, early=any(part in name for part in END_NAMES))]
        elif kind == "email":
            data[name] = ["keine-adresse"]
        elif kind.startswith(("select", "checkbox", "radio")):
            data[name] = ["999999"]
        else:
            data[name] = ["x" * 5001]
    return data


def endpoint_of(app: Flask, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(path).path, method=method)
    except HTTPException:
        return None
    return endpoint


def walk(app: Flask, client: FlaskClient, listed: set[str]) -> list[FoundForm]:
    """The post forms on the listed routes' pages that a visitor reaches from the start."""
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    per_endpoint: Counter[str] = Counter()
    found: dict[tuple[str | None, tuple[str, ...]], FoundForm] = {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        base = f"http://localhost{path}"
        for form in forms_of(html, base):
            if form.typed and not urlsplit(form.action).path.startswith(SKIPPED_ACTIONS):
                key = (endpoint_of(app, form.action, "POST"),
                       tuple(sorted(name for name, _kind, _value in form.typed)))
                found.setdefault(key, form)
        for link in links_of(html, base):
            endpoint = endpoint_of(app, link)
            if link in seen or endpoint not in listed \
                    or per_endpoint[endpoint] >= PAGES_PER_ENDPOINT:
                continue
            seen.add(link)
            per_endpoint[endpoint] += 1
            queue.append(link)
    return list(found.values())


def german_visitors(app: Flask) -> list[tuple[str, FlaskClient]]:
    visitors = []
    for email, role in demo.DEMO_LOGINS:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
        signed_in = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert signed_in.status_code == 302, email
        visitors.append((str(role), client))
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    visitors.append(("anonymous", anonymous))
    return visitors


def test_every_form_answers_empty_and_wrong_input_in_german(app, demo_world):
    listed = {endpoint for endpoint, method in classified(app) if method == "GET"}
    report: list[str] = []
    exercised: set[str | None] = set()
    for who, client in german_visitors(app):
        for form in walk(app, client, listed):
            exercised.add(endpoint_of(app, form.action, "POST"))
            for variant in ("empty", "wrong"):
                response = client.post(form.action, data=filled(form, variant),
                                       follow_redirects=True)
                if response.mimetype != "text/html":
                    continue
                report += [f"{who} {variant} {urlsplit(form.action).path}: …{snippet}…"
                           for snippet in english_in(response.get_data(as_text=True))]
    # the walk met the forms this test is about, so it cannot pass by finding none
    assert {"cohorts.apply", "courses.new_session", "courses.edit_session",
            "congresses.new_item", "cohorts.new_cohort", "cohorts.edit_cohort",
            "courses.new_module"} <= exercised, sorted(map(str, exercised))
    assert not report, "\n".join(sorted(set(report)))


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def test_every_form_of_the_app_speaks_through_the_host_s_messages(app):
    """A form on Flask-WTF's or WTForms' own base would answer in their words, or English."""
    ours = [form for form in _subclasses(wtforms.Form)
            if form.__module__.split(".")[0] in {"lms", "courses", "cohorts", "assignments"}
            and form.__module__ != "lms.forms"]
    assert len(ours) > 30
    assert [f"{form.__module__}.{form.__qualname__}" for form in ours
            if not issubclass(form, (forms.FlaskForm, forms.Form))] == []


def test_wtforms_messages_come_in_natural_german(app):
    with app.test_request_context(headers={"Accept-Language": "de"}):
        form = LengthForm(MultiDict({"text": "kurz"}))
        assert not form.validate()
        assert form.text.errors == ["Bitte geben Sie 12 bis 200 Zeichen ein."]
        form = LengthForm(MultiDict({"text": "", "short": "zu lang"}))
        assert not form.validate()
        assert form.text.errors == ["Bitte füllen Sie dieses Feld aus."]
        assert form.short.errors == ["Bitte geben Sie höchstens 1 Zeichen ein."]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        form = LengthForm(MultiDict({"text": "kurz", "short": "zu"}))
        assert not form.validate()
        assert form.text.errors == ["Please enter from 12 to 200 characters."]
        assert form.short.errors == ["Please enter at most 1 character."]


class LengthForm(forms.Form):
    text = wtforms.StringField(validators=[InputRequired(), Length(min=12, max=200)])
    short = wtforms.StringField(validators=[Length(max=1)])
