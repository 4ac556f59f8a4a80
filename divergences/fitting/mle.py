r"""Consistency of maximum likelihood, measured by the forward KL of the fit.

Maximum likelihood fits a model :math:`Q_\theta` by minimising the average negative
log-likelihood, the cross-entropy :math:`H(\hat P_n, Q_\theta)` of the empirical law. Its
expectation is :math:`H(P, Q_\theta) = \mathrm{KL}(P\|Q_\theta) + H(P)`, so the estimate
:math:`\hat\theta_n` chases the minimiser of the forward KL. :func:`gaussian_mle_kl` measures how
close it gets: :math:`\mathrm{KL}(P\|Q_{\hat\theta_n})` for many seeded samples of each size.
When P is in the model this tends to 0 like :math:`k/(2n)`, with k the number of parameters
(:func:`gaussian_mle_expected_kl` gives its exact mean for Gaussian data); otherwise it tends to
the KL of the best model, :math:`\min_\theta \mathrm{KL}(P\|Q_\theta)`.
"""

import dataclasses

import numpy as np
from scipy import special

from toys import Gaussian
from toys.validation import as_generator, integer_array

from ..curves import curves
from ..functions import kl
from ..laws import as_toy


@dataclasses.dataclass(frozen=True)
class MLESweep:
    """Outcome of :func:`gaussian_mle_kl`: the fits and their forward KL, per sample size and repetition."""

    sizes: np.ndarray  # (S,) sample sizes n
    kl: np.ndarray  # (S, R) KL(P || N(mean, cov)) of each fit, nats
    means: np.ndarray  # (S, R, d) sample means
    covs: np.ndarray  # (S, R, d, d) maximum-likelihood (biased, divided by n) sample covariances


def gaussian_mle_kl(p, sizes, repetitions=100, rng=None):
    r"""Forward KL :math:`\mathrm{KL}(P\|N(\bar x, S))` of the Gaussian maximum-likelihood fit, over many samples.

    Parameters
    ----------
    p : toy or frozen scipy.stats distribution
        The data law P (any dimension d; its KL to a Gaussian must be computable by
        :func:`divergences.kl`: any 1-D law, Gaussians in any dimension, 2-D mixtures).
    sizes : array_like of int, shape (S,)
        Sample sizes, each > d + 1 (so that the sample covariance is invertible).
    repetitions : int
        Independent samples of each size, >= 1.
    rng : None, int or numpy.random.Generator
        Source of the samples.

    Returns
    -------
    MLESweep
        ``kl[s, r]`` is the forward KL, in nats, of the fit to the ``r``-th sample of size
        ``sizes[s]``; ``means`` and ``covs`` are the fits.

    Raises
    ------
    TypeError
        If ``sizes`` or ``repetitions`` are not integers, or ``rng`` is not a seed or Generator.
    ValueError
        If a size is <= d + 1 or ``repetitions < 1``.

    Notes
    -----
    The maximum-likelihood estimate of :math:`N(\mu, \Sigma)` is in closed form: the sample mean
    :math:`\bar x` and the covariance :math:`S = \frac1n\sum_i (x_i - \bar x)(x_i - \bar x)^\top`
    (divided by n, not n - 1); :func:`divergences.fit_forward_kl` reaches the same fit by
    minimising the average negative log-likelihood. For P itself Gaussian,

    .. math:: 2n\,\mathrm{KL}(P\|N(\bar x, S)) \xrightarrow{d} \chi^2_k, \qquad
              E\,\mathrm{KL}(P\|N(\bar x, S)) \approx \frac{k}{2n}, \qquad k = d + \frac{d(d+1)}2,

    (as Wilks' likelihood-ratio statistic: KL is quadratic near the truth with the Fisher information
    as Hessian [1]_; exact mean in :func:`gaussian_mle_expected_kl`). For other P the KL
    tends to :math:`\mathrm{KL}(P\|N(\mu_P, \Sigma_P))`, the forward-KL projection onto the
    Gaussians, which matches the moments.

    Sampling draws every sample of one size at once (``p.sample(n * repetitions)``); 1-D KLs with
    no closed form are one vectorised quadrature per size (:func:`divergences.curves`).

    References
    ----------
    .. [1] A. W. van der Vaart, *Asymptotic Statistics*, Cambridge University Press 1998,
       Ch. 5 (consistency of M-estimators) and Sec. 16.2 (likelihood ratio statistics).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences.fitting import gaussian_mle_expected_kl, gaussian_mle_kl
    >>> sweep = gaussian_mle_kl(Gaussian(1.0, 2.0), [20, 200], repetitions=2000, rng=0)
    >>> mean_kl = sweep.kl.mean(axis=1)
    >>> bool(np.allclose(mean_kl, gaussian_mle_expected_kl([20, 200]), rtol=0.1))
    True
    """
    p = as_toy(p, "p")
    d = p.dim
    ns = integer_array("sizes", sizes, d + 2, ndim=1)
    reps = int(integer_array("repetitions", repetitions, 1, ndim=0))
    gen = as_generator(rng)
    kls, means, covs = [], [], []
    for n in ns:
        x = np.asarray(p.sample(int(n) * reps, rng=gen), dtype=float).reshape(reps, int(n), d)
        mean = x.mean(axis=1)  # (R, d)
        centred = x - mean[:, None, :]
        cov = np.einsum("rni,rnj->rij", centred, centred) / n  # (R, d, d)
        fits = [_gaussian(m, c) for m, c in zip(mean, cov)]
        if d == 1:
            values = curves(lambda i, fits=fits: fits[int(i)], np.arange(reps), p, names=["kl"])["kl"]
        else:
            values = np.array([kl(p, f) for f in fits])
        kls.append(values)
        means.append(mean)
        covs.append(cov)
    return MLESweep(sizes=ns, kl=np.array(kls), means=np.array(means), covs=np.array(covs))


