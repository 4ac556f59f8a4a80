r"""The likelihood-ratio test between two 1-D laws, its two errors, and the best test.

To decide between :math:`H_0: X \sim P` and :math:`H_1: X \sim Q` from one draw, a test picks a
region :math:`A` and decides P when :math:`X \in A`. It errs in two ways: the type I error
:math:`\alpha = P(A^c)` (rejecting P when P is true) and the type II error :math:`\beta = Q(A)`
(keeping P when Q is true). Their sum

.. math:: \alpha + \beta = 1 - \big(P(A) - Q(A)\big) \ \ge\ 1 - \mathrm{TV}(P, Q),

with equality for :math:`A^* = \{p > q\}` (Scheffé's set). The likelihood-ratio tests
:math:`A_t = \{p > t\,q\}`, :math:`t > 0`, trace the best trade-off between the two errors
(Neyman-Pearson); :math:`t = 1` minimises their sum.

For two continuous laws, :func:`lr_intervals` finds :math:`A_t` as a union of intervals: the
sign of :math:`\log p - \log q - \log t` is evaluated on a grid fine enough to resolve both laws
(each panel of :mod:`divergences.numeric.one_d` cut into ``SUBDIVISIONS`` steps, plus one point
beyond each end of the window), and every change of sign between neighbouring points is located
by bisection to machine precision. The probabilities of the intervals are then differences of
CDFs, exact to rounding. Two boundaries closer together than one grid step (1/16 of the
smallest standard deviation of a Gaussian component) can be missed; the errors then change by
the mass of :math:`|p - t\,q|` between them, which is small because :math:`p - t\,q` stays near
0 between two close crossings.
"""

import numpy as np

from toys.base import ContinuousDistribution, DiscreteDistribution

from ..laws import check_pair
from ..numeric import one_d

#: Grid points per panel of :mod:`divergences.numeric.one_d` (panels are at most 2 standard deviations wide).
SUBDIVISIONS = 32
_BISECTIONS = 80


def lr_intervals(p, q, threshold=1.0):
    r"""The region :math:`A_t = \{x : p(x) > t\,q(x)\}` of two continuous 1-D laws, as intervals.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two continuous 1-D laws (with densities).
    threshold : float
        :math:`t > 0`; the default 1 gives Scheffé's set :math:`A^* = \{p > q\}`.

    Returns
    -------
    numpy.ndarray, shape (k, 2)
        Disjoint intervals ``[a, b]``, sorted, whose union is :math:`A_t` up to its boundary
        points; ``a`` may be ``-inf`` and ``b`` ``inf``. Shape (0, 2) when :math:`A_t` is empty.
        Points where both densities are 0 are outside :math:`A_t`; points where only ``q`` is
        0 are inside it.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not a continuous law (for discrete laws :math:`A_t` is a set of
        atoms: compare ``p.pmf`` and ``q.pmf`` on them).
    ValueError
        If the laws are not 1-D or ``threshold`` is not a finite number > 0.

    Notes
    -----
    .. math:: \mathrm{TV}(P, Q) = P(A^*) - Q(A^*) = \sum_{[a, b] \in A^*}
              \big(F_P(b) - F_P(a)\big) - \big(F_Q(b) - F_Q(a)\big)   \quad\text{(Scheffé)}

    The boundaries are located as described in :mod:`divergences.discrimination`.

    References
    ----------
    .. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Lemma 2.1
       (Scheffé's theorem).

    Examples
    --------
    Two Gaussians of equal variance: :math:`A^*` is the half-line below the midpoint.

    >>> import math
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences import tv
    >>> from divergences.discrimination import lr_intervals
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    >>> np.round(lr_intervals(p, q), 12).tolist()
    [[-inf, 0.5]]
    >>> math.isclose(p.cdf(0.5) - q.cdf(0.5), tv(p, q))
    True
    """
    p, q = check_laws(p, q)
    log_t = _log_thresholds(threshold)
    if not (isinstance(p, ContinuousDistribution) and isinstance(q, ContinuousDistribution)):
        raise TypeError(
            f"p and q must be continuous laws (with densities), got {type(p).__name__} and {type(q).__name__}; "
            "for discrete laws the region is the set of atoms where p.pmf > threshold * q.pmf"
        )
    if log_t.ndim != 0:
        raise ValueError(f"threshold must be a scalar, got shape {log_t.shape}")
    return _intervals(p, q, log_t[None])[0]


