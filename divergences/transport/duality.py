r"""Kantorovich-Rubinstein duality on finitely many atoms: W1 as a primal and as a dual linear program.

For discrete measures :math:`P = \sum_i a_i\delta_{x_i}` and :math:`Q = \sum_j b_j\delta_{y_j}`
in :math:`\mathbb{R}^d` with the Euclidean distance :math:`d(x, y) = \|x - y\|`:

* :func:`w1_primal` solves the transport problem over plans :math:`\pi` with marginals a and b,
  and returns the optimal plan (:class:`TransportPlan`);
* :func:`w1_dual` solves the dual over functions on the union :math:`z_1, \dots, z_K` of the two
  supports that are 1-Lipschitz there, and returns the optimal potential (:class:`Witness`);
* :func:`mcshane_extension` extends such a function to the whole space without raising its
  Lipschitz constant, and :func:`lipschitz_constant` measures that constant on a finite set.

Strong duality says the two optimal values are equal: both are :math:`W_1(P, Q)`. Both programs
are solved by HiGHS through ``scipy.optimize.linprog(method="highs")``; their values agree with
each other, with ``ot.emd2`` and in 1-D with :math:`\int|F_P - F_Q|` to about 1e-9 (the tests).

The programs have :math:`nm` and :math:`K(K - 1)` constraints: this module is for the few atoms
of a worked example (up to a few hundred); :func:`divergences.empirical.w1` computes W1 between
large samples.

References
----------
.. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Ch. 5 (Kantorovich duality)
   and Rem. 6.5 (the 1-Lipschitz form for W1).
.. [2] G. Peyré, M. Cuturi, *Computational Optimal Transport*, Found. Trends Mach. Learn. 11
   (2019), Sec. 3.1 and 6.2 (the linear programs).
.. [3] E. J. McShane, "Extension of range of functions", Bull. Amer. Math. Soc. 40 (1934).
"""

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse
from scipy.spatial import distance

from toys.validation import points as as_points
from toys.validation import positive_scalar, probability_vector, real_array

__all__ = ["TransportPlan", "Witness", "lipschitz_constant", "mcshane_extension", "w1_dual", "w1_primal"]

#: Relative slack on the Lipschitz constant of the data of :func:`mcshane_extension` (rounding).
LIPSCHITZ_RTOL = 1e-9
#: HiGHS feasibility tolerances: tighter than its defaults (1e-7), so that the two programs'
#: optimal values agree to about 1e-9 on unit-scale examples.
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True)
class TransportPlan:
    r"""An optimal transport plan between two discrete measures (:func:`w1_primal`).

    Attributes
    ----------
    value : float
        :math:`\sum_{ij}\pi_{ij}\|x_i - y_j\|`, which is W1(P, Q), in the units of the points.
    plan : ndarray, shape (n, m)
        :math:`\pi_{ij}`, the mass sent from ``x[i]`` to ``y[j]``; rows sum to ``a``, columns to ``b``.
    x, y : ndarray, shapes (n, d) and (m, d)
        The atoms of P and Q.
    a, b : ndarray, shapes (n,) and (m,)
        Their masses.
    """

    value: float
    plan: np.ndarray
    x: np.ndarray
    a: np.ndarray
    y: np.ndarray
    b: np.ndarray


