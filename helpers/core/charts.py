"""Charts that draw with no network: the course theme and the offline renderer.

Why this renderer (see README, "Charts offline"): altair 5.x writes Vega-Lite 5, which JupyterLab
4.6 draws natively and interactively from the `application/vnd.vegalite.v5+json` output, with the
Vega libraries it ships (no CDN). Beside it each chart carries a `text/plain` description for
screen readers and plain-text views. The static `image/svg+xml` that exported HTML, slides and the
reader edition show (no JavaScript at all) is drawn by vl-convert only when exporting, outside the
student's kernel (`add_static_svg`, called by `helpers.publishing.publish`): drawing it in the kernel cost
each student about 70-80 MB and 0.4 s. JupyterLab prefers the Vega-Lite output, nbconvert the SVG.
"""
from __future__ import annotations

import re
from functools import lru_cache

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
RENDERER = "vnfr"
THEME = "vnfr"

FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"
PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#30343f"]
LEVEL_COLOURS = {
    "comprehensive strategic partnership": "#1b6ca8",
    "strategic partnership": "#00798c",
    "comprehensive partnership": "#edae49",
}


def theme() -> dict:
    """The course theme: readable sizes, lower-case axis titles, a colour-blind-safe palette."""
    return {
        "config": {
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "font": FONT,
            "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 11,
                      "subtitleColor": "#555", "offset": 10},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                     "grid": True, "gridColor": "#e8e8e8"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "range": {"category": PALETTE},
        }
    }


@lru_cache(maxsize=1)
def _vl_version() -> str:
    """The Vega-Lite minor version this altair writes, as vl-convert names it (e.g. '5.20')."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def static_svg(spec: dict) -> str:
    """The chart as a static SVG string, drawn locally by vl-convert (no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, vl_version=_vl_version())


def describe(spec: dict) -> str:
    """Plain-text description of a chart: title, description, then source."""
    title, subtitle = spec.get("title"), []
    if isinstance(title, dict):
        subtitle = title.get("subtitle") or []
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        title = title.get("text", "")
    source = (spec.get("usermeta") or {}).get("source") or " ".join(map(str, subtitle))
    parts = [str(title or "Chart"), str(spec.get("description") or ""), str(source)]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) + "."


def mimebundle(spec: dict, static: bool = False) -> dict:
    """The output of one chart: interactive Vega-Lite 5 and a text description (and, with
    `static`, the SVG, which exports otherwise add later with `add_static_svg`)."""
    bundle = {VEGALITE_MIME: spec, "text/plain": describe(spec)}
    if static:
        bundle["image/svg+xml"] = static_svg(spec)
    return bundle


def add_static_svg(nb) -> int:
    """Give each chart output of an executed notebook (a dict or nbformat node, changed in place)
    its static SVG, drawn here rather than in the kernel. Returns the number of charts drawn."""
    drawn = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data") or {}
            if VEGALITE_MIME in data and "image/svg+xml" not in data:
                data["image/svg+xml"] = static_svg(data[VEGALITE_MIME])
                drawn += 1
    return drawn


def _render(spec: dict, **kwargs):
    return mimebundle(spec), {}


# --------------------------------------------------------------------------- accessibility
# JupyterLab draws the Vega-Lite output with vega-embed. On canvas a screen reader gets one
# sentence; drawn as SVG, Vega exposes the title, both axes and every mark. The "…" actions menu
# (save as PNG, open in the online editor) is left out: it has no name and leads off the machine.
EMBED_OPTIONS = {"renderer": "svg", "actions": False}


def output_metadata() -> dict:
    """The output metadata of a chart: how JupyterLab's Vega renderer should draw it."""
    return {VEGALITE_MIME: {"embed_options": dict(EMBED_OPTIONS)}}


def description_bundle(spec: dict) -> dict:
    """The chart's text description, shown under it in a named, collapsible <details>."""
    import html

    title = spec.get("title")
    title = title.get("text", "") if isinstance(title, dict) else (title or "")
    title = " ".join(title) if isinstance(title, list) else str(title or "chart")
    text = describe(spec)
    body = (f'<details class="vnfr-chart-text"><summary>Text description of the chart: {html.escape(title)}'
            f"</summary><p>{html.escape(text)}</p></details>")
    return {"text/html": body, "text/plain": f"Text description of the chart: {text}"}


def _accessible_render(spec: dict, **kwargs):
    """The renderer JupyterLab sees: the chart drawn as SVG without the actions menu, then its
    text description as a second output right under it. Outside a kernel (tests, scripts) the
    chart's bundle alone, with the same metadata."""
    bundle, metadata = _render(spec, **kwargs)
    metadata = {**(metadata or {}), **output_metadata()}
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with JupyterLab
        return bundle, metadata
    if get_ipython() is None or not getattr(get_ipython(), "kernel", None):
        return bundle, metadata
    display(bundle, raw=True, metadata=metadata)
    return description_bundle(spec), {}


def enable() -> None:
    """Register and enable the course theme and the offline renderer (idempotent)."""
    import altair as alt

    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(lambda: theme())
    alt.theme.enable(THEME)
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _accessible_render)
    alt.renderers.enable(RENDERER)


def finish(chart, title: str, description: str, source: str, max_lines: int = 2):
    """Give a chart what every course chart must have: a title, a description for screen
    readers, and its source shown under the title. Returns the chart.

    A source list longer than `max_lines` is shown under the title as its source codes only
    (a chart is no place for forty addresses); the whole list stays in the chart's text
    description and metadata, and the notebook's references give every title and address.
    """
    import altair as alt

    if not title or not description or not source:
        raise ValueError("a course chart needs a title, a description and a source")
    text = source if source.lower().startswith("source") else f"Source: {source}"
    lines = _wrap(text)
    if len(lines) > max_lines:
        # too long for a chart: keep every source's code, move titles and addresses to References
        codes = list(dict.fromkeys(re.findall(r"\[[^\[\]]+\]", text)))
        lines = _wrap("Sources: " + " ".join(codes) + " (titles and addresses: see References)")
    return chart.properties(
        title=alt.TitleParams(text=title, subtitle=lines),
        description=description,
        usermeta={"source": text},
    )


def _wrap(text: str, width: int = 95) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [text]


def partners_by_level():
    """Each strategic-level partner at the year it reached its present level (00-start-here)."""
    import altair as alt

    from . import data

    partners = data.partnerships()
    # the date only as precisely as its source gives it (a month-only step is not shown as a day)
    partners["when"] = [data.date_text(d, p) for d, p in zip(partners["date"], partners["date_precision"])]
    chart = alt.Chart(partners).mark_circle(size=90).encode(
        x=alt.X("year(date):T", title="year the present level was reached"),
        y=alt.Y("level:N", title=None),
        color=alt.Color("level:N", legend=None,
                        scale=alt.Scale(domain=list(LEVEL_COLOURS), range=list(LEVEL_COLOURS.values()))),
        tooltip=["partner", "level", alt.Tooltip("when:N", title="since")],
    )
    first = partners.sort_values("date").iloc[0]
    return finish(
        chart,
        title="Vietnam's strategic-level partners",
        description=(f"One point per partner ({len(partners)} in all): the year it reached its present level, "
                     f"comprehensive strategic partnership or strategic partnership. The earliest present level "
                     f"in the data is {first.partner}'s, from {first.date.year}; most upgrades came after 2008."),
        source=data.source_note(partners["source"]),
    )
