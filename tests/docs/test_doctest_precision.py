"""No doctest expects more digits than another CPU reproduces.

A quadrature or a libm call can differ in its last bits between CPUs (vectorised paths), so a
doctest that expects 16 or 17 significant digits passes on one machine and fails on another.
The examples print what the toolkit promises (``round(x, 10)`` for the 1-D numerics) or compare
with ``==`` where a value is exact. This test reads every doctest of the three packages, the
README and the documentation pages, and fails on any expected float with more than
``MAX_DIGITS`` significant digits.
"""

import doctest
import importlib
import pathlib
import pkgutil
import re

import pytest

ROOT = pathlib.Path(__file__).parents[2]
PACKAGES = ("toys", "divergences", "gan1d")
#: Significant digits an expected float may have: well above the 10 decimals of the 1-D
#: numerics' 1e-9 promise, well below the 16-17 digits that change between CPUs.
MAX_DIGITS = 12
#: A decimal number with a fraction or an exponent, not part of a name or of a longer number.
_FLOAT = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+(?=[eE]))(?:[eE][-+]?\d+)?(?![\w.])")


def significant_digits(token):
    """Significant digits of the decimal literal ``token`` (leading zeros do not count)."""
    mantissa = token.lstrip("+-").lower().split("e")[0]
    return len(mantissa.replace(".", "").lstrip("0"))


def too_precise(text):
    """The float literals of ``text`` with more than MAX_DIGITS significant digits."""
    return [t for t in _FLOAT.findall(text) if significant_digits(t) > MAX_DIGITS]


def _module_doctests():
    for package in PACKAGES:
        root = importlib.import_module(package)
        names = [package] + [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
        for name in names:
            module = importlib.import_module(name)
            for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
                yield test.name, test.examples


def _text_doctests():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    parser = doctest.DocTestParser()
    for page in pages:
        examples = parser.get_examples(page.read_text(encoding="utf-8"), str(page.relative_to(ROOT)))
        yield str(page.relative_to(ROOT)), examples


def test_the_pattern_finds_long_floats_and_nothing_else():
    assert too_precise("0.11142148218473615") == ["0.11142148218473615"]
    assert too_precise("(2, 0.6666666666666666)") == ["0.6666666666666666"]
    assert too_precise("[1.0, inf, -1.3068528194400546e-05]") == ["-1.3068528194400546e-05"]
    assert too_precise("0.1114214822 0.5 1e-09 inf nan 123456789012345 x1.23456789012345") == []
    assert too_precise("0.000000000001234") == []  # leading zeros are not significant


@pytest.mark.parametrize("source", ["modules", "pages"])
def test_no_doctest_expects_more_digits_than_promised(source):
    found = _module_doctests() if source == "modules" else _text_doctests()
    offenders, n_examples = [], 0
    for name, examples in found:
        for ex in examples:
            n_examples += 1
            long = too_precise(ex.want)
            if long:
                offenders.append(f"{name}: {ex.source.strip()!r} expects {long}")
    assert n_examples > (100 if source == "modules" else 20), f"found only {n_examples} examples in the {source}"
    assert not offenders, (
        f"doctests expecting more than {MAX_DIGITS} significant digits (print with round(x, 10) or compare "
        "with == where the value is exact):\n" + "\n".join(offenders)
    )
