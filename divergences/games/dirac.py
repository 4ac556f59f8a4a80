r"""The Dirac-GAN of Mescheder, Geiger and Nowozin (2018): its gradient field and its Jacobian.

The data are a point mass at 0, the generator a point mass at :math:`\theta`, the critic linear,
:math:`D(x) = \psi x`. The paper's objective [1]_ (Sec. 2) is
:math:`L(\theta, \psi) = E_Q[h(D(x))] + E_P[h(-D(x))]`, here :math:`L = h(\psi\theta) + h(0)`, with
:math:`h(t) = -\log(1 + e^{-t})` for the GAN and :math:`h(t) = t` for the WGAN: the critic *ascends*
L (its score is high on the fakes), the generator descends it. Training follows the field

.. math:: v(\theta, \psi) = \bigl(-\partial_\theta G(\theta, \psi),\; \partial_\psi V(\theta, \psi)\bigr)

with V the critic's value (L minus a penalty) and G the generator's loss (the part of L that
depends on :math:`\theta`, or the non-saturating :math:`-h(-\psi\theta)`). The f-GANs [2]_ value
:math:`E_P[g(\psi x)] - E_Q[f^*(g(\psi x))]`, g the activation of :mod:`divergences.generators`.

Each objective is a function of :math:`s = \psi x` through the critic's terms ``r(s)`` (data),
``a(s)`` (fakes) and the generator's ``l(s)``; the field and its Jacobian are expectations of their
first two derivatives. Instance noise blurs both points with :math:`N(0, \sigma^2)`; the
expectations are Gauss-Hermite sums of ``nodes`` points, refused beyond :math:`|\psi|\sigma = 2`
(``MAX_SPREAD``). Field against a fine quadrature, default 128 nodes: 1e-13 for :math:`|\psi|\sigma
\le 1` and 6.3e-7 at 2 (the tv activation, the worst smooth term); the Pearson conjugate's kink
leaves 1e-5 at :math:`|\psi|\sigma \le 1` and 3.3e-4 at 2.

References
----------
.. [1] L. Mescheder, A. Geiger, S. Nowozin, "Which Training Methods for GANs do actually
   Converge?", ICML 2018 (arXiv:1801.04406), Sec. 2 (the Dirac-GAN), Sec. 3-4 (regularisers).
.. [2] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training Generative Neural Samplers using
   Variational Divergence Minimization", NeurIPS 2016, Sec. 2 and Table 2.
.. [3] L. Mescheder, S. Nowozin, A. Geiger, "The Numerics of GANs", NeurIPS 2017 (consensus optimisation).
"""

import functools
from dataclasses import dataclass

import numpy as np
from scipy import special

from toys import validation

from ..generators import GENERATORS, Generator

__all__ = ["NODES", "OBJECTIVES", "REGULARIZERS", "jacobian", "jacobian_at_equilibrium", "payoffs", "vector_field"]

#: The objectives by name; ``"f-gan"`` takes the generator's name as ``f``.
OBJECTIVES = ("gan", "nsgan", "wgan", "wgan-gp", "f-gan")
#: The regularisers by name (None: none).
REGULARIZERS = (None, "r1", "r2", "instance_noise", "consensus")
#: Default number of Gauss-Hermite nodes for the expectations over instance noise.
NODES = 128
MAX_SPREAD = 2.0  # the largest |psi| sigma at which instance noise's expectations are computed
_LOG2 = np.log(2.0)


# -- the scalar terms: s -> (value, first derivative, second derivative) ------------------------
def _h(s):
    """The paper's GAN function h(s) = -log(1 + e^-s), with h' = sigma(-s) and h'' = -sigma(s) sigma(-s)."""
    p, q = special.expit(s), special.expit(-s)
    return -np.logaddexp(0.0, -s), q, -p * q


def _linear(s):
    return s, np.ones_like(s), np.zeros_like(s)


def _reflect(term):
    """s -> term(-s)."""
    return lambda s: (lambda v, d1, d2: (v, -d1, d2))(*term(-s))


