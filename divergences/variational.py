r"""The variational form of the f-divergences: the critic that attains it.

:math:`D_f(P\,\|\,Q) = \sup_T E_P[T] - E_Q[f^*(T)]`, attained at :math:`T^* = f'(p/q)` (Nguyen,
Wainwright and Jordan 2010). :func:`optimal_critic` gives :math:`T^*` in closed form from the two
densities, and the raw output :math:`V^* = g_f^{-1}(T^*)` of an f-GAN critic :math:`T = g_f(V)`
(Nowozin, Cseke and Tomioka 2016): what a trained f-GAN critic (:mod:`gan1d.training.losses`,
``loss="f-gan"``) is compared with. The generators, their conjugates and activations are in
:mod:`divergences.generators`.
"""

import numpy as np

import toys

from .generators import generator

__all__ = ["optimal_critic"]


def optimal_critic(p, q, f, raw=False):
    r"""The critic at which the variational bound of :math:`D_f(P\,\|\,Q)` is attained, as a numpy function.

    Parameters
    ----------
    p, q : toys.ContinuousDistribution
        The two laws (P real, Q fake), of the same dimension.
    f : str or divergences.generators.Generator
        A key of :data:`divergences.generators.GENERATORS` or a generator.
    raw : bool
        False (default): the critic value :math:`T^*(x) = f'(p(x)/q(x))`. True: the raw network
        output :math:`V^*(x) = g_f^{-1}(T^*(x))` of an f-GAN critic ``T = g_f(V)``.

    Returns
    -------
    callable
        ``x -> ndarray`` of shape ``(n,)`` for points ``x`` of shape ``(n,)`` (1-D) or ``(n, d)``.
        Where only P has density (q = 0 < p, or p/q beyond the largest float) :math:`T^* = f'(\infty)`;
        where neither has, NaN. ``V*`` is ``-inf``/``inf`` where ``T*`` sits at an end of the
        activation's range (``"tv"`` wherever p != q; ``"reverse_kl"`` where p = 0).

    Raises
    ------
    TypeError
        If ``p`` or ``q`` has no density, ``raw`` is not a bool, or ``f`` is of the wrong kind.
    ValueError
        If the dimensions differ, ``f`` names no generator, or ``raw`` is asked of a generator
        without ``inverse_activation``.

    Notes
    -----
    For every critic T, :math:`E_P[T] - E_Q[f^*(T)] \le D_f(P\,\|\,Q)` (Fenchel-Young,
    :math:`f^*(t) \ge ut - f(u)`), with equality at :math:`T^* = f'(p/q)`, where
    :math:`f^*(f'(u)) = u f'(u) - f(u)` makes the integrand :math:`q\,f(p/q)` (Nguyen, Wainwright and
    Jordan 2010; Nowozin et al. 2016, Sec. 2). The tests integrate
    :math:`p\,T^* - q\,f^*(T^*)` with ``scipy.integrate.quad`` and find :func:`divergences.f_divergence`
    within 1e-8 for every named f on 1-D Gaussian and mixture pairs where it is finite.

    For ``"js"`` and ``"gan"``, :math:`V^* = \ln p - \ln q`: the logit of the optimal GAN
    discriminator :math:`D^* = p/(p + q)` (Goodfellow et al. 2014, Proposition 1).

    References
    ----------
    .. [1] X. Nguyen, M. J. Wainwright, M. I. Jordan, "Estimating divergence functionals and the
       likelihood ratio by convex risk minimization", IEEE Trans. Inf. Theory 56 (2010).
    .. [2] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
       variational divergence minimization", NeurIPS 2016, Sec. 2 and Table 2.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences.variational import optimal_critic
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.5)
    >>> x = np.linspace(-3.0, 3.0, 7)
    >>> bool(np.allclose(optimal_critic(p, q, "kl")(x), p.logpdf(x) - q.logpdf(x) + 1))  # log(p/q) + 1
    True
    >>> bool(np.allclose(optimal_critic(p, q, "js", raw=True)(x), p.logpdf(x) - q.logpdf(x)))  # logit of D*
    True
    """
    gen = generator(f)
    for name, law in (("p", p), ("q", q)):
        if not isinstance(law, toys.ContinuousDistribution):
            raise TypeError(f"{name} must be a toy with a density (toys.ContinuousDistribution), got {law!r}")
    if p.dim != q.dim:
        raise ValueError(f"p and q must have the same dimension, got {p.dim} and {q.dim}")
    if not isinstance(raw, bool):
        raise TypeError(f"raw must be True or False, got {raw!r}")
    if raw and gen.inverse_activation is None:
        raise ValueError(f"raw=True needs the generator's inverse_activation, which {gen!r} does not have")

    def critic(x):
        with np.errstate(all="ignore"):
            lp, lq = np.asarray(p.logpdf(x), float), np.asarray(q.logpdf(x), float)
            ratio = np.exp(lp - lq)
            t = np.asarray(gen.derivative(ratio), float)
            only_p = (lp > -np.inf) & ((lq == -np.inf) | (ratio == np.inf))
            t = np.where(only_p, gen.slope_at_infinity, t)
            t = np.where((lp == -np.inf) & (lq == -np.inf), np.nan, t)
            return np.asarray(gen.inverse_activation(t), float) if raw else t

    return critic
