r"""Total variation of n-fold products: how n independent draws make two laws tell apart.

With :math:`\delta = \mathrm{TV}(P, Q)`, the laws :math:`P^{\otimes n}` and :math:`Q^{\otimes n}` of
n independent draws satisfy

.. math:: 1 - 2 e^{-n\delta^2/2} \ \le\ \mathrm{TV}(P^{\otimes n}, Q^{\otimes n})
          \ \le\ 1 - (1 - \delta)^n,

so their total variation tends to 1. The lower bound is the error of one test: count the draws
that fall in Scheffé's set :math:`A^* = \{p > q\}`; the count is Binomial(n, P(A*)) under P and
Binomial(n, Q(A*)) under Q, whose means differ by :math:`n\delta`, and deciding P when the count
is above the midpoint errs with probability at most :math:`e^{-n\delta^2/2}` under each law
(Hoeffding's inequality for variables in [0, 1]). The best test does at least as well:
:math:`1 - \mathrm{TV}(P^{\otimes n}, Q^{\otimes n}) \le 2 e^{-n\delta^2/2}`.

* :func:`product_tv`: the exact TV of the products, for pairs where a sufficient statistic
  makes them small (discrete laws on K atoms: the vector of counts, multinomial, binomial for
  K = 2; Gaussians with one covariance: the projected mean, Gaussian).
* :func:`midpoint_test_errors`: the exact errors of the counting test above, for any 1-D pair.
* :func:`product_tv_lower_bound`: the bound :math:`1 - 2e^{-n\delta^2/2}`.
"""

import math
import numbers

import numpy as np
from scipy import linalg, special, stats

from toys import Gaussian
from toys.base import DiscreteDistribution
from toys.validation import integer_array

from ..laws import check_pair
from .likelihood_ratio import lr_test_errors

#: Largest number of count vectors :math:`\binom{n + K - 1}{K - 1}` that :func:`product_tv` sums over for
#: discrete laws on K >= 3 atoms (about 0.1 s and 100 MB of temporaries).
MAX_COUNT_VECTORS = 1_000_000


def product_tv(p, q, n):
    r"""Total variation between :math:`P^{\otimes n}` and :math:`Q^{\otimes n}`, exactly.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Either two discrete laws with K atoms of positive mass in all (for K >= 3 the cost grows
        like :math:`n^{K-1}`, see Raises), or two Gaussians with the same covariance (any dimension).
    n : int or array_like of int
        Numbers of independent draws, each >= 1.

    Returns
    -------
    float or numpy.ndarray
        :math:`\mathrm{TV}(P^{\otimes n}, Q^{\otimes n})` in [0, 1]: a float for a scalar ``n``,
        otherwise an array of the shape of ``n``.

    Raises
    ------
    TypeError
        If ``n`` is not an integer or an array of integers.
    ValueError
        If some ``n < 1``, or, for discrete laws on K >= 3 atoms, the number of count vectors
        :math:`\binom{n + K - 1}{K - 1}` exceeds ``MAX_COUNT_VECTORS`` (1,000,000).
    NotImplementedError
        For other pairs (no sufficient statistic reduces them to a small problem here).

    Notes
    -----
    TV is unchanged by a sufficient statistic [2]_: the likelihood ratio of the products depends on
    the draws only through it. For laws on K atoms with masses :math:`a_k` and :math:`b_k` it is
    the vector of counts :math:`c = (c_1, \dots, c_K)`, :math:`\sum_k c_k = n`, multinomial under
    both laws, so

    .. math:: \mathrm{TV}(P^{\otimes n}, Q^{\otimes n}) = 1 - \sum_{c} \binom{n}{c_1, \dots, c_K}
              \min\Big(\prod_k a_k^{c_k},\ \prod_k b_k^{c_k}\Big),

    a sum over :math:`\binom{n + K - 1}{K - 1}` vectors instead of the :math:`K^n` sequences of
    draws. On two points :math:`u_0 < u_1` the count at :math:`u_1` is enough, Binomial(n, a)
    under P and Binomial(n, b) under Q:

    .. math:: \mathrm{TV}(P^{\otimes n}, Q^{\otimes n}) = 1 - \sum_{k=0}^n
              \binom nk \min\big(a^k(1-a)^{n-k},\ b^k(1-b)^{n-k}\big).

    For :math:`N(\mu_P, \Sigma)` and :math:`N(\mu_Q, \Sigma)` it is the projection of the sum of
    the draws on :math:`\Sigma^{-1}(\mu_Q - \mu_P)`, and with :math:`\Delta` the Mahalanobis
    distance of the means,

    .. math:: \mathrm{TV}(P^{\otimes n}, Q^{\otimes n}) = 2\Phi\big(\sqrt n\,\Delta/2\big) - 1.

    References
    ----------
    .. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.
    .. [2] E. L. Lehmann, J. P. Romano, *Testing Statistical Hypotheses*, 3rd ed., Springer
       2005, Sec. 2.6 (sufficiency).

    Examples
    --------
    >>> import math
    >>> from toys import Bernoulli, Gaussian
    >>> from divergences import tv
    >>> from divergences.discrimination import product_tv
    >>> p, q = Bernoulli(0.5), Bernoulli(0.6)
    >>> math.isclose(product_tv(p, q, 1), tv(p, q))
    True
    >>> bool(product_tv(p, q, 1) < product_tv(p, q, 10) < product_tv(p, q, 1000) < 1)
    True
    >>> from toys import Discrete      # p/q takes only the values 2 and 1/2: two draws are worth one
    >>> a, b = Discrete([0, 1, 2], [0.2, 1 / 3, 7 / 15]), Discrete([0, 1, 2], [0.1, 2 / 3, 7 / 30])
    >>> math.isclose(product_tv(a, b, 2), tv(a, b))
    True
    >>> n = 25  # the Gaussians in R^n against their closed form
    >>> math.isclose(product_tv(Gaussian(0.0), Gaussian(0.3), n), tv(Gaussian([0.0] * n), Gaussian([0.3] * n)))
    True
    """
    p, q = check_pair(p, q)
    ns = _counts(n)
    flat = ns.ravel()
    if isinstance(p, DiscreteDistribution) and isinstance(q, DiscreteDistribution):
        points = np.union1d(p.atoms[p.probs > 0], q.atoms[q.probs > 0])
        if points.size == 1:
            values = np.zeros(flat.size)
        elif points.size == 2:
            a, b = float(p.pmf(points[1])), float(q.pmf(points[1]))
            values = np.array([_binomial_tv(k, a, b) for k in flat])
        else:
            largest = math.comb(int(flat.max()) + points.size - 1, points.size - 1)
            if largest > MAX_COUNT_VECTORS:
                raise ValueError(
                    f"n={int(flat.max())} draws of laws on {points.size} atoms have {largest} count vectors, more "
                    f"than MAX_COUNT_VECTORS={MAX_COUNT_VECTORS}; use fewer draws or fewer atoms"
                )
            values = np.array([_multinomial_tv(k, p.pmf(points), q.pmf(points)) for k in flat])
    elif isinstance(p, Gaussian) and isinstance(q, Gaussian) and _same_covariance(p, q):
        if p.dim == 1:
            delta = abs(q.mean - p.mean) / p.std
        else:
            delta = float(np.linalg.norm(linalg.solve_triangular(p.chol, q.mean - p.mean, lower=True)))
        values = special.erf(np.sqrt(flat) * delta / (2 * math.sqrt(2)))
    else:
        raise NotImplementedError(
            f"product_tv covers two-point discrete laws and Gaussians with one covariance, got {p!r} and {q!r}"
        )
    values = np.clip(values, 0.0, 1.0).reshape(ns.shape)
    return float(values) if values.ndim == 0 else values