@dataclass(frozen=True)
class Witness:
    r"""An optimal Kantorovich potential on the union of two supports (:func:`w1_dual`).

    Calling it evaluates its McShane extension, a 1-Lipschitz function on the whole space.

    Attributes
    ----------
    value : float
        :math:`\sum_k f_k (a_k - b_k)`, which is W1(P, Q), in the units of the points.
    points : ndarray, shape (K, d)
        The union :math:`z_1, \dots, z_K` of the two supports (distinct points, sorted).
    f : ndarray, shape (K,)
        The potential at the points; 1-Lipschitz there, and 0 at ``points[0]`` (it is defined up
        to a constant).
    mass : ndarray, shape (K,)
        :math:`a_k - b_k`, the signed mass of P - Q at each point.
    """

    value: float
    points: np.ndarray
    f: np.ndarray
    mass: np.ndarray

    def __call__(self, z):
        r"""The McShane extension :math:`\min_k (f_k + \|z - z_k\|)` at ``z`` (shape (n,) in 1-D or (n, d)).

        ``f`` is 1-Lipschitz on the points up to the solver's feasibility tolerance (1e-10 absolute,
        which on two close points can exceed :data:`LIPSCHITZ_RTOL`), so it is extended without the
        check of :func:`mcshane_extension`.
        """
        return _extension(self.points, self.f, as_points("z", z, dim=self.points.shape[1]), 1.0)


def w1_primal(x, a, y, b):
    r"""W1 between two discrete measures by the transport linear program, with an optimal plan.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Atoms of P (a 1-D array is ``d = 1``).
    a : array_like, shape (n,)
        Their masses: non-negative, summing to 1 within 1e-9.
    y : array_like, shape (m,) or (m, d)
        Atoms of Q, in the same dimension.
    b : array_like, shape (m,)
        Their masses.

    Returns
    -------
    TransportPlan
        ``value`` is W1(P, Q) in the units of the points (Euclidean ground distance, not its
        square as in POT's ``ot.dist`` default); ``plan`` an optimal plan.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the points are not finite, of shape (n,) or (n, d), of one dimension, or the masses
        are not a probability vector of the matching length.
    RuntimeError
        If HiGHS does not report an optimal solution.

    Notes
    -----
    .. math:: W_1(P, Q) = \min_{\pi \ge 0}\ \sum_{i,j}\pi_{ij}\|x_i - y_j\|
              \quad\text{s.t.}\quad \sum_j \pi_{ij} = a_i,\ \sum_i \pi_{ij} = b_j.

    References
    ----------
    .. [1] G. Peyré, M. Cuturi, *Computational Optimal Transport*, 2019, Sec. 3.1.

    Examples
    --------
    Half the mass moves by 1, the other half stays: W1 = 1/2.

    >>> import math
    >>> r = w1_primal([0.0, 1.0], [0.5, 0.5], [1.0], [1.0])
    >>> math.isclose(r.value, 0.5), r.plan.round(12).tolist()
    (True, [[0.5], [0.5]])
    """
    x, a, y, b = _check_measures(x, a, y, b)
    n, m = a.size, b.size
    cost = distance.cdist(x, y)  # Euclidean, from coordinate differences (not ot.dist's squared default)
    rows = sparse.kron(sparse.eye(n), np.ones((1, m)))  # sum over j of pi_ij = a_i
    cols = sparse.kron(np.ones((1, n)), sparse.eye(m))  # sum over i of pi_ij = b_j
    res = optimize.linprog(
        cost.ravel(),
        A_eq=sparse.vstack([rows, cols]).tocsr(),
        b_eq=np.concatenate([a, b]),
        bounds=(0, None),
        method="highs",
        options=_HIGHS,
    )
    _check_solved(res, "the transport problem")
    plan = np.clip(res.x.reshape(n, m), 0.0, None)
    return TransportPlan(float(cost.ravel() @ plan.ravel()), plan, x, a, y, b)


