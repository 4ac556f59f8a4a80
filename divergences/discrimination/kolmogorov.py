r"""The Kolmogorov distance between two 1-D laws: the largest gap between their CDFs.

Convergence in distribution of laws on the line to a continuous limit is convergence in this
distance (Pólya's theorem), so it sees the central limit theorem where total variation does
not: :math:`S_n/\sqrt n` of a fair :math:`\pm 1` walk is within :math:`O(n^{-1/2})` of N(0, 1)
in Kolmogorov distance (Berry-Esseen) and at total variation 1 from it for every n.
"""

import numpy as np

from toys.base import DiscreteDistribution

from .likelihood_ratio import check_laws, lr_intervals


def kolmogorov(p, q):
    r"""Kolmogorov distance :math:`\sup_x |F_P(x) - F_Q(x)|` between two 1-D laws.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two 1-D laws with CDFs: continuous, discrete, or one of each.

    Returns
    -------
    float
        In [0, 1] (unitless); the statistic of the two-sample Kolmogorov-Smirnov test when the
        laws are two empirical ones (:func:`toys.empirical_law`).

    Raises
    ------
    TypeError
        If an argument is not a law with a CDF (a singular law).
    ValueError
        If the laws are not 1-D.

    Notes
    -----
    .. math:: K(P, Q) = \sup_x |F_P(x) - F_Q(x)| = \sup_{A = (-\infty, x]} |P(A) - Q(A)|
              \ \le\ \mathrm{TV}(P, Q).

    The supremum is found exactly, to rounding. Both discrete: :math:`F_P - F_Q` is constant
    between atoms, so it is the largest gap at the atoms. A discrete law (atoms :math:`a_k`)
    against a continuous one (CDF :math:`G`): between atoms the gap is monotone, so it is the
    largest of :math:`|F(a_k) - G(a_k)|` and :math:`|F(a_k^-) - G(a_k)|`, the left limits
    included. Both continuous: :math:`F_P - F_Q` has its extrema where :math:`p - q` changes
    sign, the ends of the intervals of :math:`\{p > q\}` (:func:`divergences.discrimination.lr_intervals`,
    located to machine precision; the derivative vanishes there, so the value is exact).

    References
    ----------
    .. [1] A. W. van der Vaart, *Asymptotic Statistics*, Cambridge University Press 1998,
       Lemma 2.11 (Pólya) and Sec. 19.1.
    .. [2] W. Feller, *An Introduction to Probability Theory and Its Applications*, Vol. 2, 2nd
       ed., Wiley 1971, Sec. XVI.5 (Berry-Esseen).

    Examples
    --------
    For two Gaussians of equal variance the largest gap is at the midpoint, where it equals TV:

    >>> import math
    >>> from toys import Gaussian, Uniform, scaled_walk
    >>> from divergences import tv
    >>> from divergences.discrimination import kolmogorov
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    >>> math.isclose(kolmogorov(p, q), tv(p, q))
    True
    >>> kolmogorov(Uniform(0.0, 1.0), Uniform(0.0, 2.0))  # F_P - F_Q = x/2 on [0, 1]
    0.5
    >>> kolmogorov(scaled_walk(100), Gaussian()) < 0.05 < tv(scaled_walk(100), Gaussian())
    True
    """
    p, q = check_laws(p, q)
    p_discrete, q_discrete = isinstance(p, DiscreteDistribution), isinstance(q, DiscreteDistribution)
    if p_discrete and q_discrete:
        x = np.union1d(p.atoms, q.atoms)
        gap = np.abs(p.cdf(x) - q.cdf(x))
    elif p_discrete or q_discrete:
        atoms, smooth = (p, q) if p_discrete else (q, p)
        at = atoms.cdf(atoms.atoms)  # F(a_k)
        before = np.concatenate([[0.0], at[:-1]])  # F(a_k^-), the left limits
        g = smooth.cdf(atoms.atoms)
        gap = np.maximum(np.abs(at - g), np.abs(before - g))
    else:
        ends = lr_intervals(p, q).ravel()
        ends = ends[np.isfinite(ends)]
        gap = np.abs(p.cdf(ends) - q.cdf(ends))
    return float(np.clip(np.max(gap, initial=0.0), 0.0, 1.0))
