"""The text that readers see: notebook prose that JupyterLab renders, and no path of one machine.

Two rules, each with a self-test that plants examples, so that a pattern that stopped matching
fails instead of passing silently:

- The notebooks are read in JupyterLab as well as on the Sphinx site, and JupyterLab does not know
  MyST: a role ``{func}`x``` shows as raw text and a directive fence as a code block. Notebook
  markdown uses plain code spans, ordinary Markdown links and ``$...$`` math.
- Nothing the repository tracks names an absolute path of a machine (``/home/...``, ``C:\\...``,
  ``file:///...``) or a relative path that leaves the repository (``../../x``, or ``../course``
  from a folder where that is not a tracked path). Sources are cited by title, authors and year.
"""

import json
import pathlib
import posixpath
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: Files that plant examples (this one; the site checker's test builds a small site with relative
#: links between its pages), so the path scan skips them.
PLANTED = {pathlib.Path(__file__).resolve(), ROOT / "tests" / "docs" / "test_check_site.py"}

# -- MyST in notebook markdown -------------------------------------------------------------------
# A role: {name}`...`, e.g. {func}`divergences.tv`, {class}`toys.ShiftedLine`, {py:func}`x`.
ROLE = re.compile(r"\{[A-Za-z][\w:.-]*\}`[^`\n]*`?")
# A directive fence: ```{note}, ~~~{note}, :::{note}, or a bare ::: (colon_fence).
DIRECTIVE = re.compile(r"^[ \t]*(?:(?:`{3,}|~{3,})[ \t]*\{[^}\n]*\}.*|:{3,}.*)$", re.M)
# A MyST target, (label)=, and a link with empty text, [](page.md), which JupyterLab renders as nothing.
TARGET = re.compile(r"^[ \t]*\([\w.:-]+\)=[ \t]*$", re.M)
EMPTY_LINK = re.compile(r"\[\]\([^)\n]*\)")


def myst_syntax(text):
    """The MyST-only pieces of a markdown text, in order of position."""
    found = [(m.start(), m.group(0).strip()) for p in (ROLE, DIRECTIVE, TARGET, EMPTY_LINK) for m in p.finditer(text)]
    return [snippet for _, snippet in sorted(found)]


# -- paths of a machine, and paths out of the repository ------------------------------------------
# An absolute POSIX path: a "/" that starts a token (not inside a URL, a fraction a/b, x/2, (a)/b,
# integer division a // b or a // comment) followed by at least two components, or one of the
# usual top-level folders of a machine.
_START = r"(?<![\w.:/~)\]}>$\\*-])"
POSIX = re.compile(
    _START
    + r"/(?:(?:work|home|root|Users|tmp|mnt|opt|srv|var|Volumes|private|scratch|data)\b[\w./-]*"
    + r"|[A-Za-z_][\w.-]*/[\w./-]*)"
)
HOME = re.compile(r"(?<![\w/])~/[\w.-]+")
WINDOWS = re.compile(
    r"(?<![\w\\])[A-Za-z]:(?:\\|/)(?:Users|Windows|Program Files|Documents)\b|(?<![\w\\])[A-Za-z]:\\[\w .-]+\\"
)
FILE_URL = re.compile(r"\bfile:/+(?![/$])[^\s)\"'`]*")  # not file://$(CURDIR)/...: a make variable
# Device files a program may legitimately name.
ALLOWED = re.compile(r"^/dev/(?:null|stdin|stdout|stderr)$")
# A relative path that starts by climbing: ../x, ../../x.
CLIMB = re.compile(r"(?<![\w./-])((?:\.\./)+)([\w.-]+(?:/[\w.-]+)*/?)?")


def _tree(tracked, links=None):
    """The tracked files and every folder that holds one, also as seen through tracked symlinks.

    ``links`` maps a tracked symlink to the repository folder it points to, e.g.
    ``{"docs/notebooks": "notebooks"}``, so that ``docs/notebooks/07.ipynb`` is in the tree.
    """
    tree = set(tracked)
    for path in tracked:
        parts = path.split("/")
        tree.update("/".join(parts[:k]) for k in range(1, len(parts)))
    for link, target in (links or {}).items():
        tree.update(link + path[len(target) :] for path in list(tree) if path.startswith(target + "/"))
    return tree


def machine_paths(text, folder, tree):
    """The paths in text that are absolute, or relative (from folder) but not in the tree.

    ``folder`` is the repository-relative folder of the file the text is in ("" at the root).
    """
    found = []
    for line in text.splitlines():
        if line.startswith("#!"):  # a shebang names its interpreter by absolute path
            continue
        for m in POSIX.finditer(line):
            path = m.group(0).rstrip(".,;:")
            if not ALLOWED.match(path):
                found.append(path)
        found += [m.group(0) for p in (HOME, WINDOWS, FILE_URL) for m in p.finditer(line)]
        for m in CLIMB.finditer(line):
            rest = (m.group(2) or "").rstrip(".,;:/")
            target = posixpath.normpath(posixpath.join(folder or ".", m.group(1) + rest))
            if target == ".." or target.startswith("../") or (target != "." and target not in tree):
                found.append(m.group(0))
    return found


def _tracked():
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"git ls-files does not run in {ROOT}: {error}")
    return [name for name in out.decode("utf-8").split("\0") if name]


