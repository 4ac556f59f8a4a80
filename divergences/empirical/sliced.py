r"""The sliced Wasserstein distance between two samples: a Monte Carlo average over random directions."""

import numpy as np
import ot

from toys.validation import as_generator, positive_int, real_scalar

from .checks import affordable, pair
from .coordinates import scale_back, standardise

__all__ = ["sliced_w"]


def sliced_w(x, y, n_projections, rng, *, p=2):
    r"""Sliced Wasserstein-p distance between two samples, over ``n_projections`` random directions.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Sample of P.
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension.
    n_projections : int
        Number L of random directions, >= 1.
    rng : None, int or numpy.random.Generator
        Source of the directions: a seed or a generator (None: fresh OS entropy, not
        reproducible). The same seed gives the same directions, hence the same value.
    p : float, optional
        Order, p >= 1 (default 2, as POT's).

    Returns
    -------
    float
        :math:`\widehat{SW}_p` itself (the 1/p-th power of the mean of :math:`W_p^p`, not the
        mean), in the units of the samples.

    Raises
    ------
    TypeError
        If a sample is not numeric, ``n_projections`` is not an int, ``p`` not a real number,
        or ``rng`` is not a seed or a Generator.
    ValueError
        If a sample is empty, not finite, not of shape (n,) or (n, d), the dimensions differ;
        ``n_projections < 1``, ``p < 1`` or not finite; if ``(n + m + d) * n_projections`` (the
        directions and the projected samples) exceeds :data:`divergences.empirical.MAX_ENTRIES`,
        refused before allocating; or the value exceeds the largest float.

    Notes
    -----
    The sliced Wasserstein distance [1]_ [2]_ averages the 1-D transport cost of the projections
    :math:`\theta^\top X` over directions :math:`\theta` uniform on the unit sphere
    :math:`S^{d-1}`; with :math:`\theta_1..\theta_L` independent draws, the estimate is

    .. math:: \widehat{SW}_p(P_n, Q_m) = \Big(\frac1L\sum_{l=1}^L
              W_p^p(\theta_{l\#}P_n, \theta_{l\#}Q_m)\Big)^{1/p},

    ``ot.sliced_wasserstein_distance(x, y, p=p, projections=theta)`` (POT [3]_), each
    :math:`W_p^p` exact between the projected empirical measures (sorted samples, any n and m).
    The directions are drawn here, :math:`\theta_l = g_l/\|g_l\|` with :math:`g_l` standard
    normal from ``rng`` (so a ``numpy.random.Generator`` works, which POT's ``seed`` does not
    take), and passed to POT, which then draws nothing. :math:`(\widehat{SW}_p)^p` is unbiased
    for :math:`SW_p^p(P_n, Q_m)` over the directions, with Monte Carlo error
    :math:`O(L^{-1/2})`; as an estimate of :math:`SW_p(P, Q)` it is biased upward by the samples,
    like :func:`w1` in 1-D (every projection is a 1-D problem, whatever d). In 1-D both
    directions :math:`\pm 1` give :math:`W_p` itself: the value is :func:`w1` or :func:`w2` for
    p = 1 or 2, whatever ``rng``. :math:`SW_p \le W_p` (a projection is 1-Lipschitz).

    Cost: :math:`O(L(n + m)\log(n + m) + L(n + m)d)`. Computed in coordinates centred and
    scaled by a power of two ``2**e`` on the pooled sample, then multiplied back: samples at
    1e300 or 1e-300 give the unit-scale value times the scale (exactly for a power of two, with
    the same ``rng``).

    References
    ----------
    .. [1] J. Rabin, G. Peyré, J. Delon, M. Bernot, "Wasserstein barycenter and its application
       to texture mixing", SSVM 2011, Sec. 3.
    .. [2] N. Bonneel, J. Rabin, G. Peyré, H. Pfister, "Sliced and Radon Wasserstein
       barycenters of measures", J. Math. Imaging Vis. 51 (2015) 22-45.
    .. [3] R. Flamary et al., "POT: Python Optimal Transport", JMLR 22(78), 2021.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from divergences.empirical import sliced_w, w2
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.standard_normal((500, 3)), rng.standard_normal((400, 3))
    >>> sliced_w(x, y, 100, rng=1) == sliced_w(x, y, 100, rng=1)  # the same directions
    True
    >>> x1, y1 = x[:, 0], 2.0 * y[:, 0]
    >>> math.isclose(sliced_w(x1, y1, 5, rng=2), w2(x1, y1))  # in 1-D, W2 itself
    True
    """
    x, y = pair(x, y)
    count = positive_int("n_projections", n_projections)
    p = real_scalar("p", p)
    if p < 1:
        raise ValueError(f"p must be >= 1 (W_p is a distance for p >= 1), got p={p!r}")
    gen = as_generator(rng)
    (n, d), m = x.shape, y.shape[0]
    what = (
        f"n={n} and m={m} points in d={d} on n_projections={count} directions: the directions and the projected "
        "samples have (n+m+d)*n_projections"
    )
    affordable((n + m + d) * count, what, "pass fewer projections or subsample")
    directions = gen.standard_normal((d, count))  # (d, L)
    directions /= np.linalg.norm(directions, axis=0)
    x, y, e = standardise(x, y)
    value = ot.sliced_wasserstein_distance(x, y, p=p, projections=directions)
    return scale_back(value, e, "the sliced Wasserstein distance between x and y")
