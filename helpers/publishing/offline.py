"""The offline check of a built folder: `offsite_references` lists anything in a built file that
would be fetched from off this machine; `check_offline` refuses a build that has any.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .nbexec import PublishError


# ------------------------------------------------------------------------------ offline check

@dataclass
class Reference:
    file: Path
    line: int
    kind: str  # "load" (fetched when the page opens) or "link" (only if a reader clicks it)
    what: str
    url: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} {self.url}"


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "formaction", "background", "xlink:href",
              "manifest"}
_LINK_TAGS = {"a", "area"}
_CSS_URL_RE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
_JS_IMPORT_RE = re.compile(r"""(?:\bimport\b[^;'"]*?|\bimport\(\s*)['"]((?:https?:)?//[^'"]+)['"]""")


def is_offsite(url: str) -> bool:
    url = url.strip()
    if not (url.lower().startswith(("http://", "https://")) or url.startswith("//")):
        return False
    host = (urlsplit(url if "://" in url else "http:" + url).hostname or "").lower()
    return host not in LOCAL_HOSTS


class _RefScanner(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.refs: list[Reference] = []
        self._in: list[str] = []

    def _add(self, kind: str, what: str, url: str) -> None:
        if is_offsite(url):
            self.refs.append(Reference(self.path, self.getpos()[0], kind, what, url.strip()))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            name = name.lower()
            if name in _URL_ATTRS:
                urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] if name == "srcset" else [value]
                kind = "link" if tag in _LINK_TAGS and name in ("href", "xlink:href") else "load"
                for u in urls:
                    self._add(kind, f"<{tag} {name}>", u)
            elif name == "style":
                for m in _CSS_URL_RE.finditer(value):
                    self._add("load", f"<{tag} style>", m.group(1))
            elif name == "content" and tag == "meta" and "url=" in value.lower():
                self._add("load", "<meta refresh>", value.lower().split("url=", 1)[1])
        if tag in ("style", "script"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not self._in:
            return
        pattern = _CSS_URL_RE if self._in[-1] == "style" else _JS_IMPORT_RE
        for m in pattern.finditer(data):
            self._add("load", f"<{self._in[-1]}>", m.group(1))


def offsite_references(root: Path) -> list[Reference]:
    """Every off-machine address in the HTML and CSS files under `root` (or in one file).

    `kind` "load" is something a browser fetches when the page opens (a script, style sheet, font,
    image, frame...): the offline editions must have none. "link" is a hyperlink a reader may click.
    """
    root = Path(root)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".html", ".htm", ".css", ".svg"))
    refs: list[Reference] = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        if f.suffix == ".css":
            for m in _CSS_URL_RE.finditer(text):
                if is_offsite(m.group(1)):
                    refs.append(Reference(f, text.count("\n", 0, m.start()) + 1, "load", "css url()", m.group(1)))
            continue
        scanner = _RefScanner(f)
        scanner.feed(text)
        scanner.close()
        refs.extend(scanner.refs)
    return refs


def check_offline(root: Path) -> None:
    loads = [r for r in offsite_references(root) if r.kind == "load"]
    if loads:
        listed = "\n  ".join(map(str, loads[:20]))
        raise PublishError(f"{root}: {len(loads)} reference(s) to off-machine resources:\n  {listed}")
