r"""A linear VAE trained by stochastic gradient ascent of the ELBO, with reparameterised gradients (numpy).

Decoder :math:`p(x \mid z) = N(Wz + b, \sigma^2 I_d)`, prior :math:`N(0, I_k)`: the model of
:class:`toys.LinearGaussian`. Encoder :math:`q(z \mid x) = N(Vx + c, \operatorname{diag} s^2)`, linear
in x with one diagonal covariance (the exact posterior's covariance does not depend on x either).
The global maximum of the ELBO of this VAE is the maximum-likelihood probabilistic PCA, with the
decoder's columns orthogonal so that the diagonal encoder is the exact posterior there (Lucas et
al. 2019): :func:`fit_linear_vae` should end at :func:`divergences.vae.ppca_maximum_likelihood`.
"""

import dataclasses
import sys

import numpy as np
from tqdm import tqdm

from toys import LinearGaussian
from toys.validation import as_generator, points, positive_int, positive_scalar, real_scalar, seed

from .checks import check_data_and_rank
from .elbo import elbo

__all__ = ["LinearVAE", "LinearVAESettings", "fit_linear_vae"]

_LOG_2PI = float(np.log(2 * np.pi))


@dataclasses.dataclass(frozen=True)
class LinearVAESettings:
    """Settings of :func:`fit_linear_vae`; every keyword of ``fit_linear_vae`` after ``x`` and ``k`` is a field."""

    steps: int = 4000  # Adam steps, each on one batch
    learning_rate: float = 0.1  # Adam's step size at the first step (measured, with the two below: on 400 points of a
    #                             d = 5, k = 2 model, 16 of 16 seeds end within 1e-5 nats per point of the MLE)
    final_learning_rate: float = 1e-4  # step size at the last step, decayed geometrically from learning_rate
    betas: tuple = (0.9, 0.999)  # Adam's moment decay rates (Kingma and Ba 2015, the paper's defaults)
    batch_size: int | None = None  # points per step, drawn without replacement; None: the whole data set
    n_samples: int = 1  # draws of z per point and step; 1 as in Kingma and Welling (2014), Sec. 2.3
    init_scale: float = 0.1  # standard deviation of the random initial W and V; b starts at the data mean
    seed: int = 0  # seed of the initial weights, the batches and the draws of z
    record_every: int = 100  # steps between exact evaluations of the ELBO and log-likelihood (and the last step)
    progress: bool | None = None  # tqdm bar; None: only when stderr is a terminal

    def __post_init__(self):
        for name in ("steps", "n_samples", "record_every"):
            positive_int(name, getattr(self, name))
        for name in ("learning_rate", "final_learning_rate", "init_scale"):
            positive_scalar(name, getattr(self, name))
        seed("seed", self.seed)
        if self.batch_size is not None:
            positive_int("batch_size", self.batch_size)
        betas = tuple(self.betas) if isinstance(self.betas, (tuple, list)) else None
        if betas is None or len(betas) != 2 or not all(0 <= real_scalar("betas", b) < 1 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
        object.__setattr__(self, "betas", betas)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise TypeError(f"progress must be True, False or None, got {self.progress!r}")


@dataclasses.dataclass(frozen=True)
class LinearVAE:
    """Outcome of :func:`fit_linear_vae`: the trained decoder and encoder, and the exact curves."""

    decoder: LinearGaussian  # p(z) p(x | z) with the trained W, b, sigma
    encoder_matrix: np.ndarray  # (k, d): V, the encoder's mean is V x + c
    encoder_offset: np.ndarray  # (k,): c
    encoder_std: np.ndarray  # (k,): s, the standard deviations of q(z | x), the same for every x
    steps: np.ndarray  # (R,) the steps after which the curves were evaluated (0 is the start)
    elbo: np.ndarray  # (R,) exact ELBO of the data, nats per point (divergences.vae.elbo)
    log_likelihood: np.ndarray  # (R,) exact log-likelihood of the decoder, nats per point
    settings: LinearVAESettings  # the settings of the run

    def encoder_mean(self, x):
        """:math:`Vx + c` for points ``x`` of shape ``(n, d)``: the means of q(z | x), shape ``(n, k)``."""
        return points("x", x, dim=self.decoder.dim) @ self.encoder_matrix.T + self.encoder_offset

    @property
    def gap(self):
        """Log-likelihood minus ELBO at the end, nats per point: the average KL(q(z | x) || p(z | x)) >= 0."""
        return float(self.log_likelihood[-1] - self.elbo[-1])


def fit_linear_vae(x, k, **options):
    r"""Train a linear VAE on ``x`` by Adam ascent of the ELBO, with reparameterised gradients.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Data, ``n >= 2`` points in ``d >= 2`` dimensions.
    k : int
        Latent dimension, ``1 <= k < d``.
    **options
        Fields of :class:`LinearVAESettings`: ``steps``, ``learning_rate``, ``final_learning_rate``,
        ``betas``, ``batch_size``, ``n_samples``, ``init_scale``, ``seed``, ``record_every``, ``progress``.

    Returns
    -------
    LinearVAE
        The decoder (a :class:`toys.LinearGaussian`), the encoder, and the exact ELBO and
        log-likelihood per point along the run.

    Raises
    ------
    TypeError
        If ``x`` is not numeric, ``k`` is not an integer, or an option is unknown or of the wrong type.
    ValueError
        If ``x`` is not ``(n, d)`` finite points with ``n >= 2``, ``d >= 2``, ``k`` is not in
        ``[1, d - 1]``, or an option is out of range.

    Notes
    -----
    Each step draws a batch, one :math:`\varepsilon \sim N(0, I_k)` per point (``n_samples`` of
    them), sets :math:`z = Vx + c + s \odot \varepsilon`, and ascends the estimate
    :math:`\log p(x \mid z) - KL(q(z \mid x) \,\|\, N(0, I))` with the KL in closed form (the
    estimator of Kingma and Welling 2014, eq. 7). Its gradients, with :math:`r = x - Wz - b`:

    .. math:: \partial_W = rz^\top/\sigma^2, \quad \partial_b = r/\sigma^2, \quad
              \partial_{\ln\sigma} = \lVert r\rVert^2/\sigma^2 - d, \quad
              \partial_\mu = W^\top r/\sigma^2 - \mu, \quad
              \partial_V = \partial_\mu x^\top, \quad \partial_c = \partial_\mu, \quad
              \partial_{\ln s} = (W^\top r/\sigma^2) \odot s \odot \varepsilon - (s^2 - 1).

    The curves are exact: :func:`divergences.vae.elbo` of the encoder's q, and the decoder's
    :meth:`toys.LinearGaussian.log_marginal`, averaged over all of ``x``.

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014, §2.3-2.4 and Appendix B.
    .. [2] J. Lucas, G. Tucker, R. Grosse and M. Norouzi, "Don't blame the ELBO! A linear VAE
       perspective on posterior collapse", NeurIPS 2019.
    .. [3] D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import fit_linear_vae, ppca_maximum_likelihood
    >>> x, _ = LinearGaussian(W=[[2.0], [1.0], [0.5]], sigma=0.5).sample(300, rng=1)
    >>> vae = fit_linear_vae(x, 1, steps=1500, seed=0)
    >>> best = ppca_maximum_likelihood(x, 1).log_marginal(x).mean()
    >>> bool(0 <= best - vae.log_likelihood[-1] < 1e-3 and 0 <= vae.gap < 1e-2)
    True
    """
    known = {f.name for f in dataclasses.fields(LinearVAESettings)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {unknown}; options are LinearVAESettings fields: {sorted(known)}")
    data, k = check_data_and_rank(x, k)
    n, d = data.shape
    cfg = LinearVAESettings(**options)
    batch = n if cfg.batch_size is None else min(cfg.batch_size, n)

    rng = as_generator(cfg.seed)
    params = {
        "W": cfg.init_scale * rng.standard_normal((d, k)),
        "b": data.mean(axis=0),
        "log_sigma": np.zeros(()),
        "V": cfg.init_scale * rng.standard_normal((k, d)),
        "c": np.zeros(k),
        "log_s": np.zeros(k),
    }
    adam = _Adam(params, cfg)
    recorded = [(0, *_exact_curves(params, data))]
    show = sys.stderr.isatty() if cfg.progress is None else cfg.progress
    for step in tqdm(range(1, cfg.steps + 1), disable=not show, desc="linear VAE", leave=False):
        rows = slice(None) if batch == n else rng.choice(n, size=batch, replace=False)
        eps = rng.standard_normal((cfg.n_samples, batch, k))
        grads = _batch_gradients(params, data[rows], eps)
        adam.ascend(params, grads, step)
        if step % cfg.record_every == 0 or step == cfg.steps:
            recorded.append((step, *_exact_curves(params, data)))
    steps, elbos, logliks = (np.array(col) for col in zip(*recorded))
    return LinearVAE(
        decoder=_decoder(params),
        encoder_matrix=params["V"],
        encoder_offset=params["c"],
        encoder_std=np.exp(params["log_s"]),
        steps=steps,
        elbo=elbos,
        log_likelihood=logliks,
        settings=cfg,
    )


def _batch_elbo(params, x, eps):
    """The estimate that a step ascends: mean over the batch and draws of log p(x | z) - KL(q(z | x) || N(0, I))."""
    sigma, s = np.exp(params["log_sigma"]), np.exp(params["log_s"])
    mu = x @ params["V"].T + params["c"]
    r = (x - (mu + s * eps) @ params["W"].T - params["b"]) / sigma  # (L, B, d)
    log_lik = -0.5 * np.sum(r * r, axis=-1) - x.shape[1] * (np.log(sigma) + 0.5 * _LOG_2PI)
    kl_prior = 0.5 * np.sum(mu * mu + s * s - 1.0 - 2.0 * params["log_s"], axis=-1)  # (B,)
    return float(np.mean(log_lik - kl_prior))


def _batch_gradients(params, x, eps):
    """The gradients of :func:`_batch_elbo` in every parameter (the Notes of :func:`fit_linear_vae`).

    ``x`` is ``(B, d)``, ``eps`` is ``(L, B, k)``: L draws per point. Returns a dict like ``params``.
    """
    w, log_sigma, v, c, log_s = params["W"], params["log_sigma"], params["V"], params["c"], params["log_s"]
    s2, s = np.exp(2 * log_sigma), np.exp(log_s)
    mu = x @ v.T + c  # (B, k)
    z = mu + s * eps  # (L, B, k)
    r = x - z @ w.T - params["b"]  # (L, B, d)
    g_z = r @ w / s2  # (L, B, k): d log p(x | z) / dz
    d_mu = g_z.mean(axis=0) - mu  # (B, k): the KL's gradient in mu is mu
    m = eps.shape[0] * eps.shape[1]  # draws in the batch
    return {
        "W": np.einsum("lbd,lbk->dk", r, z) / (s2 * m),
        "b": r.sum(axis=(0, 1)) / (s2 * m),
        "log_sigma": np.sum(r * r) / (s2 * m) - x.shape[1],
        "V": d_mu.T @ x / x.shape[0],
        "c": d_mu.mean(axis=0),
        "log_s": np.mean(g_z * s * eps, axis=(0, 1)) - (s * s - 1.0),
    }


class _Adam:
    """Adam (Kingma and Ba 2015, Algorithm 1) ascending, with a geometrically decaying step size."""

    def __init__(self, params, cfg):
        self.m = {name: np.zeros_like(p) for name, p in params.items()}
        self.v = {name: np.zeros_like(p) for name, p in params.items()}
        self.cfg = cfg

    def ascend(self, params, grads, step):
        (b1, b2), cfg = self.cfg.betas, self.cfg
        fraction = (step - 1) / max(cfg.steps - 1, 1)
        lr = cfg.learning_rate * (cfg.final_learning_rate / cfg.learning_rate) ** fraction
        for name, g in grads.items():
            self.m[name] = b1 * self.m[name] + (1 - b1) * g
            self.v[name] = b2 * self.v[name] + (1 - b2) * g * g
            m_hat, v_hat = self.m[name] / (1 - b1**step), self.v[name] / (1 - b2**step)
            params[name] = params[name] + lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def _decoder(params):
    return LinearGaussian(W=params["W"], b=params["b"], sigma=float(np.exp(params["log_sigma"])))


def _exact_curves(params, x):
    """Exact ELBO and log-likelihood of the data, nats per point."""
    decoder = _decoder(params)
    q_mean = x @ params["V"].T + params["c"]
    value = elbo(decoder, x, q_mean, q_std=np.exp(params["log_s"]))
    return float(np.mean(value)), float(np.mean(decoder.log_marginal(x)))
