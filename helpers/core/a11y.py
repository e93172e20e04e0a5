"""Accessibility of the course's widgets: names, groups, live regions, keys and focus.

ipywidgets 8 sets no ARIA attributes of its own, and JupyterLab's command-mode shortcuts act on
a focused radio button, checkbox, drop-down or button (`m` turns the cell into Markdown). So every
course widget says, in Python, what each control is called and what it is:

    from helpers.core import a11y
    a11y.name(dropdown, "Category for: Chinese cultural values")   # a control's accessible name
    a11y.group(radio, "Which resource ...?")                        # a radio or checkbox group
    a11y.live(feedback_html)                                         # announced when it changes
    box = a11y.accessible(box)                                      # an explorer: names from descriptions

Each of these only adds CSS classes to the widget (`_dom_classes`, e.g. `vnfr-a11y-name-<text>`
with the text base64url-encoded), so the label travels with the widget itself, however deeply it is
nested and however often the view is redrawn. A small script, `Annotator` (an anywidget: its
JavaScript is sent with the widget, so nothing is installed into JupyterLab and nothing is
fetched), reads those classes in the page and sets `aria-label`, `role`, `aria-live`,
`aria-pressed` and `data-lm-suppress-shortcuts` on the real controls, again whenever a view is
redrawn. It also brings the course's focus ring (3 px, 4.5:1 or more against white) and the normal
line height of widget text. Why an anywidget and not a JupyterLab extension or a script output:
see README, "Accessibility".
"""
from __future__ import annotations

import base64
import html
import re
from typing import Any, Iterable

PREFIX = "vnfr-a11y"
SCOPE_CLASS = PREFIX                      # on every course widget box: the focus ring and keys apply
NAME_PREFIX = f"{PREFIX}-name-"           # + base64url(label): the accessible name of a control
KINDS = ("control", "group", "radiogroup", "live", "slider", "toggles")
MAX_NAME = 300

# Controls whose `description` ipywidgets already ties to the control with <label for=...>; the
# explicit aria-label is set anyway, so a hidden or clipped label never decides the name.
_SLIDERS = ("IntSlider", "FloatSlider", "FloatLogSlider", "IntRangeSlider", "FloatRangeSlider",
            "SelectionSlider", "SelectionRangeSlider")
_GROUPS = {"RadioButtons": "radiogroup", "ToggleButtons": "toggles"}
_CONTROLS = ("Dropdown", "Select", "SelectMultiple", "Text", "Textarea", "IntText", "FloatText",
             "BoundedIntText", "BoundedFloatText", "Combobox", "Password", "Button", "ToggleButton",
             "Checkbox", "ColorPicker", "DatePicker")


# --------------------------------------------------------------------------- pure helpers

