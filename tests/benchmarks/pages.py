"""Throughput of the key pages against a bare Flask page, on SQLite and PostgreSQL:
``make bench`` prints the table.

Each database gets the demo, seeded by the CLI as ``make run`` does. The app is served
by gunicorn with two sync workers and the production config, the bare page
(``tests.benchmarks.bare``) by a second gunicorn of the same shape, and wrk loads each
page in turn, signed in as the role that reads it (a login is bound to its user agent, so
wrk sends the browser's). Three interleaved rounds: in each the bare page runs first,
then every key page; a page's figure is the median of its rounds, its ratio that median
against the bare page's. The target is 0.5 or better.

    python -m tests.benchmarks.pages [--seconds 3] [--rounds 3] [--postgres URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

from tests.servers import ROOT, gunicorn, production_environment

PYTHON_BIN = Path(sys.executable).parent
TARGET = 0.5
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) lms-bench"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

PARTICIPANT = "teilnehmer@example.org"
LECTURER = "dozent@example.org"
ORGANISER = "orga@example.org"


@dataclass(frozen=True)
class KeyPage:
    label: str
    path: str
    #: who reads it (None: a public page)
    email: str | None
    #: ask as a client that has the page: the answer is 304
    revalidate: bool = False


# --- the demo ------------------------------------------------------------------------


def seed_demo(env: dict[str, str]) -> None:
    flask = [str(PYTHON_BIN / "flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["lms", "seed-demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- the pages ---------------------------------------------------------------------------


def key_pages(env: dict[str, str]) -> list[KeyPage]:
    """The key pages of the demo on the database ``env`` names, with their ids."""
    saved = os.environ.copy()
    os.environ.update(env)
    try:
        from lms import create_app
        from lms.extensions import db

        app = create_app()
        with app.test_request_context():
            pages = demo_key_pages()
            db.session.remove()
            db.engine.dispose()
        return pages
    finally:
        os.environ.clear()
        os.environ.update(saved)


def demo_key_pages() -> list[KeyPage]:
    """The key pages of the demo seeded in the current app's database, with their ids."""
    from sqlalchemy import select

    from assignments.models import Assignment, AssignmentSchedule
    from cohorts.models import Cohort
    from courses.congress_models import Congress
    from lms.auth.models import User
    from lms.calendar.tokens import feed_token
    from lms.demo import CURRENT
    from lms.extensions import db

    cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == CURRENT))

    def schedule(title: str) -> AssignmentSchedule:
        return db.session.scalar(
            select(AssignmentSchedule).join(Assignment)
            .where(Assignment.title == title, AssignmentSchedule.cohort_id == cohort.id))

    work = schedule("Entwurf eines Konfliktmanagementsystems")
    queue = schedule("Konfliktfall aus der eigenen Praxis")
    congress = db.session.scalar(select(Congress).order_by(Congress.starts_at))
    participant = db.session.scalar(select(User).where(User.email == PARTICIPANT))
    feed = f"/calendar/feed/{feed_token(participant)}.ics"
    return [
        KeyPage("participant dashboard", "/", PARTICIPANT),
        KeyPage("module page", f"/course/modules/{work.assignment.module_id}", PARTICIPANT),
        KeyPage("work page", f"/assignments/schedules/{work.id}", PARTICIPANT),
        KeyPage("calendar month", "/calendar/?view=month", PARTICIPANT),
        KeyPage("personal feed", feed, None),
        KeyPage("personal feed, 304", feed, None, revalidate=True),
        KeyPage("lecturer dashboard", "/", LECTURER),
        KeyPage("grading queue", f"/assignments/schedules/{queue.id}/grading", LECTURER),
        KeyPage("gradebook", f"/assignments/cohorts/{cohort.id}/gradebook", LECTURER),
        KeyPage("staff assignment list", "/assignments/", LECTURER),
        KeyPage("organiser dashboard", "/", ORGANISER),
        KeyPage("progress board", f"/assignments/steps/cohorts/{cohort.id}", ORGANISER),
        KeyPage("organiser calendar month", "/calendar/?view=month", ORGANISER),
        KeyPage("congress page", f"/congresses/{congress.id}", None),
    ]