def _texts(name):
    """(place, text) pieces of a tracked file: one per cell for a notebook, the whole file otherwise."""
    path = ROOT / name
    if path.resolve() in PLANTED or path.is_symlink() or not path.is_file():
        return []
    data = path.read_bytes()
    if b"\0" in data:
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if name.endswith(".ipynb"):
        cells = json.loads(text)["cells"]
        return [(f"{name}, cell {k}", _source(cell)) for k, cell in enumerate(cells)]
    return [(name, text)]


def _source(cell):
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


# -- the self-tests: the patterns catch what they must and pass what they must -------------------
def test_myst_patterns_catch_roles_and_fences_and_pass_markdown():
    planted = [
        "The tools are {func}`divergences.tv` and more.",
        "two segments ({class}`toys.ShiftedLine`):",
        "see {py:func}`gan1d.train_many`",
        "```{note}\nA note.\n```",
        ":::{warning}\nCareful.\n:::",
        "(errata)=\n## Errata",
        "See [](../docs/methods.md).",
    ]
    for text in planted:
        assert myst_syntax(text), f"not caught: {text!r}"
    legitimate = [
        "The tools are `divergences.tv` and `toys.ShiftedLine`.",
        "$\\mathrm{KL}(P \\Vert Q)$ on $\\{0, 1, 2\\}$ with $x^{2}$ and `curves(family, thetas)`",
        "$$\\begin{cases} \\ln 2 & \\theta \\ne 0 \\end{cases}$$",
        "```python\nx = {'a': 1}\n```",
        "the page [Notation](../docs/notation.md), a dictionary `{k: v}`",
    ]
    for text in legitimate:
        assert not myst_syntax(text), f"flagged: {text!r}: {myst_syntax(text)}"


def test_path_patterns_catch_machine_paths_and_pass_urls_and_math():
    tracked = ["docs/notation.md", "docs/methods.md", "docs/divergences/tv.md", "notebooks/07.ipynb", "README.md"]
    tree = _tree(tracked + ["docs/notebooks"], links={"docs/notebooks": "notebooks"})
    planted = [
        ("notebooks", "the lecture documents in `/srv/course/notes/`: the slides"),
        ("", "python -m gan1d lecture --out /home/alice/x"),
        ("tests", 'open("/tmp/foo")'),
        ("", "in /Users/bob"),
        ("docs", "C:\\Users\\bob\\lecture.pdf"),
        ("docs", "file:///home/x/slides.pdf"),
        ("notebooks", "[slides](../course/notes/slides.pdf)"),
        ("notebooks", "see ../../x"),
        ("", "see ../docs/notation.md"),  # climbs above the root from the root
        ("docs/divergences", "[x](../../../elsewhere.md)"),
        ("", "~/data/lecture.pdf"),
    ]
    for folder, text in planted:
        assert machine_paths(text, folder, tree), f"not caught from {folder or 'the root'}: {text!r}"
    legitimate = [
        ("docs", "https://host/path and http://example.org/a/b/c"),
        ("", "math like a/b, x/2, $(a + b)/2$, $\\frac{a}{b}/\\sqrt n$, 1/n, TV/KL/JS"),
        ("toys", "x[::2] / n and x[1:]/y and q = a // b  // not a comment in Python"),
        ("tests", "python -m thing > /dev/null 2>&1"),
        ("", "#!/usr/bin/env bash"),
        ("notebooks", "the errata, [Notation](../docs/notation.md)"),
        ("docs/divergences", "[](../methods.md) and [TV](tv.md), from ../notebooks/07.ipynb"),
        ("docs", "[notebook](../notebooks/07.ipynb)"),
        ("", "into docs/_build/html, .venv/bin/python"),
        ("notebooks", "$f:\\mathbb{R} \\to \\mathbb{R}$, Figure 2, Sec. 3, f'{a}/{b}'"),
        ("divergences", "`ot.dist` defaults to the *squared* Euclidean cost; km/s; and/or"),
    ]
    for folder, text in legitimate:
        found = machine_paths(text, folder, tree)
        assert not found, f"flagged from {folder or 'the root'}: {text!r}: {found}"


