r"""The Gaussian closest to a 1-D law in an f-divergence: :func:`fit_f_divergence`.

Nowozin, Cseke and Tomioka fit a Gaussian to a mixture with every f-divergence of their Table 1,
once by training an f-GAN and once by minimising :math:`D_f(P\,\|\,Q_\theta)` directly with
numerical quadrature, and compare the two (Sec. 4 of [1]_). This module is the second half: the
divergence of :func:`divergences.f_divergence` (closed forms or adaptive quadrature, within the
accuracy its methods page states) minimised over :math:`(\mu, \log\sigma)` by Nelder-Mead, which
needs no gradient and steps over the infinite values that some divergences take (Neyman's
:math:`\chi^2` is finite only when the Gaussian's tails are lighter than the law's).

References
----------
.. [1] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
   variational divergence minimization", NeurIPS 2016, Sec. 4 (a Gaussian fitted to a mixture).
"""

import math

import numpy as np
from scipy import optimize

from toys import Gaussian

from ..f_divergences import f_divergence
from ..generators import Generator
from ..laws import as_toy
from .common import FitResult, check_options, read_only

__all__ = ["fit_f_divergence"]

#: Nelder-Mead's tolerance on the parameters (mean in the law's units, log standard deviation).
XATOL = 1e-10


def fit_f_divergence(target, f, *, init=None, max_iter=2000, tol=1e-14):
    r"""Fit a 1-D Gaussian :math:`N(\mu, \sigma^2)` to a 1-D law by minimising :math:`D_f(P\,\|\,N(\mu, \sigma^2))`.

    P is ``target``, the Gaussian plays the model Q, as in an f-GAN whose generator is Q: ``"kl"``
    gives the forward KL (maximum likelihood, mass covering: the moment-matched Gaussian),
    ``"reverse_kl"`` the reverse one (mode seeking), the others lie between or beyond.

    Parameters
    ----------
    target : toy or frozen scipy.stats distribution
        The 1-D law P (a mixture, an exponential, ...).
    f : str or divergences.generators.Generator
        A name of :data:`divergences.generators.GENERATORS` or a Generator, as for
        :func:`divergences.f_divergence`.
    init : toys.Gaussian, optional
        The start; default the moment-matched Gaussian (the target's mean and standard deviation).
        The fit is local: from another start it may end in another local minimum (reverse KL on
        a mixture of separated modes has one near each mode).
    max_iter : int
        Nelder-Mead iterations at most.
    tol : float
        Nelder-Mead's absolute tolerance on the objective, in nats (``fatol``); the parameters'
        tolerance is ``XATOL`` (1e-10).

    Returns
    -------
    FitResult
        ``distribution`` the fitted Gaussian, ``history`` :math:`D_f` in nats from ``init`` on,
        ``objective`` the generator's name (``"f_divergence"`` for a Generator object).

    Raises
    ------
    TypeError, ValueError
        If ``target`` is not a 1-D law, ``f`` is not a generator's name or a Generator, ``init``
        is not a 1-D toys.Gaussian, or :math:`D_f` is infinite or undefined at ``init``.
    NotImplementedError
        If :func:`divergences.f_divergence` has no path for the pair (it names why).

    Notes
    -----
    The objective is computed to about 1e-12 relative (the quadrature's stated accuracy), so the
    minimiser is located to about the square root of that relative to the curvature: 1e-6 in
    :math:`\mu` and :math:`\log\sigma` for the lecture's mixtures (the tests check it against the
    moment-matched Gaussian for KL, :func:`divergences.fit_reverse_kl` for reverse KL, and the
    target itself when it is a Gaussian).

    Examples
    --------
    >>> import toys
    >>> mixture = toys.GaussianMixture(weights=[0.3, 0.7], means=[-2.0, 2.0], stds=[0.7, 0.7])
    >>> fit = fit_f_divergence(mixture, "kl")            # forward KL: the moments
    >>> round(fit.distribution.mean, 5), round(fit.distribution.std, 5)
    (0.8, 1.96214)
    >>> fit = fit_f_divergence(mixture, "reverse_kl", init=toys.Gaussian(1.0, 0.5))
    >>> round(fit.distribution.mean, 2), round(fit.distribution.std, 2)    # the heavier mode
    (1.99, 0.72)
    """
    target = as_toy(target, "target")
    if getattr(target, "dim", None) != 1:
        raise ValueError(f"target must be a 1-D law, got {target!r} of dimension {getattr(target, 'dim', None)}")
    if not (isinstance(f, str) or isinstance(f, Generator)):
        raise TypeError(f"f must be a generator's name or a divergences.generators.Generator, got {f!r}")
    max_iter, tol = check_options(max_iter, tol)
    if init is None:
        init = Gaussian(float(target.mean), math.sqrt(float(target.var)))
    elif not isinstance(init, Gaussian) or init.dim != 1:
        raise TypeError(f"init must be a 1-D toys.Gaussian or None, got {init!r}")

    def objective(x):
        return f_divergence(target, Gaussian(float(x[0]), math.exp(float(x[1]))), f)

    x0 = np.array([float(init.mean), math.log(float(init.std))])
    value0 = objective(x0)
    if not math.isfinite(value0):
        raise ValueError(f"D_f(target || init) is {value0} at init={init!r} (f={f!r}); start from another Gaussian")
    history = [value0]

    def record(intermediate_result):  # scipy passes the OptimizeResult to a parameter of this name
        history.append(float(intermediate_result.fun))

    simplex = np.array([x0, x0 + [0.5 * float(init.std), 0.0], x0 + [0.0, 0.5]])
    res = optimize.minimize(
        objective,
        x0,
        method="Nelder-Mead",
        callback=record,
        options={"maxiter": max_iter, "xatol": XATOL, "fatol": tol, "initial_simplex": simplex},
    )
    final = objective(res.x)
    if final != history[-1]:
        history.append(final)
    name = f if isinstance(f, str) else "f_divergence"
    fitted = Gaussian(float(res.x[0]), math.exp(float(res.x[1])))
    return FitResult(fitted, read_only(np.array(history)), name, bool(res.success), int(res.nit), init, res.message)
