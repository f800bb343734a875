"""axe-core, the accessibility engine browsers' own audits use, run inside the real page.

axe-core is an npm package: it is installed once into a cache folder outside the repo
(``.ci/run`` does it; so does the first test that needs it, where npm is available) and
injected into the page with Playwright, never fetched by the page itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

AXE_VERSION = "4.14"
CACHE = Path(os.environ.get("MAGISTRAL_SERVER_CACHE") or Path.home() / ".cache" / "magistral-debugger")
AXE_SCRIPT = CACHE / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# Only these fail a test; "moderate" and "minor" findings are printed with them.
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    if not AXE_SCRIPT.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(CACHE / "npm"), f"axe-core@{AXE_VERSION}"],
            check=True,
            timeout=300,
        )
    if not AXE_SCRIPT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must install axe-core {AXE_VERSION} into {AXE_SCRIPT.parent.parent} (.ci/run does)")
        pytest.skip(f"axe-core is not installed (npm install --prefix {CACHE / 'npm'} axe-core@{AXE_VERSION})")
    return AXE_SCRIPT


def axe_violations(page, state: str) -> dict[str, list[dict]]:
    """axe's violations in the page as it is now, by impact; prints the counts under ``state``."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1, 2).join('').trim())
        }))"""
    )
    by_impact: dict[str, list[dict]] = {impact: [] for impact in ("critical", "serious", "moderate", "minor")}
    for violation in found:
        by_impact.setdefault(violation["impact"] or "minor", []).append(violation)
    counts = ", ".join(f"{impact} {sum(len(v['nodes']) for v in found)}" for impact, found in by_impact.items())
    print(f"axe-core {AXE_VERSION} · {state}: {counts}")
    return by_impact


def assert_no_serious_violations(page, state: str) -> None:
    by_impact = axe_violations(page, state)
    blocking = [
        f"{v['impact']} {v['id']} ({v['help']}): {v['nodes'][:3]}" for impact in BLOCKING for v in by_impact[impact]
    ]
    assert blocking == [], f"{state}: " + "; ".join(blocking)
