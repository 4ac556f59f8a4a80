"""The shape of the code: small modules, imports in one direction, torch only where it is needed.

* ``toys`` <- ``divergences`` <- ``gan1d``: nothing lower imports anything higher, and no library
  module imports the lecture (``gan1d.lecture``).
* No module over ``MAX_LINES`` lines.
* No private name (``_name``) imported from a module of another subpackage: what a subpackage
  needs from another is public there.
* ``toys`` and ``divergences`` import without torch; ``gan1d`` without torch says which extra to
  install.
"""

import ast
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).parents[1]
PACKAGES = ("toys", "divergences", "gan1d")
RANK = {name: k for k, name in enumerate(PACKAGES)}
MAX_LINES = 400


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imports(path, module):
    """(imported module, imported names) for every import of the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            yield target, [alias.name for alias in node.names]


def _subpackage(module):
    """The subpackage a module belongs to: ``divergences.transport.maps`` -> ``divergences.transport``."""
    parts = module.split(".")
    path = ROOT.joinpath(*parts)
    return module if path.is_dir() else ".".join(parts[:-1]) or module


def test_imports_go_one_way_and_no_library_module_imports_the_lecture():
    wrong = []
    for path, module in _modules():
        own = module.split(".")[0]
        for target, _ in _imports(path, module):
            top = target.split(".")[0]
            if top in RANK and RANK[top] > RANK[own]:
                wrong.append(f"{module} imports {target}")
            if target.startswith("gan1d.lecture") and not module.startswith("gan1d.lecture"):
                wrong.append(f"{module} imports the lecture ({target})")
    assert not wrong, "\n".join(wrong)


def test_no_module_is_longer_than_the_limit():
    long = [
        f"{module}: {n} lines" for path, module in _modules() if (n := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert not long, f"modules over {MAX_LINES} lines (split them by idea):\n" + "\n".join(long)


def test_no_private_name_is_imported_from_another_subpackage():
    wrong = []
    for path, module in _modules():
        for target, names in _imports(path, module):
            if target.split(".")[0] not in RANK:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            private += [part for part in target.split(".") if part.startswith("_") and not part.startswith("__")]
            if private and _subpackage(_module_of(target)) != _subpackage(module):
                wrong.append(f"{module} imports {private} from {target}")
    assert not wrong, "\n".join(wrong)


def _module_of(target):
    """``target`` if it is a module of the repository, else its parent (``from x import name``)."""
    parts = target.split(".")
    path = ROOT.joinpath(*parts)
    return target if path.is_dir() or path.with_suffix(".py").is_file() else ".".join(parts[:-1])


def test_the_checks_find_what_they_look_for(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from ..numeric._private import x\nfrom . import _y\nimport gan1d.lecture\n")
    found = list(_imports(module, "divergences.transport.m"))
    assert ("divergences.numeric._private", ["x"]) in found and ("divergences.transport", ["_y"]) in found
    assert ("gan1d.lecture", []) in found
    assert _subpackage("divergences.transport.maps") == "divergences.transport"
    assert _subpackage("divergences.transport") == "divergences.transport"


def _run_without_torch(code):
    """Run ``code`` in a fresh interpreter in which ``import torch`` fails, as without the gan extra."""
    prelude = textwrap.dedent(
        """
        import sys, importlib.abc
        class NoTorch(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name.split(".")[0] == "torch":
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        sys.meta_path.insert(0, NoTorch())
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_toys_and_divergences_need_no_torch():
    result = _run_without_torch(
        """
        import importlib, pkgutil
        import toys, divergences
        for package in (toys, divergences):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if info.name.startswith("toys.strategies"):
                    continue  # needs hypothesis, the dev extra, not torch
                importlib.import_module(info.name)
        from toys import Gaussian
        assert divergences.kl(Gaussian(0, 1), Gaussian(1, 1)) == 0.5
        print("ok")
        """
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_gan1d_without_torch_says_which_extra_to_install():
    result = _run_without_torch("import gan1d")
    assert result.returncode != 0
    assert "ImportError: gan1d needs torch" in result.stderr and "'gan' extra" in result.stderr, result.stderr


@pytest.mark.parametrize("package", PACKAGES)
def test_every_subpackage_says_what_it_holds(package):
    for init in (ROOT / package).rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 8, f"{init.relative_to(ROOT)} has no docstring saying what it holds"
