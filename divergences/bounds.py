r"""Two bounds on divergences between Gaussians in :math:`\mathbb{R}^d`, both from 1-D or closed-form quantities.

* :func:`gaussian_w2` -- the Wasserstein-2 distance between two Gaussians, in closed form; it is an
  upper bound on :math:`W_1` (Jensen: :math:`E\|X - Y\| \le (E\|X - Y\|^2)^{1/2}` for every coupling).
* :func:`projection_bounds` -- a divergence between the 1-D projections :math:`\langle u, X\rangle` of
  the two laws, for given directions u; each is a lower bound on the divergence in :math:`\mathbb{R}^d`
  (data processing for TV, KL, reverse KL and JS; the projection is 1-Lipschitz for :math:`W_1`).

For the 2-D Gaussians of the lecture, whose TV and JS need a cubature and whose :math:`W_1` needs a
transport problem, the two give a band that the numeric values must lie in.

References
----------
.. [1] D. C. Dowson, B. V. Landau, "The Fréchet distance between multivariate normal distributions",
   J. Multivariate Anal. 12 (1982) 450-455.
.. [2] C. R. Givens, R. M. Shortt, "A class of Wasserstein metrics for probability distributions",
   Michigan Math. J. 31 (1984) 231-240.
.. [3] I. Csiszár, P. C. Shields, *Information Theory and Statistics: A Tutorial*, Now Publishers 2004,
   Sec. 4 (data processing for f-divergences).
"""

import numpy as np

from toys import Gaussian
from toys.validation import real_array

from . import functions
from .closed_forms.w2 import w2_gaussians

__all__ = ["gaussian_w2", "projection_bounds"]

#: Divergences :func:`projection_bounds` computes, each a function of two laws in :mod:`divergences`.
NAMES = ("tv", "kl", "reverse_kl", "js", "w1")


def gaussian_w2(p, q):
    r"""The Wasserstein-2 distance between two Gaussians of the same dimension, in closed form.

    Parameters
    ----------
    p, q : toys.Gaussian
        :math:`N(\mu_1, \Sigma_1)` and :math:`N(\mu_2, \Sigma_2)`, 1-D or d-D.

    Returns
    -------
    float
        :math:`W_2(P, Q)` (not its square), in the units of the points; an upper bound on
        :math:`W_1(P, Q)`.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not a :class:`toys.Gaussian`.
    ValueError
        If their dimensions differ.

    Notes
    -----
    With the Euclidean cost [1]_ [2]_,

    .. math:: W_2^2(P, Q) = \|\mu_1 - \mu_2\|^2 + \operatorname{tr}\Big(\Sigma_1 + \Sigma_2
              - 2\big(\Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2}\big)^{1/2}\Big),

    which for commuting covariances is :math:`\|\mu_1 - \mu_2\|^2 + \|\Sigma_1^{1/2} - \Sigma_2^{1/2}\|_F^2`,
    and in 1-D :math:`(\mu_1 - \mu_2)^2 + (\sigma_1 - \sigma_2)^2`. It is the closed form that
    :func:`divergences.w2` uses for Gaussians (``divergences.closed_forms.w2``): the trace term is
    :math:`\min_U\|L_1 - L_2U\|_F^2` over orthogonal U (:math:`\Sigma_i = L_iL_i^\top`), a sum of
    squares, so nearly equal covariances keep their small value and equal ones give exactly the
    distance of the means.

    References
    ----------
    .. [1] D. C. Dowson, B. V. Landau, J. Multivariate Anal. 12 (1982), Theorem 2.
    .. [2] C. R. Givens, R. M. Shortt, Michigan Math. J. 31 (1984), Proposition 7.

    Examples
    --------
    In 1-D, the distance of the means and of the standard deviations, in quadrature; and it bounds
    :math:`W_1` from above.

    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import w1
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(3.0, 5.0)
    >>> math.isclose(gaussian_w2(p, q), 5.0)
    True
    >>> bool(w1(p, q) <= gaussian_w2(p, q))
    True
    """
    _check_gaussians(p, q)
    return w2_gaussians(p, q)