def _negate(term):
    """s -> -term(s)."""
    return lambda s: tuple(-t for t in term(s))


def _exp(scale, rate, shift=0.0):
    """s -> scale * exp(rate s) + shift, with its derivatives."""

    def term(s):
        e = scale * np.exp(rate * s)
        return e + shift, rate * e, rate * rate * e

    return term


def _logistic(scale, shift=0.0):
    """s -> scale * (softplus(s) + shift), with its derivatives scale sigma(s), scale sigma(s) sigma(-s)."""

    def term(s):
        p = special.expit(s)
        return scale * (np.logaddexp(0.0, s) + shift), scale * p, scale * p * (1.0 - p)

    return term


def _half_tanh(s):  # tv: the activation, and the conjugate (the identity on its range) of it
    t = np.tanh(s)
    return 0.5 * t, 0.5 * (1.0 - t * t), -t * (1.0 - t * t)


def _pearson_phi(s):  # f*(t) = t^2/4 + t for t >= -2 and -1 below (divergences.generators), g(s) = s
    above = s >= -2.0
    return np.where(above, 0.25 * s * s + s, -1.0), np.where(above, 0.5 * s + 1.0, 0.0), np.where(above, 0.5, 0.0)


def _jeffreys_phi(s):  # f*(t) = W + 1/W + t - 2, W = omega(1 - t) (Wright's omega); f*' = 1/W
    w = special.wrightomega(1.0 - s).real
    return w + 1.0 / w + s - 2.0, 1.0 / w, 1.0 / (w * (1.0 + w))


#: name -> (activation g, composite phi = conjugate(activation)), each s -> (value, d1, d2); the
#: composites simplify f*(g(s)) in closed form (checked against the Generator objects in the tests).
_F_TERMS = {
    "kl": (_linear, _exp(np.exp(-1.0), 1.0)),
    "reverse_kl": (_exp(-1.0, -1.0), lambda s: (s - 1.0, np.ones_like(s), np.zeros_like(s))),
    "pearson": (_linear, _pearson_phi),
    "neyman": (_exp(-1.0, -1.0, 1.0), _exp(-2.0, -0.5, 2.0)),
    "hellinger": (_exp(-0.5, -1.0, 0.5), _exp(0.5, 1.0, -0.5)),
    "jeffreys": (_linear, _jeffreys_phi),
    "js": (_negate(_reflect(_logistic(0.5, -_LOG2))), _logistic(0.5, -_LOG2)),
    "gan": (_negate(_reflect(_logistic(1.0))), _logistic(1.0)),
    "tv": (_half_tanh, _half_tanh),
}
assert set(_F_TERMS) == set(GENERATORS)


@dataclass(frozen=True)
class _Game:
    """An objective with its options resolved: the three terms, the penalty and the noise's nodes."""

    real: object  # s -> (r, r', r''): the critic's term at a data point
    fake: object  # s -> (a, a', a''): the critic's term at a generated point
    loss: object  # s -> (l, l', l''): the generator's term (it minimises E_Q l)
    gamma: float  # weight of the penalty (r1, r2, wgan-gp) or of the consensus term; 0 if none
    g0: float  # wgan-gp's target slope (0 for r1 / r2, whose penalty is gamma/2 psi^2)
    consensus: bool
    sigma: float  # instance noise's standard deviation (0: none)
    nodes: np.ndarray  # standard normal quadrature nodes, (K,)
    weights: np.ndarray  # their weights, summing to 1, (K,)