def midpoint_test_errors(p, q, n):
    r"""Errors of the counting test of :math:`P^{\otimes n}` against :math:`Q^{\otimes n}` behind the bound.

    The test counts the draws in Scheffé's set :math:`A^* = \{p > q\}` and decides P when the
    count N exceeds :math:`n m`, :math:`m = (P(A^*) + Q(A^*))/2`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two 1-D laws, as in :func:`divergences.discrimination.lr_test_errors`.
    n : int or array_like of int
        Numbers of independent draws, each >= 1.

    Returns
    -------
    alpha, beta : float, or numpy.ndarray of the shape of ``n``
        :math:`\alpha = P^{\otimes n}(N \le nm)` and :math:`\beta = Q^{\otimes n}(N > nm)`,
        exact (binomial CDFs): Python floats for a scalar ``n``, arrays otherwise.

    Raises
    ------
    TypeError, ValueError
        As :func:`divergences.discrimination.lr_test_errors`, and for ``n`` as :func:`product_tv`.

    Notes
    -----
    With :math:`a = P(A^*)`, :math:`b = Q(A^*)`, :math:`a - b = \delta = \mathrm{TV}(P, Q)`:
    N is Binomial(n, a) under P and Binomial(n, b) under Q, and by Hoeffding's inequality

    .. math:: \alpha = P(N/n - a \le -\delta/2) \le e^{-n\delta^2/2}, \qquad
              \beta = Q(N/n - b > \delta/2) \le e^{-n\delta^2/2},

    so :math:`1 - \mathrm{TV}(P^{\otimes n}, Q^{\otimes n}) \le \alpha + \beta \le 2e^{-n\delta^2/2}`.
    For two-point laws the count is sufficient but the threshold is not the likelihood-ratio
    one unless the laws are symmetric, so :math:`\alpha + \beta` is close to, not equal to, the
    best error :math:`1 - \mathrm{TV}`.

    References
    ----------
    .. [1] W. Hoeffding, "Probability inequalities for sums of bounded random variables",
       J. Amer. Statist. Assoc. 58 (1963), Theorem 1.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Bernoulli
    >>> from divergences import tv
    >>> from divergences.discrimination import midpoint_test_errors, product_tv, product_tv_lower_bound
    >>> p, q = Bernoulli(0.3), Bernoulli(0.6)
    >>> n = np.array([1, 10, 100])
    >>> alpha, beta = midpoint_test_errors(p, q, n)
    >>> best = 1 - product_tv(p, q, n)
    >>> bool(np.all(best <= alpha + beta + 1e-12) and np.all(alpha + beta <= 1 - product_tv_lower_bound(tv(p, q), n)))
    True
    """
    ns = _counts(n)
    alpha1, beta1 = lr_test_errors(p, q, 1.0)
    a, b = 1.0 - alpha1, beta1  # P(A*) and Q(A*)
    m = 0.5 * (a + b)
    # the largest count that decides Q; rounding n*m to 9 decimals keeps an exact tie a tie
    cut = np.floor(np.round(ns * m, 9))
    alpha = np.asarray(stats.binom.cdf(cut, ns, a), dtype=float)
    beta = np.asarray(stats.binom.sf(cut, ns, b), dtype=float)
    if alpha.ndim == 0:  # scalar in, scalar out
        return float(alpha), float(beta)
    return alpha, beta


