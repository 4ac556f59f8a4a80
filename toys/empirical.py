r"""The empirical law of a sample: mass 1/n at each of the n points.

The law that maximum likelihood fits a model to: the average log-likelihood of the sample under
a model is the expectation of the model's log density under the empirical law.
"""

import numpy as np

from .discrete import Discrete
from .validation import real_array


def empirical_law(samples):
    r"""The empirical law :math:`\hat P_n = \frac1n\sum_i \delta_{x_i}` of 1-D samples.

    Parameters
    ----------
    samples : array_like, shape (n,)
        ``n >= 1`` finite numbers. Repeated values become one atom carrying their total mass.

    Returns
    -------
    toys.Discrete
        Atoms the distinct values, masses the counts divided by ``n``.

    Raises
    ------
    TypeError
        If ``samples`` is not numeric.
    ValueError
        If ``samples`` is not a non-empty 1-D array of finite numbers.

    Notes
    -----
    .. math:: \hat P_n(A) = \frac{\#\{i : x_i \in A\}}{n}, \qquad
              E_{\hat P_n} f = \frac1n\sum_{i=1}^n f(x_i).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian, empirical_law
    >>> x = np.array([0.5, -1.0, 0.5, 2.0])
    >>> e = empirical_law(x)
    >>> e.atoms.tolist(), e.probs.tolist()
    ([-1.0, 0.5, 2.0], [0.25, 0.5, 0.25])
    >>> g = Gaussian(0.0, 1.0)
    >>> bool(np.isclose(np.dot(e.probs, g.logpdf(e.atoms)), g.logpdf(x).mean()))
    True
    """
    x = real_array("samples", samples)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"samples must be a non-empty 1-D array, got shape {x.shape}")
    atoms, counts = np.unique(x, return_counts=True)
    return Discrete(support=atoms, probs=counts / x.size)
