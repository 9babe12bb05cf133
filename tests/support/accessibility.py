"""axe-core in the browser tests: run the vendored engine (tests/support/axe/, MPL-2.0, see
SOURCE.txt there) on the page a test has open and keep the violations that matter.

The engine is evaluated in the page through the DevTools protocol, so the application's strict
CSP (no inline script) is not loosened for the test, and the app never serves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).parent / "axe" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices (landmarks, one h1, unique ids, skip links...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SERIOUS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets[:5])}"


@cache
def _engine() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, *, impacts: frozenset[str] = SERIOUS) -> list[Violation]:
    """The axe-core violations of `impacts` on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_engine())
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help,
                                                  targets: v.nodes.map(n => n.target.join(' '))}));
        }""",
        TAGS,
    )
    return [
        Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"]))
        for v in found
        if v["impact"] in impacts
    ]