def _game(objective, f=None, regularizer=None, gamma=None, sigma=None, g0=None, nodes=None, **unknown):
    """Validate the options of ``objective`` and return its :class:`_Game`."""
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}: the options are f, regularizer, gamma, sigma, g0, nodes")
    if not isinstance(objective, str) or objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
    if not (regularizer is None or isinstance(regularizer, str)) or regularizer not in REGULARIZERS:
        raise ValueError(f"regularizer must be one of {REGULARIZERS}, got {regularizer!r}")
    if objective == "wgan-gp" and regularizer is not None:
        raise ValueError(f"wgan-gp carries its own penalty (gamma, g0): regularizer must be None, got {regularizer!r}")
    _only("f", f, objective == "f-gan", "objective='f-gan'")
    _only("g0", g0, objective == "wgan-gp", "objective='wgan-gp'")
    _only("sigma", sigma, regularizer == "instance_noise", "regularizer='instance_noise'")
    _only("nodes", nodes, regularizer == "instance_noise", "regularizer='instance_noise'")
    penalised = objective == "wgan-gp" or regularizer in ("r1", "r2", "consensus")
    _only("gamma", gamma, penalised, "wgan-gp and the regularizers 'r1', 'r2', 'consensus'")
    if objective == "f-gan":
        name = f.name if isinstance(f, Generator) and GENERATORS.get(f.name) is f else f
        if not isinstance(name, str) or name not in _F_TERMS:
            raise ValueError(
                f"f must name a generator of divergences.generators, one of {tuple(GENERATORS)}, got {f!r}"
            )
        activation, phi = _F_TERMS[name]
        real, fake, loss = activation, _negate(phi), _negate(phi)
    elif objective in ("gan", "nsgan"):
        real, fake = _reflect(_h), _h
        loss = _h if objective == "gan" else _negate(_reflect(_h))
    else:
        real, fake, loss = _negate(_linear), _linear, _linear
    gamma = validation.positive_scalar("gamma", 1.0 if gamma is None else gamma) if penalised else 0.0
    g0 = _non_negative("g0", 1.0 if g0 is None else g0) if objective == "wgan-gp" else 0.0
    if regularizer == "instance_noise":
        sigma = validation.positive_scalar("sigma", 1.0 if sigma is None else sigma)
        x, w = _hermite(validation.positive_int("nodes", NODES if nodes is None else nodes))
    else:
        sigma, x, w = 0.0, np.zeros(1), np.ones(1)
    return _Game(real, fake, loss, gamma, g0, regularizer == "consensus", sigma, x, w)


@functools.lru_cache(maxsize=8)
def _hermite(n):
    """Gauss-Hermite nodes and weights for E f(Z), Z ~ N(0, 1): read-only arrays (cached)."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    x.flags.writeable = w.flags.writeable = False
    return x, w


def _only(name, value, applies, where):
    if value is not None and not applies:
        raise ValueError(f"{name} applies only to {where}, got {name}={value!r}")


def _non_negative(name, value):
    x = validation.real_scalar(name, value)
    if x < 0:
        raise ValueError(f"{name} must be >= 0, got {x!r}")
    return x


def _points(theta, psi):
    return np.broadcast_arrays(validation.real_array("theta", theta), validation.real_array("psi", psi))


# -- the game ---------------------------------------------------------------------------------
def _expect(game, theta, psi):
    """Per node: the fake and real points, the critic's outputs there, and the weights; shapes (..., K)."""
    if game.sigma * np.max(np.abs(psi), initial=0.0) > MAX_SPREAD:  # the Hermite sums lose accuracy beyond
        raise NotImplementedError(f"instance noise with |psi| sigma > {MAX_SPREAD} (psi {np.max(np.abs(psi)):.3g}, sigma {game.sigma:.3g}): the Hermite sums are not accurate there")  # noqa: E501  # fmt: skip
    fake = theta[..., None] + game.sigma * game.nodes  # (..., K)
    real = np.broadcast_to(game.sigma * game.nodes, fake.shape)  # (..., K)
    return fake, real, psi[..., None] * fake, psi[..., None] * real, game.weights


def _penalty(game, psi):
    """The penalty, its first and second derivatives in psi (gamma/2 (|psi| - g0)^2; r1 = r2 = gamma/2 psi^2)."""
    if game.consensus or game.gamma == 0.0:
        return 0.0, 0.0, 0.0
    excess = np.abs(psi) - game.g0
    return 0.5 * game.gamma * excess**2, game.gamma * excess * np.sign(psi), game.gamma


