r"""The squared maximum mean discrepancy between two laws: closed form if one applies, numeric otherwise.

:func:`mmd` converts and checks its arguments like :func:`divergences.kl`, and the kernel and its
bandwidth with :func:`check_kernel`, and hands the pair to the one evaluator
(:mod:`divergences.evaluate`): the closed forms of :mod:`divergences.closed_forms.mmd`, else the
quadrature of :mod:`divergences.numeric.mmd`.
"""

import math
import numbers

from .functions import _divergence

__all__ = ["KERNELS", "check_kernel", "mmd"]

#: The kernels :func:`mmd` knows, by name (as :data:`divergences.empirical.KERNELS`).
KERNELS = ("gaussian",)


def check_kernel(kernel, bandwidth):
    """``(kernel, bandwidth)`` checked: a name of ``KERNELS`` and a finite float > 0."""
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, numbers.Real):
        raise TypeError(f"bandwidth must be a real number > 0 (the kernel's length scale), got {bandwidth!r}")
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"bandwidth must be finite and > 0, got {bandwidth!r}")
    return kernel, h


def mmd(p, q, *, kernel="gaussian", bandwidth):
    r"""Squared maximum mean discrepancy :math:`\mathrm{MMD}^2(P, Q)` with the Gaussian kernel of length scale h.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.
    kernel : {"gaussian"}
        :math:`k(x, y) = \exp(-\|x - y\|^2 / (2h^2))`, as :func:`divergences.empirical.mmd`
        (scikit-learn's ``rbf_kernel`` with ``gamma`` :math:`= 1/(2h^2)`).
    bandwidth : float
        Required, keyword only: h > 0, in the units of the laws.

    Returns
    -------
    float
        :math:`\mathrm{MMD}^2` (the square, not MMD), unitless, in [0, 2]: 0 iff P = Q.

    Raises
    ------
    ValueError
        If ``kernel`` is not in ``KERNELS``, ``bandwidth`` is not finite and > 0; as
        :func:`divergences.tv` for the laws.
    TypeError
        If ``bandwidth`` is not a real number; as :func:`divergences.tv` for the laws.
    NotImplementedError
        For a pair with no closed form in 2 or more dimensions (every pair of 2-D toys has one);
        in 1-D, for laws whose scales differ by more than a factor 1e12 or that lie too far from
        the origin for their scale (as the other 1-D quadratures), and for a scipy.stats law whose
        window (all but 1e-30 of its mass) spans more than ``MAX_PIECES`` (200,000) bandwidths of
        :mod:`divergences.numeric.mmd` (heavy tails with a small bandwidth: ``t(3)`` at h = 0.5).

    Notes
    -----
    .. math:: \mathrm{MMD}^2(P, Q) = E\,k(X, X') + E\,k(Y, Y') - 2E\,k(X, Y),

    with X, X' ~ P and Y, Y' ~ Q independent (Gretton et al. 2012, Lemma 6): the squared RKHS
    distance between the kernel mean embeddings of P and Q. The Gaussian kernel is characteristic
    (its Fourier transform is positive everywhere; Sriperumbudur et al. 2010), so MMD is a metric
    on the laws. It is bounded (:math:`k \le 1`), continuous in the parameters where TV, KL and
    JS jump: on the parallel lines of the WGAN paper,
    :math:`\mathrm{MMD}^2 = 2Y(h)(1 - e^{-\theta^2/(2h^2)})`, with Y(h) the kernel's mean over two
    independent uniform points of the segment. As h grows, :math:`h^2\,\mathrm{MMD}^2 \to
    \|E X - E Y\|^2`.

    Closed forms (:mod:`divergences.closed_forms.mmd`): Gaussians and Gaussian mixtures in any
    dimension (two Gaussians as a sum of two terms of one sign, so nearly equal laws keep a
    small value to a relative 1e-12); finite laws, uniforms and exponentials against each other
    and against Gaussians and mixtures in 1-D (Gaussian integrals: :math:`\Phi`, erf, erfcx);
    ShiftedLine and SmoothedLine pairs, and either against 2-D Gaussians and mixtures. Their
    absolute error is below 1e-14. Otherwise (a uniform against an exponential, scipy.stats
    laws): :math:`h\sqrt{2\pi}\int (r_P - r_Q)^2` with :math:`r_P` the density of P smoothed by
    :math:`N(0, h^2/2)`, by adaptive Gauss-Kronrod quadrature (absolute error <= 1e-9,
    :mod:`divergences.numeric.mmd`).

    References
    ----------
    .. [1] A. Gretton, K. M. Borgwardt, M. J. Rasch, B. Schölkopf, A. Smola, "A kernel
       two-sample test", JMLR 13 (2012) 723-773.
    .. [2] B. K. Sriperumbudur, A. Gretton, K. Fukumizu, B. Schölkopf, G. R. G. Lanckriet,
       "Hilbert space embeddings and metrics on probability measures", JMLR 11 (2010) 1517-1561.
    .. [3] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian, ShiftedLine
    >>> from divergences import mmd
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    >>> # equal variances v: 2 h / sqrt(2v + h^2) (1 - exp(-delta^2 / (2 (2v + h^2))))
    >>> math.isclose(mmd(p, q, bandwidth=1.0), 2 / math.sqrt(3) * -math.expm1(-1 / 6))
    True
    >>> mmd(p, p, bandwidth=1.0)
    0.0
    >>> # the parallel lines: MMD^2 goes to 0 with theta (TV stays 1 for every theta != 0)
    >>> [mmd(ShiftedLine(0.0), ShiftedLine(t), bandwidth=1.0) < 1e-6 for t in (1e-3, 1.0)]
    [True, False]
    """
    kernel, bandwidth = check_kernel(kernel, bandwidth)
    return _divergence("mmd", p, q, kernel=kernel, bandwidth=bandwidth)
