"""Mode coverage of a sample against a Gaussian mixture, scored as VEEGAN and PacGAN do."""

import numbers

import numpy as np

import toys
from toys import validation

__all__ = ["mode_coverage", "mode_histogram", "reverse_kl_to_uniform"]


def mode_coverage(samples, mixture, n_std=3):
    r"""Modes captured and high-quality fraction of ``samples`` for the modes of ``mixture``.

    The protocol of VEEGAN [1]_ and PacGAN [2]_ (who score 2,500 generator samples): each sample
    is assigned to its nearest mode centre (Euclidean distance); it is *high quality* if it lies
    within ``n_std`` standard deviations of that centre; a mode is *captured* if at least one
    high-quality sample is assigned to it.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, d)
        Generator samples; a 1-D array is ``d = 1``.
    mixture : toys.GaussianMixture
        The target, with ``d = mixture.dim``.
    n_std : float
        The high-quality radius in standard deviations (default 3, as in [1]_ and [2]_).

    Returns
    -------
    modes : int
        Number of captured modes, between 0 and ``mixture.n_components``.
    high_quality : float
        Fraction of samples that are high quality, in [0, 1].

    Raises
    ------
    TypeError
        If ``mixture`` is not a ``toys.GaussianMixture`` or ``samples`` is not numeric.
    ValueError
        If ``samples`` is empty, not finite or of the wrong dimension, or ``n_std <= 0``.

    Notes
    -----
    "Within ``n_std`` standard deviations" is :math:`\|x - \mu_k\| \le n_{std}\,\sigma_k` for the
    isotropic modes of :func:`toys.ring` and :func:`toys.grid` (and in 1-D); for a mode with a
    general covariance :math:`\Sigma_k` it is the Mahalanobis distance
    :math:`\sqrt{(x-\mu_k)^\top\Sigma_k^{-1}(x-\mu_k)} \le n_{std}`, which reduces to the former.

    References
    ----------
    .. [1] A. Srivastava, L. Valkov, C. Russell, M. U. Gutmann, C. Sutton, "VEEGAN: Reducing Mode
       Collapse in GANs using Implicit Variational Learning", NeurIPS 2017, Sec. 5.1.
    .. [2] Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative
       adversarial networks", NeurIPS 2018, Sec. 3.

    Examples
    --------
    >>> import numpy as np, toys
    >>> ring = toys.ring()                      # 8 modes of std 0.02 on the circle of radius 2
    >>> x = ring.means[:3] + [[0.01, 0], [0.0, 0], [0.5, 0]]   # two good samples, one far off
    >>> modes, high_quality = mode_coverage(x, ring)
    >>> modes, high_quality == 2 / 3
    (2, True)
    """
    counts = mode_histogram(samples, mixture, n_std)
    return int(np.count_nonzero(counts)), float(counts.sum() / len(np.atleast_1d(samples)))


def mode_histogram(samples, mixture, n_std=3):
    """The high-quality samples of each mode, an int array ``(K,)``, by the rule of :func:`gan1d.mode_coverage`.

    Its nonzero entries are the captured modes, its sum over the number of samples the
    high-quality fraction; :func:`reverse_kl_to_uniform` reads its spread over the modes.
    """
    if not isinstance(mixture, toys.GaussianMixture):
        raise TypeError(f"mixture must be a toys.GaussianMixture, got {mixture!r}")
    if isinstance(n_std, bool) or not isinstance(n_std, numbers.Real):
        raise TypeError(f"n_std must be a real number, got {n_std!r} of type {type(n_std).__name__}")
    if not n_std > 0 or not np.isfinite(n_std):
        raise ValueError(f"n_std must be a finite number > 0, got {n_std!r}")
    x = validation.points("samples", samples, dim=mixture.dim, what=f"this {mixture.dim}-D mixture")
    means, covs = np.asarray(mixture.means, float).reshape(-1, mixture.dim), _covs(mixture)
    nearest = np.argmin(_sq_distances(x, means), axis=1)  # (n,)
    diff = x - means[nearest]  # (n, d)
    chol = np.linalg.cholesky(covs)  # (K, d, d)
    white = np.linalg.solve(chol[nearest], diff[..., None])[..., 0]  # (n, d): L^{-1} (x - mu)
    good = np.einsum("nd,nd->n", white, white) <= float(n_std) ** 2
    return np.bincount(nearest[good], minlength=len(means))


def reverse_kl_to_uniform(counts):
    r""":math:`KL(\hat p\,\|\,U) = \sum_k \hat p_k \ln(K \hat p_k)`, :math:`\hat p` the normalised ``counts``.

    K is the number of modes (the length of ``counts``). PacGAN's third column (Lin et al. 2018,
    Table 1) as we read it: the divergence of the high-quality samples' histogram over the modes
    from the uniform one, in nats; 0 when every mode has the same share, :math:`\ln K` when one mode
    has them all; finite when modes are missing (the reverse direction would be infinite), which
    is what makes the published values finite.
    NaN without any high-quality sample.
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum()
    if total == 0:
        return float("nan")
    p = counts[counts > 0] / total
    return float(np.sum(p * np.log(len(counts) * p)))


def _covs(mixture):
    if mixture.dim == 1:
        return (np.asarray(mixture.stds, float) ** 2).reshape(-1, 1, 1)
    return np.asarray(mixture.covs, float)


def _sq_distances(x, means):  # (n, d), (K, d) -> (n, K)
    return (x**2).sum(1)[:, None] - 2 * x @ means.T + (means**2).sum(1)[None, :]