def w1_dual(x, a, y, b):
    r"""W1 between two discrete measures by the dual linear program, with an optimal 1-Lipschitz potential.

    Parameters
    ----------
    x, a, y, b : array_like
        Atoms and masses of P and Q, as for :func:`w1_primal`.

    Returns
    -------
    Witness
        ``value`` is W1(P, Q); ``f`` an optimal potential on the union of the supports, and the
        witness called on any points gives its 1-Lipschitz (McShane) extension.

    Raises
    ------
    TypeError, ValueError, RuntimeError
        As for :func:`w1_primal`.

    Notes
    -----
    On the union :math:`z_1, \dots, z_K` of the supports, with signed masses
    :math:`c_k = P(\{z_k\}) - Q(\{z_k\})` (an atom in both supports appears once):

    .. math:: W_1(P, Q) = \max_{f \in \mathbb{R}^K}\ \sum_k f_k c_k
              \quad\text{s.t.}\quad f_k - f_l \le \|z_k - z_l\|\ \ (k \ne l),

    the Kantorovich-Rubinstein formula :math:`\sup_{\|f\|_L \le 1} E_P f - E_Q f` restricted
    to the points where P and Q live, which loses nothing because a 1-Lipschitz function on
    them extends to one on the whole space (:func:`mcshane_extension`). The objective does not
    change when a constant is added to f (:math:`\sum_k c_k = 0`), so ``f[0]`` is fixed at 0.

    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Rem. 6.5.
    .. [2] G. Peyré, M. Cuturi, *Computational Optimal Transport*, 2019, Sec. 6.2.

    Examples
    --------
    Strong duality: the dual value equals the primal one.

    >>> import math
    >>> x, a, y, b = [0.0, 2.0], [0.5, 0.5], [1.0, 5.0], [0.25, 0.75]
    >>> math.isclose(w1_dual(x, a, y, b).value, w1_primal(x, a, y, b).value, rel_tol=1e-9)
    True
    """
    x, a, y, b = _check_measures(x, a, y, b)
    points, index = np.unique(np.concatenate([x, y]), axis=0, return_inverse=True)
    index = index.ravel()
    k = points.shape[0]
    mass = np.bincount(index[: a.size], weights=a, minlength=k) - np.bincount(index[a.size :], weights=b, minlength=k)
    if k == 1:  # P = Q = the same point mass
        return Witness(0.0, points, np.zeros(1), mass)
    i, j = np.nonzero(~np.eye(k, dtype=bool))  # every ordered pair k != l
    n_pairs = i.size
    diff = sparse.csr_matrix(
        (
            np.concatenate([np.ones(n_pairs), -np.ones(n_pairs)]),
            (np.tile(np.arange(n_pairs), 2), np.concatenate([i, j])),
        ),
        shape=(n_pairs, k),
    )  # row (k, l): f_k - f_l
    dist = distance.cdist(points, points)[i, j]
    bounds = [(0.0, 0.0)] + [(None, None)] * (k - 1)  # f[0] = 0 pins the free constant
    res = optimize.linprog(-mass, A_ub=diff, b_ub=dist, bounds=bounds, method="highs", options=_HIGHS)
    _check_solved(res, "the dual problem")
    f = res.x
    return Witness(float(f @ mass), points, f, mass)


