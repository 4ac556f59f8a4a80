r"""How close a trained discriminator or critic is to what the theory says it approaches.

* :func:`discriminator_gap` -- a GAN discriminator against :math:`D^* = p/(p + q)`: the largest
  gap on the bulk, and its exact value :math:`V(G, D)` against :math:`C(G) = -\ln 4 + 2\,JS`.
* :func:`witness_bound` -- a WGAN critic as a witness of the Kantorovich-Rubinstein duality:
  :math:`(E_P f - E_Q f)/\mathrm{Lip}(f)` is a lower bound on :math:`W_1(P, Q)`.
* :func:`critic_score` and :func:`critic_gradient` -- the network's raw score (logit of D, or f)
  and its gradient in x.

A :class:`gan1d.analysis.TrainedCritic` evaluates its network in float32, whose rounding is enough to make
:math:`\sigma(\ell)` exactly 1 where the logit exceeds about 16.6 (in float64 this happens only
above about 36.7), so that :math:`\log(1 - D)` is :math:`-\infty` there, and to stop an adaptive
quadrature from converging. Everything here evaluates a float64 copy of the network instead: the
same weights, so the same function, without that rounding.

References
----------
.. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
.. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Theorem 3.
.. [3] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Sec. 4
   (the penalty acts on the interpolates :math:`\epsilon x + (1 - \epsilon)y`).
"""

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy import special

import divergences
import toys
from toys import validation

from .critics import TrainedCritic, optimal_discriminator

__all__ = [
    "DiscriminatorGap",
    "WitnessBound",
    "critic_gradient",
    "critic_score",
    "discriminator_gap",
    "witness_bound",
]

LN4 = math.log(4.0)


def critic_score(critic, x):
    """The raw score of a trained network at ``x``: the logit of D for ``gan``/``nsgan``, f for WGANs.

    Parameters
    ----------
    critic : gan1d.analysis.TrainedCritic
        A discriminator or critic from :func:`gan1d.train_critic`.
    x : array_like, shape (n,) in 1-D or (n, d)
        Points of the critic's dimension.

    Returns
    -------
    ndarray, shape (n,)
        The score, evaluated in float64 with the network's weights.

    Examples
    --------
    >>> import numpy as np, toys, gan1d
    >>> f = gan1d.train_critic("wgan-gp", toys.Gaussian(0, 1), toys.Gaussian(2, 1), steps=5)
    >>> x = np.linspace(-1.0, 3.0, 5)
    >>> bool(np.allclose(critic_score(f, x), f(x), atol=1e-5))     # f itself, up to float32
    True
    """
    module, pts = _float64(critic), _points(critic, x)
    with torch.no_grad():
        return module(pts)[0].numpy()


def critic_gradient(critic, x):
    r"""The gradient in x of the raw score (:func:`critic_score`), by autograd in float64.

    Parameters
    ----------
    critic : gan1d.analysis.TrainedCritic
        A discriminator or critic from :func:`gan1d.train_critic`.
    x : array_like, shape (n,) in 1-D or (n, d)
        Points of the critic's dimension.

    Returns
    -------
    ndarray, shape (n, d)
        :math:`\nabla_x f(x)` (or :math:`\nabla_x \ell(x)` for a discriminator's logit).

    Examples
    --------
    >>> import numpy as np, toys, gan1d
    >>> f = gan1d.train_critic("wgan-gp", toys.Gaussian(0, 1), toys.Gaussian(2, 1), steps=5)
    >>> x, h = np.array([0.3]), 1e-6
    >>> g = critic_gradient(f, x)[0, 0]
    >>> bool(np.isclose(g, (critic_score(f, x + h) - critic_score(f, x - h))[0] / (2 * h)))
    True
    """
    module, pts = _float64(critic), _points(critic, x).requires_grad_(True)
    (grad,) = torch.autograd.grad(module(pts).sum(), pts)  # (1, n, d)
    return grad[0].numpy()


