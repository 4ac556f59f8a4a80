"""Strategies that draw one toy of each family, within the ranges of :mod:`toys.strategies`."""

import math

import numpy as np
from hypothesis import strategies as st

from ..discrete import Bernoulli, Discrete
from ..gaussian import Gaussian
from ..mixture import GaussianMixture
from ..shifted_line import ShiftedLine
from ..simple import Exponential, Uniform
from ..validation import integer, real_array

__all__ = [
    "bernoullis",
    "continuous_1d",
    "covariances",
    "discretes",
    "exponentials",
    "gaussian_mixtures",
    "gaussians",
    "seeds",
    "shifted_lines",
    "supports",
    "uniforms",
]

#: Range of locations: means, ``low``, ``loc``, ``theta`` and atoms.
LOCATION = (-5.0, 5.0)
#: Range of scales: standard deviations, principal standard deviations and ``1 / rate``.
SCALE = (0.2, 5.0)
#: Range of the widths of uniform laws.
WIDTH = (0.2, 10.0)
#: Largest condition number (ratio of extreme eigenvalues) of a drawn covariance matrix.
MAX_CONDITION = 100.0
#: Range of the raw mixture weights, normalised after drawing (no component is negligible).
RAW_WEIGHT = (0.1, 1.0)
#: Range of the raw masses of discrete laws, normalised after drawing.
RAW_MASS = (0.01, 1.0)
#: Spacing of the grid that atoms are drawn from: atoms are at least this far apart.
ATOM_STEP = 0.01
#: Range of the non-degenerate Bernoulli parameters (0 and 1 are drawn too).
BERNOULLI_P = (0.001, 0.999)


