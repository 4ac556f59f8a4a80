r"""What lies beyond the last tail edge: estimated from the decay of the last doublings, or refused.

The doubling tail edges of :func:`divergences.numeric.panels.tail_edges` reach :math:`10^{150}`;
for a law with a polynomial tail the KL integrand :math:`p\log(p/q)` against a lighter-tailed
:math:`q` decays like a power :math:`x^{1-\nu}` of small exponent, and what lies beyond can still
matter. Over successive doublings :math:`[X, 2X]` a power law's integrals fall by a constant ratio
:math:`r = 2^{1-\nu}`, so the remainder is the geometric series :math:`I_K\,r/(1-r)` of the last
doubling's integral :math:`I_K`. :func:`remainders` measures :math:`r` on the last two doublings
and on the two before, adds the series to the value, and takes the change between the two
estimates (plus a tenth of the series) as its error. A tail whose error so estimated exceeds
:data:`TOLERANCE`, or whose integrals do not fall, makes the divergence refused: it is finite, but
the quadrature cannot reach its stated accuracy.
"""

import numpy as np

from . import quadrature

__all__ = ["TOLERANCE", "TailTooHeavy", "remainders"]

#: Largest error allowed to the estimate of the remainder beyond the last tail edge (of the 1e-9).
TOLERANCE = 1e-10


class TailTooHeavy(NotImplementedError):
    """The integrand's tail decays too slowly for the quadrature to reach the stated accuracy."""


def remainders(integrand, rows_edges, n_rows):
    """Series beyond the outermost edges of each row, for an integrand of m components.

    Parameters
    ----------
    integrand : callable
        ``integrand(x, row)`` -> ``(m, panels, 21)``, as for ``quadrature.adaptive``.
    rows_edges : dict of int to (numpy.ndarray, numpy.ndarray)
        For each row with tail edges, the edges beyond its window on the right and on the left
        (each sorted outwards), in the row's coordinates; a side with fewer than four edges is
        not estimated.
    n_rows : int

    Returns
    -------
    remainder : numpy.ndarray, shape (m, n_rows)
        The estimated integral beyond the outermost edges (0 for rows without tail edges).
    error : numpy.ndarray, shape (m, n_rows)
        Its estimated error.
    """
    ends, owner = [], []
    for row, sides in rows_edges.items():
        for side in sides:
            if side.size >= 4:
                ends.append(side[-4:])  # the last three doublings, outwards
                owner.append(row)
    if not owner:
        return np.zeros((1, n_rows)), np.zeros((1, n_rows))
    ends, owner = np.array(ends), np.repeat(owner, 3)
    lo, hi = np.minimum(ends[:, :-1], ends[:, 1:]).ravel(), np.maximum(ends[:, :-1], ends[:, 1:]).ravel()

    def f(x, panel):  # one quadrature "row" per panel, evaluated under the law of its owner
        return integrand(x, owner[panel])

    per_panel = np.atleast_2d(quadrature.adaptive(f, (lo, hi, np.arange(owner.size)), owner.size))
    m = per_panel.shape[0]
    remainder, error = np.zeros((m, n_rows)), np.zeros((m, n_rows))
    for start in range(0, owner.size, 3):
        for c in range(m):
            value, err = _series(*per_panel[c, start : start + 3])  # outwards: I_{K-2}, I_{K-1}, I_K
            remainder[c, owner[start]] += value
            error[c, owner[start]] += err
    return remainder, error


def _series(i2, i3, i4):
    """The geometric series beyond I_K = i4 from the ratios of the last doublings, and its error."""
    if i4 == 0.0:
        return 0.0, 0.0
    if i3 == 0.0 or i2 == 0.0 or np.sign(i4) != np.sign(i3):
        return 0.0, np.inf  # not a steady decay: no estimate, and an error that refuses it
    r, r_before = i4 / i3, i3 / i2
    if not 0.0 < r < 1.0:
        return 0.0, np.inf
    value = i4 * r / (1.0 - r)
    before = i4 * r_before / (1.0 - r_before) if 0.0 < r_before < 1.0 else np.inf
    return value, abs(value - before) + 0.1 * abs(value)