@dataclass(frozen=True)
class DiscriminatorGap:
    r"""A trained discriminator against :math:`D^*` (:func:`discriminator_gap`).

    Attributes
    ----------
    x : ndarray, shape (k,)
        The grid the two are compared on.
    d, d_star : ndarray, shape (k,)
        The trained D and :math:`D^* = p/(p + q)` on the grid.
    bulk : ndarray of bool, shape (k,)
        Where the mixture density :math:`(p + q)/2` is at least the ``bulk`` level: where the
        discriminator saw samples.
    max_gap : float
        :math:`\max |D - D^*|` over the bulk.
    mean_gap : float
        :math:`\int |D - D^*|\,dM` with :math:`M = (P + Q)/2`, a Riemann sum on the grid.
    value : float
        :math:`V(G, D)` of the trained D, by quadrature (:func:`divergences.games.gan_value`), nats.
    optimum : float
        :math:`C(G) = V(G, D^*)`, by the same quadrature; ``value <= optimum``.
    js : float
        The exact :math:`JS(P, Q)` (:func:`divergences.js`), nats.
    batch_estimate : float
        The discriminator's own estimate :math:`(V + \ln 4)/2` on its training batches, averaged
        over the last ``tail`` fraction of the updates.
    """

    x: np.ndarray
    d: np.ndarray
    d_star: np.ndarray
    bulk: np.ndarray
    max_gap: float
    mean_gap: float
    value: float
    optimum: float
    js: float
    batch_estimate: float

    @property
    def js_estimate(self):
        r""":math:`(V(G, D) + \ln 4)/2`, the trained D's JS estimate without sampling noise; at most ``js``."""
        return 0.5 * (self.value + LN4)


def discriminator_gap(critic, real, fake, x=None, bulk=0.01, tail=0.1):
    r"""Compare a trained GAN discriminator with :math:`D^* = p/(p + q)`, pointwise and in value.

    Parameters
    ----------
    critic : gan1d.analysis.TrainedCritic
        Trained with ``"gan"`` or ``"nsgan"`` between ``real`` and ``fake`` (1-D).
    real, fake : toys.Distribution
        The two 1-D laws with densities the discriminator was trained on.
    x : array_like, shape (k,), optional
        Grid for the pointwise comparison; default 1001 points from the lowest 1e-4 quantile to
        the highest 1 - 1e-4 quantile of the two laws.
    bulk : float
        Level of :math:`(p + q)/2` above which the grid counts as the bulk (default 0.01).
    tail : float
        Fraction of the last updates whose batch estimates are averaged (default 0.1).

    Returns
    -------
    DiscriminatorGap

    Raises
    ------
    TypeError
        If ``critic`` is not a :class:`gan1d.analysis.TrainedCritic` or a law has no density.
    ValueError
        If the critic is a WGAN critic or not 1-D, the laws are not 1-D, ``bulk`` is not positive
        or no grid point reaches it (no bulk to take ``max_gap`` over), or ``tail`` is not in (0, 1].

    Notes
    -----
    The value is exact up to the quadrature's ~1e-9 and the float64 evaluation of the network:

    .. math:: V(G, D) = E_P\log D + E_Q\log(1 - D) \;\le\; V(G, D^*) = -\ln 4 + 2\,JS(P, Q),

    so ``js_estimate`` :math:`= (V + \ln 4)/2 \le JS` for every D [1]_; the batch estimate can
    exceed JS only by sampling noise.

    References
    ----------
    .. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
    """
    _check_critic(critic, probabilistic=True)
    for name, law in (("real", real), ("fake", fake)):
        if not isinstance(law, toys.ContinuousDistribution) or law.dim != 1:
            raise TypeError(f"{name} must be a 1-D toy with a density, got {law!r}")
    bulk = validation.positive_scalar("bulk", bulk)
    tail = _tail(tail)
    if x is None:
        lo = min(real.ppf(1e-4), fake.ppf(1e-4))
        hi = max(real.ppf(1 - 1e-4), fake.ppf(1 - 1e-4))
        x = np.linspace(lo, hi, 1001)
    x = validation.points("x", x, dim=1)[:, 0]
    m = 0.5 * (real.pdf(x) + fake.pdf(x))
    inside = m >= bulk
    if not inside.any():
        raise ValueError(
            f"bulk={bulk!r} is above the mixture density (p + q)/2 at every point of x (its maximum there is "
            f"{m.max():.3g}): no bulk to compare D with D* on; lower bulk or widen x"
        )
    logit = _score_fn(critic)
    d = special.expit(logit(x))
    d_star = optimal_discriminator(real, fake)(x)
    gap = np.abs(d - d_star)
    return DiscriminatorGap(
        x=x,
        d=d,
        d_star=d_star,
        bulk=inside,
        max_gap=float(gap[inside].max()),
        mean_gap=float((gap * m).sum() / m.sum()),
        value=divergences.games.gan_value(real, fake, logit, logit=True),
        optimum=divergences.games.gan_value(real, fake),
        js=divergences.js(real, fake),
        batch_estimate=_batch_estimate(critic, tail),
    )