def lr_test_errors(p, q, threshold=1.0):
    r"""The two errors of the likelihood-ratio test that decides P on :math:`\{p > t\,q\}`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two 1-D laws: the null hypothesis P and the alternative Q. Both continuous, both
        discrete, or one of each (then the laws are mutually singular and both errors are 0).
    threshold : float or array_like
        Thresholds :math:`t > 0`, any shape (not bools).

    Returns
    -------
    alpha, beta : float, or numpy.ndarray of the shape of ``threshold``
        The type I error :math:`\alpha = P(p \le t\,q)` and the type II error
        :math:`\beta = Q(p > t\,q)`, probabilities in [0, 1]: Python floats for a scalar
        ``threshold`` (as numpy's functions do), arrays otherwise.

    Raises
    ------
    ValueError
        If the laws are not 1-D or a threshold is not a finite number > 0.
    TypeError
        If an argument is not a law, or is a singular law, or ``threshold`` is a bool or not a
        number.

    Notes
    -----
    For every region :math:`A` (every test),

    .. math:: \alpha + \beta = P(A^c) + Q(A) = 1 - \big(P(A) - Q(A)\big) \ge 1 - \mathrm{TV}(P, Q),

    with equality at :math:`t = 1` (:func:`best_test_error`). Over :math:`t`, the pairs
    :math:`(\alpha, \beta)` are the lower-left boundary of all the tests' pairs: no test has
    both errors smaller (Neyman-Pearson lemma [1]_). For continuous laws the region is found as
    in :func:`lr_intervals`; for discrete laws on the union of the atoms, exactly.

    References
    ----------
    .. [1] E. L. Lehmann, J. P. Romano, *Testing Statistical Hypotheses*, 3rd ed., Springer
       2005, Thm. 3.2.1.
    .. [2] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Bernoulli, Gaussian
    >>> from divergences import tv
    >>> from divergences.discrimination import lr_test_errors
    >>> alpha, beta = lr_test_errors(Bernoulli(0.25), Bernoulli(0.75), [0.2, 1.0, 4.0])
    >>> alpha.tolist(), beta.tolist()
    ([0.0, 0.25, 1.0], [1.0, 0.25, 0.0])
    >>> lr_test_errors(Bernoulli(0.25), Bernoulli(0.75))            # t = 1: floats
    (0.25, 0.25)
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    >>> a, b = lr_test_errors(p, q, np.exp(np.linspace(-3, 3, 61)))
    >>> bool(np.isclose((a + b).min(), 1 - tv(p, q)) and np.argmin(a + b) == 30)
    True
    """
    p, q = check_laws(p, q)
    log_t = _log_thresholds(threshold)
    flat = log_t.ravel()
    if isinstance(p, DiscreteDistribution) and isinstance(q, DiscreteDistribution):
        x = np.union1d(p.atoms, q.atoms)
        pm, qm = p.pmf(x), q.pmf(x)
        t = np.asarray(threshold, dtype=float).ravel()  # exactly as given, so that ties p = t q stay ties
        inside = pm > t[:, None] * qm  # (T, atoms): the atoms where p > t q
        alpha = np.where(inside, 0.0, pm).sum(axis=1)
        beta = np.where(inside, qm, 0.0).sum(axis=1)
    elif isinstance(p, DiscreteDistribution) or isinstance(q, DiscreteDistribution):
        # an atom against a density: the atoms of the discrete law separate the two perfectly
        alpha = beta = np.zeros(flat.size)
    else:
        intervals = _intervals(p, q, flat)
        alpha = np.array([1.0 - _mass(p, iv) for iv in intervals])
        beta = np.array([_mass(q, iv) for iv in intervals])
    alpha, beta = np.clip(alpha, 0.0, 1.0).reshape(log_t.shape), np.clip(beta, 0.0, 1.0).reshape(log_t.shape)
    if log_t.ndim == 0:  # scalar in, scalar out
        return float(alpha), float(beta)
    return alpha, beta


