r"""The sample Wasserstein loss and its biased gradients, against the Cramér distance: Bernoulli laws, exactly.

A generative model is trained on minibatches: the loss it sees is :math:`d(\hat P_m, Q_\theta)`,
the distance from the empirical law :math:`\hat P_m` of m data points to the model
:math:`Q_\theta`, and SGD follows its gradient in :math:`\theta`. Bellemare et al. [1]_ ask
whether that gradient is right on average, :math:`E\,\nabla_\theta d(\hat P_m, Q_\theta) =
\nabla_\theta d(P, Q_\theta)` ("unbiased sample gradients"), and show that for the Wasserstein
metric it is not, already for a Bernoulli target :math:`P = B(\theta^*)` and model
:math:`Q_\theta = B(\theta)`, while for the Cramér distance :math:`\ell_2^2(P, Q) = \int (F_P -
F_Q)^2` it is. A minibatch of m draws of :math:`B(\theta^*)` with k ones has
:math:`\hat P_m = B(k/m)`, and k is binomial, so every expectation over minibatches is a finite
sum: this module enumerates it, without sampling.

* :func:`minibatch_law` -- the law of k/m, the parameter of :math:`\hat P_m`.
* :func:`expected_sample_loss` and :func:`expected_sample_gradient` -- :math:`E\,d(\hat P_m,
  Q_\theta)` and its derivative in :math:`\theta`, vectorised over :math:`\theta`, for
  :math:`d` = W1, Cramér (:math:`\ell_2^2`) or the energy distance (:math:`2\ell_2^2` in 1-D [2]_).
* :func:`~divergences.transport.true_loss` and :func:`~divergences.transport.true_gradient`
  (in :mod:`~divergences.transport.bernoulli_losses`) -- :math:`d(P, Q_\theta)` and its derivative.
* :func:`expected_sample_argmin` -- where the expected sample loss is least: a median of k/m for
  W1 (not :math:`\theta^*` unless :math:`m\theta^*` is an integer), :math:`\theta^*` for the others.
* :func:`sample_sgd` -- SGD on the minibatch loss, to see where it goes.

Why in :mod:`divergences.transport` and not a subpackage of its own: the lesson is about the
Wasserstein loss judged from a sample, the topic of :mod:`~divergences.transport.sampling` next
door (the W1 of a sample to its own law, which is the expected sample W1 loss at
:math:`\theta = \theta^*`). The Cramér and energy distances enter only as the repair the paper
proposes, the :math:`\ell_2` sibling of :math:`W_1 = \int|F_P - F_Q|`, and only between Bernoulli
laws: they are not new divergences of the toolkit, which would have a registry
(:mod:`divergences.registry`), closed forms for every pair and a numeric path.

References
----------
.. [1] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
   R. Munos, "The Cramér Distance as a Solution to Biased Wasserstein Gradients",
   arXiv:1705.10743 (2017): the property of unbiased sample gradients, which the Wasserstein
   metric lacks and the Cramér distance has.
.. [2] G. J. Székely, M. L. Rizzo, "Energy statistics: A class of statistics based on
   distances", J. Statist. Plann. Inference 143 (2013), Section 2.
.. [3] R. Kaas, J. M. Buhrman, "Mean, median and mode in binomial distributions", Statistica
   Neerlandica 34 (1980).
"""

import numpy as np
from scipy import stats

from toys import Discrete
from toys.validation import as_generator, positive_int, positive_scalar

from .bernoulli_losses import LOSSES, check_distance, check_thetas, probability, scalar_or_array

__all__ = [
    "MAX_BATCH",
    "expected_sample_argmin",
    "expected_sample_gradient",
    "expected_sample_loss",
    "minibatch_law",
    "sample_sgd",
]