def gaussian_mle_expected_kl(n, dim=1):
    r"""Exact mean of :math:`\mathrm{KL}(P\|N(\bar x, S))` for n draws from a Gaussian P in dimension ``dim``.

    Parameters
    ----------
    n : int or array_like of int
        Sample sizes, each > dim + 2.
    dim : int
        Dimension d >= 1.

    Returns
    -------
    float or numpy.ndarray
        The expected forward KL in nats, of the shape of ``n``; it does not depend on the mean
        and covariance of P.

    Raises
    ------
    TypeError
        If ``n`` or ``dim`` is not an integer.
    ValueError
        If ``dim < 1`` or some ``n <= dim + 2`` (the mean is infinite then).

    Notes
    -----
    With :math:`\bar x - \mu \sim N(0, \Sigma/n)` independent of :math:`nS \sim W_d(n - 1,
    \Sigma)` (Wishart), :math:`E[S^{-1}] = n\Sigma^{-1}/(n - d - 2)` and
    :math:`E\log\det(nS\Sigma^{-1}) = \sum_{i=1}^d \psi\big(\tfrac{n - i}2\big) + d\log 2` [1]_, so

    .. math:: E\,\mathrm{KL} = \frac12\Big[\frac{d(n + 1)}{n - d - 2} - d
              + \sum_{i=1}^d \psi\Big(\frac{n - i}2\Big) + d\log\frac2n\Big]
              = \frac{k}{2n} + O(n^{-2}), \qquad k = d + \frac{d(d+1)}2.

    References
    ----------
    .. [1] T. W. Anderson, *An Introduction to Multivariate Statistical Analysis*, 3rd ed.,
       Wiley 2003, Sec. 7.2 and 7.5 (Wishart moments).

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.fitting import gaussian_mle_expected_kl
    >>> n = 10**6  # k / (2n) with k = 2 parameters (mean and variance)
    >>> bool(np.isclose(gaussian_mle_expected_kl(n) * n, 1.0, rtol=1e-5))
    True
    """
    d = int(integer_array("dim", dim, 1, ndim=0))
    ns = integer_array("n", n, d + 3, ndim=None).astype(float)
    psi = sum(special.digamma((ns - i) / 2.0) for i in range(1, d + 1))
    value = 0.5 * (d * (ns + 1) / (ns - d - 2) - d + psi + d * np.log(2.0 / ns))
    return float(value) if np.ndim(value) == 0 else value


def _gaussian(mean, cov):
    if mean.size == 1:
        return Gaussian(mean=float(mean[0]), std=float(np.sqrt(cov[0, 0])))
    return Gaussian(mean=mean, cov=0.5 * (cov + cov.T))
