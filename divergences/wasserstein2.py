r"""The Wasserstein-2 distance between two laws: closed form if one applies, numeric otherwise."""

from .functions import _divergence

__all__ = ["w2"]


def w2(p, q):
    r"""Wasserstein-2 distance with the Euclidean ground metric.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension, with finite second moments.

    Returns
    -------
    float
        :math:`W_2(P, Q)` itself, not its square, in the units of the points (POT's
        ``ot.wasserstein_1d(x, y, p=2)`` and ``ot.emd2`` on the default ``ot.dist`` cost return
        :math:`W_2^2`, as the FID and :func:`divergences.empirical.frechet` do).

    Raises
    ------
    TypeError
        If an argument is neither a toy nor a frozen scipy.stats law.
    ValueError
        If the dimensions differ, or a scipy.stats law is invalid.
    NotImplementedError
        For a pair with no closed form in 3 or more dimensions, or in 2-D other than Gaussians,
        Gaussian mixtures and ``ShiftedLine`` (estimate it from samples with
        :func:`divergences.empirical.w2`), for 2-D laws whose discretisation does not fit the
        transport budget, and for a scipy.stats law whose tails are so heavy that the quantile
        integral is not resolved (:class:`divergences.numeric.remainder.TailTooHeavy`).

    Notes
    -----
    .. math:: W_2(P, Q) = \Big(\inf_{\gamma\in\Pi(P, Q)} E_{(x, y)\sim\gamma}\|x - y\|^2\Big)^{1/2},
              \qquad\text{in 1-D}\quad
              W_2^2(P, Q) = \int_0^1 \big(F_P^{-1}(u) - F_Q^{-1}(u)\big)^2\,du ,

    the quantile coupling being optimal for the squared cost on the line ([1]_, Sec. 2.2). A
    metric on the laws with a finite second moment; :math:`W_1 \le W_2` (Jensen under every
    coupling, [2]_ Rem. 6.6), and :math:`W_2^2(P, Q) = \|m_P - m_Q\|^2 + W_2^2(\bar P, \bar Q)`
    with :math:`\bar P, \bar Q` the centred laws, so a translate is at the distance of its shift.

    Closed forms: Gaussians in any dimension, :math:`W_2^2 = \|\mu_1 - \mu_2\|^2 +
    \operatorname{tr}(\Sigma_1 + \Sigma_2 - 2(\Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2})^{1/2})`
    ([3]_ Theorem 2, [4]_ Proposition 7; 1-D :math:`\Delta\mu^2 + \Delta\sigma^2`), with the trace
    term computed as a sum of squares (orthogonal Procrustes on the Cholesky factors), so nearly
    equal covariances keep their small value and equal ones give exactly the distance of the means;
    uniform, exponential and finite-law pairs from their quantile functions; the parallel lines
    ``ShiftedLine`` (:math:`|\theta_1 - \theta_2|`, [5]_ Example 1); ``SmoothedLine`` pairs and a
    ``ShiftedLine`` against a ``SmoothedLine``, whose coordinates are independent: :math:`W_2^2`
    is the sum over the coordinates, the first Gaussian (or a point), the second the uniform law
    on [0, 1] blurred by :math:`N(0, \sigma^2)`, 0 for equal widths and otherwise the 1-D numeric
    path's (``divergences.closed_forms.w2``).

    Otherwise numeric. In 1-D, adaptive Gauss-Kronrod quadrature of the quantile integral in
    the logit :math:`s = \ln(u/(1 - u))`, the upper half from the upper tail mass, panels split at
    the jumps of finite laws, each law centred on its own mean and both scaled by s, a power of
    two within a factor :math:`\sqrt 2` of the larger standard deviation. Stated absolute error
    :math:`\max(10^{-9}s, 10^{-12}W_2)`; measured against mpmath (40 digits) below
    :math:`10^{-10}`, and against the closed forms over 800 random pairs of Gaussians, uniforms,
    exponentials and finite laws (scales 0.01 to 100, 150 nearly equal pairs) below
    :math:`2\times 10^{-14}s` (``divergences.numeric.w2``). In 2-D (Gaussian mixtures, a
    ``ShiftedLine`` against a Gaussian), exact optimal transport (POT's ``ot.emd2``) with the
    squared cost between discretisations of the two laws centred on their means, plus the squared
    distance of the means: stated to :math:`5\times 10^{-2}\max(1, \sigma_{\max})` as W1's
    transport (:func:`divergences.numeric.transport_2d.stated_accuracy`); measured against the
    closed form over 170 random Gaussian pairs, at most :math:`2.1\times 10^{-2}\max(1,
    \sigma_{\max})`, 0.8 s on average.

    References
    ----------
    .. [1] C. Villani, *Topics in Optimal Transportation*, AMS 2003, Sec. 2.2.
    .. [2] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Rem. 6.6.
    .. [3] D. C. Dowson, B. V. Landau, "The Fréchet distance between multivariate normal
       distributions", J. Multivariate Anal. 12 (1982) 450-455.
    .. [4] C. R. Givens, R. M. Shortt, "A class of Wasserstein metrics for probability
       distributions", Michigan Math. J. 31 (1984) 231-240.
    .. [5] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017.
    .. [6] R. Flamary et al., "POT: Python Optimal Transport", JMLR 22(78), 2021.

    Examples
    --------
    >>> import math
    >>> from toys import Exponential, Gaussian, ShiftedLine, Uniform
    >>> from divergences import w1, w2
    >>> w2(Gaussian(0.0, 1.0), Gaussian(3.0, 5.0))  # sqrt(3^2 + 4^2)
    5.0
    >>> w2(ShiftedLine(0.0), ShiftedLine(-0.75)), w2(Uniform(0, 1), Uniform(2, 3))  # translates
    (0.75, 2.0)
    >>> p, q = Exponential(rate=1.0), Gaussian(1.0, 1.0)  # equal means and variances, by quadrature
    >>> 0.0 < w1(p, q) <= w2(p, q)
    True

    POT returns the square: for two samples, ``empirical.w2`` is its square root.

    >>> import numpy as np, ot
    >>> from divergences import empirical
    >>> x, y = np.array([0.0, 1.0]), np.array([0.5, 2.0])
    >>> math.isclose(empirical.w2(x, y) ** 2, ot.wasserstein_1d(x, y, p=2))
    True
    """
    return _divergence("w2", p, q)