def mcshane_extension(points, values, z, *, lipschitz=1.0):
    r"""The largest L-Lipschitz extension of a function given on finitely many points, at ``z``.

    Parameters
    ----------
    points : array_like, shape (K,) or (K, d)
        Where the function is known (a point may repeat only with the same value).
    values : array_like, shape (K,)
        Its values there: an L-Lipschitz function on the points, with L = ``lipschitz``.
    z : array_like, shape (n,) or (n, d)
        Where to evaluate the extension (a 1-D array is n points when ``d = 1``).
    lipschitz : float, keyword-only
        The constant L > 0 (default 1, the Kantorovich-Rubinstein witnesses).

    Returns
    -------
    ndarray, shape (n,)
        :math:`F(z) = \min_k (f_k + L\|z - z_k\|)`.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If an argument is empty, not finite, or the shapes do not match; if ``lipschitz`` is not
        > 0; or if ``values`` are not L-Lipschitz on the points (their constant, as
        :func:`lipschitz_constant`, exceeds :math:`L(1 + 10^{-9})`): then F does not take the
        given values, :math:`F(z_k) < f_k` at some point, and no L-Lipschitz extension exists.

    Notes
    -----
    :math:`F` is L-Lipschitz on the whole space (a minimum of L-Lipschitz functions), and as
    :math:`f` is L-Lipschitz on the points, :math:`F(z_k) = f_k` there: McShane's extension [1]_.
    It is the largest such extension; :math:`\max_k (f_k - L\|z - z_k\|)` is the smallest.

    References
    ----------
    .. [1] E. J. McShane, "Extension of range of functions", Bull. Amer. Math. Soc. 40 (1934).

    Examples
    --------
    >>> mcshane_extension([0.0, 1.0], [0.0, 0.5], [0.0, 0.25, 1.0, 3.0]).tolist()
    [0.0, 0.25, 0.5, 2.5]
    >>> mcshane_extension([0.0, 1.0], [0.0, 2.0], [0.0, 0.5, 1.0], lipschitz=2.0).tolist()   # F(z_k) = f_k
    [0.0, 1.0, 2.0]
    """
    pts = as_points("points", points)
    vals = real_array("values", values, ndim=1)
    if vals.size != pts.shape[0]:
        raise ValueError(f"values must have one entry per point ({pts.shape[0]}), got {vals.size}")
    lip = positive_scalar("lipschitz", lipschitz)
    zz = as_points("z", z, dim=pts.shape[1])
    i, j = np.triu_indices(vals.size, k=1)
    dist, rise = distance.cdist(pts, pts)[i, j], np.abs(vals[i] - vals[j])
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(rise == 0, 0.0, rise / dist)  # a repeated point with two values: inf
    found = float(slopes.max(initial=0.0))
    if found > lip * (1 + LIPSCHITZ_RTOL):
        raise ValueError(
            f"values must be {lip:g}-Lipschitz on the points (lipschitz={lip:g}), got a Lipschitz constant of "
            f"{found!r}: no {lip:g}-Lipschitz extension takes these values; pass a lipschitz of at least that"
        )
    return _extension(pts, vals, zz, lip)


def _extension(pts, vals, zz, lip):
    """min_k (f_k + L |z - z_k|) for points (K, d), values (K,), z (n, d)."""
    return np.min(vals[None, :] + lip * distance.cdist(zz, pts), axis=1)


def lipschitz_constant(points, values):
    r"""The Lipschitz constant of a function on finitely many distinct points.

    Parameters
    ----------
    points : array_like, shape (K,) or (K, d)
        Distinct points.
    values : array_like, shape (K,)
        The function's values there.

    Returns
    -------
    float
        :math:`\max_{k \ne l} |f_k - f_l| / \|z_k - z_l\|` (0 for a single point), in units of
        the values per unit of the points.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If an argument is empty or not finite, the shapes do not match, or two points coincide.

    Examples
    --------
    >>> lipschitz_constant([0.0, 1.0, 3.0], [0.0, 0.5, -1.5])
    1.0
    """
    pts = as_points("points", points)
    vals = real_array("values", values, ndim=1)
    if vals.size != pts.shape[0]:
        raise ValueError(f"values must have one entry per point ({pts.shape[0]}), got {vals.size}")
    if vals.size == 1:
        return 0.0
    i, j = np.triu_indices(vals.size, k=1)
    dist = distance.cdist(pts, pts)[i, j]
    if np.any(dist == 0):
        raise ValueError(f"points must be distinct, got a repeated point {pts[i[dist == 0][0]].tolist()}")
    return float(np.max(np.abs(vals[i] - vals[j]) / dist))


# -- input checks ---------------------------------------------------------------------------------
def _check_measures(x, a, y, b):
    x, y = as_points("x", x), as_points("y", y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must be points of the same dimension, got {x.shape[1]} and {y.shape[1]}")
    a, b = probability_vector("a", a), probability_vector("b", b)
    for name, pts, w, wname in (("x", x, a, "a"), ("y", y, b, "b")):
        if w.size != pts.shape[0]:
            raise ValueError(f"{wname} must have one mass per point of {name} ({pts.shape[0]}), got {w.size}")
    return x, a, y, b


def _check_solved(res, what):
    if res.status != 0:
        raise RuntimeError(f"HiGHS did not solve {what}: status {res.status}, {res.message}")
