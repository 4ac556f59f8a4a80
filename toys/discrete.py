"""Laws on finitely many points of the real line: Discrete and Bernoulli."""

import numpy as np

from .base import DiscreteDistribution
from .validation import check_locations, probability_vector, real_array, real_scalar


class Discrete(DiscreteDistribution):
    """A probability mass function on finitely many points of the real line.

    Parameters
    ----------
    support : array_like, shape (K,)
        Distinct finite points (any order; stored sorted).
    probs : array_like, shape (K,)
        Their probabilities: non-negative, summing to 1 within 1e-9.

    Examples
    --------
    >>> from toys import Discrete
    >>> d = Discrete(support=[0, 1, 3], probs=[0.25, 0.5, 0.25])
    >>> float(d.pmf(1)), float(d.cdf(2.0)), d.mean
    (0.5, 0.75, 1.25)
    """

    def __init__(self, support, probs):
        x = check_locations("support", real_array("support", support, ndim=1))
        p = probability_vector("probs", probs)
        if x.size != p.size:
            raise ValueError(f"support and probs must have the same length, got {x.size} and {p.size}")
        order = np.argsort(x, kind="stable")
        x, p = x[order], p[order]
        if np.any(np.diff(x) == 0):
            raise ValueError(f"support must hold distinct points, got {np.asarray(support).tolist()}")
        self.atoms = x
        self.probs = p

    def parameters(self):
        return {"support": self.atoms, "probs": self.probs}


class Bernoulli(Discrete):
    """The law of a coin: 1 with probability ``p``, 0 otherwise.

    Parameters
    ----------
    p : float
        Probability of 1, in [0, 1].

    Examples
    --------
    >>> from toys import Bernoulli
    >>> b = Bernoulli(0.3)
    >>> float(b.pmf(1)), b.mean
    (0.3, 0.3)
    """

    def __init__(self, p):
        p = real_scalar("p", p)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must be in [0, 1], got {p!r}")
        self.p = p
        self.atoms = np.array([0.0, 1.0])
        self.probs = np.array([1.0 - p, p])

    def parameters(self):
        return {"p": self.p}