def _floats(bounds):
    return st.floats(*bounds, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def seeds():
    """Seeds for ``numpy.random.default_rng``.

    Draw the seed with hypothesis and build the generator from it, so that a failing example
    replays and shrinks like any other.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of int
        Integers in [0, 2**32 - 1].
    """
    return st.integers(0, 2**32 - 1)


def covariances(dim=2):
    r"""Symmetric positive-definite matrices with bounded condition number.

    :math:`\Sigma = R\,\mathrm{diag}(s_1^2, \dots, s_d^2)\,R^\top` with :math:`R` a product of
    Givens rotations by drawn angles and principal standard deviations :math:`s_i` in
    ``SCALE`` = [0.2, 5], no two more than a factor 10 apart, so the condition number is at most
    ``MAX_CONDITION`` = 100.

    Parameters
    ----------
    dim : int
        Size of the matrices, >= 1.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of numpy.ndarray
        Arrays of shape ``(dim, dim)``, exactly symmetric.

    Raises
    ------
    TypeError, ValueError
        If ``dim`` is not an integer >= 1.
    """
    return _covariances(integer("dim", dim, minimum=1))


@st.composite
def _covariances(draw, dim):
    smallest = draw(_floats(SCALE))
    upper = min(SCALE[1], smallest * math.sqrt(MAX_CONDITION))
    stds = [smallest] + [draw(_floats((smallest, upper))) for _ in range(dim - 1)]
    rot = np.eye(dim)
    for i in range(dim):
        for j in range(i + 1, dim):
            angle = draw(_floats((-math.pi, math.pi)))
            givens = np.eye(dim)
            givens[[i, j], [i, j]] = math.cos(angle)
            givens[i, j], givens[j, i] = -math.sin(angle), math.sin(angle)
            rot = rot @ givens
    cov = (rot * np.square(stds)) @ rot.T
    return 0.5 * (cov + cov.T)


def gaussians(dim=1):
    """Gaussian laws, 1-D or d-D.

    Parameters
    ----------
    dim : int
        Dimension, >= 1. In 1-D the mean is in ``LOCATION`` = [-5, 5] and the standard deviation
        in ``SCALE`` = [0.2, 5]; in d-D every coordinate of the mean is in [-5, 5] and the
        covariance is drawn by :func:`covariances` (condition number <= 100).

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.Gaussian
        Laws with ``dim`` as requested.

    Raises
    ------
    TypeError, ValueError
        If ``dim`` is not an integer >= 1.
    """
    dim = integer("dim", dim, minimum=1)
    if dim == 1:
        return st.builds(Gaussian, mean=_floats(LOCATION), std=_floats(SCALE))
    means = st.lists(_floats(LOCATION), min_size=dim, max_size=dim)
    return st.builds(Gaussian, mean=means, cov=_covariances(dim))


def gaussian_mixtures(dim=1, max_components=3):
    """Gaussian mixtures with 1 to ``max_components`` components.

    Parameters
    ----------
    dim : int
        Dimension, >= 1. Components as in :func:`gaussians` (1-D: means in [-5, 5], standard
        deviations in [0.2, 5]; d-D: full covariances of condition number <= 100).
    max_components : int
        Largest number of components, >= 1.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.GaussianMixture
        Mixtures whose weights are raw weights in ``RAW_WEIGHT`` = [0.1, 1], normalised, so that
        no component has a weight below ``0.1 / (0.1 + max_components - 1)``.

    Raises
    ------
    TypeError, ValueError
        If ``dim`` or ``max_components`` is not an integer >= 1.
    """
    return _gaussian_mixtures(integer("dim", dim, minimum=1), integer("max_components", max_components, minimum=1))


@st.composite
def _gaussian_mixtures(draw, dim, max_components):
    k = draw(st.integers(1, max_components))
    raw = np.array([draw(_floats(RAW_WEIGHT)) for _ in range(k)])
    weights = raw / raw.sum()
    if dim == 1:
        means = [draw(_floats(LOCATION)) for _ in range(k)]
        stds = [draw(_floats(SCALE)) for _ in range(k)]
        return GaussianMixture(weights=weights, means=means, stds=stds)
    means = [[draw(_floats(LOCATION)) for _ in range(dim)] for _ in range(k)]
    covs = [draw(_covariances(dim)) for _ in range(k)]
    return GaussianMixture(weights=weights, means=means, covs=covs)


def uniforms():
    """Uniform laws on an interval.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.Uniform
        ``Uniform(low, low + width)`` with ``low`` in ``LOCATION`` = [-5, 5] and ``width`` in
        ``WIDTH`` = [0.2, 10].
    """
    return st.builds(lambda low, width: Uniform(low, low + width), _floats(LOCATION), _floats(WIDTH))


def exponentials():
    """Shifted exponential laws.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.Exponential
        ``Exponential(rate, loc)`` with ``1 / rate`` in ``SCALE`` = [0.2, 5] and ``loc`` in
        ``LOCATION`` = [-5, 5].
    """
    return st.builds(lambda scale, loc: Exponential(rate=1.0 / scale, loc=loc), _floats(SCALE), _floats(LOCATION))


def bernoullis():
    """Bernoulli laws, the degenerate coins included.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.Bernoulli
        ``Bernoulli(p)`` with ``p`` equal to 0 or 1 or in ``BERNOULLI_P`` = [0.001, 0.999] (no
        masses so small that products of a few of them underflow).
    """
    return st.one_of(st.sampled_from([0.0, 1.0]), _floats(BERNOULLI_P)).map(Bernoulli)


def supports(max_atoms=5, min_atoms=1):
    """Sets of distinct atoms, for :func:`discretes` on a common support.

    Parameters
    ----------
    max_atoms : int
        Largest number of atoms, >= ``min_atoms``.
    min_atoms : int
        Smallest number of atoms, >= 1.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of numpy.ndarray
        Sorted 1-D arrays of ``min_atoms`` to ``max_atoms`` points of the grid of step
        ``ATOM_STEP`` = 0.01 in ``LOCATION`` = [-5, 5] (so any two atoms are at least 0.01 apart).

    Raises
    ------
    TypeError, ValueError
        If ``min_atoms`` is not an integer >= 1 or ``max_atoms`` not an integer >= ``min_atoms``.
    """
    min_atoms = integer("min_atoms", min_atoms, minimum=1)
    max_atoms = integer("max_atoms", max_atoms, minimum=min_atoms)
    n = round(LOCATION[1] / ATOM_STEP)
    ticks = st.lists(st.integers(-n, n), min_size=min_atoms, max_size=max_atoms, unique=True)
    return ticks.map(lambda k: np.sort(np.array(k, dtype=float)) * ATOM_STEP)


def discretes(max_atoms=5, support=None):
    """Discrete laws on finitely many points of the line.

    Parameters
    ----------
    max_atoms : int
        Largest number of atoms when ``support`` is not given, >= 1.
    support : array_like, shape (K,), optional
        Distinct points to put the mass on. Laws drawn on one support charge the same atoms, so
        that their KL divergences can be finite. Without it the atoms are drawn by
        :func:`supports`.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.Discrete
        Laws whose masses are raw masses in ``RAW_MASS`` = [0.01, 1], normalised. On a given
        ``support`` a raw mass may also be exactly 0 (at least one is positive), so that laws on
        one support need not charge the same atoms.

    Raises
    ------
    TypeError, ValueError
        If ``max_atoms`` is not an integer >= 1, or ``support`` is not a non-empty 1-D array of
        distinct finite points.
    """
    max_atoms = integer("max_atoms", max_atoms, minimum=1)
    if support is None:
        return supports(max_atoms).flatmap(lambda atoms: _discretes_on(atoms, _floats(RAW_MASS)))
    atoms = np.sort(real_array("support", support, ndim=1))
    if atoms.size == 0 or np.any(np.diff(atoms) == 0):
        raise ValueError(f"support must hold one or more distinct points, got {np.asarray(support).tolist()}")
    return _discretes_on(atoms, st.one_of(st.just(0.0), _floats(RAW_MASS)))


def _discretes_on(atoms, raw_mass):
    def law(raw):
        raw = np.array(raw)
        if not np.any(raw > 0):  # every raw mass drawn was 0: all the mass on the first atom
            raw[0] = 1.0
        return Discrete(support=atoms, probs=raw / raw.sum())

    return st.lists(raw_mass, min_size=atoms.size, max_size=atoms.size).map(law)


def shifted_lines():
    """The parallel-lines laws of the WGAN paper.

    Returns
    -------
    hypothesis.strategies.SearchStrategy of toys.ShiftedLine
        ``ShiftedLine(theta)`` with ``theta`` in ``LOCATION`` = [-5, 5].
    """
    return _floats(LOCATION).map(ShiftedLine)


def continuous_1d():
    """Any of the continuous 1-D toys.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        One of :func:`gaussians`, :func:`gaussian_mixtures` (1-D, up to 3 components),
        :func:`uniforms` and :func:`exponentials`.
    """
    return st.one_of(gaussians(), gaussian_mixtures(), uniforms(), exponentials())