def payoffs(objective, theta, psi, **options):
    r"""The generator's loss and the critic's value at :math:`(\theta, \psi)`.

    Parameters
    ----------
    objective : str
        One of :data:`OBJECTIVES`.
    theta, psi : float or array_like
        The generator's point and the critic's slope (broadcast together).
    **options
        ``f`` (the generator's name, for ``"f-gan"``); ``regularizer`` (one of
        :data:`REGULARIZERS` other than ``"consensus"``, which is not a penalty); ``gamma``
        (default 1: the weight of r1, r2 and wgan-gp); ``g0`` (default 1: wgan-gp's target
        slope); ``sigma`` (default 1) and ``nodes`` (default :data:`NODES`) for instance noise.

    Returns
    -------
    loss, value : ndarray
        The generator minimises ``loss`` = :math:`E_Q[l(\psi x)]`; the critic maximises
        ``value`` = :math:`E_P[r(\psi x)] + E_Q[a(\psi x)] - R(\psi)`, in nats for the GANs.

    Raises
    ------
    ValueError
        If an objective, regulariser or option is unknown or out of range, or a point not finite.

    Examples
    --------
    The minimax GAN's value is the paper's :math:`L = h(\psi\theta) + h(0)`, its loss the θ-term:

    >>> import math
    >>> loss, value = payoffs("gan", 1.0, 2.0)
    >>> math.isclose(loss, -math.log1p(math.exp(-2.0))), math.isclose(value, loss - math.log(2.0))
    (True, True)
    """
    if options.get("regularizer") == "consensus":
        raise ValueError("regularizer='consensus' changes the field, not the payoffs: it has no payoffs of its own")
    game = _game(objective, **options)
    theta, psi = _points(theta, psi)
    _, _, s_fake, s_real, w = _expect(game, theta, psi)
    with np.errstate(over="ignore"):
        loss = game.loss(s_fake)[0] @ w
        value = (game.real(s_real)[0] + game.fake(s_fake)[0]) @ w - _penalty(game, psi)[0]
    return loss, value


def _field(game, theta, psi, jac=False):
    """The field (v_theta, v_psi) of ``game`` without consensus, and its Jacobian (2, 2, ...) if ``jac``."""
    fake, real, s_fake, s_real, w = _expect(game, theta, psi)
    p = psi[..., None]
    with np.errstate(over="ignore", invalid="ignore"):
        _, l1, l2 = game.loss(s_fake)
        _, r1, r2 = game.real(s_real)
        _, a1, a2 = game.fake(s_fake)
        _, pen1, pen2 = _penalty(game, psi)
        v = np.stack([-(p * l1) @ w, (real * r1 + fake * a1) @ w - pen1])
        if not jac:
            return v
        j = [[-(p * p * l2) @ w, -(l1 + s_fake * l2) @ w],
             [(a1 + s_fake * a2) @ w, (real * real * r2 + fake * fake * a2) @ w - pen2]]  # fmt: skip
    return v, np.array([[np.broadcast_to(x, psi.shape) for x in row] for row in j])


def vector_field(objective, theta, psi, **options):
    r"""The gradient field :math:`v = (-\partial_\theta G, \partial_\psi V)` of the Dirac-GAN.

    Parameters
    ----------
    objective : str
        One of :data:`OBJECTIVES`.
    theta, psi : float or array_like
        The points (broadcast together).
    **options
        As in :func:`payoffs`; ``regularizer="consensus"`` (with ``gamma``, default 1) returns
        :math:`v - \gamma\,\nabla\tfrac12\|v\|^2 = v - \gamma J^\top v` (Mescheder, Nowozin and Geiger 2017).

    Returns
    -------
    v_theta, v_psi : ndarray
        Descent direction of the generator and ascent direction of the critic, of the broadcast
        shape.

    Raises
    ------
    ValueError
        As :func:`payoffs`.

    Notes
    -----
    Without noise, :math:`v = (-\psi\, l'(\psi\theta),\; \theta\, a'(\psi\theta) - R'(\psi))`; for
    the GAN :math:`v = (-\psi h'(\psi\theta), \theta h'(\psi\theta))` (Mescheder, Geiger and Nowozin 2018, Sec. 2).

    Examples
    --------
    >>> v_theta, v_psi = vector_field("wgan", [1.0, 2.0], 3.0)
    >>> v_theta.tolist(), v_psi.tolist()
    ([-3.0, -3.0], [1.0, 2.0])
    """
    return _velocity(_game(objective, **options), *_points(theta, psi))


