r"""What a generator is told at its samples by a GAN discriminator and by a WGAN critic (Figure 2 of [1]_).

A generator moves each sample :math:`x = G(z)` along minus the x-gradient of its loss at that
sample. For a discriminator with logit :math:`\ell` and :math:`D = \sigma(\ell)`:

.. math::

   \frac{d}{dx}\log\bigl(1 - D(x)\bigr) = -D(x)\,\ell'(x), \qquad
   \frac{d}{dx}\log D(x) = \bigl(1 - D(x)\bigr)\,\ell'(x), \qquad
   D'(x) = D(x)\bigl(1 - D(x)\bigr)\,\ell'(x).

Where a trained discriminator rejects the fakes with confidence, :math:`D \approx 0` there: the
minimax generator's gradient (first) and the slope of D (third) vanish however steep the logit
is, while the non-saturating generator's (second) keeps :math:`\approx \ell'` (Goodfellow et
al. [2]_, Sec. 3; Arjovsky and Bottou [3]_, Theorem 2.4). A WGAN generator minimises
:math:`-E f(G(z))`, with gradient :math:`-f'(x)`, about 1 in size everywhere between the two
laws for a near-optimal 1-Lipschitz critic.

:func:`input_gradients` evaluates them at given points for one discriminator and one critic
trained by :func:`gan1d.train_critic`, from the networks' raw scores and their x-gradients in
float64 (:func:`gan1d.analysis.critic_score`, :func:`gan1d.analysis.critic_gradient`).

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Figure 2.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
.. [3] M. Arjovsky, L. Bottou, "Towards Principled Methods for Training Generative Adversarial
   Networks", ICLR 2017.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from toys import validation

from .critics import TrainedCritic
from .optimality import critic_gradient, critic_score

__all__ = ["InputGradients", "input_gradients"]


#: Row labels of :meth:`InputGradients.medians` and :meth:`InputGradients.to_markdown`, by attribute.
_LABELS = {
    "d": "D(x), the discriminator's output",
    "d_slope": "abs(dD/dx), the slope of D",
    "minimax": "abs(d/dx log(1 - D(x))), the minimax generator's gradient",
    "non_saturating": "abs(d/dx log D(x)), the non-saturating generator's gradient",
    "critic_slope": "abs(df/dx), the slope of the WGAN critic (1 at the hard-constrained optimum)",
}


@dataclass
class InputGradients:
    """What :func:`input_gradients` measured at the points ``x``; every array has shape ``(n,)``.

    Attributes
    ----------
    x : ndarray
        The points (typically samples of the fake law).
    d : ndarray
        D(x), the discriminator's probability that x is real.
    d_slope : ndarray
        dD/dx.
    minimax : ndarray
        d/dx log(1 - D(x)): the minimax generator's loss gradient at x.
    non_saturating : ndarray
        -d/dx log D(x): the non-saturating generator's loss gradient at x.
    f : ndarray
        The WGAN critic's value f(x).
    critic_slope : ndarray
        df/dx; the WGAN generator's loss gradient at x is its negative.
    """

    x: np.ndarray
    d: np.ndarray
    d_slope: np.ndarray
    minimax: np.ndarray
    non_saturating: np.ndarray
    f: np.ndarray
    critic_slope: np.ndarray

    def medians(self):
        """Median over the points of ``D`` and of the absolute value of each gradient, by attribute."""
        return {name: float(np.median(np.abs(getattr(self, name)))) for name in _LABELS}

    def to_markdown(self):
        """A two-column table of :meth:`medians`."""
        lines = [f"| at the {len(self.x)} points (median) | value |", "|---|---:|"]
        lines += [f"| {_LABELS[name]} | {value:.3g} |" for name, value in self.medians().items()]
        return "\n".join(lines)


def input_gradients(discriminator, critic, x):
    r"""The gradients a generator would get at the points ``x`` from a GAN discriminator and a WGAN critic.

    Parameters
    ----------
    discriminator : gan1d.analysis.TrainedCritic
        Trained with the ``"gan"`` or ``"nsgan"`` loss on 1-D laws.
    critic : gan1d.analysis.TrainedCritic
        Trained with the ``"wgan"`` or ``"wgan-gp"`` loss on 1-D laws.
    x : array_like, shape (n,)
        Finite points, typically samples of the law that played the fakes.

    Returns
    -------
    InputGradients
        D, dD/dx, the two GAN generators' gradients, f and df/dx at ``x``.

    Raises
    ------
    TypeError
        If either network is not a :class:`gan1d.analysis.TrainedCritic`.
    ValueError
        If ``discriminator`` was not trained with a GAN loss, ``critic`` not with a WGAN loss,
        either is not 1-D, or ``x`` is not a non-empty 1-D array of finite numbers.

    Notes
    -----
    The logit :math:`\ell` and its slope come from a float64 copy of the network
    (:func:`gan1d.analysis.critic_score`, :func:`gan1d.analysis.critic_gradient`); :math:`D = \sigma(\ell)` and
    :math:`1 - D = \sigma(-\ell)` are computed separately, so each keeps its relative accuracy
    where the other rounds to 1 (beyond :math:`|\ell| \approx 37` in float64), and

    .. math:: D' = D(1 - D)\ell', \quad \partial_x \log(1 - D) = -D\ell', \quad
              -\partial_x \log D = -(1 - D)\ell'.

    Examples
    --------
    The two GAN generators' gradients add up to minus the logit's slope, and the slope of D is
    the minimax one damped by :math:`1 - D`:

    >>> import numpy as np, toys, gan1d
    >>> from gan1d.analysis.saturation import input_gradients
    >>> real, fake = toys.Gaussian(-2, 0.5), toys.Gaussian(2, 0.5)
    >>> d = gan1d.train_critic("gan", real, fake, steps=5, seed=0)
    >>> f = gan1d.train_critic("wgan-gp", real, fake, steps=5, seed=0)
    >>> x = fake.sample(100, rng=0)
    >>> g = input_gradients(d, f, x)
    >>> bool(np.allclose(g.minimax + g.non_saturating, -gan1d.analysis.critic_gradient(d, x)[:, 0]))
    True
    >>> bool(np.allclose(g.d_slope, -g.minimax * (1 - g.d)))
    True
    """
    _check_critic("discriminator", discriminator, probabilistic=True)
    _check_critic("critic", critic, probabilistic=False)
    pts = validation.points("x", x, dim=1)[:, 0]
    logit, logit_slope = critic_score(discriminator, pts), critic_gradient(discriminator, pts)[:, 0]  # (n,)
    f, f_slope = critic_score(critic, pts), critic_gradient(critic, pts)[:, 0]
    d, not_d = expit(logit), expit(-logit)  # D and 1 - D
    return InputGradients(
        x=pts,
        d=d,
        d_slope=d * not_d * logit_slope,
        minimax=-d * logit_slope,
        non_saturating=-not_d * logit_slope,
        f=f,
        critic_slope=f_slope,
    )


def _check_critic(name, critic, probabilistic):
    if not isinstance(critic, TrainedCritic):
        raise TypeError(f"{name} must be a gan1d.analysis.TrainedCritic (from gan1d.train_critic), got {critic!r}")
    if critic.dim != 1:
        raise ValueError(f"{name} must be trained on 1-D laws, got one of dimension {critic.dim}")
    if critic.loss not in (("gan", "nsgan") if probabilistic else ("wgan", "wgan-gp")):
        expected = "'gan' or 'nsgan'" if probabilistic else "'wgan' or 'wgan-gp'"
        raise ValueError(f"{name} must be trained with the {expected} loss, got one trained with {critic.loss!r}")
