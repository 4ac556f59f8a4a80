r"""The two games' objectives for a given discriminator or critic, computed exactly (no sampling).

* :func:`gan_value` -- the GAN value function :math:`V(G, D) = E_P\log D + E_Q\log(1 - D)` of a
  discriminator D between real P and fake Q; at the optimal :math:`D^* = p/(p + q)` it is
  :math:`C(G) = -\ln 4 + 2\,JS(P, Q)`, and below that for every other D.
* :func:`wgan_value` -- the Kantorovich-Rubinstein objective :math:`E_P f - E_Q f` of a critic f,
  which is at most :math:`\mathrm{Lip}(f)\, W_1(P, Q)`.

Both integrate against the two laws: by adaptive Gauss-Kronrod quadrature for 1-D continuous
laws (the panels of :mod:`divergences.numeric.one_d`, which hold all but about 1e-17 of the mass), by
finite sums for discrete laws. The discriminator or critic is any numpy callable, so a trained
network can be scored without sampling noise.

References
----------
.. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1 and
   Theorem 1.
.. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Theorem 3.
"""

import numbers

import numpy as np

from toys.base import ContinuousDistribution, DiscreteDistribution

from ..laws import check_pair
from ..numeric import one_d, quadrature

__all__ = ["gan_value", "wgan_value"]

#: Per-panel accuracy asked of the quadrature: error estimate <= max(ATOL, RTOL |panel integral|).
#: Looser than the divergences' 1e-14 / 1e-12 so that a network's piecewise-linear output,
#: evaluated in floating point, still converges; the total error is about 1e-9 for smooth D.
ATOL, RTOL = 1e-12, 1e-10


def gan_value(p, q, d=None, *, logit=False):
    r"""The GAN value function :math:`V(G, D) = E_P[\log D(x)] + E_Q[\log(1 - D(x))]`, in nats.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        The real law P and the generator's law Q: both 1-D with densities, or both discrete.
    d : callable, float or None
        The discriminator. A callable takes points of shape (n,) and returns D(x) in [0, 1],
        shape (n,) (or its logit, see ``logit``); a float is a constant discriminator (or a
        constant logit, see ``logit``); None (the default) is the optimal :math:`D^* = p/(p + q)`,
        evaluated in log space.
    logit : bool
        If True, ``d`` (a callable or a constant) gives the logit :math:`\ell(x)` in
        :math:`[-\infty, \infty]`, with :math:`D = \sigma(\ell)`. Then
        :math:`\log D = -\mathrm{softplus}(-\ell)` and :math:`\log(1 - D) = -\mathrm{softplus}(\ell)`
        stay exact where D rounds to 0 or 1 in floating point. Ignored when ``d`` is None.

    Returns
    -------
    float
        V in nats, at most :math:`-\ln 4 + 2\,JS(P, Q) \le 0`; ``-inf`` if D = 0 somewhere P
        has mass, or D = 1 somewhere Q has mass (for densities: at a quadrature node where the
        density is positive).

    Raises
    ------
    TypeError
        If ``d`` is not callable, a real number or None, ``logit`` is not a bool, or a law is not
        a toy / scipy law.
    ValueError
        If the dimensions differ, ``d`` returns NaN, values outside [0, 1] (``logit=False``) or an
        array of the wrong size, or a constant ``d`` is NaN or outside [0, 1] (``logit=False``).
    NotImplementedError
        If the laws are not both 1-D continuous or both discrete.

    Notes
    -----
    For a fixed Q, :math:`a\log y + b\log(1 - y)` is largest at :math:`y = a/(a + b)`, so
    :math:`D^* = p/(p + q)` maximises V pointwise [1]_, and

    .. math:: C(G) = V(G, D^*) = E_P\log\frac{p}{p + q} + E_Q\log\frac{q}{p + q}
              = -\ln 4 + KL(P\|M) + KL(Q\|M) = -\ln 4 + 2\,JS(P, Q),

    with :math:`M = (P + Q)/2` and JS carrying the weights 1/2 (:func:`divergences.js`).
    Continuous laws: adaptive Gauss-Kronrod quadrature (``ATOL``, ``RTOL`` of
    :mod:`divergences.numeric.quadrature` per panel; about 1e-9 in total for a smooth D).
    Discrete laws: a finite sum over the union of the atoms.

    References
    ----------
    .. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1 and
       Theorem 1.

    Examples
    --------
    At the optimal discriminator the value is :math:`-\ln 4 + 2\,JS`, and a discriminator that
    always says 1/2 gets :math:`-\ln 4` whatever the laws.

    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import js
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    >>> math.isclose(gan_value(p, q), -math.log(4) + 2 * js(p, q), abs_tol=1e-9)
    True
    >>> math.isclose(gan_value(p, q, 0.5), -math.log(4))
    True
    >>> gan_value(p, q, 0.0, logit=True) == gan_value(p, q, 0.5)      # the logit of 1/2 is 0
    True
    """
    if not isinstance(logit, (bool, np.bool_)):
        raise TypeError(f"logit must be a bool (True if d gives the logit of D), got {logit!r}")
    p, q, kind = _check_laws(p, q)
    if d is None:

        def integrand(lp, lq, x):
            with np.errstate(invalid="ignore"):
                return _log_terms(lp, lq, lp - lq)

    elif isinstance(d, numbers.Real) and not isinstance(d, bool):
        c = float(d)
        if logit:
            if np.isnan(c):
                raise ValueError(f"a constant logit d must be a number in [-inf, inf], got {d!r}")
            return _constant_logit_value(c)
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"a constant d must be a probability in [0, 1], got {d!r}")
        return _constant_value(c)
    elif callable(d):

        def integrand(lp, lq, x):
            v = _call("d", d, x)
            if logit:
                if np.any(np.isnan(v)):
                    raise ValueError("d must return logits in [-inf, inf] (logit=True), got nan")
                return _log_terms(lp, lq, v)
            if np.any(np.isnan(v) | (v < 0) | (v > 1)):
                bad = v[np.isnan(v) | (v < 0) | (v > 1)][0]
                raise ValueError(f"d must return probabilities in [0, 1] (or pass logit=True), got {bad!r}")
            with np.errstate(divide="ignore", invalid="ignore"):
                return _weighted(lp, np.log(v)) + _weighted(lq, np.log1p(-v))

    else:
        raise TypeError(f"d must be a callable, a probability or None (the optimal D*), got {d!r}")
    return _integrate(p, q, kind, integrand)