def best_test_error(p, q):
    r"""The smallest sum of the two errors of any test of P against Q: :math:`1 - \mathrm{TV}(P, Q)`.

    Computed as the errors of the likelihood-ratio test at :math:`t = 1`, that is from Scheffé's
    set and the two CDFs, not from :func:`divergences.tv`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two 1-D laws, as in :func:`lr_test_errors`.

    Returns
    -------
    float
        :math:`\min_A \big(P(A^c) + Q(A)\big)` in [0, 1]: 1 for equal laws (no test does better
        than guessing), 0 for mutually singular ones.

    Raises
    ------
    TypeError, ValueError
        As :func:`lr_test_errors`.

    Notes
    -----
    .. math:: \min_A \big(P(A^c) + Q(A)\big) = P\big((A^*)^c\big) + Q(A^*) = 1 - \mathrm{TV}(P, Q)
              = \int \min(p, q), \qquad A^* = \{p > q\}.

    References
    ----------
    .. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.2.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian, GaussianMixture, scaled_walk
    >>> from divergences import tv
    >>> from divergences.discrimination import best_test_error
    >>> p = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    >>> math.isclose(best_test_error(p, Gaussian(0.0, 1.0)), 1 - tv(p, Gaussian(0.0, 1.0)), abs_tol=1e-9)
    True
    >>> best_test_error(scaled_walk(10), Gaussian(0.0, 1.0))  # "is X on the lattice?" never errs
    0.0
    """
    alpha, beta = lr_test_errors(p, q, 1.0)
    return float(min(alpha + beta, 1.0))


# -- the region {p > t q} of two continuous laws -------------------------------------------------
def _intervals(p, q, log_t):
    """For each log-threshold, the intervals (k, 2) of {log p - log q > log t}."""
    x = _grid(p, q)
    inside = _inside(p.logpdf(x), q.logpdf(x), log_t[:, None])  # (T, N)
    row, i = np.nonzero(inside[:, 1:] != inside[:, :-1])  # a boundary between x[i] and x[i + 1]
    lo, hi, state = x[i], x[i + 1], inside[row, i]
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        same = _inside(p.logpdf(mid), q.logpdf(mid), log_t[row]) == state
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    roots = 0.5 * (lo + hi)
    out = []
    for r in range(log_t.size):
        # the boundaries of this threshold, between the two ends of the line
        cuts = np.concatenate([[-np.inf], roots[row == r], [np.inf]])
        starts_inside = inside[r, 0]
        keep = np.arange(cuts.size - 1) % 2 == (0 if starts_inside else 1)  # states alternate
        out.append(np.stack([cuts[:-1][keep], cuts[1:][keep]], axis=1))
    return out


def _grid(p, q):
    """Sorted points resolving both laws, with one point beyond each end of their joint window."""
    edges = one_d.panel_edges(p, q)
    steps = np.linspace(0.0, 1.0, SUBDIVISIONS, endpoint=False)
    fine = (edges[:-1, None] + np.diff(edges)[:, None] * steps).ravel()
    pad = edges[-1] - edges[0]
    return np.concatenate([[edges[0] - pad], fine, [edges[-1], edges[-1] + pad]])


def _inside(lp, lq, log_t):
    """Whether p > t q, from log densities: p > 0, and q = 0 or log p - log q > log t."""
    with np.errstate(invalid="ignore"):
        return (lp > -np.inf) & ((lq == -np.inf) | (lp - lq > log_t))


def _mass(law, intervals):
    """Probability of a union of disjoint intervals (k, 2) under a 1-D law with a CDF."""
    if intervals.size == 0:
        return 0.0
    return float(np.sum(law.cdf(intervals[:, 1]) - law.cdf(intervals[:, 0])))


# -- checks ------------------------------------------------------------------------------------
def check_laws(p, q):
    """Two 1-D laws with a density or a mass function (so with CDFs), as toys; also used by kolmogorov."""
    p, q = check_pair(p, q)
    if p.dim != 1:
        raise ValueError(f"p and q must be 1-D laws, got dim={p.dim} ({p!r})")
    for name, law in (("p", p), ("q", q)):
        if not isinstance(law, (ContinuousDistribution, DiscreteDistribution)):
            raise TypeError(f"{name} must be a 1-D law with a density or a mass function (and a CDF), got {law!r}")
    return p, q


def _log_thresholds(threshold):
    if isinstance(threshold, (bool, np.bool_)) or np.asarray(threshold).dtype == bool:
        raise TypeError(f"threshold must be a number or an array of numbers > 0, not a bool, got {threshold!r}")
    try:
        t = np.asarray(threshold, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"threshold must be a number or an array of numbers > 0, got {threshold!r}") from exc
    if not np.all(np.isfinite(t) & (t > 0)):
        raise ValueError(f"threshold must hold finite numbers > 0, got {threshold!r}")
    return np.log(t)
