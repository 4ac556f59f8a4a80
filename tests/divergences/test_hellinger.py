"""The squared Hellinger distance: closed forms against independent computations, and its inequalities.

Oracles: the numeric path of the toolkit (1-D quadrature at 1e-9, 2-D cubature at 1e-6) for
the closed forms; the textbook determinant form of the Gaussian Bhattacharyya coefficient at
50 digits (mpmath) for the whitened form used by the toolkit; a direct finite sum for finite laws.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from mpmath import mp

from divergences import curves, hellinger, numeric, tv
from divergences.evaluate import method
from toys import Bernoulli, Discrete, Gaussian, GaussianMixture, ShiftedLine, SmoothedLine, Uniform
from toys.strategies import continuous_1d, discretes, gaussians, seeds, uniforms

QUAD = 1e-9  # stated accuracy of the 1-D numeric path
CUBATURE = 1e-6  # stated accuracy of the 2-D numeric path


def _bc_determinants(p, q):
    """Bhattacharyya coefficient of two Gaussians from the determinant form, at 50 digits."""
    with mp.workdps(50):
        sp, sq = (mp.matrix((d.chol @ d.chol.T).tolist()) for d in (p, q))
        mean = (sp + sq) / 2
        delta = mp.matrix(np.atleast_1d(q.mean - p.mean).tolist())
        quad_form = (delta.T * mp.inverse(mean) * delta)[0]
        log_bc = mp.log(mp.det(sp)) / 4 + mp.log(mp.det(sq)) / 4 - mp.log(mp.det(mean)) / 2 - quad_form / 8
        return float(1 - mp.exp(log_bc))


@settings(max_examples=60, deadline=None)
@given(gaussians(), gaussians())
def test_gaussian_1d_against_the_determinant_form_and_the_quadrature(p, q):
    assert method("hellinger", p, q) == "closed form"
    value = hellinger(p, q)
    assert value == pytest.approx(_bc_determinants(p, q), rel=1e-12, abs=1e-15)
    assert value == pytest.approx(numeric.compute("hellinger", p, q), abs=QUAD)


@settings(max_examples=30, deadline=None)
@given(gaussians(dim=3), gaussians(dim=3))
def test_gaussian_3d_against_the_determinant_form(p, q):
    # the toolkit whitens Sigma_p and sums terms of one sign; the oracle uses determinants
    assert hellinger(p, q) == pytest.approx(_bc_determinants(p, q), rel=1e-9, abs=1e-14)


@settings(max_examples=6, deadline=None)
@given(gaussians(dim=2), gaussians(dim=2))
def test_gaussian_2d_against_the_cubature(p, q):
    assert hellinger(p, q) == pytest.approx(numeric.compute("hellinger", p, q), abs=CUBATURE)


def test_nearly_equal_gaussians_keep_their_small_value():
    # 1 - exp(-delta^2 / 8) for equal variances: 1.25e-21 at delta = 1e-10, where 1 - BC would give 0
    assert hellinger(Gaussian(0.0, 1.0), Gaussian(1e-10, 1.0)) == pytest.approx(1.25e-21, rel=1e-12)
    # unequal variances: (rho - 1)^2 / 4 to first order, rho = 1 + 1e-8
    assert hellinger(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0 + 1e-8)) == pytest.approx(2.5e-17, rel=1e-7)


@settings(max_examples=60, deadline=None)
@given(uniforms(), uniforms())
def test_uniforms_against_the_quadrature(p, q):
    exact = 1.0 - max(0.0, min(p.high, q.high) - max(p.low, q.low)) / math.sqrt(p.width * q.width)
    assert hellinger(p, q) == pytest.approx(exact, abs=1e-14)
    assert hellinger(p, q) == pytest.approx(numeric.compute("hellinger", p, q), abs=QUAD)


def test_shifted_uniforms_keep_their_small_value():
    # U(0, 1) against U(e, 1 + e): H^2 = 1 - (1 - e) = e, with e the shift as represented
    p, q = Uniform(0.0, 1.0), Uniform(2.0**-40, 1.0 + 2.0**-40)
    assert hellinger(p, q) == pytest.approx(2.0**-40, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(discretes(), discretes())
def test_finite_laws_against_the_sum(p, q):
    x = np.union1d(p.atoms, q.atoms)
    assert hellinger(p, q) == pytest.approx(1.0 - np.sum(np.sqrt(p.pmf(x) * q.pmf(x))), abs=1e-14)


def test_mutually_singular_pairs_are_one():
    assert hellinger(Bernoulli(0.0), Bernoulli(1.0)) == 1.0
    assert hellinger(Discrete([0.0, 1.0], [0.5, 0.5]), Gaussian(0.0, 1.0)) == 1.0
    assert hellinger(ShiftedLine(0.0), ShiftedLine(0.25)) == 1.0
    assert hellinger(ShiftedLine(0.25), ShiftedLine(0.25)) == 0.0
    assert hellinger(Uniform(0.0, 1.0), Uniform(2.0, 3.0)) == 1.0


def test_smoothed_lines_are_the_shift_of_their_smoothing():
    for theta in [0.0, 0.3, 2.0]:
        expected = hellinger(Gaussian(0.0, 0.5), Gaussian(theta, 0.5))
        assert hellinger(SmoothedLine(0.0, 0.5), SmoothedLine(theta, 0.5)) == pytest.approx(expected, rel=1e-14)


@settings(max_examples=60, deadline=None)
@given(continuous_1d(), continuous_1d())
def test_hellinger_brackets_tv(p, q):
    # H^2 <= TV <= sqrt(H^2 (2 - H^2)) in the 1/2 convention (Tsybakov 2009, Lemma 2.3);
    # each side carries the numeric path's 1e-9
    h2, t = hellinger(p, q), tv(p, q)
    assert 0.0 <= h2 <= 1.0
    assert h2 <= t + 2 * QUAD
    assert t <= math.sqrt(h2 * (2.0 - h2)) + 2 * QUAD


@settings(max_examples=20, deadline=None)
@given(continuous_1d(), continuous_1d())
def test_symmetric(p, q):
    assert hellinger(p, q) == pytest.approx(hellinger(q, p), abs=QUAD)


@settings(max_examples=10, deadline=None)
@given(seeds())
def test_curves_give_the_scalar_values(seed):
    rng = np.random.default_rng(seed)
    reference = GaussianMixture([0.3, 0.7], rng.normal(size=2), stds=rng.uniform(0.3, 2.0, 2))
    thetas = np.sort(rng.uniform(-3.0, 3.0, 5))
    out = curves(lambda t: Gaussian(t, 1.0), thetas, reference, names=["hellinger"])
    expected = [hellinger(reference, Gaussian(t, 1.0)) for t in thetas]
    np.testing.assert_allclose(out["hellinger"], expected, rtol=0, atol=1e-12)


def test_the_numeric_path_knows_the_name():
    assert "hellinger" in numeric.NAMES
    with pytest.raises(ValueError, match="name must be one of"):
        numeric.compute("helinger", Gaussian(), Gaussian())
