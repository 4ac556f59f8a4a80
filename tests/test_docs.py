"""The documentation site lists every public name (the build itself runs in `make docs`)."""

import importlib
import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("package", ["toys", "divergences", "gan1d"])
def test_every_public_name_is_in_the_api_reference(package):
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(rf"^\.\. auto(?:class|function|data):: {package}\.(\w+)$", api, flags=re.M))
    modules = {name for name in importlib.import_module(package).__all__ if name in {"duality", "empirical"}}
    missing = set(importlib.import_module(package).__all__) - documented - modules
    assert not missing, f"docs/api.md does not document {sorted(missing)} from {package}"


def test_every_page_is_reachable_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in ["getting_started", "notation", "divergences/index", "methods", "toys", "gan1d", "api", "notebooks/*"]:
        assert re.search(rf"^{re.escape(page)}$", index, flags=re.M), page
