"""Bad input to the two fits is refused before any work, with a message naming the parameter."""

import math
import re

import numpy as np
import pytest
from scipy import stats

import toys
from divergences.fitting import fit_forward_kl, fit_reverse_kl

from .fits import TWO_MODES, TWO_MODES_3D


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("samples", "error", "match"),
    [
        ("abc", TypeError, "samples"),
        ([1.0, np.nan, 2.0], ValueError, "samples.*finite"),
        (np.zeros((3, 2, 2)), ValueError, r"samples.*shape \(3, 2, 2\)"),
        ([1.0], ValueError, "samples.*at least 2"),
        (np.ones((2, 2)) * [[0], [1]], ValueError, "samples.*n > d"),
        ([2.0, 2.0, 2.0], ValueError, "samples.*constant axes"),
        ([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]], ValueError, "samples.*subspace"),
        ([1e300, -1e300, 0.0], ValueError, "samples.*variances.*finite"),  # the variance overflows
    ],
)
def test_forward_rejects_bad_samples(samples, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl(samples)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        (TWO_MODES, TypeError, "init.*GaussianMixture"),
        (toys.Gaussian(mean=[0.0, 0.0]), ValueError, "init.*dimension of the samples, 1.*dim=2"),
        (toys.Gaussian(0.0, 1e30), ValueError, r"init divided by the samples' standard deviations.*exp"),
    ],
)
def test_forward_rejects_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl([0.0, 1.0, 3.0], init=init)


def test_collinear_samples_are_fine_with_a_diagonal_model():
    fit = fit_forward_kl([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]], covariance="diag")
    np.testing.assert_allclose(np.diag(fit.distribution.cov), [2 / 3, 8 / 3], atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"covariance": "spherical"}, ValueError, "covariance.*'spherical'"),
        ({"covariance": None}, ValueError, "covariance.*None"),
        ({"max_iter": 0}, ValueError, "max_iter.*0"),
        ({"max_iter": 2.5}, TypeError, "max_iter.*2.5"),
        ({"max_iter": True}, TypeError, "max_iter"),
        ({"tol": 0.0}, ValueError, "tol"),
        ({"tol": "small"}, TypeError, "tol"),
    ],
)
def test_both_fits_reject_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl([0.0, 1.0, 3.0], **kwargs)
    with pytest.raises(error, match=match):
        fit_reverse_kl(toys.Gaussian(), **kwargs)


@pytest.mark.parametrize(
    ("target", "error", "match"),
    [
        ("abc", TypeError, "target.*str"),
        (toys.Bernoulli(0.3), TypeError, "target.*logpdf.*Bernoulli"),
        (toys.ShiftedLine(0.0), TypeError, "target.*logpdf.*ShiftedLine"),
        (toys.Uniform(0.0, 1.0), ValueError, r"target.*support \(0.0, 1.0\)"),
    ],
)
def test_reverse_rejects_bad_targets(target, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(target)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        (TWO_MODES, TypeError, "init.*GaussianMixture"),
        (toys.Gaussian(mean=[0.0, 0.0]), ValueError, "init.*dimension of the target, 1.*dim=2"),
    ],
)
def test_reverse_rejects_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(TWO_MODES, init=init)


def test_reverse_rejects_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        fit_reverse_kl(TWO_MODES, rng="seed")
    with pytest.raises(TypeError, match="rng"):  # checked even when init makes it unused
        fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1.0), rng="seed")


@pytest.mark.parametrize(
    ("n_samples", "error"), [(1, ValueError), (2.5, TypeError), (True, TypeError), (np.int64(-3), ValueError)]
)
def test_reverse_rejects_bad_n_samples(n_samples, error):
    with pytest.raises(error, match=f"n_samples.*{re.escape(repr(n_samples))}"):
        fit_reverse_kl(TWO_MODES_3D, n_samples=n_samples)


def test_reverse_rejects_a_start_beyond_the_bounds_of_the_log_std():
    # before: L-BFGS-B moved the start inside its bounds without a word, after recording history[0] there
    with pytest.raises(ValueError, match=r"init must have a finite mean and standard deviations.*exp\(\+-50\)"):
        fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1e-30))


class HeavyTails(toys.ContinuousDistribution):
    """Student t with 2 degrees of freedom, a toy of its own: a density, but an infinite variance."""

    dim, mean, var = 1, 0.0, math.inf

    def logpdf(self, x):
        return stats.t(2).logpdf(x)

    def _sample(self, n, rng):
        return stats.t(2).rvs(n, random_state=rng)

    def parameters(self):
        return {}


def test_reverse_checks_the_default_start_before_drawing_it():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"no finite covariance.*give init"):
        fit_reverse_kl(HeavyTails(), rng=rng)
    assert rng.random() == np.random.default_rng(0).random()  # nothing drawn
    fit = fit_reverse_kl(HeavyTails(), init=toys.Gaussian(0.5, 1.0))  # the gradient by Stein's identity
    assert fit.converged and abs(fit.distribution.mean) < 1e-6
