r"""The f-GAN critic in torch: each named generator's output activation and conjugate, composed.

An f-GAN critic outputs a raw score ``v`` and is read through the activation :math:`t = g_f(v)`
onto the domain of the conjugate :math:`f^*`; its objective needs :math:`g_f(v)` and
:math:`f^*(g_f(v))` (Nowozin, Cseke and Tomioka 2016, Sec. 3 and Table 2). Composed by hand, the
two stay finite where writing :math:`f^*` after :math:`g_f` would round to the edge of the domain
(``"gan"``: :math:`f^*(g_f(v)) = \mathrm{softplus}(v)`, not :math:`-\log(1 - e^{-\mathrm{softplus}(-v)})`).
The generators are those of :mod:`divergences.generators`, with its scaling (``"js"`` and
``"hellinger"`` are half of Nowozin et al.'s, so that the bound estimates :func:`divergences.js`
and :func:`divergences.hellinger`); the tests check both columns against its numpy functions.

:func:`lsgan_divergence` is what the least-squares GAN's discriminator estimates (Mao et al. 2017).

References
----------
.. [1] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
   variational divergence minimization", NeurIPS 2016, Sec. 2-3, Tables 1-2.
.. [2] X. Mao et al., "Least squares generative adversarial networks", ICCV 2017, Sec. 3.2.
"""

import math

import torch
import torch.nn.functional as F

import divergences
import toys

__all__ = ["ACTIVATIONS", "lsgan_divergence"]

LN2 = math.log(2.0)


def _jeffreys_conjugate(t):
    """f*(t) for f(u) = (u - 1) log u: u* t - f(u*) with u* = 1 / W(e^(1 - t)), held fixed for autograd.

    The maximiser ``u*`` solves ``f'(u) = log u + 1 - 1/u = t``; with ``w = 1/u*``, ``w + log w = 1 - t``
    (Wright's omega). Newton's method on ``y = log w`` (convex in y, so it converges from any start)
    in float64. The gradient of ``u* t - f(u*)`` with ``u*`` held fixed is ``u*``, which is
    ``df*/dt`` (the envelope theorem): value and first derivative exact.
    """
    x = (1.0 - t.detach()).double()
    y = torch.where(x > 1.0, torch.log(x.clamp(min=1.0)), x)  # log w ~ log x for large x, ~ x for small x
    for _ in range(8):  # quadratic convergence: within 4e-15 of scipy.special.wrightomega after 4 steps
        e = torch.exp(y)
        y = y - (e + y - x) / (e + 1.0)
    u = torch.exp(-y).to(t.dtype)  # u* = 1 / w
    return u * t - (u - 1.0) * torch.log(u)


#: ``name -> (g_f, f* o g_f)``: the activation and the conjugate at the activation, of a raw score ``v``.
ACTIVATIONS = {
    "kl": (lambda v: v, lambda v: torch.exp(v - 1.0)),
    "reverse_kl": (lambda v: -torch.exp(-v), lambda v: v - 1.0),  # f*(t) = -1 - log(-t)
    # f*(t) = t^2/4 + t for t >= -2, and -1 = -f(0) below (the conjugate over u >= 0).
    "pearson": (lambda v: v, lambda v: torch.where(v >= -2.0, 0.25 * v * v + v, torch.full_like(v, -1.0))),
    "neyman": (lambda v: -torch.expm1(-v), lambda v: 2.0 - 2.0 * torch.exp(-0.5 * v)),  # f*(t) = 2 - 2 sqrt(1 - t)
    "hellinger": (lambda v: -0.5 * torch.expm1(-v), lambda v: 0.5 * torch.expm1(v)),  # f*(t) = t / (1 - 2t)
    "jeffreys": (lambda v: v, _jeffreys_conjugate),
    # g = (ln 2 + log sigmoid(v)) / 2, f*(t) = -log(2 - e^(2t)) / 2
    "js": (lambda v: 0.5 * (LN2 - F.softplus(-v)), lambda v: 0.5 * (F.softplus(v) - LN2)),
    "gan": (lambda v: -F.softplus(-v), F.softplus),  # g = log sigmoid(v), f*(t) = -log(1 - e^t)
    "tv": (lambda v: 0.5 * torch.tanh(v), lambda v: 0.5 * torch.tanh(v)),  # f*(t) = t on [-1/2, 1/2]
}


