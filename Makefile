# The README's two commands: `make demo` and `make test`. Both create .venv if missing and
# install through constraints.txt (which pins torch to the CPU build available here).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) -e ".[dev]"
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/python -m gan1d lecture --out out

# Two test workers on two cores: one BLAS thread each (torch's is set in conftest.py).
test: $(VENV)/.installed-dev
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/curves_vs_quad.py
	$(BIN)/python benchmarks/gan_throughput.py
	$(BIN)/python benchmarks/mode_collapse.py

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