def projection_bounds(name, p, q, directions):
    r"""A divergence between the 1-D projections of two Gaussians, one per direction: lower bounds.

    Parameters
    ----------
    name : {"tv", "kl", "reverse_kl", "js", "w1"}
        The divergence, as the function of that name in :mod:`divergences` (``kl`` is
        :math:`KL(P\|Q)`, ``reverse_kl`` is :math:`KL(Q\|P)`).
    p, q : toys.Gaussian
        Two Gaussians of the same dimension d.
    directions : array_like, shape (k, d), or (d,) for one direction
        Non-zero directions u; each is normalised to length 1.

    Returns
    -------
    numpy.ndarray, shape (k,)
        :math:`D(\langle u, X\rangle_\# P,\ \langle u, X\rangle_\# Q)` for each direction, in the
        divergence's units (nats, a probability, or the units of the points for ``w1``); each is
        at most :math:`D(P, Q)`, so their maximum is the best of these lower bounds.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not a :class:`toys.Gaussian`, or ``directions`` is not numeric.
    ValueError
        If ``name`` is not one of the five, the dimensions differ, or a direction is zero, not
        finite, or not of length d.

    Notes
    -----
    The projection of :math:`N(\mu, \Sigma)` on a unit vector u is :math:`N(u^\top\mu, u^\top\Sigma u)`.
    For an f-divergence (TV, KL both ways, JS) every measurable map can only lose information, so
    :math:`D(T_\# P, T_\# Q) \le D(P, Q)` [1]_; for :math:`W_1`, :math:`x \mapsto \langle u, x\rangle`
    is 1-Lipschitz, so every coupling of P and Q projects to one of the projections with no larger
    cost. The 1-D values come from :mod:`divergences` (closed forms, or quadrature to about 1e-9).

    References
    ----------
    .. [1] I. Csiszár, P. C. Shields, *Information Theory and Statistics: A Tutorial*, 2004, Sec. 4.

    Examples
    --------
    For :math:`N(0, I)` against a correlated Gaussian, the diagonals diagonalise both laws; along
    :math:`(1, 1)/\sqrt 2` they are :math:`N(0, 1)` and :math:`N(0, 1 + \rho)`.

    >>> import math
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences import kl
    >>> p, q = Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0], cov=[[1.0, 0.6], [0.6, 1.0]])
    >>> b = projection_bounds("kl", p, q, [[1.0, 1.0], [1.0, -1.0]])
    >>> math.isclose(b[0], kl(Gaussian(0.0, 1.0), Gaussian(0.0, math.sqrt(1.6))))
    True
    >>> bool(np.all(b <= kl(p, q)))
    True
    """
    if name not in NAMES:
        raise ValueError(f"name must be one of {NAMES}, got {name!r}")
    _check_gaussians(p, q)
    d = p.dim
    u = real_array("directions", directions)
    if u.ndim == 1:
        u = u[None, :]
    if u.ndim != 2 or u.shape[1] != d or u.shape[0] == 0:
        raise ValueError(f"directions must have shape (k, {d}) or ({d},) for {d}-D laws, got shape {u.shape}")
    norms = np.linalg.norm(u, axis=1)
    if np.any(norms == 0):
        raise ValueError(f"directions must be non-zero, got {u[norms == 0][0].tolist()}")
    u = u / norms[:, None]
    fn = getattr(functions, name)
    return np.array([fn(_project(p, v), _project(q, v)) for v in u])


def _project(g, u):
    """The law of <u, X> for X ~ g, a 1-D Gaussian."""
    mean = float(u @ np.atleast_1d(g.mean))
    return Gaussian(mean, float(np.sqrt(u @ _cov(g) @ u)))


def _cov(g):
    return np.array([[g.var]]) if g.dim == 1 else g.cov


def _check_gaussians(p, q):
    for label, g in (("p", p), ("q", q)):
        if not isinstance(g, Gaussian):
            raise TypeError(f"{label} must be a toys.Gaussian, got {g!r}")
    if p.dim != q.dim:
        raise ValueError(f"p and q must have the same dimension, got {p.dim} and {q.dim}")