@dataclass(frozen=True)
class WitnessBound:
    r"""A trained WGAN critic as a witness of :math:`W_1` (:func:`witness_bound`).

    Attributes
    ----------
    gap : float
        :math:`E_P f - E_Q f`: exact (quadrature or finite sum) for two 1-D laws with densities
        or two discrete laws, otherwise a Monte Carlo mean on ``n`` fresh samples per side.
    gap_se : float
        Standard error of ``gap`` (0 when it is exact).
    lipschitz : float
        :math:`\max\|\nabla f\|` over the probe points: the samples of both laws and the
        interpolates between them, which fill the region the critic is asked to be 1-Lipschitz on.
    steepest : ndarray, shape (d,)
        The probe point where the gradient is largest.
    bound : float
        ``gap / lipschitz``, a lower bound on W1 (see :func:`witness_bound`).
    estimate : float
        The critic's own estimate :math:`E_P f - E_Q f` on its training batches, averaged over the
        last ``tail`` fraction of the updates.
    w1 : float
        The exact :math:`W_1(P, Q)` (:func:`divergences.w1`).
    """

    gap: float
    gap_se: float
    lipschitz: float
    steepest: np.ndarray
    bound: float
    estimate: float
    w1: float


def witness_bound(critic, real, fake, n=100_000, seed=0, tail=0.1):
    r"""Turn a trained WGAN critic into a lower bound on :math:`W_1(P, Q)`.

    Parameters
    ----------
    critic : gan1d.analysis.TrainedCritic
        Trained with ``"wgan"`` or ``"wgan-gp"`` between ``real`` and ``fake``.
    real, fake : toys.Distribution
        The two laws, of the critic's dimension.
    n : int
        Samples per side for the probe points of the Lipschitz constant (and for the Monte Carlo
        gap when it is not exact); ``n`` interpolates as well.
    seed : int
        Seed of those samples.
    tail : float
        Fraction of the last updates whose batch estimates are averaged (default 0.1).

    Returns
    -------
    WitnessBound

    Raises
    ------
    TypeError
        If ``critic`` is not a :class:`gan1d.analysis.TrainedCritic`, or ``n`` or ``seed`` not integers.
    ValueError
        If the critic is a GAN discriminator, its dimension is not the laws', ``n`` < 2, or
        ``tail`` is not in (0, 1].

    Notes
    -----
    If f is L-Lipschitz on the supports of P and Q, then f/L is 1-Lipschitz there, extends to a
    1-Lipschitz function on the whole space (McShane, :func:`divergences.transport.duality.mcshane_extension`)
    and, by the Kantorovich-Rubinstein duality [1]_,

    .. math:: \frac{E_P f - E_Q f}{L} \;\le\; \sup_{\|g\|_L \le 1} E_P g - E_Q g = W_1(P, Q).

    The largest gradient over the probe points stands in for L. It is the exact constant on the
    convex hull of the probes only if the steepest point was probed: a piecewise-linear network
    is steepest on a whole piece, which a probe finds unless the piece is tiny, but the bound
    can exceed W1 by that margin (and by the Monte Carlo error of an estimated gap). A WGAN-GP
    critic converges to the optimum of its penalised objective, whose gap exceeds W1 (by
    :math:`\theta^2/(2\lambda)` on the parallel lines) and whose slope exceeds 1 (by
    :math:`|\theta|/(2\lambda)`); dividing the gap by the slope brings the estimate back to W1
    (:math:`|\theta|(1 + |\theta|/(2\lambda)) / (1 + |\theta|/(2\lambda)) = |\theta|`).

    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Rem. 6.5.
    .. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Theorem 3.
    """
    _check_critic(critic, probabilistic=False)
    if getattr(real, "dim", None) != critic.dim or getattr(fake, "dim", None) != critic.dim:
        raise ValueError(f"real and fake must be toys of the critic's dimension {critic.dim}, got {real!r}, {fake!r}")
    n = validation.positive_int("n", n)
    if n < 2:
        raise ValueError(f"n must be at least 2 (a standard error needs two samples), got {n}")
    rng = np.random.default_rng(validation.seed("seed", seed))
    tail = _tail(tail)
    f = _score_fn(critic)
    xr = real.sample(n, rng).reshape(n, critic.dim)
    xf = fake.sample(n, rng).reshape(n, critic.dim)
    try:
        gap, se = divergences.games.wgan_value(real, fake, f), 0.0
    except NotImplementedError:  # not two 1-D laws with densities or two discrete laws: sample
        fr, ff = f(xr), f(xf)
        gap, se = float(fr.mean() - ff.mean()), float(math.sqrt((fr.var(ddof=1) + ff.var(ddof=1)) / n))
    eps = rng.uniform(size=(n, 1))
    probes = np.concatenate([xr, xf, eps * xr + (1 - eps) * xf])  # (3n, d)
    norms = np.linalg.norm(critic_gradient(critic, probes), axis=1)
    k = int(np.argmax(norms))
    lip = float(norms[k])
    return WitnessBound(
        gap=float(gap),
        gap_se=se,
        lipschitz=lip,
        steepest=probes[k],
        bound=float(gap / lip) if lip > 0 else math.nan,
        estimate=_batch_estimate(critic, tail),
        w1=divergences.w1(real, fake),
    )


