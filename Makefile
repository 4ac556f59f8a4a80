# The README's two commands: `make demo` and `make test`. Both create .venv if missing and
# install through constraints.txt (which pins torch to the CPU build available here).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test docs lab lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
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
	$(BIN)/python -m gan1d lecture --out out

# The notebooks run at NOTEBOOK_SIZE=small in the tests and the docs build (each under a minute);
# `make docs NOTEBOOK_SIZE=full` builds the site with the lecture-size runs.
NOTEBOOK_SIZE ?= small

# Two test workers on two cores: one BLAS thread each (torch's is set in conftest.py). Then the
# site, which executes the notebooks again, so a notebook whose checks fail breaks either step.
test: $(VENV)/.installed-dev
	OPENBLAS_NUM_THREADS=1 NOTEBOOK_SIZE=$(NOTEBOOK_SIZE) $(BIN)/python -m pytest -n 2 -q
	$(MAKE) --no-print-directory docs

# The site, offline, warnings as errors, into docs/_build/html.
docs: $(VENV)/.installed-docs
	OPENBLAS_NUM_THREADS=1 NOTEBOOK_SIZE=$(NOTEBOOK_SIZE) $(BIN)/sphinx-build -b html -W --keep-going -q docs docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

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
	$(BIN)/python benchmarks/gan_throughput.py
	$(BIN)/python benchmarks/mode_collapse.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis docs/_build