#: Largest minibatch size m: the enumeration holds the m + 1 binomial probabilities.
MAX_BATCH = 10**6
#: Entries of one block of the (theta, k/m) table, so that long theta grids stay in bounded memory.
_BLOCK = 2**20
#: Smallest theta* given to scipy's binom.pmf (accurate to 1e-14 relative, where exp(logpmf) is off by
#: up to 1e-9 for m = 1e5); below it the probabilities are exp(binom.logpmf): 1 - m theta* for k = 0,
#: and below 1e-290 for the others.
_TINY = 1e-300
#: |F(median) - 1/2| below which the minimisers of the expected sample W1 loss form an interval.
_TIE = 1e-12


def _batch(m):
    m = positive_int("m", m)
    if m > MAX_BATCH:
        raise ValueError(f"m must be at most MAX_BATCH = {MAX_BATCH:,} (the enumeration holds m + 1 terms), got {m:,}")
    return m


def minibatch_law(theta_star, m):
    r"""The law of the fraction k/m of ones in a minibatch of m draws of :math:`B(\theta^*)`.

    Parameters
    ----------
    theta_star : float
        The target's probability of a 1, in [0, 1].
    m : int
        Minibatch size, ``1 <= m <= MAX_BATCH``.

    Returns
    -------
    toys.Discrete
        Atoms k/m, probabilities :math:`\binom mk \theta^{*k} (1 - \theta^*)^{m-k}`; the atoms
        whose probability underflows to 0 are left out. The minibatch's empirical law is
        :math:`\hat P_m = B(k/m)`.

    Raises
    ------
    TypeError, ValueError
        If ``theta_star`` is not in [0, 1] or ``m`` is not an integer in [1, MAX_BATCH].

    Examples
    --------
    >>> from divergences.transport import minibatch_law
    >>> law = minibatch_law(0.6, 5)
    >>> law.atoms.tolist()
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> round(law.mean, 10), round(law.var, 10)   # theta*, and theta* (1 - theta*) / m = 0.24 / 5
    (0.6, 0.048)
    """
    theta_star, m = probability("theta_star", theta_star), _batch(m)
    k = np.arange(m + 1)
    if theta_star >= _TINY:
        probs = stats.binom.pmf(k, m, theta_star)
    else:  # binom.pmf overflows inside Boost for p below about 1e-305
        probs = np.exp(stats.binom.logpmf(k, m, theta_star))
    keep = probs > 0
    return Discrete(support=k[keep] / m, probs=probs[keep])


