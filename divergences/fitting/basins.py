r"""Basins of attraction of the reverse KL fit: which local minimum each starting point leads to.

:func:`divergences.fit_reverse_kl` is a local optimisation, and on a multimodal target its
objective :math:`KL(q_\phi\|p)` has several local minima over 1-D Gaussians :math:`q_\phi =
N(m, s^2)`: one per well-separated mode, and others that straddle modes. :func:`reverse_kl_basins`
runs the fit from every start :math:`N(m_0, s_0^2)` of a grid, groups the end points into
distinct minima, and labels every start with the minimum it reached, which is the picture of the
basins of attraction.
"""

import dataclasses
import math

import numpy as np

from toys import Gaussian
from toys.validation import positive_scalar, real_array

from .common import check_options, check_target
from .reverse import fit_reverse_kl


@dataclasses.dataclass(frozen=True)
class Basins:
    """Outcome of :func:`reverse_kl_basins` on a grid of M start means by S start standard deviations.

    The arrays are indexed as the arguments come, means first: entry ``[i, j]`` is the start
    :math:`N(m_0, s_0^2)` with ``m0 = start_means[i]`` and ``s0 = start_stds[j]``. (To draw them with
    the means along the horizontal axis, ``pcolormesh(start_means, start_stds, labels.T)``.)
    """

    start_means: np.ndarray  # (M,) means m0 of the starts N(m0, s0^2)
    start_stds: np.ndarray  # (S,) standard deviations s0 of the starts
    means: np.ndarray  # (M, S) mean of the fit from start (m0[i], s0[j])
    stds: np.ndarray  # (M, S) standard deviation of that fit
    values: np.ndarray  # (M, S) KL(q || p) at its end, nats (the fit's own objective)
    labels: np.ndarray  # (M, S) index into ``minima`` of the end point, -1 where the fit did not converge
    minima: tuple  # the distinct end points as 1-D toys.Gaussian, lowest objective first
    minimum_values: np.ndarray  # (K,) their objective values, nats, ascending

    def count(self, k):
        """Number of starts that ended in minimum ``k`` (-1: did not converge)."""
        return int(np.sum(self.labels == k))


