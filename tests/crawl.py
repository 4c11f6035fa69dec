"""Following the links of the pages a person sees, as a newcomer clicking through would.

``crawl`` visits, breadth first, every page reachable by links from the start page,
with a bounded number of query-string variants of each path, and hands each HTML page
to a check of the caller's. The demo walk checks links, writes and formats with it; the
layout test collects one page per endpoint for the browser.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask.testing import FlaskClient

#: every page is visited, but a page's query-string variants (the calendar's "next month",
#: filters, sort orders) only this often: "next month" alone would otherwise go on forever
VARIANTS_PER_PATH = 3
#: a safety net, far above what the demo has (about 1,000 pages for an organiser)
MAX_PAGES_PER_ROLE = 5000
#: links that change state or end the visit
SKIPPED_PATHS = ("/logout",)

#: a check of one HTML page: its path and text in, problems found out
PageCheck = Callable[[str, str], list[str]]


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


def crawl(client: FlaskClient, check: PageCheck | None = None) -> tuple[int, list[str]]:
    """Pages visited and the problems found: broken links, as "page -> link: status",
    and what ``check`` finds on each HTML page."""
    queue: deque[tuple[str, str]] = deque([("(start)", "/")])
    seen = {"/"}
    variants: Counter[str] = Counter()
    problems: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        source, path = queue.popleft()
        response = client.get(path, follow_redirects=True)
        visited += 1
        if response.status_code >= 400:
            problems.append(f"{source} -> {path}: {response.status_code}")
            continue
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        if check is not None:
            problems += check(path, html)
        for link in links_of(html, f"http://localhost{path}"):
            if link in seen or link.startswith(SKIPPED_PATHS):
                continue
            seen.add(link)
            page = link.partition("?")[0]
            variants[page] += 1
            if variants[page] <= VARIANTS_PER_PATH:
                queue.append((path, link))
    assert visited < MAX_PAGES_PER_ROLE, "the crawl did not end: a link generator without end?"
    return visited, problems
