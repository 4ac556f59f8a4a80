r"""The law of a normalised random walk: a lattice law that converges to N(0, 1) in distribution.

:math:`S_n = X_1 + \dots + X_n` with independent fair steps :math:`X_i = \pm 1`; then
:math:`S_n = 2K - n` with :math:`K \sim \mathrm{Binomial}(n, 1/2)`, and :math:`S_n/\sqrt n` has
mean 0 and variance 1 for every n. By the central limit theorem it converges to N(0, 1) in
distribution, yet as a law on finitely many points it stays at total variation 1 from N(0, 1).
"""

import numpy as np
from scipy import stats

from .discrete import Discrete
from .validation import integer


def scaled_walk(n):
    r"""The law of :math:`S_n/\sqrt n` for a walk of ``n`` fair :math:`\pm 1` steps.

    Parameters
    ----------
    n : int
        Number of steps, ``n >= 1``.

    Returns
    -------
    toys.Discrete
        Atoms :math:`(2k - n)/\sqrt n` for :math:`k = 0, \dots, n`, with the masses
        :math:`\binom nk 2^{-n}` (some underflow to 0 when n is in the thousands; the law keeps
        those atoms with mass 0).

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1``.

    Notes
    -----
    .. math:: P\left(\frac{S_n}{\sqrt n} = \frac{2k - n}{\sqrt n}\right) = \binom nk 2^{-n},
              \qquad E\,\frac{S_n}{\sqrt n} = 0, \qquad \operatorname{Var}\frac{S_n}{\sqrt n} = 1.

    References
    ----------
    .. [1] W. Feller, *An Introduction to Probability Theory and Its Applications*, Vol. 1, 3rd ed.,
       Wiley 1968, Ch. III (the simple random walk).

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from toys import scaled_walk
    >>> w = scaled_walk(4)
    >>> (w.atoms * 2).tolist(), np.round(w.probs * 16, 12).tolist()
    ([-4.0, -2.0, 0.0, 2.0, 4.0], [1.0, 4.0, 6.0, 4.0, 1.0])
    >>> math.isclose(scaled_walk(101).var, 1.0) and math.isclose(scaled_walk(101).mean, 0.0, abs_tol=1e-15)
    True
    """
    n = integer("n", n, minimum=1)
    k = np.arange(n + 1)
    return Discrete(support=(2 * k - n) / np.sqrt(n), probs=stats.binom.pmf(k, n, 0.5))
