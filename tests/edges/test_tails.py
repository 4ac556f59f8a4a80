"""Polynomial tails on the 1-D numeric path: integrated far enough, or refused.

Class 1 of the edge cases: KL(t_2.1 || N(0, 1)) came out 0.43 too small because the panels
stopped at the 1e-30 quantile while the integrand decays like x^-1.1; two Pareto laws came out
infinite because scipy's Pareto log density underflows to -inf at 1e100, inside its support.
Contract (docs/methods.md): 1e-9 absolute (1e-12 relative above 1e3), or ``TailTooHeavy`` (a
``NotImplementedError``) when the remainder beyond the last tail edge cannot be bounded that
well; a Student t law against a Gaussian is computed for df >= 2.1.
"""

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import divergences as D
from divergences.numeric.remainder import TailTooHeavy

from . import mp

FEW = settings(max_examples=15, deadline=None)


def within_contract(value, exact):
    return abs(value - float(exact)) <= max(1e-9, 1e-12 * abs(float(exact)))


@FEW
@given(st.floats(2.0, 40.0, exclude_min=True))
def test_student_t_against_a_gaussian(df):
    try:
        value = D.kl(stats.t(df), stats.norm())
    except TailTooHeavy as exc:
        assert df < 2.1, f"t({df}) refused although df >= 2.1: {exc}"
        assert "t(" in str(exc) and "estimate it from samples" in str(exc)
        return
    assert within_contract(value, mp.t_kl_normal(df))


@pytest.mark.parametrize("df", [2.01, 2.1, 2.5])
def test_the_student_t_repros(df):
    if df < 2.05:
        with pytest.raises(TailTooHeavy, match="decays so slowly"):
            D.kl(stats.t(df), stats.norm())
    else:
        assert within_contract(D.kl(stats.t(df), stats.norm()), mp.t_kl_normal(df))


@FEW
@given(st.floats(0.05, 3.5))
def test_lognormal_against_a_gaussian(s):
    # up to e^(2 s^2) / 2 = 2e10: the relative part of the contract
    assert within_contract(D.kl(stats.lognorm(s), stats.norm()), mp.lognormal_kl_normal(s))


def pareto_kl(b1, b2):
    """KL(Pareto(b1) || Pareto(b2)), both of scale 1: ln(b1 / b2) + b2 / b1 - 1."""
    b1, b2 = mpmath.mpf(b1), mpmath.mpf(b2)
    return mpmath.log(b1 / b2) + b2 / b1 - 1


def pareto_tv(b1, b2):
    """The densities cross once, at x* = (b1 / b2)^(1 / (b1 - b2)); TV = |F1(x*) - F2(x*)|."""
    b1, b2 = mpmath.mpf(b1), mpmath.mpf(b2)
    x = (b1 / b2) ** (1 / (b1 - b2))
    return abs(x**-b2 - x**-b1)


@FEW
@given(st.floats(2.1, 12.0), st.floats(2.1, 12.0))
def test_two_pareto_laws(b1, b2):
    p, q = stats.pareto(b1), stats.pareto(b2)
    assert within_contract(D.kl(p, q), pareto_kl(b1, b2))
    if abs(b1 - b2) > 1e-3:
        assert abs(D.tv(p, q) - float(pareto_tv(b1, b2))) <= 1e-9


def test_the_pareto_repro():
    assert math.isfinite(D.kl(stats.pareto(2.1), stats.pareto(3)))
    assert within_contract(D.kl(stats.pareto(2.1), stats.pareto(3)), pareto_kl(2.1, 3))


@FEW
@given(st.floats(2.1, 30.0))
def test_the_two_paths_of_the_toolkit_agree(df):
    # KL computed directly and as cross-entropy minus entropy, each by its own quadrature
    t, n = stats.t(df), stats.norm()
    assert abs(D.kl(t, n) - (D.cross_entropy(t, n) - D.entropy(t))) <= 2e-9
