"""Hostile input on every form and address: a 404 or a message, never a 5xx.

The seeded demo is crawled as each role (anonymous, participant, lecturer, organiser);
every ``<form>`` found is filled by hypothesis with hostile values: huge, negative and
400-digit numbers, digits that are not ASCII ("²", Arabic-Indic), far dates, NUL, RTL
marks, emoji, very long and empty strings. GET pages are asked again with hostile query
parameters (``page`` and their own), and every route of the URL map with hostile path
values. A form that the crawl does not reach fails the test too (``UNREACHED``), so a
new form cannot slip past it.

Examples are bounded and derandomized, so a run costs well under a minute per database
and finds the same things on every machine.
"""

from __future__ import annotations

import io
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms import demo
from lms.extensions import limiter

HUGE = "9223372036854775807"
HOSTILE_NUMBERS = [
    HUGE, "-9223372036854775809", "9" * 400, "-" + "9" * 400, "9" * 40, "-1", "0",
    "1e309", "NaN", "inf", "-0.0000001", "1.5", "²", "0x1F", " 7 ", "+5",
    "2147483648", "-2147483649",
    "\u0661\u0662", "\u0663", "\U0001d7d9\U0001d7da",  # Arabic-Indic, mathematical digits
]
HOSTILE_DATES = [
    "9999-12-31", "0001-01-01", "31.12.9999", "2017-02-30", "99999-01-01", "1900-01-01",
    "9999-12-31T23:59", "0001-01-01T00:00", "2017-12-07T25:61",
    "\u0662\u0660\u0661\u0667-\u0661\u0662-\u0660\u0667",
]
HOSTILE_TEXT = [
    "", " ", "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u200e", "😀" * 50, "x" * 20_000,
    "<script>alert(1)</script>", "{{ 7*7 }}", "%s%n", "../../etc/passwd", "=1+1", "\r\n",
    "ı̇ß\u0301", "\ufeff", "\ud7ff",
]
HOSTILE = HOSTILE_NUMBERS + HOSTILE_DATES + HOSTILE_TEXT
#: paths the crawl does not open or post: they end the visit
SKIPPED_PATHS = ("/logout",)
#: enough for every kind of page an organiser reaches: with the erasure confirmations
#: that each person's page leads to, 300 no longer reached the consent texts' form
MAX_PAGES_PER_ROLE = 330
PAGES_PER_ENDPOINT = 6
#: hostile fillings per form, and per GET page's query
EXAMPLES_PER_FORM = 10
EXAMPLES_PER_QUERY = 3
#: POST endpoints whose form no demo page shows, and why; the address test still posts to
#: each with hostile path values
NO_INPUT = "takes no input but its CSRF token"
UNREACHED: dict[str, str] = {
    "auth.reset_password": "needs the token of a mailed link",
    "auth.accept_invitation": "needs the token of a mailed link",
    "admin.retry_outbox_message": f"{NO_INPUT}; offered only for unsent mail while a mail "
                                  "server is configured, and the test app has none",
    "assignments.release_grade": f"{NO_INPUT}; the demo has no graded, unreleased work",
    "congresses.register": f"{NO_INPUT}; the demo congresses' registration is closed",
    "congresses.unregister": f"{NO_INPUT}; the demo congresses' registration is closed",
    "courses.restore_revision": f"{NO_INPUT}; the demo modules have one version each",
    "legal.restore": "takes a version number; the demo's legal pages are unwritten, so "
                     "none has a version to restore",
    "certificates.issue_cohort": f"{NO_INPUT}; the demo has issued to all who meet the rule",
    "certificates.issue_person": f"{NO_INPUT}; the demo has issued to all who meet the rule",
    "certificates.reissue": f"{NO_INPUT}; the demo's revoked certificate is re-issued already",
    "advice.respond": "offered only to the pool member asked, and no demo login is one",
    "advice.pseudonymise": f"{NO_INPUT}; no demo case is past its retention period",
}


