r"""The losses between two Bernoulli laws, W1, Cramér and energy, as functions of their parameters.

Between :math:`B(x)` and :math:`B(\theta)` the CDFs differ by :math:`\theta - x` on [0, 1) and
agree elsewhere, so :math:`W_1 = \int|F_P - F_Q| = |x - \theta|`, the Cramér distance
:math:`\ell_2^2 = \int (F_P - F_Q)^2 = (x - \theta)^2` [1]_, and the energy distance, twice the
Cramér distance in 1-D [2]_, is :math:`2(x - \theta)^2`. :func:`true_loss` and
:func:`true_gradient` give them and their derivatives in :math:`\theta`; the minibatch
expectations of the same functions are in :mod:`~divergences.transport.sample_gradients`.

References
----------
.. [1] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
   R. Munos, "The Cramér Distance as a Solution to Biased Wasserstein Gradients",
   arXiv:1705.10743 (2017) (the Cramér distance).
.. [2] G. J. Székely, M. L. Rizzo, "Energy statistics: A class of statistics based on
   distances", J. Statist. Plann. Inference 143 (2013), Section 2.
"""

import numpy as np

from toys.validation import real_array, real_scalar

__all__ = ["DISTANCES", "true_gradient", "true_loss"]

#: d(B(x), B(theta)) as a function of the two parameters, and its derivative in theta. Between
#: Bernoulli laws F_P - F_Q = theta - x on [0, 1) and 0 elsewhere, so W1 = |x - theta| and the
#: Cramér distance (squared l2) is (x - theta)^2; the energy distance is twice that in 1-D [2].
#: At theta = x the derivative of |x - theta| is taken as 0, the mean of the one-sided ones.
LOSSES = {
    "w1": (lambda x, t: np.abs(x - t), lambda x, t: np.sign(t - x)),
    "cramer": (lambda x, t: (x - t) ** 2, lambda x, t: 2.0 * (t - x)),
    "energy": (lambda x, t: 2.0 * (x - t) ** 2, lambda x, t: 4.0 * (t - x)),
}
#: The distances the functions take: W1, Cramér (l2 squared), energy (twice Cramér in 1-D).
DISTANCES = tuple(LOSSES)


def probability(name, value):
    """A probability: a float in [0, 1], or raise naming ``name``."""
    x = real_scalar(name, value)
    if not 0.0 <= x <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {x!r}")
    return x


def check_distance(distance):
    """``distance`` if it is one of DISTANCES, or raise."""
    if not isinstance(distance, str):
        raise TypeError(f"distance must be one of {DISTANCES}, got {distance!r} of type {type(distance).__name__}")
    if distance not in LOSSES:
        raise ValueError(f"distance must be one of {DISTANCES}, got {distance!r}")
    return distance


def check_thetas(theta):
    """``theta`` as a float array of probabilities, or raise naming ``theta``."""
    t = real_array("theta", theta)
    if np.any((t < 0) | (t > 1)):
        bad = t[(t < 0) | (t > 1)].ravel()[0]
        raise ValueError(f"theta must hold probabilities in [0, 1], got {float(bad)!r}")
    return t


def scalar_or_array(values):
    """A float for a scalar theta, else the array."""
    return float(values) if values.ndim == 0 else values


def true_loss(theta, theta_star, distance="w1"):
    r"""The loss :math:`d(B(\theta^*), B(\theta))` itself, not from a sample: W1, Cramér or energy.

    Parameters
    ----------
    theta : float or array_like
        Model parameters, each in [0, 1].
    theta_star : float
        The target's parameter, in [0, 1].
    distance : {"w1", "cramer", "energy"}
        As for :func:`expected_sample_loss`.

    Returns
    -------
    float or numpy.ndarray
        Of the shape of ``theta``: :math:`|\theta - \theta^*|` (W1, in the units of the samples),
        :math:`(\theta - \theta^*)^2` (Cramér) or :math:`2(\theta - \theta^*)^2` (energy), in
        squared units.

    Raises
    ------
    TypeError, ValueError
        If a parameter is not a probability or ``distance`` is unknown.

    Examples
    --------
    >>> from toys import Bernoulli
    >>> from divergences import w1
    >>> from divergences.transport import true_loss
    >>> true_loss(0.25, 0.75) == w1(Bernoulli(0.75), Bernoulli(0.25)) == 0.5
    True
    """
    theta_star, distance = probability("theta_star", theta_star), check_distance(distance)
    t = check_thetas(theta)
    return scalar_or_array(LOSSES[distance][0](theta_star, t))


def true_gradient(theta, theta_star, distance="w1"):
    r"""The derivative in :math:`\theta` of :func:`true_loss`, the gradient a model would follow without sampling.

    Parameters
    ----------
    theta, theta_star, distance
        As for :func:`true_loss`.

    Returns
    -------
    float or numpy.ndarray
        Of the shape of ``theta``: :math:`\operatorname{sign}(\theta - \theta^*)` (W1; 0 at
        :math:`\theta^*`, the mean of the one-sided derivatives), :math:`2(\theta - \theta^*)` or
        :math:`4(\theta - \theta^*)`.

    Raises
    ------
    TypeError, ValueError
        As :func:`true_loss`.

    Examples
    --------
    >>> from divergences.transport import true_gradient
    >>> true_gradient([0.2, 0.6, 0.9], 0.6).tolist()
    [-1.0, 0.0, 1.0]
    """
    theta_star, distance = probability("theta_star", theta_star), check_distance(distance)
    t = check_thetas(theta)
    return scalar_or_array(LOSSES[distance][1](theta_star, t))
