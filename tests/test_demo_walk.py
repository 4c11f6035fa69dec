"""Every link the demo shows a role leads somewhere: a crawl through the seeded demo.

Each demo login follows the links of its pages, breadth first, a few clicks deep, as a
newcomer clicking through would. A link on a page that answers 403, 404, 405 or 500 is a
broken promise of the interface, whichever plugin drew it.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask.testing import FlaskClient

from lms import demo

#: clicks from the overview; the calendar's "next month" alone would otherwise go on forever
MAX_DEPTH = 3
MAX_PAGES_PER_ROLE = 250
#: links that change state or end the visit
SKIPPED_PATHS = ("/logout",)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str, base: str) -> list[str]:
    collector = _LinkCollector()
    collector.feed(html)
    found = []
    for href in collector.links:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == "localhost" and url:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: FlaskClient) -> tuple[int, list[str]]:
    """Pages visited and the broken links found, each as "page -> link: status"."""
    queue: deque[tuple[str, str, int]] = deque([("(start)", "/", 0)])
    seen = {"/"}
    broken: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        source, path, depth = queue.popleft()
        response = client.get(path, follow_redirects=True)
        visited += 1
        if response.status_code >= 400:
            broken.append(f"{source} -> {path}: {response.status_code}")
            continue
        if depth >= MAX_DEPTH or response.mimetype != "text/html":
            continue
        for link in links_of(response.get_data(as_text=True), f"http://localhost{path}"):
            if link not in seen and not link.startswith(SKIPPED_PATHS):
                seen.add(link)
                queue.append((path, link, depth + 1))
    return visited, broken


def test_every_link_each_demo_role_sees_works(app):
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    report = []
    for email, role in demo.DEMO_LOGINS:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
        signed_in = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert signed_in.status_code == 302, email
        visited, broken = crawl(client)
        assert visited > 5, f"{email} reached only {visited} pages"
        report += [f"{role} {email}: {line}" for line in broken]
    _visited, anonymous_broken = crawl(app.test_client())
    report += [f"anonymous: {line}" for line in anonymous_broken]
    assert not report, "\n".join(report)
