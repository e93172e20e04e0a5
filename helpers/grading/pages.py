"""Chart pages that open with no network: Vega-Lite specs drawn in the browser by Vega, Vega-Lite
and vega-embed written into the page itself.

The grader builds the specs as plain JSON (no altair import on the grading path) and takes the
JavaScript from vl-convert's ``javascript_bundle``. Bundling takes seconds, so the bundle is kept
in a cache folder (``$VNFR_CACHE``, else ``$XDG_CACHE_HOME/vnfr``, else ``~/.cache/vnfr``), one file
per vl-convert and Vega-Lite version: the first run on a machine builds it, later runs copy it.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

VL_VERSION = "5.20"
"""The Vega-Lite version altair 5.5 writes (its SCHEMA_VERSION v5.20.x); tests check they agree."""
SCHEMA = f"https://vega.github.io/schema/vega-lite/v{VL_VERSION.split('.')[0]}.json"
EMBED_OPTIONS = {"renderer": "svg", "actions": False}  # SVG: screen readers reach title, axes and data


def cache_dir() -> Path:
    if os.environ.get("VNFR_CACHE"):
        return Path(os.environ["VNFR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vnfr"


def vega_bundle() -> str:
    """vega-embed with Vega and Vega-Lite, as one script (cached on disk; built on first use)."""
    import importlib.metadata

    import vl_convert as vlc

    version = importlib.metadata.version("vl-convert-python")
    path = cache_dir() / f"vega-embed-vlc{version}-vl{VL_VERSION}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle(vl_version=VL_VERSION)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # no cache then: the next run bundles again
        pass
    return bundle


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}}
table{{border-collapse:collapse;width:100%;margin:1rem 0 2rem}}th,td{{border-top:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}}
td.n{{text-align:right;white-space:nowrap}}.chart{{margin:1rem 0}}
</style>
<script type="text/javascript">
// vega-embed.js bundle with Vega-Lite version v{vl_version}
{bundle}
</script>
</head><body>
{body}
<script type="text/javascript">
const charts = {charts};
for (const [id, spec] of Object.entries(charts)) {{
  vegaEmbed('#' + id, spec, {options}).catch(console.error);
}}
</script>
</body></html>
"""


def chart_div(div_id: str, label: str) -> str:
    return f'<div class="chart" id="{html.escape(div_id)}" role="figure" aria-label="{html.escape(label)}"></div>'


def page(title: str, body: str, charts: dict[str, dict]) -> str:
    """A whole page: ``body`` (HTML, already escaped) with each ``charts[id]`` drawn in ``<div id=id>``."""
    data = json.dumps(charts, ensure_ascii=False).replace("</", "<\\/")
    return PAGE.format(title=html.escape(title), vl_version=VL_VERSION, bundle=vega_bundle(), body=body,
                       charts=data, options=json.dumps(EMBED_OPTIONS))
