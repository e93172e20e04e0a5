"""Beyond one machine: the Zero to JupyterHub values and the repo2docker postBuild.

No Kubernetes here, so what can be checked is checked: the values parse and use only keys the
chart documents, with the types its values schema (jupyterhub/values.schema.yaml of
jupyterhub/zero-to-jupyterhub-k8s) gives them; and postBuild, run in a fresh virtual environment
as repo2docker runs it, applies the course's JupyterLab settings there.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from helpers.core import labsettings

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "course" / "hub" / "config.yaml"


def obj(**properties) -> dict:
    """An object of the chart's schema: only the listed keys are allowed."""
    return {"type": "object", "additionalProperties": False, "properties": properties}


NUMBER_OR_NULL = {"type": ["number", "null"]}
INT_OR_NULL = {"type": ["integer", "null"]}
STRING_OR_NULL = {"type": ["string", "null"]}
TRAITLETS = {"type": "object", "additionalProperties": True}  # hub.config.<Class>: pass-through

# The keys this course sets, as the chart's values schema documents them (types and nesting);
# any other key fails, as `helm install` would fail it against the full schema.
DOCUMENTED = obj(
    hub=obj(
        config={"type": "object", "additionalProperties": False, "patternProperties": {"^[A-Z].*$": TRAITLETS}},
        concurrentSpawnLimit=INT_OR_NULL,
    ),
    singleuser=obj(
        image=obj(name={"type": "string"}, tag={"type": "string"}),
        lifecycleHooks=obj(postStart={"type": "object", "additionalProperties": True}),
        defaultUrl=STRING_OR_NULL,
        extraEnv={"type": ["object", "array"], "additionalProperties": True},
        memory=obj(guarantee={"type": ["number", "string", "null"]}, limit={"type": ["number", "string", "null"]}),
        cpu=obj(guarantee=NUMBER_OR_NULL, limit=NUMBER_OR_NULL),
        storage=obj(capacity=STRING_OR_NULL),
        startTimeout=INT_OR_NULL,
    ),
    cull=obj(enabled={"type": "boolean"}, timeout=INT_OR_NULL, every=INT_OR_NULL),
)


def values() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def test_values_use_only_documented_chart_keys():
    jsonschema.Draft7Validator(DOCUMENTED).validate(values())


def test_the_check_catches_a_misspelt_key():
    bad = values()
    bad["singleuser"]["memroy"] = {"limit": "1G"}
    errors = list(jsonschema.Draft7Validator(DOCUMENTED).iter_errors(bad))
    assert errors and "memroy" in errors[0].message


def test_values_say_the_same_as_the_one_machine_hub():
    v = values()
    hooks = v["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert hooks[0] == "gitpuller" and hooks[2:] == ["main", "course"]
    assert v["singleuser"]["defaultUrl"] == "/lab/tree/course/notebooks/00-start-here.ipynb"
    config = (REPO / "course" / "hub" / "jupyterhub_config.py").read_text(encoding="utf-8")
    assert v["cull"]["timeout"] == 3600 and "VNFR_HUB_CULL_IDLE', '3600'" in config
    assert v["singleuser"]["memory"]["limit"] == "1G" and '"VNFR_HUB_MEM_LIMIT", "1G"' in config
    assert v["hub"]["config"]["JupyterHub"]["authenticator_class"] == "native"


def test_postbuild_applies_the_course_settings_in_a_fresh_venv(tmp_path):
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    repo = tmp_path / "repo"  # repo2docker runs postBuild from the repository's copy in the image
    shutil.copytree(REPO / "helpers", repo / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "postBuild", repo / "postBuild")
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    env.pop("VIRTUAL_ENV", None)
    r = subprocess.run(["bash", str(repo / "postBuild")], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    settings = json.loads((env_dir / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert settings == json.loads(labsettings.COURSE_OVERRIDES.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}
    page = json.loads((env_dir / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {"@jupyterlab/mathjax3-extension": True}
    kernel = json.loads((env_dir / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert kernel["argv"][:3] == ["python", "-c", labsettings.KERNEL_LAUNCH]
    assert os.access(REPO / "postBuild", os.X_OK)
    # nbgitpuller, for the `gitpuller` of config.yaml's postStart, is installed in that environment
    assert list((env_dir / "lib").glob("python3*/site-packages/nbgitpuller-1.3.0.dist-info"))
    assert (env_dir / "bin" / "gitpuller").is_file()


def test_the_student_edition_carries_postbuild(tmp_path):
    from helpers.publishing.release import build

    out = build(tmp_path / "edition")
    assert (out / "postBuild").read_text() == (REPO / "postBuild").read_text()
    assert (out / "helpers" / "core" / "labsettings.py").is_file()
