"""Oracles and tolerances shared by the property tests of the divergences.

The tolerances are the accuracies the library states (docstrings of :mod:`divergences.functions`,
:mod:`divergences.numeric.one_d` and :mod:`divergences.numeric.two_d`), so a failure is a broken
promise, not noise. The oracles are independent computations: ``scipy.integrate.quad`` split
where the integrands have kinks or jumps, finite sums over atoms, and the laws moved by affine
maps.
"""

import math

import numpy as np
from hypothesis import settings
from scipy import integrate, optimize, special

from divergences import js, kl, reverse_kl, tv, w1
from toys import Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.base import DiscreteDistribution

#: Stated absolute error of every 1-D value (closed forms are far better; the numeric path,
#: adaptive Gauss-Kronrod quadrature, promises 1e-9).
TOL_1D = 1e-9
#: Stated absolute error of the 2-D cubature (TV, KL, JS between 2-D Gaussians and mixtures).
TOL_2D = 1e-6
#: Stated absolute error of 2-D W1 by optimal transport between discretisations, for laws of
#: unit scale; see :func:`ot_tolerance` for larger ones.
TOL_OT = 3e-2
#: Rounding of closed forms and finite sums of O(1) terms: a few hundred ulps, with headroom.
TOL_SUM = 1e-12

LN2 = math.log(2.0)
DIVERGENCES = {"tv": tv, "kl": kl, "reverse_kl": reverse_kl, "js": js, "w1": w1}
FEW = settings(max_examples=6)
#: For W1 by transport, 0.3 to 5 s each.
VERY_FEW = settings(max_examples=2)


def ot_tolerance(*laws):
    """The stated accuracy of 2-D W1 by transport for these laws: TOL_OT max(1, sigma_max).

    divergences.numeric.two_d states 3e-2 max(1, sigma_max), sigma_max the largest standard
    deviation of any component (the grid step, hence the error, grows with the size of the laws);
    the largest error measured is 2.3e-2 sigma_max, for a wide Gaussian against a narrow one.
    """
    sd = max(float(np.sqrt(np.linalg.eigvalsh(c).max())) for law in laws for c in law.as_mixture()[2])
    return TOL_OT * max(1.0, sd)


def shifted(law, a):
    """The law of X + a (``a`` a 2-vector for 2-D Gaussians and mixtures, horizontal for lines)."""
    if isinstance(law, Gaussian):
        return Gaussian(law.mean + a, std=law.std) if law.dim == 1 else Gaussian(law.mean + a, cov=law.cov)
    if isinstance(law, GaussianMixture):
        if law.dim == 1:
            return GaussianMixture(law.weights, law.means + a, stds=law.stds)
        return GaussianMixture(law.weights, law.means + a, covs=law.covs)
    if isinstance(law, Uniform):
        return Uniform(law.low + a, law.high + a)
    if isinstance(law, Exponential):
        return Exponential(law.rate, loc=law.loc + a)
    if isinstance(law, DiscreteDistribution):
        return Discrete(law.atoms + a, law.probs)
    if isinstance(law, ShiftedLine):
        return ShiftedLine(law.theta + a)
    raise TypeError(type(law))


def scaled(law, s):
    """The law of s X (1-D laws; an Exponential only for s > 0)."""
    if isinstance(law, Gaussian):
        return Gaussian(s * law.mean, std=abs(s) * law.std)
    if isinstance(law, GaussianMixture):
        return GaussianMixture(law.weights, s * law.means, stds=abs(s) * law.stds)
    if isinstance(law, Uniform):
        return Uniform(*sorted([s * law.low, s * law.high]))
    if isinstance(law, Exponential):
        assert s > 0
        return Exponential(law.rate / s, loc=s * law.loc)
    if isinstance(law, DiscreteDistribution):
        return Discrete(s * law.atoms, law.probs)
    raise TypeError(type(law))


def masses(*ds):
    """The atoms charged by at least one of the laws, and the mass of each law there."""
    x = np.unique(np.concatenate([d.atoms[d.probs > 0] for d in ds]))
    return (x, *(d.pmf(x) for d in ds))


