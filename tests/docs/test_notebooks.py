"""The lecture notebooks' shape: committed without outputs, a statement, a parameters cell, checks.

``tests/docs/test_notebooks_run.py`` executes them and the docs build renders the executed
copies; these tests check what execution cannot: that what is committed is clean and follows the
layout the docs and CI rely on.
"""

import json
import pathlib

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
LECTURE = [nb for nb in NOTEBOOKS if not nb.name.startswith("00_")]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def test_the_lecture_notebooks_are_there_and_numbered():
    # 01-08 follow the lecture; later notebooks are numbered on, with gaps allowed (added independently)
    numbers = [nb.name[:2] for nb in LECTURE]
    assert numbers[:8] == [f"{k:02d}" for k in range(1, 9)], [nb.name for nb in NOTEBOOKS]
    assert all(n.isdigit() and nb.name[2] == "_" for n, nb in zip(numbers, LECTURE)), [nb.name for nb in NOTEBOOKS]
    assert len(set(numbers)) == len(numbers), [nb.name for nb in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for k, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: cell {k} has outputs"
            assert cell["execution_count"] is None, f"{path.name}: cell {k} has an execution count"


@pytest.mark.parametrize("path", LECTURE, ids=lambda p: p.name)
def test_statement_parameters_and_checks(path):
    cells = _cells(path)
    title = _source(cells[0])
    assert cells[0]["cell_type"] == "markdown" and title.startswith("# "), f"{path.name}: no title cell"
    headings = [line for cell in cells if cell["cell_type"] == "markdown" for line in _source(cell).splitlines()]
    assert sum(line.startswith("# ") for line in headings) == 1, f"{path.name}: one top-level heading (the page title)"

    params = cells[1]
    assert params["cell_type"] == "code" and "parameters" in params["metadata"].get("tags", []), (
        f"{path.name}: the second cell must be the parameters cell, tagged 'parameters'"
    )
    assert "NOTEBOOK_SIZE" in _source(params), f"{path.name}: the parameters cell must read NOTEBOOK_SIZE"

    last_code = [c for c in cells if c["cell_type"] == "code"][-1]
    asserts = [line for line in _source(last_code).splitlines() if line.lstrip().startswith("assert ")]
    assert len(asserts) >= 2, f"{path.name}: the last code cell must check the headline numbers"