def _velocity(game, theta, psi):
    """The field of a resolved game at float arrays of one shape, consensus included."""
    if not game.consensus:
        v = _field(game, theta, psi)
        return v[0], v[1]
    v, j = _field(game, theta, psi, jac=True)
    return v[0] - game.gamma * (j[0, 0] * v[0] + j[1, 0] * v[1]), v[1] - game.gamma * (j[0, 1] * v[0] + j[1, 1] * v[1])


def jacobian(objective, theta, psi, **options):
    r"""The Jacobian of :func:`vector_field` at :math:`(\theta, \psi)`, in closed form.

    Parameters
    ----------
    objective, theta, psi, **options
        As in :func:`payoffs` (consensus excluded: its Jacobian away from the equilibrium needs
        the second derivatives of v; :func:`jacobian_at_equilibrium` has it at (0, 0)).

    Returns
    -------
    ndarray, shape (2, 2, ...)
        :math:`J_{ij} = \partial v_i / \partial x_j` with :math:`x = (\theta, \psi)`; for wgan-gp
        with :math:`g_0 > 0` at :math:`\psi = 0`, where v jumps, the derivative on either side.

    Raises
    ------
    ValueError
        As :func:`payoffs`.

    Examples
    --------
    >>> jacobian("gan", 0.0, 0.0).tolist()
    [[0.0, -0.5], [0.5, 0.0]]
    """
    if options.get("regularizer") == "consensus":
        raise ValueError("jacobian does not take regularizer='consensus' away from (0, 0); use jacobian_at_equilibrium")
    game = _game(objective, **options)
    return _field(game, *_points(theta, psi), jac=True)[1]


def jacobian_at_equilibrium(objective, **options):
    r"""The Jacobian of the field at the equilibrium :math:`(\theta, \psi) = (0, 0)`, in closed form.

    Parameters
    ----------
    objective, **options
        As in :func:`vector_field`.

    Returns
    -------
    ndarray, shape (2, 2)
        :math:`J = \begin{pmatrix} 0 & -l'(0) \\ a'(0) & \sigma^2 (r''(0) + a''(0)) - R''(0)
        \end{pmatrix}`, and :math:`J - \gamma J^\top J` under consensus.

    Raises
    ------
    ValueError
        As :func:`payoffs`, and for ``"wgan-gp"`` with ``g0 > 0``: its field jumps by
        :math:`2\gamma g_0` across :math:`\psi = 0`, so it has no Jacobian there.

    Examples
    --------
    R1 damps the critic: :math:`J_{22} = -\gamma`.

    >>> jacobian_at_equilibrium("gan", regularizer="r1", gamma=0.3).tolist()
    [[0.0, -0.5], [0.5, -0.3]]
    """
    game = _game(objective, **options)
    if game.g0 > 0:
        raise ValueError(
            f"the wgan-gp field jumps across psi = 0 when g0 > 0 (got g0={game.g0!r}): no Jacobian at (0, 0)"
        )
    zero = np.zeros(1)
    b, c = game.loss(zero)[1][0], game.fake(zero)[1][0]
    d = game.sigma**2 * (game.real(zero)[2][0] + game.fake(zero)[2][0]) - _penalty(game, zero)[2]
    j = np.array([[0.0, -b], [c, d]])
    return j - game.gamma * j.T @ j if game.consensus else j