# --- what a page offers -----------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    #: name -> the values the page offers (options, checkbox value, default); [] for free text
    fields: dict[str, list[str]] = field(default_factory=dict)
    #: name -> the input's type, for fields that take dates or numbers
    kinds: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attr_list}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = Form(attrs.get("method", "get").upper(),
                              urljoin(self.base, attrs.get("action") or self.base),
                              "multipart" in attrs.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is None or (not attrs.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                self._form.files.append(attrs["name"])
            elif kind in ("checkbox", "radio", "submit", "hidden"):
                self._form.fields.setdefault(attrs["name"], []).append(attrs.get("value", "y"))
            else:
                self._form.fields.setdefault(attrs["name"], []).append(attrs.get("value", ""))
                if kind in ("date", "datetime-local", "time", "number"):
                    self._form.kinds[attrs["name"]] = kind
        elif tag == "button" and attrs.get("name"):
            self._form.fields.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs["name"]
            self._form.fields.setdefault(self._select, [])
        elif tag == "option" and self._select and "value" in attrs:
            self._form.fields[self._select].append(attrs["value"])
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form.fields.setdefault(self._textarea, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _local(url: str) -> str | None:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(app: Flask, client: FlaskClient) -> tuple[list[str], list[Form]]:
    """The pages a role reaches from the start page and the forms on them, one of each
    kind (the same form for another object tells nothing new).

    Breadth first, and at most ``PAGES_PER_ENDPOINT`` pages of one kind, so that the
    crawl goes wide (every kind of page) rather than deep into one long list.
    """
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    per_endpoint: Counter[str] = Counter()
    pages: list[str] = []
    forms: dict[tuple, Form] = {}
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        path = response.request.path + (f"?{response.request.query_string.decode()}"
                                        if response.request.query_string else "")
        pages.append(path)
        parser = _PageParser(f"http://localhost{path}")
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            action = _local(form.action)
            if action is None or action.startswith(SKIPPED_PATHS):
                continue
            form.action = action
            kind = (form.method, _endpoint(app, action, form.method), tuple(sorted(form.fields)))
            forms.setdefault(kind, form)
        for href in parser.links:
            link = _local(urljoin(f"http://localhost{path}", href))
            if not link or link in seen or link.startswith(SKIPPED_PATHS):
                continue
            seen.add(link)
            endpoint = _endpoint(app, link, "GET")
            if per_endpoint[endpoint] < PAGES_PER_ENDPOINT:
                per_endpoint[endpoint] += 1
                queue.append(link)
    return pages, list(forms.values())


# --- the clients ------------------------------------------------------------------------


#: who signs in: the demo logins, and a participant of 2017 whose municipality recorded
#: committee decisions and measures (the demo participant's current cohort has none yet)
VISITORS = {**{role.value: email for email, role in demo.DEMO_LOGINS},
            "participant of 2017": "hamm.1@example.org"}


def _clients(app: Flask) -> Iterator[tuple[str, FlaskClient]]:
    yield "anonymous", app.test_client()
    for role, email in VISITORS.items():
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, email
        yield role, client


def _sign_in_again(client: FlaskClient, role: str) -> None:
    """A fuzzed form may have ended the session (it should not, but it must not stop us)."""
    if role == "anonymous":
        return
    client.post("/login", data={"email": VISITORS[role], "password": demo.DEMO_PASSWORD})


def _status(client: FlaskClient, method: str, url: str, **kwargs: object) -> int:
    try:
        return client.open(url, method=method, **kwargs).status_code
    except Exception as exc:  # the test app propagates errors: they are the 500s looked for
        return 500 if not isinstance(exc, AssertionError) else 599


# --- strategies -------------------------------------------------------------------------


def _hostile(kind: str | None) -> st.SearchStrategy[str]:
    """Hostile values, mostly of the field's own kind (dates for a date input)."""
    own = {"number": HOSTILE_NUMBERS, "date": HOSTILE_DATES, "datetime-local": HOSTILE_DATES,
           "time": HOSTILE_DATES}.get(kind or "")
    return st.one_of(st.sampled_from(own), st.sampled_from(HOSTILE)) if own \
        else st.sampled_from(HOSTILE)


def _value(offered: list[str], kind: str | None) -> st.SearchStrategy[str]:
    if not offered:
        return _hostile(kind)
    return st.one_of(_hostile(kind), st.sampled_from(offered))


def _filling(form: Form) -> st.SearchStrategy[dict[str, object]]:
    """Either one field hostile and the others as the page offers them (so the value gets
    past the other fields' checks to the domain and the database), or all fields mixed."""
    files = {name: st.sampled_from(["../../passwd", "\x00.pdf", "😀.txt", "a" * 300 + ".pdf"])
             for name in form.files}
    mixed = st.fixed_dictionaries(
        {name: _value(offered, form.kinds.get(name)) for name, offered in form.fields.items()},
        optional=files)
    if not form.fields:
        return mixed
    offered = {name: values[0] if values else "" for name, values in form.fields.items()}
    one_hostile = st.sampled_from(sorted(form.fields)).flatmap(
        lambda name: _hostile(form.kinds.get(name)).map(lambda value: {**offered, name: value}))
    return st.one_of(one_hostile, mixed)


def _with_files(filling: dict[str, object], form: Form) -> dict[str, object]:
    return {name: (io.BytesIO(b"%PDF-1.4 hostile"), value) if name in form.files else value
            for name, value in filling.items()}


FUZZ = settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True,
                database=None, suppress_health_check=list(HealthCheck))


def fuzz_form(client: FlaskClient, role: str, form: Form, failures: list[str]) -> None:
    @FUZZ
    @given(filling=_filling(form))
    def submit(filling: dict[str, object]) -> None:
        if form.method == "GET":
            path = form.action.split("?")[0]
            status = _status(client, "GET", f"{path}?{urlencode(filling)}")
        else:
            status = _status(client, "POST", form.action, data=_with_files(filling, form),
                             content_type="multipart/form-data" if form.multipart else None)
        if status >= 500:
            failures.append(f"{form.method} {form.action} as {role}: {status} "
                            f"with {_short(filling)}")

    submit()
    _sign_in_again(client, role)


def fuzz_query(client: FlaskClient, role: str, page: str, failures: list[str]) -> None:
    path, _sep, query = page.partition("?")
    names = sorted({name for name, _v in parse_qsl(query)} | {"page"})

    @settings(FUZZ, max_examples=EXAMPLES_PER_QUERY)
    @given(values=st.fixed_dictionaries({name: st.sampled_from(HOSTILE) for name in names}))
    def ask(values: dict[str, str]) -> None:
        status = _status(client, "GET", f"{path}?{urlencode(values)}")
        if status >= 500:
            failures.append(f"GET {path} as {role}: {status} with {_short(values)}")

    ask()


def _short(values: dict[str, object]) -> str:
    return repr({name: (value[:30] + "…" if isinstance(value, str) and len(value) > 30
                        else value) for name, value in values.items()})


# --- the test ---------------------------------------------------------------------------


@pytest.fixture
def demo_app(app: Flask, demo_world) -> Iterator[Flask]:
    limiter.enabled = False  # a 429 would hide what the values do
    yield app
    limiter.enabled = True


def test_hostile_values_in_every_form_answer_no_5xx(demo_app):
    failures: list[str] = []
    posted: set[str] = set()
    found: dict[str, tuple[FlaskClient, list[str], list[Form]]] = {}
    for role, client in _clients(demo_app):
        pages, forms = crawl(demo_app, client)
        found[role] = (client, pages, forms)
    for role, (client, pages, _forms) in found.items():
        for page in {_endpoint(demo_app, page, "GET"): page for page in pages}.values():
            fuzz_query(client, role, page, failures)
    for role, (client, _pages, forms) in found.items():
        for form in sorted(forms, key=lambda form: form.method != "GET"):
            fuzz_form(client, role, form, failures)
            if form.method == "POST":
                posted.add(_endpoint(demo_app, form.action, "POST"))
    # what the forms stored must not break the pages that show it (a committee meeting
    # on 31.12.9999 once broke every calendar)
    for role, (client, pages, _forms) in found.items():
        _sign_in_again(client, role)
        for page in pages:
            status = _status(client, "GET", page)
            if status >= 500:
                failures.append(f"GET {page} as {role} after the fuzzing: {status}")
    missing = sorted(_post_endpoints(demo_app) - posted - set(UNREACHED))
    assert not failures, "\n".join(failures)
    assert not missing, f"POST routes no crawled form reached: {missing}"


def _endpoint(app: Flask, path: str, method: str) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(path.split("?")[0], method=method)[0]
    except Exception:
        return f"(unmatched {path})"


def _post_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or ()) and not rule.rule.startswith(SKIPPED_PATHS)}


#: path values: too long for a column, not ASCII digits, negative, NUL, very long
PATH_VALUES = ["9" * 40, "²", "\u0661", "-1", "%00", "x" * 300]


def test_hostile_values_in_every_address_answer_no_5xx(demo_app):
    """Every route's path arguments, as each role: 404 (or a redirect to sign in)."""
    failures = []
    for role, client in _clients(demo_app):
        for rule in demo_app.url_map.iter_rules():
            if not rule.arguments or rule.rule.startswith(SKIPPED_PATHS):
                continue
            method = "GET" if "GET" in (rule.methods or ()) else "POST"
            for value in PATH_VALUES:
                path = _fill(rule.rule, value)
                status = _status(client, method, path)
                if status >= 500:
                    failures.append(f"{method} {path[:80]} as {role}: {status}")
    assert not failures, "\n".join(failures)


def _fill(rule: str, value: str) -> str:
    """``rule`` with every ``<converter:name>`` replaced by ``value``."""
    out, rest = [], rule
    while "<" in rest:
        before, _sep, after = rest.partition("<")
        _inside, _sep, rest = after.partition(">")
        out.append(before + value)
    return "".join(out) + rest
