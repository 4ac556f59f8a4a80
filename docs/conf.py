"""Sphinx configuration: MyST pages, the lecture notebooks (myst-nb) and the numpydoc API reference.

``make docs`` builds the site offline with warnings as errors, and the site is read offline too:
MathJax is served from ``_static/mathjax`` (sphinx-mathjax-offline) and no page loads anything
from the network (``docs/check_site.py`` checks it after each build). The notebooks are executed
during the build (``NOTEBOOK_SIZE=small`` in CI, see the Makefile), so a notebook whose checks
fail fails the build.
"""

import hashlib
import importlib.util
import os
import pathlib

import nbformat

project = "divergences-toolkit"
author = "The divergences-toolkit developers"
copyright = "2026, the divergences-toolkit developers"

extensions = [
    "myst_nb",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.intersphinx",
    "matplotlib.sphinxext.plot_directive",
]

exclude_patterns = ["_build", "notebooks/.ipynb_checkpoints", "**/.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# MyST: $...$ math, ::: fences and {math} roles in the pages and the notebooks' markdown.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# The notebooks run at build time; a failing cell (a failed check) is a build error.
nb_execution_mode = os.environ.get("NB_EXECUTION_MODE", "force")
nb_execution_timeout = 900
# A temporary working directory: run from docs/, "import divergences" would find docs/divergences/.
nb_execution_in_temp = True
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# Pages with ipywidgets state would load require.js and the widget manager from CDNs; the site
# loads nothing from the network, so no widget JavaScript: the sliders of notebooks 5 and 7 work in
# JupyterLab, and the site shows the still that each of those cells displays before its slider.
nb_ipywidgets_js = {}

# Every cross-reference must resolve (with -W, a dangling :mod: or :func: fails the build).
nitpicky = True

# numpydoc renders the docstrings' sections; class members are listed by autodoc instead.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"

# Figures produced by code in the pages (``.. plot::``), at one resolution, no source links.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
plot_rcparams = {"figure.figsize": (8, 3.2)}
# The figures' code runs from the repository's root, where `import divergences` is the package. From
# the page's own folder (the default) docs/divergences/ would shadow it, unless autodoc happened to
# import the package first: true of a serial build, not of the parallel one (make docs: -j 2).
plot_working_directory = str(pathlib.Path(__file__).resolve().parents[1])

# Links to other projects' docs need the network, so they are off (the build is offline).
intersphinx_mapping = {}

html_theme = "pydata_sphinx_theme"
html_title = "divergences-toolkit"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
# MathJax 3 from the site itself instead of Sphinx's default CDN: the files of the
# sphinx-mathjax-offline package, copied into _static/mathjax. (Its Sphinx extension does just this
# and sets mathjax_path, but does not declare itself safe for a parallel build, so Sphinx would
# refuse -j 2 with a warning; the package's name has hyphens.)
mathjax_path = "mathjax/tex-chtml.js"
html_static_path = [str(pathlib.Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent / "static")]

# The notebooks' size (NOTEBOOK_SIZE, set by the Makefile) is part of the build's configuration, so
# `make docs NOTEBOOK_SIZE=full` after a small build executes the notebooks again instead of
# reusing the small outputs.
notebook_size = os.environ.get("NOTEBOOK_SIZE", "full")


# `make test` executes every notebook once, in its test step, and writes the executed copies to
# docs/_build/executed/<size> (tests/docs/test_notebooks_run.py); it then builds the site with
# NB_EXECUTED pointing there, and a notebook whose copy matches its code and size is rendered from
# the copy instead of being executed again. Without NB_EXECUTED (plain `make docs`) every notebook
# is executed here.
EXECUTED = os.environ.get("NB_EXECUTED")


def _code_hash(nb):
    code = "\n\0".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()


def _use_executed_copy(app, docname, source):
    """source-read: swap a notebook's text for its executed copy, if one matches it exactly."""
    if EXECUTED is None or not docname.startswith("notebooks/"):
        return
    copy = pathlib.Path(EXECUTED) / (docname.split("/", 1)[1] + ".ipynb")
    if not copy.is_file():
        return
    executed = nbformat.read(copy, as_version=4)
    mark = executed.metadata.get("divergences_toolkit", {})
    original = nbformat.reads(source[0], as_version=4)
    if mark.get("notebook_size") != notebook_size or mark.get("code_sha256") != _code_hash(original):
        return
    executed.metadata["mystnb"] = {"execution_mode": "off"}  # already executed, by the tests
    source[0] = nbformat.writes(executed)


def _reread_notebooks(app, env, added, changed, removed):
    """env-get-outdated: with executed copies, read every notebook again (its outputs may be new)."""
    return [doc for doc in env.found_docs if doc.startswith("notebooks/")] if EXECUTED else []


def setup(app):
    app.add_config_value("notebook_size", "full", "env")
    app.connect("source-read", _use_executed_copy)
    app.connect("env-get-outdated", _reread_notebooks)
