"""axe-core in the browser tests: the pinned copy (fetched once from the npm registry with
`npm pack`, integrity checked, into `_build/cache/npm/`), and a run on a page that sorts the
violations into the course's own (cell outputs, rendered Markdown; a whole static page) and
JupyterLab's.

    python tests/browser/axe.py --fetch      # what `make test` runs first
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run as a script by `make test`, before pytest
from helpers.core.npm import fetch_package  # noqa: E402
AXE_VERSION = "4.14.1"  # keep in step with AXE_VERSION in the Makefile
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
CACHE = REPO / "_build" / "cache" / "npm"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
FAILING = ("critical", "serious")
# In JupyterLab, what the course puts on the page: cell outputs and rendered Markdown cells.
COURSE_IN_LAB = ".jp-OutputArea-output, .jp-MarkdownOutput"


def axe_script(cache: Path = CACHE) -> Path:
    """The pinned axe.min.js, fetched with npm the first time."""
    return fetch_package("axe-core", AXE_VERSION, AXE_INTEGRITY, cache, why="the accessibility tests") / "axe.min.js"


_RUN_JS = """async ([tags, courseSelector]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const nodes = [];
  for (const v of result.violations) {
    for (const n of v.nodes) {
      const last = n.target[n.target.length - 1];
      let el = null;
      try { el = typeof last === 'string' ? document.querySelector(last) : null; } catch (e) { el = null; }
      const course = courseSelector ? !!(el && el.closest(courseSelector)) : true;
      nodes.push({rule: v.id, impact: n.impact || v.impact || 'minor', help: v.help, course,
                  target: JSON.stringify(n.target).slice(0, 200), html: (n.html || '').slice(0, 200),
                  why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)});
    }
  }
  return {nodes, version: axe.version};
}"""


class AxeReport:
    """axe's violations on one page, split into the course's and the host's (JupyterLab's)."""

    def __init__(self, where: str, nodes: list[dict], version: str):
        self.where, self.nodes, self.version = where, nodes, version

    @property
    def course(self) -> list[dict]:
        return [n for n in self.nodes if n["course"]]

    @property
    def host(self) -> list[dict]:
        return [n for n in self.nodes if not n["course"]]

    def failing(self) -> list[dict]:
        return [n for n in self.course if n["impact"] in FAILING]

    @staticmethod
    def by_rule(nodes: list[dict]) -> dict[str, dict]:
        out: dict[str, dict] = defaultdict(lambda: {"impact": "", "nodes": 0})
        for n in nodes:
            out[n["rule"]]["impact"] = n["impact"] if out[n["rule"]]["nodes"] == 0 else out[n["rule"]]["impact"]
            out[n["rule"]]["nodes"] += 1
        return dict(sorted(out.items()))

    def counts(self) -> dict:
        c = Counter(n["impact"] for n in self.course)
        h = Counter(n["impact"] for n in self.host)
        return {"course": dict(c), "host": dict(h)}

    def summary(self) -> str:
        lines = [f"{self.where} (axe-core {self.version}, tags {', '.join(TAGS)}):"]
        fail = self.failing()
        lines.append(f"  the course's outputs: {len(fail)} critical or serious, "
                     f"{len(self.course) - len(fail)} moderate or minor")
        for n in fail:
            lines.append(f"    {n['impact']} {n['rule']}: {n['help']} at {n['target']}: {n['html']} ({n['why']})")
        for rule, info in self.by_rule([n for n in self.course if n["impact"] not in FAILING]).items():
            lines.append(f"    {info['impact']} {rule}: {info['nodes']} nodes")
        if self.host:
            lines.append("  JupyterLab's own (not the course's; see README, Accessibility), by rule:")
            for rule, info in self.by_rule(self.host).items():
                lines.append(f"    {info['impact']} {rule}: {info['nodes']} nodes")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"where": self.where, "axe": self.version, "tags": list(TAGS), "counts": self.counts(),
                "course_by_rule": self.by_rule(self.course), "host_by_rule": self.by_rule(self.host),
                "course_failing": self.failing()}


def run(page, where: str, course_selector: str | None = COURSE_IN_LAB) -> AxeReport:
    """Inject the pinned axe-core into `page` and run it (WCAG 2.1 A and AA rules). With
    `course_selector` None the whole page is the course's (a static page the course built)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_script().read_text(encoding="utf-8"))
    result = page.evaluate(_RUN_JS, [list(TAGS), course_selector])
    return AxeReport(where, result["nodes"], result["version"])


def save(report: AxeReport, directory: Path = REPO / "test-artifacts" / "axe") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in report.where)
    path = directory / f"{name}.json"
    path.write_text(json.dumps(report.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["--fetch"]:
        print(axe_script().relative_to(REPO))
    else:
        sys.exit("usage: python tests/browser/axe.py --fetch")
