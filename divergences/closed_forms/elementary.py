"""Elementary functions that the closed forms share, written to keep their digits.

:func:`t_minus_log1p` is :math:`t - \\ln(1 + t)`, the spread term of KL between two exponentials
(:math:`t = \\lambda_q/\\lambda_p - 1`) and between two Gaussians (:math:`t = \\sigma_p^2/\\sigma_q^2 -
1`, halved). Written as it reads it cancels near :math:`t = 0`, where it is about :math:`t^2/2`;
near 0 it is summed as its series instead, and far from 0 it is taken from :math:`\\ln` of the
ratio, which a caller gives when :math:`1 + t` itself has lost digits.
"""

import math

import numpy as np

__all__ = ["log1p_ratio", "t_minus_log1p"]


def log1p_ratio(x):
    """ln(1 + x) / x, 1 at x = 0 (elementwise): the Rényi divergences as alpha -> 1."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-8
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(small, 1.0 - 0.5 * x, np.log1p(x) / np.where(small, 1.0, x))


#: Below this |t| the series is summed (its first omitted term is below 1e-16 relative); above
#: it, t - log1p(t) loses at most a factor 2/|t| < 200 to cancellation.
_SERIES = 1e-2


def t_minus_log1p(t, log_ratio=None):
    """:math:`t - \\ln(1 + t)` for :math:`t > -1`, with full relative precision.

    Parameters
    ----------
    t : float
        The argument, ``t > -1``.
    log_ratio : float, optional
        :math:`\\ln(1 + t)` computed by the caller without forming :math:`1 + t` (e.g. a
        difference of logs), used when :math:`|t| \\ge 1/2`.

    Examples
    --------
    >>> import math
    >>> math.isclose(t_minus_log1p(1e-8), 5e-17 - 1e-24 / 3, rel_tol=1e-15)     # t^2/2 - t^3/3 + ...
    True
    >>> math.isclose(t_minus_log1p(3.0), 3.0 - math.log(4.0))
    True
    """
    if abs(t) < _SERIES:
        # t^2/2 - t^3/3 + t^4/4 - ...: alternating, terms shrinking by |t| < 1e-2 each
        total, power = 0.0, t * t
        for k in range(2, 11):
            total += power / k if k % 2 == 0 else -power / k
            power *= t
        return total
    if abs(t) < 0.5 or log_ratio is None:
        return t - math.log1p(t)
    return t - log_ratio