def lsgan_divergence(p, q):
    r"""The divergence the least-squares GAN's discriminator estimates: :math:`\chi^2(Q\,\|\,M)`, M = (P + Q)/2.

    Parameters
    ----------
    p, q : toys.Gaussian or toys.GaussianMixture
        The real law P and the generator's law Q, 1-D, or of one dimension d with covariances.

    Returns
    -------
    float
        :math:`\chi^2(Q\,\|\,M) = \tfrac12\int (p - q)^2/(p + q)`, in [0, 1], unitless, symmetric in
        P and Q; :func:`divergences.chi2` of Q against the mixture M.

    Raises
    ------
    NotImplementedError
        For other laws (no mixture toy holds them; the history records NaN there).

    Notes
    -----
    With the a-b-c coding ``a = -1``, ``b = 1``, ``c = 0`` (b - c = 1, b - a = 2), the optimal
    discriminator is :math:`D^* = (p - q)/(p + q)`, and the generator's objective at it is
    :math:`C(G) = \tfrac12 E_P[D^{*2}] + \tfrac12 E_Q[D^{*2}] = \tfrac12\int (p - q)^2/(p + q)`
    (Mao et al. 2017, Sec. 3.2). The paper writes :math:`2C(G) = \chi^2_{\mathrm{Pearson}}(p_d + p_g
    \,\|\, 2p_g)` with the integrand :math:`(2p_g - (p_d + p_g))^2/(p_d + p_g)`; its denominator is
    the *first* argument, so in the convention :math:`\chi^2(A\,\|\,B) = \int (a - b)^2/b` of
    :func:`divergences.chi2` it is :math:`\chi^2(2Q\,\|\,P + Q) = 2\chi^2(Q\,\|\,M)`, and
    :math:`C(G) = \chi^2(Q\,\|\,M) = \chi^2(P\,\|\,M)`. The discriminator's own loss at
    :math:`D^*` is :math:`2\int pq/(p + q) = 1 - \chi^2(Q\,\|\,M)`, so ``1 - d_loss`` estimates the same
    value, from below for any D (the tests check both by quadrature). The paper's other choice,
    c = b, gives :math:`C(G) = \tfrac{(b - a)^2}{4}(1 + \chi^2(Q\,\|\,M))`: the same divergence up to
    an affine map; only a = -1, b = 1, c = 0 is implemented.

    References
    ----------
    .. [1] X. Mao et al., "Least squares generative adversarial networks", ICCV 2017, Sec. 3.2.

    Examples
    --------
    >>> import math, toys
    >>> from gan1d.training.fgan import lsgan_divergence
    >>> p = toys.Gaussian(0.0, 1.0)
    >>> round(lsgan_divergence(p, p), 10)
    0.0
    >>> d = lsgan_divergence(p, toys.Gaussian(1.0, 1.0))
    >>> math.isclose(d, lsgan_divergence(toys.Gaussian(1.0, 1.0), p), rel_tol=1e-9), 0 < d < 1
    (True, True)
    """
    m = toys.GaussianMixture(**_components(p, q))
    return float(divergences.chi2(q, m))


def _components(p, q):
    parts = [_mixture_parts(name, law) for name, law in (("p", p), ("q", q))]
    dims = {law.dim for law in (p, q)}
    if len(dims) > 1:
        raise ValueError(f"p and q must have the same dimension, got {p.dim} and {q.dim}")
    weights = [0.5 * w for w in parts[0][0]] + [0.5 * w for w in parts[1][0]]
    means = parts[0][1] + parts[1][1]
    spreads = parts[0][2] + parts[1][2]
    return {"weights": weights, "means": means, ("stds" if dims == {1} else "covs"): spreads}


def _mixture_parts(name, law):
    """(weights, means, stds or covariances) of a Gaussian or Gaussian mixture, as lists."""
    if isinstance(law, toys.Gaussian):
        if law.dim == 1:
            return [1.0], [float(law.mean)], [float(law.std)]
        return [1.0], [law.mean], [law.cov]
    if isinstance(law, toys.GaussianMixture):
        if law.dim == 1:
            return list(law.weights), list(law.means), list(law.stds)
        return list(law.weights), list(law.means), list(law.covs)
    raise NotImplementedError(
        f"lsgan_divergence needs toys.Gaussian or toys.GaussianMixture laws (to build the mixture (P + Q)/2), "
        f"got {name}={law!r}"
    )
