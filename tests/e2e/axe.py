"""axe-core, Deque's accessibility engine (from npm, ``package-lock.json``), run in the
browser under test on the page as it is shown.

``with_axe`` adds the script to a browser context, so that every page opened in it
(followed links and form results alike) carries it; ``audit`` runs it on the page
and sorts what it finds: serious and critical violations fail a test, moderate ones are
printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.required import require

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: the impacts that fail a test; "moderate" and "minor" are only reported
FAILING = ("serious", "critical")
_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    @property
    def failing(self) -> bool:
        return self.impact in FAILING

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}, {self.help}) at {', '.join(self.targets)}"


def require_axe() -> Path:
    """The path of ``axe.min.js``; skip without it, or fail when ``LMS_E2E=1`` says so."""
    require(AXE_SCRIPT.exists(), skip_reason="axe-core not installed (make icaljs)",
            missing=f"axe-core is missing at {AXE_SCRIPT}: run `make icaljs` (npm ci).")
    return AXE_SCRIPT


def with_axe(page: Page) -> Page:
    """``page``, its context now adding axe-core to every document it loads from here on."""
    page.context.add_init_script(path=require_axe())
    return page


def audit(page: Page, name: str) -> list[Violation]:
    """What axe finds on the page shown now, each violation named by ``name``."""
    return [Violation(name, found["rule"], found["impact"], found["help"],
                      tuple(found["targets"]))
            for found in page.evaluate(_RUN)]


def report(violations: list[Violation]) -> str:
    """The failing violations, one a line, after printing the rest (moderate, minor)."""
    for violation in violations:
        if not violation.failing:
            print(violation)
    return "\n".join(str(violation) for violation in violations if violation.failing)
