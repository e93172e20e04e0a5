# Two commands for a fresh machine with Python 3.11+:  make lab  |  make test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
OVERRIDES = helpers/core/jupyterlab/overrides.json
LAB_OVERRIDES = $(VENV)/share/jupyter/lab/settings/overrides.json
AXE_VERSION = 4.14.1
AXE = _build/cache/npm/axe-core-$(AXE_VERSION)/package/axe.min.js
LOCK    = requirements.lock
# `make lock` resolves pyproject.toml against PyPI as it stood at LOCK_DATE, so the same inputs give
# the same lock; move the date on to take newer releases.
LOCK_DATE ?= 2026-12-01T00:00:00Z
UV_VERSION = 0.13.9
NOTEBOOK ?= notebooks/00-start-here.ipynb
PYTEST_WORKERS ?= 2

.PHONY: lab test unit browser bench student-edition grade slides site chromium clean lock hub hub-env test-hub

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp $(OVERRIDES) $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension >/dev/null
	$(PY) -c 'from pathlib import Path; from helpers.core import labsettings; labsettings.kernelspec(Path("$(VENV)"))'
	touch $(STAMP)

$(LAB_OVERRIDES): $(OVERRIDES) $(STAMP)  ## the course's JupyterLab settings (windowing off, no news)
	cp $(OVERRIDES) $(LAB_OVERRIDES)

$(AXE): | $(STAMP)  ## axe-core for the accessibility tests (pinned; fetched once with npm)
	$(PY) tests/browser/axe.py --fetch

lock:  ## refresh requirements.lock: every version, with hashes, from pyproject.toml's ranges
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
	  --generate-hashes --upgrade --exclude-newer $(LOCK_DATE) --no-config \
	  --custom-compile-command 'make lock' --quiet --output-file $(LOCK)

lab: $(STAMP) $(LAB_OVERRIDES)  ## set up and open the course in JupyterLab
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK)

chromium:  ## Debian's Chromium for the browser tests (installed with apt when missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; exit 1; \
	  fi; }

test: $(STAMP) $(LAB_OVERRIDES) $(AXE) chromium hub-env  ## set up and run every test (unit, notebooks, browser, the class hub)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --nbval-lax --ignore=tests/hub
	$(MAKE) test-hub

unit: $(STAMP)  ## the fast tests only (no notebooks, no browser)
	$(PY) -m pytest tests -m "not browser and not hub"

bench: $(STAMP)  ## speed and memory figures
	$(PY) -m helpers bench

slides: $(STAMP)  ## HTML slides of every notebook in _build/slides/ (open offline; reveal.js fetched once with npm)
	$(PY) -m helpers slides --out _build/slides

site: $(STAMP)  ## the reader edition in _build/site/: static HTML that opens from disk
	$(PY) -m helpers site --out _build/site

student-edition: $(STAMP)  ## the student edition, with no answer key, in student-edition/ (ASSESS="02-new-diplomacy ..." for assessment mode)
	$(PY) -m helpers release --out student-edition $(if $(ASSESS),--assess $(ASSESS))

# ---------------------------------------------------------------- a class on one server (JupyterHub)
# The hub's own environment lives outside the repository (HUB_DIR), built from a Python every
# student account can run, so that the instructor's copy (with the answer key) can stay private.
HUB_DIR    ?= /srv/vnfr-hub
HUB_PYTHON ?= /usr/bin/python3
HUB_VENV    = $(HUB_DIR)/venv
HUB_STAMP   = $(HUB_VENV)/.installed
HUB_PORT   ?= 8000
HUB_IP     ?= 0.0.0.0
ROSTER     ?=

$(HUB_STAMP): $(LOCK) course/hub/requirements.txt helpers/core/labsettings.py $(OVERRIDES)
	@test -x $(HUB_PYTHON) || { echo "make hub needs a Python 3.11+ that every user can run (HUB_PYTHON=$(HUB_PYTHON)); on Debian: apt-get install python3-venv"; exit 1; }
	mkdir -p $(HUB_DIR) && chmod 755 $(HUB_DIR)
	test -x $(HUB_VENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_VENV)/bin/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(HUB_VENV)/bin/python -m pip install --quiet -r course/hub/requirements.txt
	cd $(HUB_DIR) && npm install --no-audit --no-fund --silent configurable-http-proxy@5.3.0
	PYTHONPATH=. $(HUB_VENV)/bin/python -m helpers.core.labsettings $(HUB_VENV) $(OVERRIDES)
	chmod -R a+rX $(HUB_VENV) $(HUB_DIR)/node_modules
	touch $(HUB_STAMP)

hub-env: $(HUB_STAMP)  ## the hub's environment: jupyterhub (PyPI), configurable-http-proxy (npm), the course's libraries

hub: $(STAMP) hub-env  ## serve the student edition to a class from this machine (see README, "Teaching a class on a server")
	$(PY) -m helpers hub publish --hub-dir $(HUB_DIR)
	$(if $(ROSTER),$(PY) -m helpers hub users $(ROSTER) --hub-dir $(HUB_DIR),@test -f $(HUB_DIR)/state/users.json || { echo "make hub: no students yet: run it with ROSTER=class.csv (a CSV with a username column)"; exit 2; })
	VNFR_HUB_DIR=$(HUB_DIR) VNFR_HUB_IP=$(HUB_IP) VNFR_HUB_PORT=$(HUB_PORT) PATH=$(HUB_DIR)/node_modules/.bin:$$PATH \
	  $(HUB_VENV)/bin/jupyterhub -f course/hub/jupyterhub_config.py

test-hub: $(STAMP) chromium hub-env  ## the class-hub scale test: a real hub on loopback, 20 students, collect and grade
	VNFR_HUB_DIR=$(HUB_DIR) $(PY) -m pytest tests/hub -p no:xdist

clean:
	rm -rf $(VENV) student-edition grades _build test-artifacts
