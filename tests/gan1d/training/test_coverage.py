"""Mode coverage (VEEGAN/PacGAN protocol) on sample sets built so that the answer is known.

The rule under test: each sample goes to its nearest mode centre (Euclidean); it is high quality
if it lies within ``n_std`` standard deviations of that centre (the Mahalanobis distance for a
general covariance); a mode is captured if a high-quality sample is assigned to it. Boundary cases
use exactly representable numbers (0.5, 1.5, 3.5, ...) so "exactly 3 sd" is exact in floating
point, and ``np.nextafter`` for "just outside". The property tests compare with a per-point
reference written from the rule with scipy.spatial.distance.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.spatial import distance

import gan1d
import toys
from toys.strategies import gaussian_mixtures, seeds

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])
#: Mode 0 at the origin with sd 2 along x and 0.5 along y; mode 1 far off, isotropic.
ANISOTROPIC = toys.GaussianMixture(
    weights=[0.5, 0.5], means=[[0.0, 0.0], [20.0, 0.0]], covs=[np.diag([4.0, 0.25]), np.eye(2)]
)


def test_all_modes_of_the_ring_and_the_grid():
    for mixture in (toys.ring(), toys.grid()):
        assert gan1d.mode_coverage(mixture.means, mixture) == (mixture.n_components, 1.0)
        # Samples from the mixture itself: with 3 sd, 99.7% of a Gaussian's mass in 1-D and
        # 1 - exp(-9/2) = 98.9% in 2-D; 2,500 samples put ~100 in each of 25 modes.
        modes, quality = gan1d.mode_coverage(mixture.sample(2500, rng=0), mixture)
        assert modes == mixture.n_components
        assert quality == pytest.approx(1 - math.exp(-4.5), abs=0.01)  # binomial sd 0.002


def test_the_3_sd_boundary_is_inside():
    inside = np.array([2.0 + 1.5, 2.0 - 1.5, -2.0 + 1.5])  # exactly 3 sd = 1.5 from a centre
    assert gan1d.mode_coverage(inside, TWO_MODES) == (2, 1.0)
    # One ulp further out, on the outer sides (|x| > 2: one ulp of x survives x - mean; on the inner
    # sides it would round away).
    outside = np.nextafter([3.5, -3.5], [np.inf, -np.inf])
    assert gan1d.mode_coverage(outside, TWO_MODES) == (0, 0.0)
    assert gan1d.mode_coverage(np.array([3.5, -3.5]), TWO_MODES) == (2, 1.0)
    mixed = np.array([3.5, np.nextafter(-3.5, -np.inf), -2.0, 7.0])
    assert gan1d.mode_coverage(mixed, TWO_MODES) == (2, 0.5)


def test_n_std_sets_the_radius():
    x = np.array([2.5, -3.0])  # 1 sd from mode 1, 2 sd from mode 0
    assert gan1d.mode_coverage(x, TWO_MODES, n_std=1) == (1, 0.5)
    assert gan1d.mode_coverage(x, TWO_MODES, n_std=2) == (2, 1.0)
    assert gan1d.mode_coverage(x, TWO_MODES, n_std=0.5) == (0, 0.0)


def test_a_sample_goes_to_its_nearest_centre_only():
    # x = 4.5 is nearest to mode 0 (4.5 < 5.5) but 45 of its sd away; it lies within 3 sd
    # (5.5 / 4 = 1.4) of the wide mode 1, which it is not assigned to: not high quality.
    wide = toys.GaussianMixture(weights=[0.5, 0.5], means=[0.0, 10.0], stds=[0.1, 4.0])
    assert gan1d.mode_coverage([4.5], wide) == (0, 0.0)
    assert gan1d.mode_coverage([5.5], wide) == (1, 1.0)  # nearer mode 1 now, 4.5 / 4 sd away


def test_equidistant_sample_counts_for_one_mode():
    # x = 0 is 2 from both centres, i.e. 4 sd: whichever mode takes it, exactly one is captured.
    assert gan1d.mode_coverage([0.0], TWO_MODES, n_std=4) == (1, 1.0)
    assert gan1d.mode_coverage([0.0, 0.0, 0.0], TWO_MODES, n_std=4) == (1, 1.0)
    ring = toys.ring()
    assert gan1d.mode_coverage([[0.0, 0.0]], ring, n_std=200) == (1, 1.0)  # the centre: 100 sd from all 8


def test_one_dimensional_samples_as_vector_or_column():
    x = np.array([-2.1, -1.9, 0.0, 5.0])
    assert gan1d.mode_coverage(x, TWO_MODES) == gan1d.mode_coverage(x[:, None], TWO_MODES) == (1, 0.5)


def test_anisotropic_modes_use_the_mahalanobis_distance():
    cases = [
        ([6.0, 0.0], True),  # 3 sd along x (sd 2): exactly on the boundary
        ([0.0, 1.5], True),  # 3 sd along y (sd 0.5)
        ([0.0, np.nextafter(1.5, 2.0)], False),
        ([0.0, 1.6], False),  # 3.2 sd along y, though only 1.6 from the centre
        ([5.0, 0.0], True),  # 2.5 sd along x, though 5 from the centre
        ([4.0, 1.0], True),  # sqrt(2^2 + 2^2) = 2.83 sd
        ([4.5, 1.0], False),  # sqrt(2.25^2 + 2^2) = 3.01 sd
    ]
    for point, good in cases:
        assert gan1d.mode_coverage([point], ANISOTROPIC) == (int(good), float(good)), point
    # A correlated mode: the same Euclidean distance is inside along the long axis, outside along the short one.
    corr = toys.GaussianMixture(weights=[1.0], means=[[0.0, 0.0]], covs=[[[1.0, 0.8], [0.8, 1.0]]])
    long_axis, short_axis = np.array([1.0, 1.0]) / math.sqrt(2), np.array([1.0, -1.0]) / math.sqrt(2)
    r = 2.5  # 3 sd is 3 sqrt(1.8) = 4.02 along the long axis, 3 sqrt(0.2) = 1.34 along the short one
    assert gan1d.mode_coverage([r * long_axis], corr) == (1, 1.0)
    assert gan1d.mode_coverage([r * short_axis], corr) == (0, 0.0)


@pytest.mark.parametrize(
    ("samples", "mixture", "match"),
    [
        (np.empty(0), TWO_MODES, "non-empty"),
        (np.empty((0, 2)), toys.ring(), "non-empty"),
        ([0.0, np.nan], TWO_MODES, "finite"),
        ([[0.0, np.inf]], toys.ring(), "finite"),
        (np.zeros((5, 3)), toys.ring(), "shape"),
        (np.zeros(5), toys.ring(), "shape"),
        (np.zeros((5, 2)), TWO_MODES, "shape"),
        (np.zeros((2, 2, 2)), toys.ring(), "shape"),
    ],
)
def test_bad_samples(samples, mixture, match):
    with pytest.raises(ValueError, match=match):
        gan1d.mode_coverage(samples, mixture)


def test_bad_mixture_or_radius():
    with pytest.raises(TypeError, match="mixture"):
        gan1d.mode_coverage([0.0], toys.Gaussian(0.0, 1.0))
    with pytest.raises(TypeError, match="mixture"):
        gan1d.mode_coverage([0.0], "ring")
    with pytest.raises(TypeError, match="samples"):
        gan1d.mode_coverage(["a", "b"], TWO_MODES)
    for n_std in (0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="n_std"):
            gan1d.mode_coverage([0.0], TWO_MODES, n_std=n_std)


# -- properties ---------------------------------------------------------------------------------------
@given(st.sampled_from(["ring", "grid"]), seeds(), st.integers(1, 40))
def test_samples_at_chosen_centres_capture_exactly_those_modes(kind, seed, n):
    mixture = toys.ring() if kind == "ring" else toys.grid()
    rng = np.random.default_rng(seed)
    chosen = rng.integers(0, mixture.n_components, size=n)
    assert gan1d.mode_coverage(mixture.means[chosen], mixture) == (np.unique(chosen).size, 1.0)
    # Adding far-off samples changes the quality fraction, not the modes.
    far = np.full((n, 2), 50.0)
    assert gan1d.mode_coverage(np.vstack([mixture.means[chosen], far]), mixture) == (np.unique(chosen).size, 0.5)


def _reference(x, mixture, n_std):
    """The rule, one sample at a time, with scipy's distances."""
    covs = mixture.covs if mixture.dim > 1 else (mixture.stds**2)[:, None, None]
    means = mixture.means.reshape(mixture.n_components, mixture.dim)
    captured, good, margins = set(), 0, []
    for point in x.reshape(len(x), mixture.dim):
        d = [distance.euclidean(point, m) for m in means]
        k = int(np.argmin(d))
        margins.append(abs(sorted(d)[1] - d[0]) if len(d) > 1 else math.inf)
        maha = distance.mahalanobis(point, means[k], np.linalg.inv(covs[k]))
        margins.append(abs(maha - n_std))
        if maha <= n_std:
            captured.add(k)
            good += 1
    return len(captured), good / len(x), min(margins)


@given(st.one_of(gaussian_mixtures(dim=1, max_components=4), gaussian_mixtures(dim=2, max_components=4)), seeds())
def test_matches_a_per_point_reference(mixture, seed):
    rng = np.random.default_rng(seed)
    y = mixture.sample(30, rng)
    x = y + rng.normal(0.0, 1.0, size=y.shape)  # mixture samples, half of them pushed out of their mode
    n_std = float(rng.uniform(0.5, 4.0))
    modes, quality, margin = _reference(x, mixture, n_std)
    assume(margin > 1e-9)  # no sample on a tie or on the radius, where rounding may decide
    assert gan1d.mode_coverage(x, mixture, n_std=n_std) == (modes, quality)
