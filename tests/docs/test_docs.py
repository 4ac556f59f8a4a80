"""The documentation site lists every public name (the build itself runs in `make docs`)."""

import importlib
import pathlib
import re
import types

import pytest

DOCS = pathlib.Path(__file__).parents[2] / "docs"
#: Every public namespace: each name of its ``__all__`` that is not a module must be on the API page.
NAMESPACES = [
    "toys",
    "toys.strategies",
    "toys.validation",
    "divergences",
    "divergences.registry",
    "divergences.evaluate",
    "divergences.generators",
    "divergences.tables",
    "divergences.variational",
    "divergences.numeric",
    "divergences.discrimination",
    "divergences.fitting",
    "divergences.games",
    "divergences.transport",
    "divergences.transport.duality",
    "divergences.bounds",
    "divergences.vae",
    "divergences.empirical",
    "gan1d",
    "gan1d.training",
    "gan1d.training.regularisers",
    "gan1d.training.remedies",
    "gan1d.analysis",
    "gan1d.protocols",
    "gan1d.lecture",
    "gan1d.lecture.atlas",
    "gan1d.lecture.dirac",
    "gan1d.lecture.fgan",
    "gan1d.lecture.interactive",
    "gan1d.lecture.mode_collapse",
]


def _documented():
    """The objects named by the API page's ``auto*`` directives (resolved, so that aliases count)."""
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    found = {}
    for target in re.findall(r"^\.\. auto(?:class|function|data):: ([\w.]+)$", api, flags=re.M):
        module, _, name = target.rpartition(".")
        found[target] = getattr(importlib.import_module(module), name)
    return found


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_public_name_is_in_the_api_reference(namespace):
    documented = {id(obj) for obj in _documented().values()}
    module = importlib.import_module(namespace)
    public = {name: getattr(module, name) for name in module.__all__}
    missing = [
        name for name, obj in public.items() if not isinstance(obj, types.ModuleType) and id(obj) not in documented
    ]
    assert not missing, f"docs/api.md does not document {sorted(missing)} from {namespace}"


def test_every_public_subpackage_is_on_the_api_page():
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    for namespace in NAMESPACES:
        assert f"`{namespace}`" in api or f":: {namespace}" in api, namespace


def test_every_page_is_reachable_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = ["getting_started", "notation", "divergences/index", "methods", "toys", "vae", "gan1d", "api"]
    for page in [*pages, "notebooks/*"]:
        assert re.search(rf"^{re.escape(page)}$", index, flags=re.M), page
