r"""Both tails of a 1-D continuous law in log space, and the quantiles read from either tail.

The transport map :math:`F_Q^{-1}(F_P(x))` loses every digit when it is computed as written: for
:math:`P = N(0, 1)`, :math:`F_P(9)` rounds to 1 and the map of the exponential returns ``inf``. So
each law is read from the tail where its probability is small: the left tail through
:math:`\log F(x)` and the right tail through :math:`\log(1 - F(x))`, and a quantile is found
from the log probability of whichever tail it lies in. :func:`tails` gives these four
functions for every continuous 1-D law that :mod:`divergences` accepts:

========================  ========================================================
law                       log tails and their inverses
========================  ========================================================
``toys.Gaussian``         ``scipy.special.log_ndtr`` and ``ndtri_exp`` (accurate to
                          :math:`|z| \approx 37`, where the tail probability leaves
                          the doubles)
``toys.Exponential``      :math:`\log(1 - F) = -\lambda (x - \mathrm{loc})`, exact
``toys.Uniform``          linear in both tails
``toys.GaussianMixture``  log-sum-exp of the components' ``log_ndtr``; quantiles by
                          Chandrupatla root finding, bracketed by the components'
                          own quantiles (a mixture's quantile lies between them)
scipy.stats laws          ``logcdf``/``logsf``, and ``ppf``/``isf`` of the probability
========================  ========================================================
"""

import numpy as np
from scipy import special
from scipy.optimize import elementwise

from toys import Exponential, Gaussian, GaussianMixture, Uniform
from toys.base import ContinuousDistribution

from ..laws import ScipyContinuous, as_toy

__all__ = ["Tails", "tails"]

_LN2 = float(np.log(2.0))


class Tails:
    """The four tail functions of one law; each takes and returns float arrays of one shape.

    ``logcdf(x)`` is :math:`\\log F(x)`, ``logsf(x)`` is :math:`\\log(1 - F(x))`,
    ``from_logcdf(l)`` the quantile at level :math:`e^l` and ``from_logsf(l)`` the quantile at
    level :math:`1 - e^l`. ``law`` is the toy the functions belong to.
    """

    def __init__(self, law, logcdf, logsf, from_logcdf, from_logsf):
        self.law = law
        self.logcdf, self.logsf = logcdf, logsf
        self.from_logcdf, self.from_logsf = from_logcdf, from_logsf


def tails(law, name="law"):
    """The :class:`Tails` of a continuous 1-D toy or frozen scipy.stats law.

    Raises
    ------
    TypeError
        If ``law`` is not a toy or a frozen scipy.stats law, or is not continuous (a discrete or
        singular law has no quantile map to transport with).
    ValueError
        If ``law`` is not one-dimensional.
    """
    law = as_toy(law, name)
    if law.dim != 1:
        raise ValueError(f"{name} must be a 1-D law, got {law!r} with dim={law.dim}")
    if not isinstance(law, ContinuousDistribution):
        raise TypeError(f"{name} must be a continuous 1-D law (Gaussian, Exponential, Uniform, ...), got {law!r}")
    if isinstance(law, Gaussian):
        return _gaussian(law)
    if isinstance(law, Exponential):
        return _exponential(law)
    if isinstance(law, Uniform):
        return _uniform(law)
    if isinstance(law, GaussianMixture):
        return _mixture(law)
    if isinstance(law, ScipyContinuous):
        return _scipy(law)
    raise TypeError(
        f"{name} must be a Gaussian, Exponential, Uniform, 1-D GaussianMixture or scipy.stats law, got {law!r}"
    )


def _gaussian(g):
    m, s = g.mean, g.std
    return Tails(
        g,
        lambda x: special.log_ndtr((x - m) / s),
        lambda x: special.log_ndtr((m - x) / s),
        lambda lp: m + s * special.ndtri_exp(lp),
        lambda lp: m - s * special.ndtri_exp(lp),
    )


def _exponential(e):
    rate, loc = e.rate, e.loc

    def logsf(x):
        return -rate * np.maximum(x - loc, 0.0)

    return Tails(
        e,
        lambda x: _log1mexp(logsf(x)),
        logsf,
        lambda lp: loc - _log1mexp(lp) / rate,
        lambda lp: loc - lp / rate,
    )


def _log1mexp(a):
    """log(1 - e^a) for a <= 0, accurate at both ends (Maechler 2012): log1p(-e^a) or log(-expm1(a))."""
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(a < -_LN2, np.log1p(-np.exp(np.minimum(a, -_LN2))), np.log(-np.expm1(np.maximum(a, -_LN2))))


def _uniform(u):
    low, high, width = u.low, u.high, u.width

    def log_clipped(t):
        with np.errstate(divide="ignore"):
            return np.log(np.clip(t, 0.0, 1.0))

    return Tails(
        u,
        lambda x: log_clipped((x - low) / width),
        lambda x: log_clipped((high - x) / width),
        lambda lp: low + width * np.exp(lp),
        lambda lp: high - width * np.exp(lp),
    )


def _mixture(mix):
    keep = mix.weights > 0
    logw, mu, sd = np.log(mix.weights[keep]), mix.means[keep], mix.stds[keep]
    pad = 1e-6 * float(sd.max())  # widens a bracket whose ends coincide (all components alike)

    def logcdf(x):
        return special.logsumexp(logw + special.log_ndtr((x[..., None] - mu) / sd), axis=-1)

    def logsf(x):
        return special.logsumexp(logw + special.log_ndtr((mu - x[..., None]) / sd), axis=-1)

    def quantile(lp, tail, sign):
        # F is an average of the components' CDFs, so its quantile lies between theirs
        lp = np.asarray(lp, dtype=float)
        out = np.where(lp == 0, sign * np.inf, np.where(lp == -np.inf, -sign * np.inf, np.nan))
        inner = np.isfinite(lp) & (lp < 0)
        if np.any(inner):
            li = lp[inner]
            q = mu + sign * sd * special.ndtri_exp(li[:, None])  # (n, K) component quantiles
            res = elementwise.find_root(
                lambda x, level: tail(x) - level,
                (q.min(axis=1) - pad, q.max(axis=1) + pad),
                args=(li,),
                tolerances={"xatol": 1e-14 * float(sd.min()), "xrtol": 4e-16},
            )
            out[inner] = res.x
        return out

    return Tails(
        mix,
        logcdf,
        logsf,
        lambda lp: quantile(lp, logcdf, 1.0),
        lambda lp: quantile(lp, logsf, -1.0),
    )


def _scipy(law):
    frozen = law.frozen
    return Tails(
        law,
        lambda x: frozen.logcdf(x),
        lambda x: frozen.logsf(x),
        lambda lp: frozen.ppf(np.exp(lp)),
        lambda lp: frozen.isf(np.exp(lp)),
    )
