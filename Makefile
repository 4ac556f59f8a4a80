# The README's two commands: `make demo` and `make test`. Both create .venv if missing and
# install through constraints.txt (which pins torch to the CPU build available here).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# --no-compile: pip would compile every module of every dependency to byte code (about 35 s of the
# install, most of it torch's modules, most of which are never imported); Python compiles the
# imported ones instead, once, on first import (about 5 s), if it may write byte code: hence the
# unexport, for environments that set PYTHONDONTWRITEBYTECODE (every process of a run would then
# compile torch, the project and the rewritten tests again).
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -c constraints.txt
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test docs docs-check lab lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[gan]"
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[dev]"
	touch $(VENV)/.installed $(VENV)/.installed-docs $@

$(VENV)/.installed-docs: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[docs]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-lab: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[lab]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m gan1d lecture --out out

# The notebooks run at NOTEBOOK_SIZE=small in the tests and the docs build (each under a minute);
# `make docs NOTEBOOK_SIZE=full` builds the site with the lecture-size runs.
NOTEBOOK_SIZE ?= small

# Two test workers on two cores: one BLAS thread each (torch's is set in conftest.py). The tests
# execute every notebook once (tests/docs/test_notebooks_run.py) and keep the executed copies in
# docs/_build/executed; the site is then built from those copies (NB_EXECUTED), not executed again.
test: $(VENV)/.installed-dev
	rm -rf docs/_build/executed/$(NOTEBOOK_SIZE)
	OPENBLAS_NUM_THREADS=1 NOTEBOOK_SIZE=$(NOTEBOOK_SIZE) $(BIN)/python -m pytest -n 2 --dist worksteal -q
	NB_EXECUTED=$(CURDIR)/docs/_build/executed/$(NOTEBOOK_SIZE) $(MAKE) --no-print-directory docs

# The site, offline, warnings as errors, into docs/_build/html; then check_site.py fails if a page
# loads a script, stylesheet, font or image from the network (the site must work without one).
# Two processes read and write the pages (-j 2, one per core): autodoc's imports, the figures and
# the executed pages of one overlap those of the other. The kernels that execute pages (the
# notebooks, getting_started.md) give POT no torch backend: divergences imports POT, which would
# import torch for it (2-3 s of CPU per kernel) though the pages only give it numpy arrays.
docs: $(VENV)/.installed-docs
	OPENBLAS_NUM_THREADS=1 POT_BACKEND_DISABLE_PYTORCH=1 NOTEBOOK_SIZE=$(NOTEBOOK_SIZE) \
		$(BIN)/sphinx-build -j 2 -b html -W --keep-going -q docs docs/_build/html
	$(BIN)/python docs/check_site.py docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

# The formulas on the built site, in a real browser: headless Chromium (Debian's package, installed
# with apt-get if `chromium` is not on PATH) renders MATH_PAGE from disk with a fresh profile and
# dumps its DOM; check_math.py asserts that MathJax typeset the formulas (mjx-container elements,
# no raw \[ \( $$ left). The flags keep Chromium from calling home, and no host name resolves, so
# the page is read as in a room without network: math from a CDN would fail the check.
MATH_PAGE ?= divergences/kl.html
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=10000
docs-check: docs
	@command -v chromium >/dev/null || { \
		echo "docs-check: chromium is not on PATH; installing Debian's chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	echo "docs-check: rendering docs/_build/html/$(MATH_PAGE) in headless Chromium" && \
	chromium $(CHROMIUM_FLAGS) --user-data-dir="$$tmp/profile" \
		--dump-dom "file://$(CURDIR)/docs/_build/html/$(MATH_PAGE)" >"$$tmp/dom.html" 2>"$$tmp/chromium.log" \
		|| { cat "$$tmp/chromium.log"; echo "docs-check: chromium failed on $(MATH_PAGE)"; exit 1; }; \
	$(BIN)/python docs/check_math.py "$$tmp/dom.html"

# JupyterLab on the notebooks (installs it into .venv on first use). Jupyter refuses to run as
# root without --allow-root, which containers often are; LAB_FLAGS passes more, e.g. --no-browser.
# One BLAS thread: the notebooks' thousands of tiny solves run 5x slower when OpenBLAS threads spin.
LAB_FLAGS ?=
lab: $(VENV)/.installed-lab
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_FLAGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/curves_vs_quad.py
	$(BIN)/python benchmarks/atlas_curves.py
	$(BIN)/python benchmarks/numeric_paths.py
	$(BIN)/python benchmarks/gan_throughput.py
	$(BIN)/python benchmarks/mode_collapse.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis docs/_build