def cuts(law):
    """Points where ``quad`` should split the line for this law: jumps and scales of its structure."""
    if isinstance(law, DiscreteDistribution):
        return list(law.atoms)
    if isinstance(law, Uniform):
        return [law.low, law.high]
    if isinstance(law, Exponential):
        return [law.loc + k / law.rate for k in (0, 1, 3, 10, 40)]
    if isinstance(law, Gaussian):
        means, stds = [law.mean], [law.std]
    else:
        means, stds = law.means, law.stds
    return [m + k * s for m, s in zip(means, stds) for k in (-12, -6, -3, -1, 0, 1, 3, 6, 12)]


def quad_line(f, ps):
    """Integral of ``f`` over the union of the supports of ``ps``, by ``scipy.integrate.quad``.

    The union is split at the :func:`cuts` of every law, so every piece is smooth and holds at
    most a few length scales; each piece is integrated to 1e-13 absolute, a sum far below TOL_1D.
    """
    lo = min(p.support[0] for p in ps)
    hi = max(p.support[1] for p in ps)
    points = sorted({c for p in ps for c in cuts(p) if lo < c < hi})
    edges = [lo, *points, hi]
    return math.fsum(
        integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])
    )


def quad_with_kinks(h, g, laws):
    """Integral of ``h`` by ``quad``, split at the :func:`cuts` of ``laws`` and where ``g`` changes sign.

    ``h`` has kinks where ``g`` (vectorised) changes sign (``|F_P - F_Q|``, ``min(p, q)``). The sign changes
    are bracketed on a grid of 100 steps strictly inside each gap between consecutive cuts (a
    discrete CDF or a uniform density jumps at a cut) and located by ``brentq``, so
    every piece is smooth. Beyond the outermost cuts (12 sigma, 40 / rate) every law has mass
    below 1e-17, so the tails are left out: there 1 - F is lost to rounding, and quad would
    integrate noise.
    """
    points = sorted({float(c) for law in laws for c in cuts(law)})
    kinks = []
    for a, b in zip(points[:-1], points[1:]):
        xs = np.linspace(a, b, 101)
        xs[0], xs[-1] = np.nextafter(a, b), np.nextafter(b, a)
        gx = g(xs)
        for lo, hi in zip(xs[:-1][gx[:-1] * gx[1:] < 0], xs[1:][gx[:-1] * gx[1:] < 0]):
            if g(lo) * g(hi) < 0:  # again one point at a time: a vectorised g may round differently
                kinks.append(optimize.brentq(g, lo, hi, xtol=1e-15))
    edges = sorted(points + kinks)
    # pieces narrower than 1e-12 (sign changes of rounding noise, cuts a few ulps apart) hold
    # less than 1e-11 of the integral (h <= 2.5 here), and quad would only warn about them
    return math.fsum(
        integrate.quad(h, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
        for a, b in zip(edges[:-1], edges[1:])
        if b - a > 1e-12
    )


def area_between_cdfs(p, q):
    """Integral of |F_P - F_Q| over the line, by :func:`quad_with_kinks`."""

    def gap(x):
        return p.cdf(x) - q.cdf(x)

    return quad_with_kinks(lambda x: abs(float(gap(x))), gap, [p, q])


def overlap(p, q):
    """Integral of min(p, q) over the line, by :func:`quad_with_kinks` (continuous laws)."""

    def gap(x):
        return p.pdf(x) - q.pdf(x)

    return quad_with_kinks(lambda x: float(np.minimum(p.pdf(x), q.pdf(x))), gap, [p, q])


def p_log_ratio(lp, lr):
    """The integrand p log(p / r) from log densities, 0 where p = 0."""
    return 0.0 if lp == -math.inf else math.exp(lp) * (lp - lr)


def gan_value_discrete(a, b, d):
    """E_P[log D] + E_Q[log(1 - D)] for masses ``a``, ``b`` and discriminator values ``d``."""
    return float(np.sum(special.xlogy(a, d)) + np.sum(special.xlogy(b, 1.0 - d)))
