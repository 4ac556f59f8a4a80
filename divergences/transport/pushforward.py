r"""How far the law of a 1-D generator is from its target: exactly, and from a sample.

A generator :math:`g` with a 1-D latent :math:`Z` (a trained GAN generator, an inverse-CDF
generator) defines the law :math:`g_\#P_Z` of :math:`g(Z)`. Its distance to a target :math:`Q`
is a property of two laws, not of a sample:

* :func:`midpoint_quantiles` -- the quantiles :math:`F^{-1}((i - \frac12)/n)` of a law: the best
  n-point approximation of the law in W1 with equal weights.
* :func:`pushforward_quantiles` -- the sorted values :math:`g(z_i)` on the latent's midpoint
  quantiles: the quantile function of :math:`g_\#P_Z` on that grid, and the increasing
  rearrangement of :math:`g` (:math:`z_i \mapsto` the i-th smallest value), whatever the
  shape of :math:`g`.
* :func:`pushforward_w1` -- :math:`W_1(g_\#P_Z, Q)` from those quantiles, with a computable
  error bound.
* :func:`increasing_mass` -- the latent mass on which :math:`g` increases (1 for an increasing
  map, 0 for a decreasing one, in between for a fold).

How far a sample is from its own law (the sampling error a perfect generator shows when it is
judged from n samples) is in :mod:`divergences.transport.sampling`.

References
----------
.. [1] S. Bobkov, M. Ledoux, "One-dimensional empirical measures, order statistics, and
   Kantorovich transport distances", Memoirs of the AMS 261 (2019), no. 1259, Section 3.
.. [2] S. Graf, H. Luschgy, *Foundations of Quantization for Probability Distributions*,
   Springer 2000 (optimal quantization; in 1-D with equal weights, the midpoint quantiles).
"""

import numpy as np

from toys import Gaussian
from toys.validation import positive_int

from .tails import tails

__all__ = [
    "N_QUANTILES",
    "increasing_mass",
    "midpoint_quantiles",
    "pushforward_quantiles",
    "pushforward_w1",
]

#: Default number of latent quantiles: W1 quantization error 3.6e-5 for N(0, 1) (see pushforward_w1).
N_QUANTILES = 2**16


def midpoint_quantiles(law, n=N_QUANTILES):
    r"""The n quantiles :math:`F^{-1}((i - \frac12)/n)`, :math:`i = 1, \dots, n`, of a continuous 1-D law.

    Parameters
    ----------
    law : toy or frozen scipy.stats distribution
        A continuous 1-D law.
    n : int
        Number of quantiles, ``n >= 1``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Increasing, in the units of the law.

    Raises
    ------
    TypeError, ValueError
        If ``law`` is not a continuous 1-D law or ``n`` is not a positive integer.

    Notes
    -----
    The uniform measure on these points, :math:`Q_n`, is the closest n-point measure with equal
    weights to the law in W1: on each slice :math:`[(i-1)/n, i/n]` of quantile levels the best
    single point is the slice's median [1]_. The levels above 1/2 are computed from
    :math:`1 - u = (n - i + \frac12)/n`, exactly, through the law's upper tail, so the largest
    quantiles keep their digits.

    References
    ----------
    .. [1] S. Graf, H. Luschgy, *Foundations of Quantization for Probability Distributions*,
       Springer 2000.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Exponential
    >>> from divergences.transport import midpoint_quantiles
    >>> x = midpoint_quantiles(Exponential(1.0), 4)
    >>> bool(np.allclose(x, -np.log(1 - np.array([1, 3, 5, 7]) / 8)))
    True
    """
    n = positive_int("n", n)
    t = tails(law)
    i = np.arange(n)
    lower = 2 * i + 1 <= n  # levels u = (i + 1/2)/n <= 1/2
    out = np.empty(n)
    out[lower] = t.from_logcdf(np.log((i[lower] + 0.5) / n))
    out[~lower] = t.from_logsf(np.log((n - i[~lower] - 0.5) / n))
    return out


