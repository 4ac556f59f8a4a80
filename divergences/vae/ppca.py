r"""The maximum-likelihood probabilistic PCA of a data set, in closed form (Tipping and Bishop 1999).

The target that a linear VAE trained on the same data should reach (:func:`divergences.vae.fit_linear_vae`).
"""

import numpy as np

from toys import LinearGaussian

from .checks import check_data_and_rank

__all__ = ["ppca_maximum_likelihood"]


def ppca_maximum_likelihood(x, k):
    r"""The probabilistic PCA of ``k`` components that maximises the likelihood of the data ``x``.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Data, ``n >= 2`` points in ``d >= 2`` dimensions, not all in one k-dimensional affine subspace.
    k : int
        Number of latent dimensions, ``1 <= k < d``.

    Returns
    -------
    toys.LinearGaussian
        :math:`b = \bar x`, :math:`W = U_k(\Lambda_k - \sigma^2 I)^{1/2}` (the rotation R = I) and
        :math:`\sigma^2` the mean of the discarded eigenvalues; ``model.log_marginal(x).sum()`` is the
        maximum log-likelihood.

    Raises
    ------
    TypeError
        If ``x`` is not numeric or ``k`` is not an integer.
    ValueError
        If ``x`` is not ``(n, d)`` finite points with ``n >= 2`` and ``d >= 2``, ``k`` is not in
        ``[1, d - 1]``, or the discarded eigenvalues are all 0 (the data lie in a k-dimensional
        affine subspace: no noise variance maximises the likelihood).

    Notes
    -----
    With :math:`S = \frac1n\sum_i (x_i - \bar x)(x_i - \bar x)^\top` and its eigenvalues
    :math:`\lambda_1 \ge \dots \ge \lambda_d` with eigenvectors :math:`U`, the maximum of the
    log-likelihood over :math:`(W, b, \sigma^2)` is reached at

    .. math:: W_{ML} = U_k(\Lambda_k - \sigma^2_{ML} I)^{1/2} R, \qquad
              \sigma^2_{ML} = \frac{1}{d - k}\sum_{j > k} \lambda_j, \qquad b_{ML} = \bar x,

    for any orthogonal R, and equals
    :math:`-\frac n2\left[d\ln 2\pi + \sum_{j \le k}\ln\lambda_j + (d - k)\ln\sigma^2_{ML} + d\right]`
    (Tipping and Bishop 1999, §3.2; Bishop 2006, eqs. 12.44-12.46). Only the column space of W
    and :math:`WW^\top` are identified.

    References
    ----------
    .. [1] M. E. Tipping and C. M. Bishop, "Probabilistic principal component analysis", J. R.
       Statist. Soc. B 61 (1999) 611-622, §3.2.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, §12.2.1.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import ppca_maximum_likelihood
    >>> x, _ = LinearGaussian(W=[[2.0], [1.0], [0.0]], sigma=0.3).sample(500, rng=0)
    >>> fit = ppca_maximum_likelihood(x, 1)
    >>> lam = np.linalg.eigvalsh(np.cov(x.T, bias=True))[::-1]
    >>> best = -250 * (3 * np.log(2 * np.pi) + np.log(lam[0]) + 2 * np.log(fit.sigma**2) + 3)
    >>> bool(np.isclose(fit.log_marginal(x).sum(), best, rtol=1e-12))
    True
    >>> from scipy.linalg import subspace_angles                 # W spans about the generating axis (2, 1, 0)
    >>> bool(subspace_angles(fit.W, [[2.0], [1.0], [0.0]])[0] < 0.05)
    True
    """
    data, k = check_data_and_rank(x, k)
    n = data.shape[0]
    mean = data.mean(axis=0)
    centred = data - mean
    lam, u = np.linalg.eigh(centred.T @ centred / n)
    lam, u = lam[::-1], u[:, ::-1]  # decreasing
    noise = float(np.mean(lam[k:]))
    if not noise > 0:
        raise ValueError(
            f"x must not lie in a {k}-dimensional affine subspace: its discarded eigenvalues {lam[k:].tolist()} "
            "average to 0, and the likelihood grows without bound as sigma -> 0"
        )
    w = u[:, :k] * np.sqrt(np.maximum(lam[:k] - noise, 0.0))
    return LinearGaussian(W=w, b=mean, sigma=float(np.sqrt(noise)))
