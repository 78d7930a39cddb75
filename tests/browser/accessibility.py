"""Accessibility scans with axe-core, injected into the page under test.

axe-core is pinned in ``tests/browser/package.json`` (lock file beside it) and
installed by ``npm ci`` into ``tests/browser/node_modules`` (the ``axe_script``
fixture in ``conftest.py``). A scan checks WCAG 2.1 A/AA rules and axe's best
practices, then splits the violations into two groups:

- **ours**: nodes inside the content we write (cell outputs, widgets, our
  Markdown), which must have no serious or critical violation;
- **theirs**: the surrounding application (JupyterLab's or Voilà's own UI),
  printed and saved but never failed on: we cannot fix it here.

Every scan is saved as JSON under ``test-artifacts/accessibility/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import jupyterlab as lab

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = BROWSER_TESTS_DIR / "node_modules" / "axe-core" / "axe.min.js"
REPORT_DIR = lab.ARTIFACTS_DIR / "accessibility"

#: Where our own content lives in JupyterLab and Voilà: outputs, widgets, Markdown cells.
NOTEBOOK_CONTENT = ".jp-OutputArea-output, .jupyter-widgets, .jp-MarkdownOutput"
#: Impacts that fail a test when they hit our content.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
#: Rules that fail a test on our content whatever axe's impact says: a learner
#: navigating by headings needs them in order (axe rates this "moderate").
ALWAYS_BLOCKING_RULES = frozenset({"heading-order"})

_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Runs axe, then labels each failing node "ours" when it sits inside `ours`.
_RUN_AXE_JS = """async ([ours, tags, off]) => {
  const rules = {};
  off.forEach((id) => { rules[id] = {enabled: false}; });
  const results = await window.axe.run(document, {
    runOnly: {type: 'tag', values: tags}, rules,
    resultTypes: ['violations'],
  });
  const resolve = (target) => {
    // A target is a list of selectors, one per iframe/shadow root level.
    let root = document, el = null;
    for (const sel of target) {
      const one = Array.isArray(sel) ? sel[sel.length - 1] : sel;
      el = root.querySelector(one);
      if (!el) return null;
      root = el.shadowRoot || el.contentDocument || el;
    }
    return el;
  };
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => {
      const el = resolve(n.target);
      return {
        target: n.target, impact: n.impact || v.impact, html: n.html.slice(0, 300),
        summary: (n.failureSummary || '').slice(0, 400),
        ours: !!(el && el.closest(ours)),
      };
    }),
  }));
}"""


@dataclass
class Finding:
    """One rule broken on one node."""

    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def line(self) -> str:
        return f"[{self.impact}] {self.rule}: {self.help}\n      at {self.target}: {self.html[:160]}" \
               f"\n      {self.summary.replace(chr(10), ' ')[:300]}"


@dataclass
class AxeReport:
    """What one scan found, split into our content and the application around it."""

    name: str
    ours: list[Finding] = field(default_factory=list)
    theirs: list[Finding] = field(default_factory=list)
    path: Path | None = None

    def blocking(self) -> list[Finding]:
        """Our findings a participant would trip over: the ones that fail a test."""
        return [f for f in self.ours
                if f.impact in BLOCKING_IMPACTS or f.rule in ALWAYS_BLOCKING_RULES]

    def summary(self) -> str:
        """Readable text for failure messages and the live log."""
        def block(items: list[Finding]) -> str:
            return "\n".join(f"  - {f.line()}" for f in items) or "  (none)"

        return (f"axe-core on {self.name} (JSON: {self.path})\n"
                f" our content, blocking:\n{block(self.blocking())}\n"
                f" our content, minor:\n{block([f for f in self.ours if f not in self.blocking()])}"
                f"\n application around it (reported, not failed on): {len(self.theirs)} nodes\n"
                f"{block(self.theirs[:15])}")


def scan(page: Any, name: str, axe_script: Path, ours: str = NOTEBOOK_CONTENT,
         skip_rules: tuple[str, ...] = ()) -> AxeReport:
    """Inject axe-core into ``page``, scan the whole document, save and return the report.

    ``ours`` is a CSS selector list: a failing node inside one of those
    elements is our content. Pass ``"body"`` for a page that is all ours.
    ``skip_rules`` are axe rule ids that do not apply to this page (say why
    where you pass them).
    """
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(axe_script))
    violations = page.evaluate(_RUN_AXE_JS, [ours, _TAGS, list(skip_rules)])
    report = AxeReport(name)
    for violation in violations:
        for node in violation["nodes"]:
            finding = Finding(violation["id"], node["impact"] or "minor", violation["help"],
                              " >> ".join(map(str, node["target"])), node["html"], node["summary"])
            (report.ours if node["ours"] else report.theirs).append(finding)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report.path = REPORT_DIR / f"{name}.json"
    report.path.write_text(json.dumps(
        {"page": name, "ours_selector": ours, "skipped_rules": list(skip_rules),
         "violations": violations}, indent=1))
    return report
