r"""The Fréchet distance between Gaussians fitted to two samples: the FID formula on raw coordinates."""

import numpy as np

from .checks import pair
from .coordinates import scale_back, standardise

__all__ = ["frechet"]


def frechet(x, y):
    r"""Fréchet distance between the Gaussians fitted to two samples (the FID formula), squared.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Sample of P, ``n >= 2``.
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension, ``m >= 2``.

    Returns
    -------
    float
        :math:`W_2^2` between :math:`N(\hat\mu_1, \hat\Sigma_1)` and :math:`N(\hat\mu_2, \hat\Sigma_2)`
        -- the square, as FID reports it, not :math:`W_2` (compare with ``w2(x, y) ** 2``) -- in
        squared units of the samples. Non-negative by construction.

    Raises
    ------
    TypeError
        If a sample is not numeric.
    ValueError
        If a sample is empty, not finite, not of shape (n,) or (n, d), the dimensions differ, a
        sample has fewer than 2 points (no covariance), or the value exceeds the largest float.

    Notes
    -----
    With :math:`\hat\mu` the sample means and :math:`\hat\Sigma` the sample covariances with divisor
    n - 1 (``numpy.cov``'s default, as in the reference implementation of [1]_),

    .. math:: \widehat{F} = \|\hat\mu_1 - \hat\mu_2\|^2 + \operatorname{tr}\Big(\hat\Sigma_1 +
              \hat\Sigma_2 - 2\big(\hat\Sigma_2^{1/2}\hat\Sigma_1\hat\Sigma_2^{1/2}\big)^{1/2}\Big),

    eq. (6) of [1]_ applied to the points themselves rather than to Inception features; it is the
    squared Wasserstein-2 distance between the two fitted Gaussians [2]_ (see
    :func:`divergences.bounds.gaussian_w2` for laws), and a lower bound on
    :math:`W_2^2(P, Q)` for any laws P and Q with those means and covariances [3]_.

    **Computation.** No matrix square root is formed. With the centred samples factored as
    :math:`(x - \hat\mu_1)/\sqrt{n-1} = Q_1R_1` (QR), :math:`\hat\Sigma_1 = R_1^\top R_1`, and
    likewise :math:`R_2`, the trace term is :math:`\min_U \|R_1^\top - R_2^\top U\|_F^2` over
    orthogonal U (:math:`\operatorname{tr}(\Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2})^{1/2}` is the
    nuclear norm of :math:`R_1R_2^\top`), attained at the polar factor :math:`U = VW^\top` of the
    SVD :math:`R_1R_2^\top = W S V^\top` (orthogonal Procrustes). The value is a sum of squares of
    differences: non-negative with no clipping, and accurate to about 1e-16 relative to
    :math:`\|\hat\Sigma\|` even when the covariances are singular (n <= d) or nearly equal.
    Measured against 60-digit mpmath on normal samples: relative error below 1e-15 for n = 5,
    d = 10; the textbook route (``scipy.linalg.sqrtm`` of :math:`\hat\Sigma_1\hat\Sigma_2`, or
    ``eigh`` of :math:`\hat\Sigma_2^{1/2}\hat\Sigma_1\hat\Sigma_2^{1/2}` with clipped
    eigenvalues) errs by 2e-9 relative there and returns about -1e-7 for identical samples
    (the errors of :math:`\sqrt{\lambda}` for eigenvalues near 0), where this returns 4e-30.
    Cost :math:`O((n + m) d^2 + d^3)`.

    **Units.** Computed in coordinates centred and scaled by a power of two ``2**e`` on the pooled
    sample, then multiplied by ``4**e``: samples at 1e150 or 1e-150 give the unit-scale value times
    the squared scale; a value beyond the largest float raises, one below the smallest rounds to 0.

    **Bias.** As an estimate of :math:`W_2^2` between Gaussian laws it is biased upward: for
    Gaussian samples, :math:`E\|\hat\mu_1 - \hat\mu_2\|^2 = \|\mu_1 - \mu_2\|^2 +
    \operatorname{tr}(\Sigma_1)/n + \operatorname{tr}(\Sigma_2)/m` exactly, and the trace term of
    two noisy covariances is positive even when they estimate the same one. Measured: the mean
    of the estimate minus the exact value (``gaussian_w2(p, q) ** 2``), with ``m = n``,
    ``rng = numpy.random.default_rng(s)``, ``x = p.sample(n, rng)``, ``y = q.sample(n, rng)`` for
    seeds s = 0..R-1, R = 400, and the standard deviation of one estimate; the standard error of
    a bias is std / 20. Laws: :math:`P = N(0, I_d)`; equal, :math:`Q = P`; shifted,
    :math:`Q = N(\mathbf{1}/\sqrt{d}, I_d)` (exact value 1):

    ======== == ===== ====== ======== ======= ============
    pair     d  exact  n      bias     std     d(d+5)/(2n)
    ======== == ===== ====== ======== ======= ============
    equal    2  0      50     +0.1386  0.0907  0.1400
    \                  100    +0.0711  0.0456  0.0700
    \                  500    +0.0132  0.0086  0.0140
    \                  1000   +0.0071  0.0045  0.0070
    \                  5000   +0.0014  0.0009  0.0014
    shifted  2  1      50     +0.1611  0.4256  0.1400
    \                  100    +0.0564  0.2874  0.0700
    \                  500    +0.0211  0.1179  0.0140
    \                  1000   -0.0018  0.0932  0.0070
    \                  5000   -0.0005  0.0390  0.0014
    equal    10 0      50     +1.5219  0.2767  1.5000
    \                  100    +0.7507  0.1453  0.7500
    \                  500    +0.1499  0.0270  0.1500
    \                  1000   +0.0742  0.0138  0.0750
    \                  5000   +0.0149  0.0027  0.0150
    shifted  10 1      50     +1.5161  0.4993  1.5000
    \                  100    +0.7683  0.2930  0.7500
    \                  500    +0.1405  0.1290  0.1500
    \                  1000   +0.0701  0.0891  0.0750
    \                  5000   +0.0174  0.0386  0.0150
    ======== == ===== ====== ======== ======= ============

    The bias follows :math:`d(d+5)/(2n)` (last column): :math:`2d/n` from the means (exact, above)
    and :math:`d(d+1)/(2n)` from the covariances -- to first order the trace term is
    :math:`\|\hat\Sigma_1 - \hat\Sigma_2\|_F^2/4` for :math:`\Sigma = I`, one term per free
    entry of a covariance. It falls like 1/n, grows like :math:`d^2`, and does not depend on the
    shift in expectation (the shifted rows differ from the equal ones by noise: their standard
    deviation, mostly :math:`2\sqrt{2/n}\,\|\mu_1 - \mu_2\|` from the means, is larger). In
    d = 10 it exceeds the standard deviation of one estimate at every n here: compare FIDs only at
    equal n, or extrapolate in 1/n as [4]_ does.

    References
    ----------
    .. [1] M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler, S. Hochreiter, "GANs trained by a
       two time-scale update rule converge to a local Nash equilibrium", NeurIPS 2017, eq. (6).
    .. [2] D. C. Dowson, B. V. Landau, "The Fréchet distance between multivariate normal
       distributions", J. Multivariate Anal. 12 (1982) 450-455, Theorem 2.
    .. [3] M. Gelbrich, "On a formula for the L2 Wasserstein metric between measures on
       Euclidean and Hilbert spaces", Math. Nachr. 147 (1990) 185-203.
    .. [4] M. J. Chong, D. Forsyth, "Effectively unbiased FID and Inception Score and where to
       find them", CVPR 2020.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from divergences.empirical import frechet
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((200, 3))
    >>> frechet(x, x) < 1e-25  # identical samples: the same fitted Gaussian, up to rounding
    True
    >>> math.isclose(frechet(x, x + [1.0, 2.0, 2.0]), 9.0)  # a translate: the squared shift
    True
    >>> x -= x.mean(axis=0)  # centred: 2 x has covariance 4 Sigma, so W2^2 = (2 - 1)^2 tr(Sigma)
    >>> math.isclose(frechet(x, 2.0 * x), float(np.trace(np.cov(x, rowvar=False))))
    True
    """
    x, y = pair(x, y)
    for name, s in (("x", x), ("y", y)):
        if s.shape[0] < 2:
            raise ValueError(
                f"{name} must have at least 2 points to estimate a covariance (n - 1 >= 1), got "
                f"{s.shape[0]} point of dimension {s.shape[1]}"
            )
    x, y, e = standardise(x, y)
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    r_x, r_y = _covariance_factor(x, mean_x), _covariance_factor(y, mean_y)
    # min over orthogonal U of |R_x^T - R_y^T U|_F^2 (Procrustes), attained at U = V W^T
    w, _, vt = np.linalg.svd(r_x @ r_y.T)
    gap = r_x.T - r_y.T @ (vt.T @ w.T)
    value = float(np.sum((mean_x - mean_y) ** 2) + np.sum(gap**2))
    return scale_back(value, 2 * e, "the Fréchet distance between x and y")


def _covariance_factor(x, mean):
    """R of shape (d, d) with ``R.T @ R`` the sample covariance (divisor n - 1) of x, shape (n, d)."""
    n, d = x.shape
    r = np.linalg.qr((x - mean) / np.sqrt(n - 1), mode="r")  # (min(n, d), d)
    return np.vstack([r, np.zeros((d - r.shape[0], d))])