# -- the rules on the repository ---------------------------------------------------------------------
def test_the_notebooks_are_found():
    names = [path.name for path in NOTEBOOKS]
    assert len(names) >= 9 and "07_training_gans.ipynb" in names, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_has_no_myst_syntax(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    bad = [
        f"notebooks/{path.name}, cell {k}: {snippet}"
        for k, cell in enumerate(cells)
        if cell["cell_type"] == "markdown"
        for snippet in myst_syntax(_source(cell))
    ]
    assert not bad, (
        "MyST roles, directives or targets show as raw text in JupyterLab; write a code span (`name`) "
        "or a Markdown link [text](path) instead:\n" + "\n".join(bad)
    )


def test_no_path_of_a_machine_and_none_out_of_the_repository():
    tracked = _tracked()
    for required in ["README.md", "Makefile", "pyproject.toml", "docs/conf.py", "notebooks/07_training_gans.ipynb"]:
        assert required in tracked, f"git ls-files does not list {required}"
    links = {}
    for name in tracked:
        if (ROOT / name).is_symlink():
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), (ROOT / name).readlink().as_posix()))
            links[name] = target
    tree = _tree(tracked, links)
    bad = []
    scanned = 0
    for name in tracked:
        folder = posixpath.dirname(name)
        for place, text in _texts(name):
            scanned += 1
            for k, line in enumerate(text.splitlines(), start=1):
                for path in machine_paths(line, folder, tree):
                    bad.append(f"{place}, line {k}: {path}  <- {line.strip()[:120]}")
    assert scanned > 50, f"only {scanned} texts scanned"
    assert not bad, (
        "A path that exists on one machine only, or outside the repository: cite the source "
        "(authors, title, year) or link a page of the repository instead:\n" + "\n".join(bad)
    )


# -- files of the repository named in its text exist ---------------------------------------------
#: A path from the repository root to a source, page or notebook, as text names one.
REPO_PATH = re.compile(
    r"(?<![\w./-])((?:tests|docs|toys|divergences|gan1d|benchmarks|notebooks)/[\w./-]*?\.(?:py|md|ipynb))(?![\w*])"
)


def missing_files(text, tree, folder=""):
    """The repository paths named in ``text`` (from the root, or from ``folder``) that are not in the tree."""
    return [
        m.group(1)
        for m in REPO_PATH.finditer(text)
        if m.group(1) not in tree and posixpath.normpath(posixpath.join(folder or ".", m.group(1))) not in tree
    ]


def test_the_file_pattern_finds_paths_and_misses_other_text():
    tree = _tree(["tests/docs/test_text.py", "docs/methods.md"])
    assert missing_files("see tests/test_gan1d_critic.py and docs/methods.md", tree) == ["tests/test_gan1d_critic.py"]
    assert missing_files("docs/_build/html/index.html, divergences.numeric.one_d, tests/docs/test_text.py", tree) == []
    assert missing_files("every tests/test_*.py file", tree) == []  # a pattern, not a path
    assert missing_files("[methods](divergences/../methods.md)", tree, folder="docs") == []  # relative to the page


def test_every_file_of_the_repository_named_in_its_text_exists():
    tracked = _tracked()
    tree = _tree(tracked, {"docs/notebooks": "notebooks"})
    bad = [
        f"{place}: {path}"
        for name in tracked
        for place, text in _texts(name)
        for path in missing_files(text, tree, posixpath.dirname(name))
    ]
    assert not bad, "files named in the text that the repository does not have (moved?):\n" + "\n".join(bad)