# -- helpers --------------------------------------------------------------------------------------
def _check_critic(critic, probabilistic):
    if not isinstance(critic, TrainedCritic):
        raise TypeError(f"critic must be a gan1d.analysis.TrainedCritic (from gan1d.train_critic), got {critic!r}")
    if critic.loss not in (("gan", "nsgan") if probabilistic else ("wgan", "wgan-gp")):
        want = "a GAN discriminator ('gan' or 'nsgan')" if probabilistic else "a WGAN critic ('wgan' or 'wgan-gp')"
        raise ValueError(f"critic must be {want}, got one trained with loss {critic.loss!r}")
    if probabilistic and critic.dim != 1:
        raise ValueError(f"critic must be 1-D to be compared with D* on a grid, got dimension {critic.dim}")


def _float64(critic):
    if not isinstance(critic, TrainedCritic):
        raise TypeError(f"critic must be a gan1d.analysis.TrainedCritic (from gan1d.train_critic), got {critic!r}")
    return copy.deepcopy(critic.module).cpu().double().requires_grad_(False)


def _points(critic, x):
    return torch.as_tensor(validation.points("x", x, dim=critic.dim), dtype=torch.float64)[None]  # (1, n, d)


def _score_fn(critic):
    """A numpy function x (n,) or (n, d) -> raw scores (n,), on one float64 copy of the network."""
    module = _float64(critic)

    def score(x):
        with torch.no_grad():
            return module(_points(critic, x))[0].numpy()

    return score


def _tail(tail):
    tail = validation.positive_scalar("tail", tail)
    if tail > 1:
        raise ValueError(f"tail must be a fraction in (0, 1], got {tail!r}")
    return tail


def _batch_estimate(critic, tail):
    est = np.asarray(critic.history["estimate"], dtype=float)
    return float(est[-max(1, round(tail * est.size)) :].mean())