def _expectation(which, theta, theta_star, m, distance):
    """sum_k P(k) f(k/m, theta), f the loss (which=0) or its derivative (which=1), in blocks of theta."""
    theta_star, m, distance = probability("theta_star", theta_star), _batch(m), check_distance(distance)
    t = check_thetas(theta)
    law = minibatch_law(theta_star, m)
    f = LOSSES[distance][which]
    flat = t.ravel()
    out = np.empty_like(flat)
    rows = max(1, _BLOCK // law.atoms.size)
    for start in range(0, flat.size, rows):
        block = flat[start : start + rows, None]  # (rows, 1)
        out[start : start + rows] = f(law.atoms, block) @ law.probs  # (rows, atoms) @ (atoms,)
    return scalar_or_array(out.reshape(t.shape))


def expected_sample_loss(theta, theta_star, m, distance="w1"):
    r"""The expected minibatch loss :math:`E\,d(\hat P_m, Q_\theta)`, data :math:`B(\theta^*)`, model :math:`B(\theta)`.

    Parameters
    ----------
    theta : float or array_like
        Model parameters, each in [0, 1].
    theta_star : float
        The target's parameter, in [0, 1].
    m : int
        Minibatch size: :math:`\hat P_m` is the empirical law of m draws of :math:`B(\theta^*)`,
        ``1 <= m <= MAX_BATCH``.
    distance : {"w1", "cramer", "energy"}
        :math:`W_1`; the Cramér distance :math:`\ell_2^2 = \int (F_P - F_Q)^2` (the square of
        the :math:`\ell_2` metric, not the metric itself); the energy distance
        :math:`2E|X - Y| - E|X - X'| - E|Y - Y'| = 2\ell_2^2` (not its square root, which is
        what ``scipy.stats.energy_distance`` returns).

    Returns
    -------
    float or numpy.ndarray
        The expectation over minibatches, of the shape of ``theta`` (a float for a scalar), in the
        units of the samples for W1 and in squared units for the other two.

    Raises
    ------
    TypeError, ValueError
        If a parameter is not a probability, ``m`` not an integer in [1, MAX_BATCH], or
        ``distance`` unknown.

    Notes
    -----
    With k ones in the minibatch, :math:`\hat P_m = B(k/m)`, and :math:`F_{\hat P_m} - F_{Q_\theta}
    = \theta - k/m` on [0, 1), so :math:`W_1 = |k/m - \theta|` and :math:`\ell_2^2 = (k/m -
    \theta)^2`. The expectation is the sum over :math:`k \sim \mathrm{Binomial}(m, \theta^*)`
    (:func:`minibatch_law`), accurate to rounding (relative error about 1e-15):

    .. math:: E\,d(\hat P_m, Q_\theta) = \sum_{k=0}^m \binom mk \theta^{*k}(1 - \theta^*)^{m-k}\,
              d\big(B(k/m), B(\theta)\big).

    For the Cramér distance this is :math:`(\theta - \theta^*)^2 + \theta^*(1 - \theta^*)/m`: the
    true loss plus a variance that does not depend on :math:`\theta`. For W1 it is
    :math:`E|k/m - \theta| \ge |\theta^* - \theta|`, piecewise linear with kinks at the k/m,
    minimised at a median of k/m (:func:`expected_sample_argmin`) [1]_.

    References
    ----------
    .. [1] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
       R. Munos, "The Cramér Distance as a Solution to Biased Wasserstein Gradients",
       arXiv:1705.10743 (2017).

    Examples
    --------
    One draw (m = 1) of :math:`B(0.6)`: the minibatch is B(0) or B(1), so the expected W1 loss is
    :math:`0.4\,\theta + 0.6\,(1 - \theta)`, least at :math:`\theta = 1`, while for Cramér the
    variance 0.24 is added to :math:`(\theta - 0.6)^2`:

    >>> from divergences.transport import expected_sample_loss
    >>> [round(expected_sample_loss(t, 0.6, 1), 10) for t in (0.0, 0.6, 1.0)]
    [0.6, 0.48, 0.4]
    >>> [round(expected_sample_loss(t, 0.6, 1, "cramer"), 10) for t in (0.0, 0.6, 1.0)]
    [0.6, 0.24, 0.4]
    """
    return _expectation(0, theta, theta_star, m, distance)


def expected_sample_gradient(theta, theta_star, m, distance="w1"):
    r"""The expected minibatch gradient :math:`E\,\partial_\theta d(\hat P_m, Q_\theta)`, the expected loss's slope.

    Parameters
    ----------
    theta, theta_star, m, distance
        As for :func:`expected_sample_loss`.

    Returns
    -------
    float or numpy.ndarray
        The mean of the minibatch gradients, of the shape of ``theta``, per unit of
        :math:`\theta`. Where a minibatch's W1 loss has its kink (:math:`\theta = k/m` in floating point), its
        gradient is taken as 0, the mean of its one-sided derivatives; the result is then the
        mean of the one-sided derivatives of the expected loss.

    Raises
    ------
    TypeError, ValueError
        As :func:`expected_sample_loss`.

    Notes
    -----
    Per minibatch the gradient is :math:`\operatorname{sign}(\theta - k/m)` for W1,
    :math:`2(\theta - k/m)` for Cramér and :math:`4(\theta - k/m)` for energy. In expectation, at
    a :math:`\theta` that is no k/m,

    .. math:: E\,\partial_\theta W_1(\hat P_m, Q_\theta) = P(k/m < \theta) - P(k/m > \theta),
              \qquad E\,\partial_\theta \ell_2^2(\hat P_m, Q_\theta) = 2(\theta - \theta^*),

    the second equal to the true gradient :func:`true_gradient` (unbiased), the first not:
    the true one is :math:`\operatorname{sign}(\theta - \theta^*)`, of size 1 [1]_.

    References
    ----------
    .. [1] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
       R. Munos, "The Cramér Distance as a Solution to Biased Wasserstein Gradients",
       arXiv:1705.10743 (2017).

    Examples
    --------
    >>> from divergences.transport import expected_sample_gradient, true_gradient
    >>> round(expected_sample_gradient(0.5, 0.6, 1), 10), true_gradient(0.5, 0.6)   # m = 1: 0.4 - 0.6
    (-0.2, -1.0)
    >>> round(expected_sample_gradient(0.5, 0.6, 1, "cramer"), 10), round(true_gradient(0.5, 0.6, "cramer"), 10)
    (-0.2, -0.2)
    """
    return _expectation(1, theta, theta_star, m, distance)


def expected_sample_argmin(theta_star, m, distance="w1"):
    r"""Where :func:`expected_sample_loss` is least, as an interval ``(low, high)`` (a point when ``low == high``).

    Parameters
    ----------
    theta_star : float
        The target's parameter, in [0, 1].
    m : int
        Minibatch size, ``1 <= m <= MAX_BATCH``.
    distance : {"w1", "cramer", "energy"}
        As for :func:`expected_sample_loss`.

    Returns
    -------
    tuple of float
        ``(low, high)``: the expected sample loss is least exactly on :math:`[low, high]`.

    Raises
    ------
    TypeError, ValueError
        As :func:`expected_sample_loss`.

    Notes
    -----
    For Cramér and energy the expected loss is :math:`c\,E(k/m - \theta)^2`, least at the mean of
    k/m, :math:`\theta^*` (computed here as the sum :math:`\sum_k P(k)\,k/m`, so equal to
    :math:`\theta^*` to rounding). For W1 it is :math:`E|k/m - \theta|`, least at the medians of
    k/m: from the smallest atom :math:`x_j` with :math:`F(x_j) \ge 1/2` (``scipy.stats.binom.cdf``)
    to the next atom if :math:`F(x_j) = 1/2` (within 1e-12: the loss is then flat on the interval
    to that accuracy), as for :math:`\theta^* = 1/2` and odd m, or :math:`(1 - \theta^*)^m = 1/2`. The median of a
    binomial is :math:`\lfloor m\theta^* \rfloor` or :math:`\lceil m\theta^* \rceil` [2]_, so the
    minimiser is :math:`\theta^*` when :math:`m\theta^*` is an integer and otherwise a multiple of
    1/m at most 1/m away: the sample W1 loss leads SGD to the wrong model [1]_.

    References
    ----------
    .. [1] M. G. Bellemare, I. Danihelka, W. Dabney, S. Mohamed, B. Lakshminarayanan, S. Hoyer,
       R. Munos, "The Cramér Distance as a Solution to Biased Wasserstein Gradients",
       arXiv:1705.10743 (2017).
    .. [2] R. Kaas, J. M. Buhrman, "Mean, median and mode in binomial distributions", Statistica
       Neerlandica 34 (1980).

    Examples
    --------
    >>> from divergences.transport import expected_sample_argmin
    >>> [expected_sample_argmin(0.6, m) for m in (1, 2, 5)]   # m * 0.6 = 3 is an integer for m = 5
    [(1.0, 1.0), (0.5, 0.5), (0.6, 0.6)]
    >>> [round(x, 10) for x in expected_sample_argmin(0.5, 3)]   # Binomial(3, 1/2): F(1) = 1/2
    [0.3333333333, 0.6666666667]
    """
    distance = check_distance(distance)
    law = minibatch_law(theta_star, m)  # validates theta_star and m
    if distance != "w1":
        mean = float(law.atoms @ law.probs)
        return (mean, mean)
    m = int(m)
    cdf = stats.binom.cdf(np.rint(law.atoms * m), m, float(theta_star))
    j = int(np.searchsorted(cdf, 0.5 - _TIE))
    low = float(law.atoms[j])
    high = float(law.atoms[j + 1]) if abs(cdf[j] - 0.5) <= _TIE and j + 1 < law.atoms.size else low
    return (low, high)


def sample_sgd(theta_star, m, distance="w1", steps=1000, lr=0.01, theta0=0.5, rng=None):
    r"""SGD on the minibatch loss :math:`d(\hat P_m, Q_\theta)`, a fresh minibatch each step: the path of theta.

    Parameters
    ----------
    theta_star : float
        The target's parameter, in [0, 1].
    m : int
        Minibatch size, ``1 <= m <= MAX_BATCH``.
    distance : {"w1", "cramer", "energy"}
        As for :func:`expected_sample_loss`.
    steps : int
        Number of SGD steps, >= 1.
    lr : float
        Step size, > 0.
    theta0 : float
        Starting parameter, in [0, 1].
    rng : None, int or numpy.random.Generator
        Source of the minibatches.

    Returns
    -------
    numpy.ndarray, shape (steps + 1,)
        :math:`\theta_0, \theta_1, \dots`, each in [0, 1].

    Raises
    ------
    TypeError, ValueError
        If a parameter is not a probability, ``m`` or ``steps`` not a positive integer (``m`` at
        most MAX_BATCH), ``lr`` not positive, ``distance`` unknown or ``rng`` not a seed or
        Generator.

    Notes
    -----
    Step t draws :math:`k_t \sim \mathrm{Binomial}(m, \theta^*)` (the ones among m draws of
    :math:`B(\theta^*)`) and moves :math:`\theta_{t+1} = \min(1, \max(0, \theta_t - \eta\,
    \partial_\theta d(B(k_t/m), B(\theta_t))))`, the gradients of
    :func:`expected_sample_gradient`. On average a step follows the expected sample gradient, so
    :math:`\theta` settles, within a band of noise, where the expected sample loss is least
    (:func:`expected_sample_argmin`): for W1 with m = 1 and :math:`\theta^* > 1/2` the mean step
    is :math:`\eta(2\theta^* - 1)` upwards everywhere in (0, 1), and :math:`\theta` goes to 1.
    For Cramér, :math:`\theta_t - \theta^*` is an autoregression whose stationary variance is
    :math:`\eta\,\theta^*(1 - \theta^*) / (m(1 - \eta))` for :math:`\eta < 1` (while
    :math:`\theta` stays inside [0, 1]).

    Examples
    --------
    >>> from divergences.transport import sample_sgd
    >>> path = sample_sgd(0.6, 1, steps=5000, lr=0.01, rng=0)
    >>> bool(path[-1] > 0.95)                        # W1, m = 1: the wrong model, B(1)
    True
    >>> path = sample_sgd(0.6, 1, "cramer", steps=5000, lr=0.01, rng=0)
    >>> bool(abs(path[2500:].mean() - 0.6) < 0.02)   # Cramér: around the target
    True
    """
    theta_star, m, distance = probability("theta_star", theta_star), _batch(m), check_distance(distance)
    steps, lr = positive_int("steps", steps), positive_scalar("lr", lr)
    theta = probability("theta0", theta0)
    x = as_generator(rng).binomial(m, theta_star, size=steps) / m  # (steps,) the minibatches' k/m
    gradient = LOSSES[distance][1]
    path = np.empty(steps + 1)
    path[0] = theta
    for t in range(steps):
        theta = min(1.0, max(0.0, theta - lr * float(gradient(x[t], theta))))
        path[t + 1] = theta
    return path