def plain_text(markdown_or_html: str, limit: int = MAX_NAME) -> str:
    """Visible text of a prompt (Markdown or HTML) as one line, for an accessible name."""
    text = re.sub(r"<[^>]+>", " ", str(markdown_or_html or ""))
    text = html.unescape(text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)        # [text](url) -> text
    text = re.sub(r"[*_`#>]+", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:") + "…"
    return text


def encode(label: str) -> str:
    """A label as a CSS class suffix (base64url, no padding)."""
    return base64.urlsafe_b64encode(label.encode("utf-8")).decode("ascii").rstrip("=")


def decode(suffix: str) -> str:
    pad = "=" * (-len(suffix) % 4)
    return base64.urlsafe_b64decode(suffix + pad).decode("utf-8")


def classes_for(label: str | None, kind: str) -> list[str]:
    """The CSS classes that carry a control's kind and (optional) accessible name."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    out = [f"{PREFIX}-{kind}"]
    if label:
        out.append(NAME_PREFIX + encode(plain_text(label)))
    return out


def described(widget) -> dict[str, Any]:
    """What the annotator will make of a widget: {'kind', 'name'} from its classes (tests use it)."""
    kind, name = None, None
    for cls in getattr(widget, "_dom_classes", ()):
        if cls.startswith(NAME_PREFIX):
            name = decode(cls[len(NAME_PREFIX):])
        elif cls.startswith(PREFIX + "-") and cls[len(PREFIX) + 1:] in KINDS:
            kind = cls[len(PREFIX) + 1:]
    return {"kind": kind, "name": name}


# --------------------------------------------------------------------------- marking widgets

def _mark(widget, label: str | None, kind: str):
    for cls in list(getattr(widget, "_dom_classes", ())):
        if cls.startswith(NAME_PREFIX) or (cls.startswith(PREFIX + "-") and cls[len(PREFIX) + 1:] in KINDS):
            widget.remove_class(cls)
    for cls in classes_for(label, kind):
        widget.add_class(cls)
    return widget


def name(widget, label: str):
    """Give a control (drop-down, text box, button, checkbox, list) its accessible name."""
    return _mark(widget, label, "control")


def group(widget, label: str, radio: bool = False):
    """Tie a group of controls (a radio group or a box of checkboxes) to its prompt."""
    return _mark(widget, label, "radiogroup" if radio else "group")


def slider(widget, label: str):
    """Name a slider's handle (a range slider's two handles: "<label>, from" and "<label>, to")."""
    return _mark(widget, label, "slider")


def live(widget):
    """Make an HTML widget a polite live region: its new text is announced, focus stays put."""
    return _mark(widget, None, "live")


def scope(box):
    """Mark a course widget box: focus ring, line height and no notebook shortcuts inside it."""
    box.add_class(SCOPE_CLASS)
    return box


def _walk(widget) -> Iterable:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def auto_name(widget) -> bool:
    """Mark one widget from its visible `description`, unless it is marked already. True if marked."""
    if described(widget)["kind"]:
        return False
    kind = type(widget).__name__
    text = plain_text(getattr(widget, "description", "") or "")
    if kind in _SLIDERS:
        slider(widget, text or "slider")
    elif kind in _GROUPS and text:
        _mark(widget, text, _GROUPS[kind])
    elif kind in _CONTROLS and text and kind not in ("Button", "ToggleButton", "Checkbox"):
        name(widget, text)
    else:
        return False
    return True


def accessible(box, live_regions: Iterable = (), annotate: bool = True):
    """Make an explorer accessible: name each control from its visible description, mark the box
    (focus ring, no notebook shortcuts on its controls), make `live_regions` (e.g. the verdict
    after a Check button) announce their changes, and show the annotator with the box wherever it
    is displayed. Returns the same box, its children untouched."""
    scope(box)
    for widget in _walk(box):
        auto_name(widget)
    for widget in live_regions:
        live(widget)
    if annotate:
        _show_annotator_with(box)
    return box


def _show_annotator_with(box) -> None:
    """Wherever the box is displayed, display it in a plain VBox beside a hidden annotator (one
    output, so static exports still show one note per explorer); the box itself is unchanged."""
    def _ipython_display_(**kwargs):
        import ipywidgets as w
        from IPython.display import display

        holder = w.VBox([box, Annotator()], layout=w.Layout(width="100%"))
        box._vnfr_holder = holder  # keep the holder alive with the box
        display(holder)

    box._ipython_display_ = _ipython_display_


# --------------------------------------------------------------------------- the script

ESM = r"""
const PREFIX = 'vnfr-a11y';
const NAME = PREFIX + '-name-';
const FOCUSABLE = 'select, input, textarea, button, [contenteditable], .noUi-handle, [tabindex]';