def reverse_kl_basins(target, start_means, start_stds, *, same=1e-3, max_iter=1000, tol=1e-7):
    r"""Run the reverse KL fit from a grid of starts and label each start by the minimum it reaches.

    Parameters
    ----------
    target : 1-D toy or frozen scipy.stats law
        The law ``p``, with a density positive on the whole line (as for
        :func:`divergences.fit_reverse_kl`).
    start_means : array_like, shape (M,)
        Finite means :math:`m_0` of the starts.
    start_stds : array_like, shape (S,)
        Standard deviations :math:`s_0 > 0` of the starts.
    same : float
        Two end points :math:`N(m_1, s_1^2)` and :math:`N(m_2, s_2^2)` are the same minimum when
        :math:`|m_1 - m_2| \le \mathrm{same}\cdot\max(s_1, s_2)` and
        :math:`|\ln s_1 - \ln s_2| \le \mathrm{same}`; in (0, 1).
    max_iter : int
        Largest number of L-BFGS-B iterations of each fit, >= 1 (see :func:`divergences.fit_reverse_kl`).
    tol : float
        Gradient tolerance of each fit, > 0 (see :func:`divergences.fit_reverse_kl`).

    Returns
    -------
    Basins
        Arrays of shape (M, S), in the order of the arguments: entry ``[i, j]`` for the start with
        mean ``start_means[i]`` and standard deviation ``start_stds[j]``: the fitted mean and
        standard deviation, the final objective (nats), and the label of the minimum reached; and
        the distinct minima, best first.

    Raises
    ------
    TypeError
        If ``target`` is not a law with a density.
    ValueError
        If ``target`` is not 1-D or its density vanishes somewhere, if ``start_means`` or
        ``start_stds`` is not a non-empty finite 1-D array (``start_stds`` positive), or if
        ``same`` is not in (0, 1). Checked before any fit runs.

    Notes
    -----
    Each start runs :func:`divergences.fit_reverse_kl` with ``init=Gaussian(m0, s0)``, which
    minimises

    .. math:: KL(N(m, s^2)\|p) = -\tfrac12\ln(2\pi e s^2) - E_{N(m, s^2)}[\ln p]

    by L-BFGS-B (the expectation by adaptive quadrature for a non-Gaussian target, as accurate as
    :func:`divergences.reverse_kl`); on a multimodal target the minimum it reaches depends on
    the start [1]_. The ends
    are grouped greedily in order of their objective: an end joins the first minimum found so far
    that is the same by the criterion above, or starts a new one. The criterion is scale-free,
    and ``same = 1e-3`` is far above the spread of ends within one basin (below
    :math:`10^{-6}` with the default ``tol``) and far below the distance between distinct minima of
    the lecture's mixtures.

    The fit's objective is :func:`divergences.reverse_kl` to 1e-13 nats, where :math:`q`
    straddles modes too (see :func:`divergences.fit_reverse_kl`), so the minima are those of the
    exact KL to within ``tol``: for the mixture below, N(+-2.98431, 1.02337^2) at 0.688769 nats
    and the straddling N(0, 2.74377^2) at 0.840621 nats, each within 1e-7 in mean and std of
    the exact minimiser.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, Sec. 10.1.2
       and Fig. 10.3 (the reverse KL fit settles on one mode, which one depending on the start).

    Examples
    --------
    On a symmetric two-mode mixture the basins are mirror images of each other, and a start
    centred on a mode ends on that mode:

    >>> import math
    >>> import numpy as np
    >>> from toys import GaussianMixture
    >>> from divergences import reverse_kl
    >>> from divergences.fitting import reverse_kl_basins
    >>> p = GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
    >>> b = reverse_kl_basins(p, start_means=[-3.0, 0.0, 3.0], start_stds=[1.0])
    >>> [round(float(g.std), 2) for g in b.minima]  # the two modes tie; the straddling fit is worse
    [1.02, 1.02, 2.74]
    >>> b.labels.shape                                           # (start means, start stds)
    (3, 1)
    >>> [round(float(b.minima[k].mean)) for k in b.labels[:, 0]]  # where each start ended
    [-3, 0, 3]
    >>> bool(b.minimum_values[2] > b.minimum_values[0]) and math.isclose(*b.minimum_values[:2], rel_tol=1e-9)
    True
    >>> math.isclose(b.minimum_values[2], reverse_kl(p, b.minima[2]), abs_tol=1e-8)  # the exact KL
    True
    """
    target = check_target(target)
    if target.dim != 1:
        raise ValueError(f"target must be a 1-D law (the starts are 1-D Gaussians), got {target!r} of dim {target.dim}")
    m0 = _grid("start_means", start_means)
    s0 = _grid("start_stds", start_stds)
    if np.any(s0 <= 0):
        raise ValueError(f"start_stds must be > 0, got {s0.tolist()}")
    same = positive_scalar("same", same)
    if same >= 1:
        raise ValueError(f"same must be in (0, 1), got {same!r}")
    check_options(max_iter, tol)

    shape = (m0.size, s0.size)
    means, stds, values = np.empty(shape), np.empty(shape), np.empty(shape)
    converged = np.zeros(shape, dtype=bool)
    for i, m in enumerate(m0):
        for j, s in enumerate(s0):
            fit = fit_reverse_kl(target, init=Gaussian(float(m), float(s)), max_iter=max_iter, tol=tol)
            means[i, j], stds[i, j], values[i, j] = fit.distribution.mean, fit.distribution.std, fit.value
            converged[i, j] = fit.converged
    labels, minima, minimum_values = _group(means, stds, values, converged, same)
    for a in (m0, s0, means, stds, values, labels, minimum_values):
        a.setflags(write=False)
    return Basins(m0, s0, means, stds, values, labels, minima, minimum_values)


def _group(means, stds, values, converged, same):
    """Greedy grouping of the converged ends, best objective first: (labels, minima, their values)."""
    labels = np.full(means.shape, -1, dtype=int)
    centres = []  # (mean, std, value) of each minimum: its best end
    for flat in np.argsort(values, axis=None, kind="stable"):
        idx = np.unravel_index(flat, means.shape)
        if not converged[idx]:
            continue
        m, s = means[idx], stds[idx]
        for k, (mk, sk, _) in enumerate(centres):
            if abs(m - mk) <= same * max(s, sk) and abs(math.log(s / sk)) <= same:
                labels[idx] = k
                break
        else:
            labels[idx] = len(centres)
            centres.append((m, s, values[idx]))
    minima = tuple(Gaussian(float(m), float(s)) for m, s, _ in centres)
    return labels, minima, np.array([v for _, _, v in centres], dtype=float)


def _grid(name, value):
    a = real_array(name, value)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {a.shape}")
    return a