def pushforward_quantiles(g, latent=None, n=N_QUANTILES):
    r"""The quantiles of :math:`g(Z)`: ``sort(g(z))`` on the latent midpoint quantiles ``z``.

    Parameters
    ----------
    g : callable
        The generator: a vectorised map from latent values, shape ``(n,)``, to points, ``(n,)``.
    latent : toy or frozen scipy.stats distribution, optional
        The law of :math:`Z`, continuous and 1-D; default ``toys.Gaussian(0, 1)``, the latent of
        :mod:`gan1d`'s generators.
    n : int
        Number of latent quantiles (default 65 536).

    Returns
    -------
    z : numpy.ndarray, shape (n,)
        The latent grid, increasing.
    x : numpy.ndarray, shape (n,)
        The increasing rearrangement of ``g`` on that grid: ``x[i]`` is the i-th smallest of the
        ``g(z)``, the quantile of :math:`g_\#P_Z` at level :math:`(i + \frac12)/n`, up to the
        quantization of the latent.

    Raises
    ------
    TypeError
        If ``g`` is not callable.
    ValueError
        If ``g`` does not return n finite numbers.
    """
    if not callable(g):
        raise TypeError(f"g must be a vectorised callable from latent values to points, got {g!r}")
    z = midpoint_quantiles(Gaussian(0.0, 1.0) if latent is None else latent, n)
    x = np.asarray(g(z), dtype=float)
    if x.shape != z.shape:
        raise ValueError(f"g must map latent values of shape {z.shape} to points of that shape, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"g must return finite points, got {np.count_nonzero(~np.isfinite(x))} non-finite ones")
    return z, np.sort(x)


def pushforward_w1(g, target, latent=None, n=N_QUANTILES):
    r""":math:`W_1(g_\#P_Z, Q)`: the distance of the generator's law to the target, from quantiles.

    Parameters
    ----------
    g : callable
        Vectorised generator, latent values ``(n,)`` to points ``(n,)``.
    target : toy or frozen scipy.stats distribution
        The continuous 1-D law :math:`Q`.
    latent : toy or frozen scipy.stats distribution, optional
        The law of :math:`Z` (default ``toys.Gaussian(0, 1)``).
    n : int
        Number of quantiles on each side (default 65 536).

    Returns
    -------
    float
        :math:`\frac1n\sum_i |x_{(i)} - F_Q^{-1}((i - \frac12)/n)|`, in the units of the samples:
        the exact W1 between :math:`g_\#P_{Z,n}` and :math:`Q_n`, the laws quantized to n equal
        atoms.

    Raises
    ------
    TypeError, ValueError
        As :func:`pushforward_quantiles`, and for a ``target`` that is not a continuous 1-D law.

    Notes
    -----
    In 1-D, :math:`W_1(\mu, \nu) = \int_0^1 |F_\mu^{-1} - F_\nu^{-1}|`, and between two uniform
    measures on n points it is the mean distance of the sorted points. By the triangle
    inequality and :math:`W_1(g_\#\mu, g_\#\nu) \le \mathrm{Lip}(g)\, W_1(\mu, \nu)`,

    .. math:: \bigl| W_1^{(n)} - W_1(g_\#P_Z, Q) \bigr| \le E\,|g(Z) - g(\hat Z)| + W_1(Q, Q_n)
              \le \mathrm{Lip}(g)\, W_1(P_Z, P_{Z,n}) + W_1(Q, Q_n),

    where :math:`\hat Z` is the midpoint quantile of the slice :math:`Z` falls in, and both
    quantization errors on the right are computable with :func:`w1_to_law`. :math:`\mathrm{Lip}(g)`
    must bound :math:`|g'|` on the whole support of the latent, since the two outer slices reach
    past the grid to its ends. A map whose slope grows in the tails (the transport map to
    :math:`\mathrm{Exp}(1)`, slope about :math:`|z|`) has no such constant: its largest slope on the
    grid's range :math:`[z_1, z_n]` covers every slice but the two outer halves (latent mass
    :math:`1/(2n)` each), so with it the bound holds only up to their share, of order
    :math:`1/n` for such maps. For :math:`N(0, 1)` and n = 65 536 the latent term is
    :math:`W_1(P_Z, P_{Z,n}) = 3.6 \cdot 10^{-5}`, so a ReLU network of slope at most 10 (linear
    beyond its last kink) against an :math:`N(0, 1)` target, whose own term
    :math:`W_1(Q, Q_n)` is the same :math:`3.6 \cdot 10^{-5}`, has its W1 to within
    :math:`10 \times 3.6 \cdot 10^{-5} + 3.6 \cdot 10^{-5} \approx 4 \cdot 10^{-4}`. Unlike a
    sample, the grid carries no sampling error: an exact generator (``transport_map(latent,
    target)``) gets 0 up to rounding.

    Examples
    --------
    A location-scale generator :math:`\mu + \sigma z` has the law :math:`N(\mu, \sigma^2)`; a
    decreasing one has the same law, and the sorting sees it:

    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import w1
    >>> from divergences.transport import pushforward_w1
    >>> exact = w1(Gaussian(1.0, 2.0), Gaussian(0.0, 1.0))
    >>> math.isclose(pushforward_w1(lambda z: 1.0 + 2.0 * z, Gaussian(0.0, 1.0)), exact, abs_tol=1e-4)
    True
    >>> math.isclose(pushforward_w1(lambda z: 1.0 - 2.0 * z, Gaussian(0.0, 1.0)), exact, abs_tol=1e-4)
    True
    """
    _, x = pushforward_quantiles(g, latent, n)
    return float(np.mean(np.abs(x - midpoint_quantiles(target, n))))


def increasing_mass(g, latent=None, n=N_QUANTILES):
    r"""The latent mass on which the 1-D map ``g`` increases, :math:`P(g'(Z) > 0)`, on the midpoint grid.

    Parameters
    ----------
    g : callable
        Vectorised map, latent values ``(n,)`` to points ``(n,)``.
    latent : toy or frozen scipy.stats distribution, optional
        The law of :math:`Z` (default ``toys.Gaussian(0, 1)``).
    n : int
        Number of latent quantiles (default 65 536).

    Returns
    -------
    float
        In [0, 1]: the fraction of the n - 1 steps between consecutive latent quantiles over which
        ``g`` goes up. 1 for an increasing map, 0 for a decreasing one, and
        :math:`1 - \Phi(z^*)` for a fold that decreases up to its turning point :math:`z^*`
        and increases after it. A step over which ``g`` is flat (equal values, also after
        rounding) counts as not increasing: a constant map gets 0, like a decreasing one, and
        the flat stretches of a map (dead regions of a ReLU network) are not counted.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.transport import increasing_mass
    >>> increasing_mass(np.exp), increasing_mass(np.negative)
    (1.0, 0.0)
    >>> round(increasing_mass(np.abs), 3)       # a fold at 0: half the mass on each branch
    0.5
    """
    if not callable(g):
        raise TypeError(f"g must be a vectorised callable from latent values to points, got {g!r}")
    n = positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 (one step between quantiles), got {n}")
    z = midpoint_quantiles(Gaussian(0.0, 1.0) if latent is None else latent, n)
    return float(np.mean(np.diff(np.asarray(g(z), dtype=float)) > 0))
