r"""A learned 1-D map against the exact transport map: which one it follows, and what its law is.

A generator :math:`G` pushes the latent :math:`N(0, 1)` to a law on the line. In 1-D two maps
push :math:`N(0, 1)` to the target exactly: the increasing :math:`T = F^{-1} \circ \Phi` (the
optimal transport map) and its mirror :math:`z \mapsto T(-z)`. :func:`compare_with_map`
measures, on the latent's midpoint quantiles :math:`z_1 < \dots < z_n` (equal masses):

* the exact :math:`W_1` of the law of :math:`G` to the target (:func:`pushforward_w1`);
* the sup and RMS distance of :math:`G` to :math:`T` and to its mirror on the bulk of the latent;
* the same for the increasing rearrangement :math:`R_G` (the sorted values of :math:`G`), which
  has the law of :math:`G` and is the map :math:`G` "should" have learnt: :math:`R_G = T`
  exactly when the law of :math:`G` is the target;
* the largest secant slope of :math:`G` on the grid.

:func:`crossing_mass_bound` turns that slope into a lower bound on the mass that a continuous
generator must put near a level it crosses (between the modes of a mixture, say).
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

from toys.validation import positive_int

from .maps import TransportMap
from .pushforward import N_QUANTILES, increasing_mass, midpoint_quantiles, pushforward_w1

__all__ = ["MapComparison", "compare_with_map", "crossing_mass_bound"]


@dataclass(frozen=True)
class MapComparison:
    """How a 1-D map ``g`` compares with an exact transport map (see :func:`compare_with_map`).

    Attributes
    ----------
    z : ndarray, shape (n,)
        The latent's midpoint quantiles, increasing.
    values : ndarray, shape (n,)
        ``g(z)``.
    w1 : float
        Exact W1 of the law of ``g`` (quantized on ``z``) to the target, in the target's units.
    increasing_mass : float
        Latent mass on which ``g`` increases (:func:`divergences.transport.increasing_mass`).
    to_map, to_mirror, rearranged : tuple of float
        (sup, RMS) over the bulk of ``z`` of ``g - T``, of ``g(z) - T(-z)``, and of ``R_g - T``.
    slope : float
        Largest secant slope ``|g(z_{i+1}) - g(z_i)| / (z_{i+1} - z_i)`` on the grid.
    """

    z: np.ndarray
    values: np.ndarray
    w1: float
    increasing_mass: float
    to_map: tuple
    to_mirror: tuple
    rearranged: tuple
    slope: float

    @property
    def nearer(self):
        """``"T"`` or ``"T(-z)"``: the exact map ``g`` is nearer to on the bulk (by RMS)."""
        return "T" if self.to_map[1] < self.to_mirror[1] else "T(-z)"


def compare_with_map(g, exact, *, n=N_QUANTILES, bulk=0.9):
    r"""Compare the 1-D map ``g`` of a standard normal latent with the exact map ``exact``.

    Parameters
    ----------
    g : callable
        Vectorised map, ``g(z)`` of shape (n,) for ``z`` of shape (n,), e.g.
        ``functools.partial(gan1d.analysis.generator_map, run)``.
    exact : divergences.transport.TransportMap
        The increasing transport map from ``Gaussian(0, 1)`` to the target,
        ``transport_map(Gaussian(0, 1), target)``.
    n : int, optional
        Number of latent midpoint quantiles.
    bulk : float, optional
        Central latent mass, in (0, 1], on which the map distances are measured.

    Returns
    -------
    MapComparison

    Raises
    ------
    TypeError
        If ``exact`` is not an increasing :class:`divergences.transport.TransportMap` from a standard normal,
        or ``g`` is not callable.
    ValueError
        If ``n`` or ``bulk`` is out of range, or ``g`` returns the wrong shape.

    Notes
    -----
    On the symmetric grid :math:`z_{n+1-i} = -z_i`, so the mirror map's values are ``T(z)``
    reversed. The distances are over the points with :math:`|z_i| \le \Phi^{-1}((1 + b)/2)`,
    each point carrying mass :math:`1/n`.

    Examples
    --------
    >>> import toys
    >>> from divergences.transport import transport_map
    >>> T = transport_map(toys.Gaussian(0, 1), toys.Exponential(rate=1.0))
    >>> mirror = compare_with_map(lambda z: T(-z), T, n=4096)
    >>> mirror.nearer, mirror.to_mirror[0] == 0.0, mirror.rearranged[0] < 1e-12, mirror.w1 < 1e-12
    ('T(-z)', True, True, True)
    """
    if not callable(g):
        raise TypeError(f"g must be a callable map of the latent, got {g!r}")
    if not isinstance(exact, TransportMap) or not exact.increasing:
        raise TypeError(f"exact must be an increasing divergences.transport.TransportMap, got {exact!r}")
    source = exact.source
    if getattr(source, "dim", None) != 1 or not np.allclose([source.mean, source.var], [0.0, 1.0]):
        raise TypeError(f"exact must map the standard normal latent, got a map from {source!r}")
    n = positive_int("n", n)
    if isinstance(bulk, bool) or not (0.0 < float(bulk) <= 1.0):
        raise ValueError(f"bulk must be a mass in (0, 1], got {bulk!r}")

    z = midpoint_quantiles(source, n)  # (n,), increasing and symmetric
    values = np.asarray(g(z), dtype=float)
    if values.shape != z.shape:
        raise ValueError(f"g must return shape {z.shape} for latent values of shape {z.shape}, got {values.shape}")
    t = exact(z)
    inside = np.abs(z) <= special.ndtri((1.0 + float(bulk)) / 2.0)
    return MapComparison(
        z=z,
        values=values,
        w1=pushforward_w1(g, exact.target, n=n),
        increasing_mass=increasing_mass(g, n=n),
        to_map=_distances(values - t, inside),
        to_mirror=_distances(values - t[::-1], inside),
        rearranged=_distances(np.sort(values) - t, inside),
        slope=float(np.max(np.abs(np.diff(values) / np.diff(z)))),
    )


def crossing_mass_bound(comparison, level=0.0, half_width=1.0):
    r"""Lower bound on :math:`P(|G(Z) - c| < h)` for a map that crosses the level ``c``.

    If ``g`` crosses ``c`` at :math:`z_c` and its slope is at most :math:`L`, then
    :math:`|g(z) - c| < h` for :math:`|z - z_c| < h / L`, so

    .. math:: P(|G(Z) - c| < h) \ge \Phi(z_c + h/L) - \Phi(z_c - h/L).

    A continuous generator of a two-mode target cannot jump between the modes: it must put at least
    this mass between them, however it is trained. :math:`z_c` is the grid crossing nearest 0 and
    :math:`L` the largest secant slope on the grid (the bound assumes the slope between grid points
    is no larger).

    Parameters
    ----------
    comparison : MapComparison
        From :func:`compare_with_map`.
    level, half_width : float, optional
        The level :math:`c` and the half-width :math:`h > 0` of the band around it.

    Returns
    -------
    float
        The bound, a probability; ``nan`` if ``g`` does not cross ``level`` on the grid.

    Examples
    --------
    >>> import toys
    >>> from divergences.transport import transport_map
    >>> T = transport_map(toys.Gaussian(0, 1), toys.Gaussian(0, 1))   # the identity
    >>> round(crossing_mass_bound(compare_with_map(T, T, n=2048)), 6)    # P(|Z| < 1)
    0.682689
    """
    if not isinstance(comparison, MapComparison):
        raise TypeError(f"comparison must be a MapComparison from compare_with_map, got {comparison!r}")
    if not np.isfinite(level):
        raise ValueError(f"level must be finite, got {level!r}")
    if not (np.isfinite(half_width) and half_width > 0):
        raise ValueError(f"half_width must be positive and finite, got {half_width!r}")
    z, side = comparison.z, np.sign(comparison.values - level)
    crossings = z[np.nonzero(np.diff(side) != 0)[0]]
    if crossings.size == 0:
        return float("nan")
    z_c, reach = crossings[np.argmin(np.abs(crossings))], half_width / comparison.slope
    return float(special.ndtr(z_c + reach) - special.ndtr(z_c - reach))


def _distances(d, inside):
    d = d[inside]
    return float(np.abs(d).max()), float(np.sqrt(np.mean(d**2)))
