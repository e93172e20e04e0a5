"""Apply the course's JupyterLab settings to an environment:
`python -m helpers.core.labsettings [PREFIX [OVERRIDES]]` (PREFIX: this Python's environment).

Used by `make hub-env` (the hub's environment) and by `postBuild` (the image repo2docker builds for
Zero to JupyterHub and Binder), so a student sees the same JupyterLab everywhere. It writes
PREFIX/share/jupyter/lab/settings/overrides.json from the course's overrides file (OVERRIDES,
default `helpers/core/jupyterlab/overrides.json`), and disables the MathJax extension as `make lab`
does. Standard library only.

It also writes the course's `python3` kernel (PREFIX/share/jupyter/kernels/python3/kernel.json):
ipykernel as usual, but without its debugger. ipykernel imports debugpy at start for
JupyterLab's visual debugger, which students do not use; that alone is about 20 MB of every
kernel (make bench: kernel_rss_mb). Run `python -m ipykernel install --sys-prefix` to get the
debugger back.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

DISABLED = ["@jupyterlab/mathjax3-extension"]
COURSE_OVERRIDES = Path(__file__).resolve().parent / "jupyterlab" / "overrides.json"
# ipykernel's own launcher, with debugpy marked absent first (ipykernel then runs without a debugger)
KERNEL_LAUNCH = ("import sys; sys.modules['debugpy'] = None; "
                 "from ipykernel.kernelapp import launch_new_instance; launch_new_instance()")


def merged(overrides: Path | None = None) -> dict:
    """The course's JupyterLab settings: its overrides file (one source for every edition)."""
    path = Path(overrides or COURSE_OVERRIDES)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"{path}: cannot read the course's JupyterLab settings ({exc})") from None
    if not isinstance(settings, dict):
        raise SystemExit(f"{path}: expected a JSON object of plugin settings")
    return settings


def apply(prefix: Path, overrides: Path | None = None) -> Path:
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(merged(overrides), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    page = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    page.parent.mkdir(parents=True, exist_ok=True)
    config = json.loads(page.read_text(encoding="utf-8")) if page.is_file() else {}
    config.setdefault("disabledExtensions", {}).update({name: True for name in DISABLED})
    page.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def kernelspec(prefix: Path) -> Path:
    """Write the course's python3 kernel spec into the environment at `prefix`."""
    target = prefix / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": ["python", "-c", KERNEL_LAUNCH, "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": False},
        "kernel_protocol_version": "5.5",
    }
    target.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    prefix = Path(argv[0]) if argv else Path(sys.prefix)
    overrides = Path(argv[1]) if len(argv) > 1 else COURSE_OVERRIDES
    target = apply(prefix, overrides)
    kernel = kernelspec(prefix)
    print(f"Course kernel (no debugger) written to {kernel}")
    print(f"JupyterLab settings written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