def sign_in(base_url: str, email: str) -> str:
    """The Cookie header of ``email`` signed in with the demo password."""
    from lms.demo import DEMO_PASSWORD

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT), ("Accept-Language", "de-DE,de")]
    form = opener.open(f"{base_url}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    token = token or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    fields = {"csrf_token": html.unescape(token.group(1)), "email": email,
              "password": DEMO_PASSWORD}
    landing = opener.open(f"{base_url}/login", urllib.parse.urlencode(fields).encode())
    if "/login" in landing.geturl():
        raise RuntimeError(f"{email} could not sign in for the benchmark")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def headers_for(base_url: str, page: KeyPage, cookies: dict[str, str]) -> list[str]:
    headers = [f"User-Agent: {USER_AGENT}", "Accept-Language: de-DE,de"]
    if page.email:
        headers.append(f"Cookie: {cookies[page.email]}")
    if page.revalidate:
        request = urllib.request.Request(base_url + page.path,
                                         headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request) as answer:
            headers.append(f"If-None-Match: {answer.headers['ETag']}")
    return headers


# --- measuring ---------------------------------------------------------------------------


def wrk(url: str, headers: list[str], seconds: int) -> float:
    """Requests per second wrk reaches on ``url`` (two threads, four connections); any
    answer other than 2xx or 3xx stops the benchmark."""
    command = ["wrk", "-t2", "-c4", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True,
                            check=True).stdout
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failures:
        raise RuntimeError(f"{url}: {failures.group(1)} failed answers\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


@dataclass
class Result:
    page: KeyPage
    rates: list[float]

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)


def measure(database_url: str, seconds: int, rounds: int) -> tuple[float, list[Result]]:
    """The bare page's rate and each key page's, on the demo seeded into ``database_url``."""
    from tests.benchmarks import bare

    with tempfile.TemporaryDirectory(prefix="lms-bench-") as name:
        folder = Path(name)
        bare_database = folder / "bare.sqlite3"
        bare.create_table(bare_database)
        bare_env = {**os.environ, "LMS_BENCH_BARE_DB": str(bare_database)}
        env = production_environment(
            database_url, "http://127.0.0.1", STORAGE_PATH=str(folder / "files"),
            # as in production with several workers: the rate limits counted in one Redis
            RATELIMIT_STORAGE_URI=os.environ.get("LMS_BENCH_REDIS_URL",
                                                 "redis://127.0.0.1:6379/12"))
        seed_demo(env)
        pages = key_pages(env)
        with (gunicorn("tests.benchmarks.bare:app", bare_env) as bare_url,
              gunicorn("wsgi:app", env) as base):
            cookies = {email: sign_in(base, email)
                       for email in {page.email for page in pages if page.email}}
            headers = {page.label: headers_for(base, page, cookies) for page in pages}
            bare_rates: list[float] = []
            results = [Result(page, []) for page in pages]
            for _ in range(rounds):
                bare_rates.append(wrk(bare_url + "/", [], seconds))
                for result in results:
                    result.rates.append(wrk(base + result.page.path,
                                            headers[result.page.label], seconds))
        return statistics.median(bare_rates), results


@contextmanager
def database(kind: str, postgres_url: str) -> Iterator[str]:
    if kind == "SQLite":
        with tempfile.TemporaryDirectory(prefix="lms-bench-db-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"
        return
    from tests.conftest import scratch_postgres_database

    with scratch_postgres_database(postgres_url) as url:
        yield url


def table(figures: dict[str, tuple[float, list[Result]]]) -> str:
    kinds = list(figures)
    labels = [result.page.label for result in next(iter(figures.values()))[1]]
    lines = [f"{'page':<24}" + "".join(f"{kind + ' req/s':>18}{'ratio':>8}" for kind in kinds)]
    lines.append(f"{'bare Flask (50x20 table)':<24}"
                 + "".join(f"{figures[kind][0]:>18.0f}{1:>8.2f}" for kind in kinds))
    missed = []
    for index, label in enumerate(labels):
        row = f"{label:<24}"
        for kind in kinds:
            bare_rate, results = figures[kind]
            ratio = results[index].rate / bare_rate
            mark = "" if ratio >= TARGET else " !"
            if mark:
                missed.append(f"{label} ({kind})")
            row += f"{results[index].rate:>18.0f}{ratio:>6.2f}{mark:<2}"
        lines.append(row)
    lines.append(f"target: {TARGET:.2f} of the bare page or better; "
                 + (f"missed by {len(missed)}: {', '.join(missed)}" if missed else "all met"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("LMS_TEST_DATABASE_URL",
                                                             DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    kinds = ["SQLite"] + ([] if arguments.no_postgres else ["PostgreSQL"])
    figures = {}
    for kind in kinds:
        with database(kind, arguments.postgres) as url:
            figures[kind] = measure(url, arguments.seconds, arguments.rounds)
        print(f"{kind}: measured", file=sys.stderr)
    print(table(figures))


if __name__ == "__main__":
    main()