def product_tv_lower_bound(delta, n):
    r"""Hoeffding's lower bound :math:`1 - 2e^{-n\delta^2/2}` on :math:`\mathrm{TV}(P^{\otimes n}, Q^{\otimes n})`.

    Parameters
    ----------
    delta : float
        :math:`\mathrm{TV}(P, Q)`, in [0, 1]. (For two Bernoulli laws it is :math:`|p - q|`; for
        other pairs it is not the distance of the means: the bound needs the indicator of
        Scheffé's set, a variable in [0, 1].)
    n : int or array_like of int
        Numbers of independent draws, each >= 1.

    Returns
    -------
    float or numpy.ndarray
        :math:`1 - 2e^{-n\delta^2/2}`, of the shape of ``n``. Negative (an empty statement) while
        :math:`n < 2\ln 2/\delta^2`.

    Raises
    ------
    TypeError, ValueError
        If ``delta`` is not a number in [0, 1], or for ``n`` as :func:`product_tv`.

    Notes
    -----
    See :func:`midpoint_test_errors` for the test whose errors the bound controls.

    References
    ----------
    .. [1] W. Hoeffding, "Probability inequalities for sums of bounded random variables",
       J. Amer. Statist. Assoc. 58 (1963), Theorem 1.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.discrimination import product_tv_lower_bound
    >>> bool(np.isclose(product_tv_lower_bound(0.1, 200), 1 - 2 * np.exp(-1)))
    True
    """
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real):
        raise TypeError(f"delta must be a number in [0, 1] (a total variation), got {delta!r}")
    if not 0.0 <= float(delta) <= 1.0:
        raise ValueError(f"delta must be in [0, 1] (a total variation), got {delta!r}")
    ns = _counts(n)
    values = 1.0 - 2.0 * np.exp(-ns * float(delta) ** 2 / 2.0)
    return float(values) if values.ndim == 0 else values


def _binomial_tv(n, a, b):
    k = np.arange(n + 1)
    return 1.0 - float(np.sum(np.minimum(stats.binom.pmf(k, n, a), stats.binom.pmf(k, n, b))))


def _multinomial_tv(n, a, b):
    """1 - sum over count vectors c of multinomial(n; c) min(prod a^c, prod b^c), in log space."""
    c = _compositions(n, a.size)  # (vectors, K)
    log_coef = special.gammaln(n + 1) - special.gammaln(c + 1).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        la, lb = np.log(a), np.log(b)
        # 0 log 0 = 0: an atom without mass under a law only matters where it is drawn
        log_pa = np.where(c > 0, c * la, 0.0).sum(axis=1)
        log_pb = np.where(c > 0, c * lb, 0.0).sum(axis=1)
    return 1.0 - float(np.sum(np.exp(log_coef + np.minimum(log_pa, log_pb))))


def _compositions(n, k):
    """All vectors of k non-negative integers summing to n, shape (comb(n + k - 1, k - 1), k)."""
    rows, rest = np.zeros((1, 0), dtype=np.int64), np.array([n])  # rows so far and what they leave
    for _ in range(k - 1):
        width = rest + 1  # the next coordinate takes the values 0 .. rest
        parent = np.repeat(np.arange(rows.shape[0]), width)
        value = np.arange(width.sum()) - np.repeat(np.cumsum(width) - width, width)
        rows, rest = np.column_stack([rows[parent], value]), rest[parent] - value
    return np.column_stack([rows, rest])


def _same_covariance(p, q):
    if p.dim != q.dim:
        return False
    if p.dim == 1:
        return p.std == q.std
    return bool(np.allclose(p.cov, q.cov, rtol=1e-12, atol=0.0))


def _counts(n):
    return integer_array("n", n, 1)
