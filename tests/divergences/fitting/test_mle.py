"""Consistency of the Gaussian maximum-likelihood fit (divergences.fitting).

Oracles: divergences.fit_forward_kl (the fit by optimisation) and divergences.kl on each fit;
the Wishart formula for the mean KL against seeded Monte Carlo of (mean, S) drawn directly from
their sampling laws; Wilks' k / (2n); and for a mixture, the moment-matched Gaussian, the
forward-KL projection.
"""

import math

import numpy as np
import pytest
from scipy import stats

from divergences import fit_forward_kl, kl
from divergences.fitting import gaussian_mle_expected_kl, gaussian_mle_kl
from toys import Gaussian, GaussianMixture


def test_fits_are_the_forward_kl_fits_of_the_same_samples():
    p = Gaussian(1.0, 2.0)
    sweep = gaussian_mle_kl(p, [5, 50], repetitions=3, rng=11)
    gen = np.random.default_rng(11)
    for s, n in enumerate([5, 50]):
        x = p.sample(n * 3, rng=gen).reshape(3, n)  # the sweep draws each size in one call
        for r in range(3):
            fit = fit_forward_kl(x[r]).distribution
            assert math.isclose(sweep.means[s, r, 0], fit.mean, rel_tol=1e-12, abs_tol=1e-12)
            assert math.isclose(sweep.covs[s, r, 0, 0], fit.var, rel_tol=1e-9)
            assert math.isclose(sweep.kl[s, r], kl(p, fit), rel_tol=1e-8, abs_tol=1e-12)


def test_non_gaussian_law_uses_the_numeric_kl():
    p = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    sweep = gaussian_mle_kl(p, [10, 100], repetitions=4, rng=3)
    for s in range(2):
        for r in range(4):
            fit = Gaussian(sweep.means[s, r, 0], math.sqrt(sweep.covs[s, r, 0, 0]))
            assert math.isclose(sweep.kl[s, r], kl(p, fit), abs_tol=1e-9)


def test_misspecified_fits_tend_to_the_moment_matched_gaussian():
    p = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    floor = kl(p, Gaussian(p.mean, math.sqrt(p.var)))
    sweep = gaussian_mle_kl(p, [20, 2000], repetitions=200, rng=5)
    excess = sweep.kl.mean(axis=1) - floor
    # the projection is the minimum over Gaussians, and the excess shrinks (about 1/n)
    assert np.all(sweep.kl >= floor - 1e-9)
    assert excess[1] < excess[0] / 20


@pytest.mark.parametrize("d", [1, 2, 3])
def test_expected_kl_against_monte_carlo_of_the_sampling_laws(d):
    """x_bar - mu ~ N(0, Sigma/n), n S ~ Wishart(n - 1, Sigma), independent; Sigma = I w.l.o.g."""
    n, trials = 12, 200_000
    rng = np.random.default_rng(d)
    z = rng.standard_normal((trials, d)) / math.sqrt(n)
    s = stats.wishart(df=n - 1, scale=np.eye(d)).rvs(size=trials, random_state=rng).reshape(trials, d, d) / n
    s_inv = np.linalg.inv(s)
    values = 0.5 * (
        np.trace(s_inv, axis1=1, axis2=2) + np.einsum("ti,tij,tj->t", z, s_inv, z) - d + np.linalg.slogdet(s)[1]
    )
    # 5 standard errors of the Monte Carlo mean
    assert abs(values.mean() - gaussian_mle_expected_kl(n, dim=d)) <= 5 * values.std() / math.sqrt(trials)


def test_sweep_mean_against_the_exact_mean():
    p = Gaussian(mean=[1.0, -1.0], cov=[[2.0, 0.5], [0.5, 1.0]])
    sizes = [10, 40]
    sweep = gaussian_mle_kl(p, sizes, repetitions=1000, rng=1)
    exact = gaussian_mle_expected_kl(np.array(sizes), dim=2)
    sem = sweep.kl.std(axis=1) / math.sqrt(1000)
    assert np.all(np.abs(sweep.kl.mean(axis=1) - exact) <= 5 * sem)
    assert sweep.means.shape == (2, 1000, 2) and sweep.covs.shape == (2, 1000, 2, 2)


@pytest.mark.parametrize("d", [1, 2, 5])
def test_expected_kl_tends_to_wilks(d):
    k = d + d * (d + 1) / 2
    n = np.array([10**4, 10**5, 10**6])
    ratio = gaussian_mle_expected_kl(n, dim=d) / (k / (2 * n))
    assert np.all(np.abs(ratio - 1) < 2 * (d + 2) ** 2 / n)  # the O(1/n) correction


def test_scalar_and_array_returns():
    assert isinstance(gaussian_mle_expected_kl(10), float)
    assert gaussian_mle_expected_kl([10, 20]).shape == (2,)


def test_bad_inputs():
    with pytest.raises(ValueError, match="sizes must be integers >= 3"):
        gaussian_mle_kl(Gaussian(), [2, 10])
    with pytest.raises(ValueError, match="sizes must be integers >= 4"):
        gaussian_mle_kl(Gaussian(mean=[0.0, 0.0]), [3])
    with pytest.raises(TypeError, match="sizes must be an integer"):
        gaussian_mle_kl(Gaussian(), [10.5])
    with pytest.raises(ValueError, match="sizes must be a 1-D array"):
        gaussian_mle_kl(Gaussian(), 10)
    with pytest.raises(ValueError, match="repetitions must be integers >= 1"):
        gaussian_mle_kl(Gaussian(), [10], repetitions=0)
    with pytest.raises(TypeError, match="rng must be"):
        gaussian_mle_kl(Gaussian(), [10], rng="seed")
    with pytest.raises(ValueError, match="n must be integers >= 4"):
        gaussian_mle_expected_kl(3)
    with pytest.raises(ValueError, match="dim must be integers >= 1"):
        gaussian_mle_expected_kl(10, dim=0)
