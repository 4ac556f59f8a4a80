"""fit_f_divergence: the Gaussian minimising D_f(P || N(mu, sigma^2)), against independent answers.

* forward KL's minimiser is the moment-matched Gaussian (maximum likelihood, in closed form);
* reverse KL's is the fit of ``fit_reverse_kl`` (L-BFGS-B on another objective code, gradients by
  its own quadrature) from the same start;
* every f-divergence between Gaussians vanishes only at Q = P, so a Gaussian target is found;
* "gan" is 2 JS - ln 4 (Goodfellow et al. 2014, Theorem 1): the same minimiser as "js".
The minimiser is located to about 1e-6 (the objective's quadrature is accurate to about 1e-12
relative, and a minimum is flat to second order); the tolerances are 1e-5.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import divergences
import toys
from divergences.fitting import fit_f_divergence, fit_reverse_kl
from divergences.generators import GENERATORS

MIXTURE = toys.GaussianMixture(weights=[0.3, 0.7], means=[-2.0, 2.0], stds=[0.7, 0.7])
START = toys.Gaussian(0.0, 0.8)  # every named D_f is finite here for MIXTURE


def test_forward_kl_gives_the_moments():
    fit = fit_f_divergence(MIXTURE, "kl", init=START)
    assert fit.converged and fit.objective == "kl"
    assert fit.distribution.mean == pytest.approx(MIXTURE.mean, abs=1e-5)
    assert fit.distribution.std == pytest.approx(math.sqrt(MIXTURE.var), abs=1e-5)
    assert fit.value == pytest.approx(divergences.kl(MIXTURE, fit.distribution), abs=1e-12)


def test_reverse_kl_agrees_with_fit_reverse_kl():
    ours = fit_f_divergence(MIXTURE, "reverse_kl", init=START).distribution
    theirs = fit_reverse_kl(MIXTURE, init=START).distribution
    assert ours.mean == pytest.approx(theirs.mean, abs=1e-5)
    assert ours.std == pytest.approx(theirs.std, abs=1e-5)
    assert ours.mean > 1.9  # mode seeking: the heavier mode at 2


def test_gan_and_js_share_their_minimiser():
    js, gan = fit_f_divergence(MIXTURE, "js", init=START), fit_f_divergence(MIXTURE, "gan", init=START)
    assert gan.distribution.mean == pytest.approx(js.distribution.mean, abs=1e-5)
    assert gan.distribution.std == pytest.approx(js.distribution.std, abs=1e-5)
    assert gan.value == pytest.approx(2 * js.value - math.log(4), abs=1e-12)


@pytest.mark.parametrize("f", ["pearson", "neyman", "hellinger", "jeffreys", "tv"])
def test_each_fit_is_a_local_minimum(f):
    fit = fit_f_divergence(MIXTURE, f, init=START)
    assert fit.converged
    assert np.all(np.diff(fit.history) <= 1e-12)  # Nelder-Mead's best value never rises
    mu, log_sigma = fit.distribution.mean, math.log(fit.distribution.std)
    for dm, ds in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        nearby = divergences.f_divergence(MIXTURE, toys.Gaussian(mu + dm, math.exp(log_sigma + ds)), f)
        assert nearby >= fit.value - 1e-12


@settings(max_examples=8)
@given(
    mu=st.floats(-3.0, 3.0),
    sigma=st.floats(0.3, 3.0),
    f=st.sampled_from(["kl", "reverse_kl", "hellinger", "js", "jeffreys"]),
)
def test_a_gaussian_target_is_found(mu, sigma, f):
    target = toys.Gaussian(mu, sigma)
    fit = fit_f_divergence(target, f, init=toys.Gaussian(mu + 0.5 * sigma, 1.3 * sigma))
    assert fit.distribution.mean == pytest.approx(mu, abs=1e-5 * sigma)
    assert fit.distribution.std == pytest.approx(sigma, rel=1e-5)
    assert fit.value == pytest.approx(0.0, abs=1e-10)


def test_default_start_is_the_moment_matched_gaussian():
    fit = fit_f_divergence(MIXTURE, "kl")
    assert fit.init.mean == pytest.approx(0.8) and fit.init.std == pytest.approx(math.sqrt(MIXTURE.var))
    assert fit.distribution.mean == pytest.approx(fit.init.mean, abs=1e-6)  # already the minimiser
    assert fit.distribution.std == pytest.approx(fit.init.std, abs=1e-6)


def test_a_generator_object_is_accepted():
    fit = fit_f_divergence(MIXTURE, GENERATORS["hellinger"], init=START)
    assert fit.objective == "f_divergence"
    assert fit.distribution.mean == pytest.approx(fit_f_divergence(MIXTURE, "hellinger", init=START).distribution.mean)


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((MIXTURE, "neyman"), {}, ValueError, "start from another Gaussian"),  # sigma 1.96 > 0.7 sqrt(2): inf
        ((MIXTURE, "nope"), {}, ValueError, "nope"),
        ((MIXTURE, 3), {}, TypeError, "f must be"),
        ((MIXTURE, "kl"), {"init": (0.0, 1.0)}, TypeError, "init must be"),
        ((toys.Gaussian(mean=[0.0, 0.0], cov=np.eye(2)), "kl"), {}, ValueError, "1-D"),
        ((MIXTURE, "kl"), {"max_iter": 0}, ValueError, "max_iter"),
        ((MIXTURE, "kl"), {"tol": -1.0}, ValueError, "tol"),
    ],
)
def test_bad_input_is_refused(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_f_divergence(*args, **kwargs)
