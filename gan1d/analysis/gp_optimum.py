r"""Where a WGAN-GP critic converges on the parallel lines: the optimum of its penalised objective.

The WGAN-GP critic [2]_ maximises :math:`E_P f - E_Q f - \lambda E(\|\nabla f(\hat x)\| - 1)^2`,
not :math:`E_P f - E_Q f` under a hard Lipschitz constraint. The penalty is soft, so the best
critic is steeper than 1 and its estimate :math:`E_P f - E_Q f` overshoots W1. On the parallel
lines of the WGAN paper [1]_, :math:`P_0` uniform on :math:`\{0\} \times [0, 1]` against
:math:`P_\theta` on :math:`\{\theta\} \times [0, 1]`, the optimum is in closed form
(:func:`gp_optimum_lines`): the estimate is :math:`|\theta| + \theta^2 / (2\lambda)`, 5% above
:math:`W_1 = |\theta|` at :math:`|\theta| = 1` with the paper's :math:`\lambda = 10`.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
.. [2] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Eq. (3).
"""

import numbers

import numpy as np

from toys import validation

__all__ = ["gp_optimum_lines"]


def gp_optimum_lines(theta, gp_weight=10.0):
    r"""The WGAN-GP critic's penalised optimum between the parallel lines :math:`P_0` and :math:`P_\theta` [1]_.

    Parameters
    ----------
    theta : float or array_like, shape (T,)
        Horizontal offsets of the fake line (finite).
    gp_weight : float
        The penalty weight :math:`\lambda > 0` (default 10, as in [2]_ and in :mod:`gan1d.training.losses`).

    Returns
    -------
    estimate : float or ndarray, shape (T,)
        :math:`E_{P_0} f^* - E_{P_\theta} f^* = |\theta| + \theta^2 / (2\lambda)`, the optimal
        critic's divergence estimate (units of x; W1 is :math:`|\theta|`).
    slope : float or ndarray, shape (T,)
        :math:`\operatorname{sign}(\theta)\,(1 + |\theta| / (2\lambda))`: the gradient the
        generator receives, i.e. the derivative in :math:`\theta` of the WGAN generator loss
        :math:`-E f^*(\theta, z)` with the critic held fixed (0 at :math:`\theta = 0`, where there
        is nothing to learn). By the envelope theorem it is also the derivative of the optimal
        penalised objective :math:`|\theta| + \theta^2 / (4\lambda)`, but not of the estimate,
        whose derivative is :math:`\operatorname{sign}(\theta)\,(1 + |\theta| / \lambda)`.

    Raises
    ------
    TypeError
        If ``theta`` or ``gp_weight`` is not numeric.
    ValueError
        If ``theta`` is not finite or ``gp_weight`` is not a finite number > 0.

    Notes
    -----
    Only the first coordinate u matters (the two laws share the second), so take :math:`f(u)`
    and write :math:`g = -\operatorname{sign}(\theta) f'`. The real samples sit at :math:`u = 0`
    and the fakes at :math:`u = \theta`; the penalty's interpolates
    :math:`\hat x = \epsilon x + (1 - \epsilon) G(z)`, :math:`\epsilon \sim U[0, 1]`, have
    :math:`u = (1 - \epsilon)\theta`, uniform between 0 and :math:`\theta` (density
    :math:`1/|\theta|`). The objective is then

    .. math::

       \int_0^{|\theta|} g(u)\,du - \frac{\lambda}{|\theta|}\int_0^{|\theta|} (|g(u)| - 1)^2\,du,

    maximised pointwise by the constant :math:`g = 1 + |\theta| / (2\lambda)`: a linear critic.
    Its estimate is :math:`|\theta| g`, its penalised objective
    :math:`|\theta| + \theta^2 / (4\lambda)`. The generator's gradient is the slope at the fakes,
    :math:`\operatorname{sign}(\theta)\, g`, which is the derivative of that penalised objective
    (envelope theorem: the critic's own change does not count at its optimum), not of the
    estimate :math:`|\theta| + \theta^2 / (2\lambda)`. A second coordinate in f, or a one-sided penalty
    [3]_ (which agrees with the two-sided one where :math:`|g| > 1`), changes nothing.

    References
    ----------
    .. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
    .. [2] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017, Eq. (3).
    .. [3] H. Petzka, A. Fischer, D. Lukovnikov, "On the regularization of Wasserstein GANs",
       ICLR 2018.

    Examples
    --------
    The overshoot vanishes as the penalty hardens, leaving :math:`W_1 = |\theta|` and its
    derivative :math:`\operatorname{sign}\theta`:

    >>> import numpy as np
    >>> from gan1d.analysis.gp_optimum import gp_optimum_lines
    >>> estimate, slope = gp_optimum_lines([-1.0, 0.5], gp_weight=10.0)
    >>> bool(np.allclose(estimate, [1.05, 0.5125])), bool(np.allclose(slope, [-1.05, 1.025]))
    (True, True)
    >>> estimate, slope = gp_optimum_lines([-1.0, 0.5], gp_weight=1e12)
    >>> bool(np.allclose(estimate, [1.0, 0.5])), bool(np.allclose(slope, [-1.0, 1.0]))
    (True, True)
    """
    lam = validation.positive_scalar("gp_weight", gp_weight)
    t = np.asarray(theta) if not isinstance(theta, str) else None
    if t is None or t.dtype.kind not in "iuf":
        raise TypeError(f"theta must be a real number or an array of them, got {theta!r}")
    t = t.astype(float)
    if not np.all(np.isfinite(t)):
        raise ValueError(f"theta must be finite, got {theta!r}")
    a = np.abs(t)
    estimate, slope = a + t**2 / (2 * lam), np.sign(t) * (1 + a / (2 * lam))
    return (float(estimate), float(slope)) if isinstance(theta, numbers.Real) else (estimate, slope)
