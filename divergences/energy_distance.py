r"""Székely's energy distance between two laws: closed form if one applies, numeric otherwise."""

from .functions import _divergence

__all__ = ["energy"]


def energy(p, q):
    r"""Energy distance :math:`\mathcal E(P, Q) = 2E\|X - Y\| - E\|X - X'\| - E\|Y - Y'\|`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension, with finite first moments.

    Returns
    -------
    float
        In the units of the points (a length, not its square): >= 0, and 0 iff P = Q.
        ``scipy.stats.energy_distance`` returns its square root.

    Raises
    ------
    TypeError
        If an argument is neither a toy nor a frozen scipy.stats law.
    ValueError
        If the dimensions differ, or a scipy.stats law is invalid.
    NotImplementedError
        If no closed form applies and the pair is not one the numeric path covers: in 2-D, pairs
        other than Gaussians and Gaussian mixtures, or two lines (:class:`toys.ShiftedLine`,
        :class:`toys.SmoothedLine`); in 3 or more dimensions, every pair without a closed form;
        and for a scipy.stats law of infinite variance (``t(1.5)``), which the 1-D numeric path
        refuses for every divergence, although the energy distance needs only first moments.

    Notes
    -----
    With :math:`X, X' \sim P` and :math:`Y, Y' \sim Q` independent and the Euclidean norm
    (Székely and Rizzo 2013, Sec. 2; Rizzo and Székely 2016 write it :math:`D^2(F, G)`, the squared
    energy distance; no square root is taken here):

    .. math:: \mathcal E(P, Q) = 2E\|X - Y\| - E\|X - X'\| - E\|Y - Y'\|
              \overset{\text{1-D}}{=} 2\int (F_P(x) - F_Q(x))^2\,dx ,

    twice Cramér's distance :math:`\ell_2^2` in 1-D (Székely and Rizzo 2013, Sec. 2), the
    distance whose sample gradients Bellemare et al. (2017) show to be unbiased. It is
    :math:`2\,\mathrm{MMD}^2` for the distance-induced kernel :math:`k(x, y) = \tfrac12(\|x\| +
    \|y\| - \|x - y\|)` (Sejdinovic et al. 2013). Symmetric, invariant under translations and
    rotations, and :math:`\mathcal E(aX, aY) = |a|\,\mathcal E(X, Y)`.

    Closed forms (``divergences.closed_forms.energy``): Gaussians in 1-D and isotropic ones in
    any dimension, written as two terms of one sign (relative accuracy ~1e-15 even for nearly
    equal laws); 1-D mixtures of Gaussians and atoms (Discrete, Bernoulli) and isotropic mixtures
    in any dimension, as a signed sum over pairs of components, exactly 0 for equal laws; finite
    laws, uniforms, exponentials; the parallel lines :class:`toys.ShiftedLine`,
    :math:`t^2[\tfrac{2/3}{a + 1} - \tfrac{4/3}{a + t} + 2\,\mathrm{asinh}(1/t)]`,
    :math:`t = |\theta_1 - \theta_2|`, :math:`a = \sqrt{1 + t^2}`.

    Numeric path (``divergences.numeric.energy``): in 1-D the adaptive Gauss-Kronrod
    quadrature of :math:`2\int(F_P - F_Q)^2`, absolute error <= 1e-9 in units of the pair's
    scale (a power of two near the larger structure scale of the two laws); in 2-D, for
    Gaussians, mixtures and smoothed lines,
    :math:`\tfrac12\int_0^\pi \mathcal E(P_\varphi, Q_\varphi)\,d\varphi` over the 1-D
    projections, each in closed form, absolute error <= 1e-9 of the largest component standard
    deviation (max(1, sigma) for the lines; the 2-D paths promise 1e-6).

    References
    ----------
    .. [1] G. J. Székely, M. L. Rizzo, "Energy statistics: A class of statistics based on
       distances", J. Stat. Plan. Inference 143(8) (2013) 1249-1272.
    .. [2] M. L. Rizzo, G. J. Székely, "Energy distance", WIREs Comput. Stat. 8 (2016) 27-38.
    .. [3] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
       R. Munos, "The Cramér distance as a solution to biased Wasserstein gradients",
       arXiv:1705.10743 (2017).
    .. [4] D. Sejdinovic, B. Sriperumbudur, A. Gretton, K. Fukumizu, "Equivalence of
       distance-based and RKHS-based statistics in hypothesis testing", Ann. Statist. 41(5)
       (2013) 2263-2291.

    Examples
    --------
    >>> import math
    >>> from scipy import integrate, stats
    >>> from toys import Bernoulli, Discrete, Gaussian, ShiftedLine
    >>> from divergences import energy, w1
    >>> energy(Bernoulli(0.2), Bernoulli(0.7))  # 2 * (0.7 - 0.2)^2 on [0, 1]
    0.5
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    >>> gap = lambda x: (p.cdf(x) - q.cdf(x)) ** 2
    >>> math.isclose(energy(p, q), 2 * integrate.quad(gap, -20, 20)[0], rel_tol=1e-9)
    True
    >>> energy(p, q) == energy(q, p) and energy(p, p) == 0.0
    True
    >>> # scipy.stats.energy_distance returns the square root
    >>> a, b = Discrete([0.0, 1.0, 3.0], [0.2, 0.5, 0.3]), Discrete([1.0, 2.0], [0.6, 0.4])
    >>> math.isclose(energy(a, b), stats.energy_distance(a.atoms, b.atoms, a.probs, b.probs) ** 2)
    True
    >>> lines = ShiftedLine(0.0), ShiftedLine(0.5)  # continuous in theta, and below 2 W1
    >>> 0.0 < energy(*lines) < 2 * w1(*lines)
    True
    """
    return _divergence("energy", p, q)