function decode(s) {
  s = s.replace(/-/g, '+').replace(/_/g, '/');
  while (s.length % 4) s += '=';
  const bytes = Uint8Array.from(atob(s), c => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
function labelOf(root) {
  for (const c of root.classList) if (c.startsWith(NAME)) return decode(c.slice(NAME.length));
  return null;
}
function kindOf(root) {
  for (const c of root.classList) {
    if (c.startsWith(PREFIX + '-') && !c.startsWith(NAME)) return c.slice(PREFIX.length + 1);
  }
  return null;
}
function control(root) {
  if (root.matches('select, input, textarea, button')) return root;
  return root.querySelector('select, textarea, input:not([type=hidden]), button');
}
function annotate(root) {
  const kind = kindOf(root), label = labelOf(root);
  if (kind === 'control' && label) {
    const c = control(root);
    if (c) setAttr(c, 'aria-label', label);
  } else if ((kind === 'group' || kind === 'radiogroup' || kind === 'toggles') && label) {
    setAttr(root, 'role', kind === 'radiogroup' ? 'radiogroup' : 'group');
    setAttr(root, 'aria-label', label);
    if (kind === 'toggles') {
      for (const b of root.querySelectorAll('button')) {
        setAttr(b, 'aria-pressed', b.classList.contains('mod-active') ? 'true' : 'false');
      }
    }
  } else if (kind === 'slider') {
    const handles = root.querySelectorAll('.noUi-handle');
    handles.forEach((h, i) => {
      const which = handles.length === 2 ? (i === 0 ? ', from' : ', to') : '';
      setAttr(h, 'aria-label', (label || 'slider') + which);
    });
    const readout = root.querySelector('.widget-readout');
    if (readout) {
      setAttr(readout, 'role', 'textbox');
      setAttr(readout, 'aria-label', (label || 'slider') + ', value (type to change)');
    }
  } else if (kind === 'live') {
    setAttr(root, 'role', 'status');
    setAttr(root, 'aria-live', 'polite');
    setAttr(root, 'aria-atomic', 'true');
  }
}
function suppress(scope) {
  setAttr(scope, 'data-lm-suppress-shortcuts', 'true');
  for (const el of scope.querySelectorAll(FOCUSABLE)) setAttr(el, 'data-lm-suppress-shortcuts', 'true');
  // A button's icon is a Font Awesome glyph: decoration, not part of the button's name.
  for (const icon of scope.querySelectorAll('button i.fa, button i[class*="fa-"]')) setAttr(icon, 'aria-hidden', 'true');
}
function run() {
  for (const scope of document.querySelectorAll('.' + PREFIX)) suppress(scope);
  for (const kind of ['control', 'group', 'radiogroup', 'toggles', 'slider', 'live']) {
    for (const root of document.querySelectorAll('.' + PREFIX + '-' + kind)) annotate(root);
  }
}
function install() {
  if (window.__vnfrA11y) { window.__vnfrA11y.run(); return; }
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; run(); });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
  window.__vnfrA11y = {run, observer};
  run();
}
export default {
  render({ el }) {
    el.classList.add('vnfr-annotator');
    install();
    // Views render asynchronously: run again once the neighbours have drawn.
    setTimeout(run, 0);
    setTimeout(run, 500);
  }
};
"""

CSS = r"""
.vnfr-annotator { display: none !important; }
.vnfr-a11y select:focus-visible, .vnfr-a11y input:focus-visible, .vnfr-a11y textarea:focus-visible,
.vnfr-a11y button:focus-visible, .vnfr-a11y .noUi-handle:focus-visible,
.vnfr-a11y [contenteditable]:focus-visible {
  outline: 3px solid #1a5fb4 !important;
  outline-offset: 2px !important;
}
.vnfr-a11y .widget-html-content, .vnfr-a11y .widget-html, .vnfr-a11y .widget-label {
  line-height: 1.5;
}
.vnfr-a11y .widget-html-content p { margin: 0.4em 0; }
.vnfr-a11y .widget-html-content { white-space: normal; }
.vnfr-status-right, .vnfr-status-wrong, .vnfr-status-partial, .vnfr-status-error, .vnfr-status-recorded {
  border-left: 4px solid #30343f; padding-left: 8px;
}
.vnfr-sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
"""


def _annotator_class():
    import anywidget
    import traitlets

    class Annotator(anywidget.AnyWidget):
        """Zero-size widget whose script annotates the course's controls in the page."""
        _esm = ESM
        _css = CSS
        version = traitlets.Unicode("1").tag(sync=True)

    return Annotator


_ANNOTATOR = None


def Annotator():  # noqa: N802 - reads as a widget class at the call site
    """A new annotator widget (one per course widget box: each page that shows one gets the script)."""
    global _ANNOTATOR
    if _ANNOTATOR is None:
        _ANNOTATOR = _annotator_class()
    return _ANNOTATOR()


__all__ = ["name", "group", "slider", "live", "scope", "accessible", "auto_name", "described",
           "plain_text", "encode", "decode", "classes_for", "Annotator", "ESM", "CSS"]
