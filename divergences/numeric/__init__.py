"""The numeric path: what the divergences are when no closed form applies.

One-dimensional pairs are integrated by vectorised adaptive Gauss-Kronrod quadrature
(:mod:`~divergences.numeric.quadrature`, :mod:`~divergences.numeric.one_d`; absolute error
<= 1e-9), two-dimensional Gaussians and mixtures by iterated cubature (:mod:`~divergences.numeric.two_d`;
<= 1e-6) and W1 by exact transport between discretisations
(:mod:`~divergences.numeric.transport_2d`; <= 5e-2 max(1, sigma_max)).
:func:`compute` runs this path alone, skipping the closed forms, so that the two can be checked
against each other (it was the function ``divergences.numeric`` before the topic subpackages).
"""

import math

from . import one_d, quadrature, transport_2d, two_d

__all__ = ["compute", "one_d", "quadrature", "transport_2d", "two_d"]

#: The divergences :func:`compute` takes (each with its own limits: a pair may be refused).
NAMES = ("tv", "kl", "reverse_kl", "js", "w1", "hellinger", "chi2", "renyi", "w2", "energy", "mmd")


def compute(name, p, q, **params):
    """The numeric path alone (no closed form): 1-D quadrature, 2-D cubature or transport.

    Parameters
    ----------
    name : {"tv", "kl", "reverse_kl", "js", "w1", "hellinger", "chi2", "renyi", "w2", "energy", "mmd"}
    p, q : toys or frozen scipy.stats laws
        Two laws of the same dimension, 1 or 2.
    **params
        The parameters of the divergence: ``alpha`` for ``"renyi"``, ``bandwidth`` (and ``kernel``)
        for ``"mmd"``, as the function of that name takes them.

    Returns
    -------
    float
        As the function of the same name (:func:`divergences.kl` etc.); ``inf`` where that
        function returns ``inf`` (the support rules: a quadrature of densities cannot see that
        P charges a set Q does not).

    Raises
    ------
    ValueError
        If ``name`` is unknown, or the laws' dimensions differ.
    NotImplementedError
        In 3 or more dimensions, or for 2-D laws the cubature does not cover.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import kl
    >>> from divergences.numeric import compute
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    >>> math.isclose(compute("kl", p, q), kl(p, q), abs_tol=1e-9)
    True
    """
    from ..evaluate import QUANTITIES, evaluate  # both need this package: import late
    from ..f_divergences import _order
    from ..kernel_discrepancy import check_kernel
    from ..laws import check_pair

    if name not in NAMES:
        raise ValueError(f"name must be one of {NAMES}, got {name!r}")
    p, q = check_pair(p, q)
    quantity = QUANTITIES[name]
    wanted = set(quantity.params) | ({"kernel"} if name == "mmd" else set())
    if set(params) - wanted or (set(quantity.params) - {"kernel"}) - set(params):
        raise TypeError(f"{name} takes the parameters {sorted(wanted)}, got {sorted(params)}")
    if name == "renyi":
        params = {"alpha": _order(params["alpha"])}
    if name == "mmd":
        params = dict(zip(("kernel", "bandwidth"), check_kernel(params.get("kernel", "gaussian"), params["bandwidth"])))
    # a quadrature integrates densities over the pair's window and cannot return inf: where the
    # support rules (or a closed form) say the value is infinite, say so instead of integrating
    a, b = (q, p) if quantity.swapped else (p, q)
    if quantity.registry.closed_form(a, b, **params) == math.inf:
        return math.inf
    return float(evaluate([name], [p], [q], closed_forms=False, **params)[name][0])