def wgan_value(p, q, f):
    r"""The Kantorovich-Rubinstein objective :math:`E_P[f(x)] - E_Q[f(x)]` of a critic f.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        The real law P and the generator's law Q: both 1-D with densities, or both discrete.
    f : callable
        The critic: points of shape (n,) to finite values of shape (n,).

    Returns
    -------
    float
        :math:`E_P f - E_Q f`, in the units of f. For an L-Lipschitz f it is at most
        :math:`L\,W_1(P, Q)`, with equality for an optimal f (Kantorovich-Rubinstein).

    Raises
    ------
    TypeError
        If ``f`` is not callable, or a law is not a toy / scipy law.
    ValueError
        If the dimensions differ or ``f`` returns non-finite values or the wrong size.
    NotImplementedError
        If the laws are not both 1-D continuous or both discrete.

    Notes
    -----
    .. math:: E_P f - E_Q f = \int f(x)\,(p(x) - q(x))\,dx
              \le \mathrm{Lip}(f)\; W_1(P, Q) \quad [1]_.

    Computed as :func:`gan_value` is: adaptive quadrature for continuous laws (about 1e-9 for a
    smooth f of moderate growth), a finite sum for discrete ones.

    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Rem. 6.5.

    Examples
    --------
    Between two Gaussians of equal variance the identity :math:`f(x) = -x` is an optimal critic.

    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import w1
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(2.0, 1.0)
    >>> math.isclose(wgan_value(p, q, lambda x: -x), w1(p, q), abs_tol=1e-9)
    True
    """
    p, q, kind = _check_laws(p, q)
    if not callable(f):
        raise TypeError(f"f must be a callable critic, points (n,) -> values (n,), got {f!r}")

    def integrand(lp, lq, x):
        v = _call("f", f, x)
        if not np.all(np.isfinite(v)):
            raise ValueError(f"f must return finite values, got {v[~np.isfinite(v)][0]!r}")
        return _weighted(lp, v) - _weighted(lq, v)

    return _integrate(p, q, kind, integrand)


# -- the two integration paths --------------------------------------------------------------------
def _integrate(p, q, kind, integrand):
    """Sum over the atoms, or quadrature on the panels of numeric.one_d, of ``integrand(log p, log q, x)``."""
    if kind == "discrete":
        x = np.union1d(p.atoms, q.atoms)
        with np.errstate(divide="ignore"):
            lp, lq = np.log(p.pmf(x)), np.log(q.pmf(x))
        return float(np.sum(integrand(lp, lq, x)))
    panels = quadrature.panels_from_edges([one_d.panel_edges(p, q)])
    minus_inf = []  # V = -inf as soon as a node has D = 0 under p > 0 or D = 1 under q > 0

    def f(x, row):  # x: (panels, 21)
        v = integrand(p.logpdf(x), q.logpdf(x), x)
        if np.any(v == -np.inf):
            minus_inf.append(True)
            v = np.where(v == -np.inf, 0.0, v)  # keeps the error estimates finite (inf - inf is nan)
        return v

    value = float(quadrature.adaptive(f, panels, 1, atol=ATOL, rtol=RTOL)[0])
    return -np.inf if minus_inf else value


def _log_terms(lp, lq, lgt):
    """p log sigma(lgt) + q log sigma(-lgt) = -p softplus(-lgt) - q softplus(lgt), 0 where a density is 0."""
    with np.errstate(invalid="ignore", over="ignore"):
        return -_weighted(lp, np.logaddexp(0.0, -lgt)) - _weighted(lq, np.logaddexp(0.0, lgt))


def _weighted(log_density, values):
    """density * values, with 0 where the density is 0 (whatever the value, even infinite)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(log_density > -np.inf, np.exp(log_density) * values, 0.0)


def _constant_value(c):
    with np.errstate(divide="ignore"):
        return float(np.log(c) + np.log1p(-c))


def _constant_logit_value(c):
    """log sigma(c) + log sigma(-c) = -softplus(-c) - softplus(c): P and Q both have mass 1."""
    return float(-np.logaddexp(0.0, -c) - np.logaddexp(0.0, c))


def _call(name, fn, x):
    """``fn`` on the points ``x`` (any shape), flattened to (n,), its result reshaped back."""
    flat = x.ravel()
    out = np.asarray(fn(flat), dtype=float)
    if out.size != flat.size:
        raise ValueError(f"{name} must return one value per point: {flat.size} points gave shape {out.shape}")
    return out.reshape(x.shape)


def _check_laws(p, q):
    p, q = check_pair(p, q)
    if isinstance(p, DiscreteDistribution) and isinstance(q, DiscreteDistribution):
        return p, q, "discrete"
    if p.dim == 1 and isinstance(p, ContinuousDistribution) and isinstance(q, ContinuousDistribution):
        return p, q, "continuous"
    raise NotImplementedError(
        f"the objectives are computed for two 1-D laws with densities or two discrete laws, got {p!r} and {q!r}"
    )
