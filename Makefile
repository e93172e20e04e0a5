# Two commands for a fresh machine with Python 3.11+:  make lab  |  make test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
LOCK    = requirements.lock
# `make lock` resolves pyproject.toml against PyPI as it stood at LOCK_DATE, so the same inputs give
# the same lock; move the date on to take newer releases.
LOCK_DATE ?= 2026-12-01T00:00:00Z
UV_VERSION = 0.13.9
NOTEBOOK ?= notebooks/00-start-here.ipynb
PYTEST_WORKERS ?= 2

.PHONY: lab test unit browser bench student-edition grade slides site chromium clean lock

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	printf '{"jupyterlab-rise:plugin": {"theme": "white"}}\n' > $(VENV)/share/jupyter/lab/settings/overrides.json
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension >/dev/null
	touch $(STAMP)

lock:  ## refresh requirements.lock: every version, with hashes, from pyproject.toml's ranges
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
	  --generate-hashes --upgrade --exclude-newer $(LOCK_DATE) --no-config \
	  --custom-compile-command 'make lock' --quiet --output-file $(LOCK)

lab: $(STAMP)  ## set up and open the course in JupyterLab
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK)

chromium:  ## Debian's Chromium for the browser tests (installed with apt when missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; exit 1; \
	  fi; }

test: $(STAMP) chromium  ## set up and run every test (unit, notebooks, browser)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile --nbval-lax

unit: $(STAMP)  ## the fast tests only (no notebooks, no browser)
	$(PY) -m pytest tests -m "not browser"

bench: $(STAMP)  ## speed and memory figures
	$(PY) -m helpers bench

slides: $(STAMP)  ## HTML slides of every notebook in _build/slides/ (open offline; reveal.js fetched once with npm)
	$(PY) -m helpers slides --out _build/slides

site: $(STAMP)  ## the reader edition in _build/site/: static HTML that opens from disk
	$(PY) -m helpers site --out _build/site

student-edition: $(STAMP)  ## the student edition, with no answer key, in student-edition/ (ASSESS="02-new-diplomacy ..." for assessment mode)
	$(PY) -m helpers release --out student-edition $(if $(ASSESS),--assess $(ASSESS))

clean:
	rm -rf $(VENV) student-edition grades _build test-artifacts
