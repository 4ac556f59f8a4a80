r"""Fitting a Gaussian by reverse KL, :math:`KL(q_\phi\|p)`: it settles on one mode.

:func:`fit_reverse_kl` minimises the reverse KL given the density of ``p``; the expectation
:math:`E_{q_\phi}[\log p]` is taken in closed form, by quadrature or by Monte Carlo
(:mod:`divergences.fitting.expectations`, :mod:`divergences.fitting.accurate`).
"""

import numpy as np
from scipy import linalg

from toys import Gaussian
from toys.validation import as_generator, integer

from .accurate import accurate_log_expectation
from .common import (
    LOG_2PI,
    N_SAMPLES,
    FitResult,
    check_covariance,
    check_init,
    check_options,
    check_target,
    default_init,
    mean_chol,
    minimise,
    pack,
    pack_grad,
    read_only,
    to_gaussian,
    unpack,
)
from .expectations import gaussian_log_expectation, logpdf_at, monte_carlo_nodes, rule_log_expectation

__all__ = ["fit_reverse_kl"]


def fit_reverse_kl(target, *, init=None, covariance="full", rng=0, max_iter=1000, tol=1e-7, n_samples=N_SAMPLES):
    r"""Fit a Gaussian to a law with a density by reverse KL, :math:`KL(q_\phi\|p)`.

    The fit is local and depends on its start. On a mixture of well-separated modes it settles
    on one mode and ignores the others, whereas :func:`fit_forward_kl` covers them all; which mode
    depends on the start. On ``GaussianMixture(weights=[0.5, 0.5], means=[-3, 3], stds=[1, 1])``,
    starts N(m0, s0^2) with s0 from 0.5 to 3 land near N(3, 1) when m0 >= 2 and near N(-3, 1)
    when m0 <= -2; when ``|m0| <= 0.5`` (up to 1.9 for the widest starts) they land on a third,
    worse, local minimum N(0, 2.74^2) that straddles both modes (0.84 nats against 0.69).

    Parameters
    ----------
    target : toy or frozen scipy.stats distribution
        The law ``p``, in any dimension d, with a ``logpdf`` positive on all of R^d
        (toys.Gaussian, toys.GaussianMixture, ...).
    init : toys.Gaussian, optional
        Starting point, of the target's dimension; with ``covariance="diag"`` only the diagonal
        of its covariance is used. Default: mean one draw from ``target`` (using ``rng``),
        covariance the target's (its diagonal for ``"diag"``).
    covariance : {"full", "diag"}
        Covariance of the model, as in :func:`fit_forward_kl`.
    rng : None, int or numpy.random.Generator
        Source of the draw that places the default start (unused when ``init`` is given), then
        of the Monte Carlo draws (d >= 3, non-Gaussian target). On the two-mode mixture above
        about 10% of seeds give a start that leads to the straddling fit.
    max_iter, tol
        As in :func:`fit_forward_kl`.
    n_samples : int
        Number of Monte Carlo draws, >= 2, for a non-Gaussian target in 3 or more dimensions;
        unused otherwise. Default ``N_SAMPLES`` (10,000).

    Returns
    -------
    FitResult
        ``history`` holds :math:`KL(q_\phi\|p)` in nats from ``init`` to the end (a Monte Carlo
        estimate on the Monte Carlo path, whose standard error at the end ``message`` states).

    Raises
    ------
    TypeError
        If ``target`` has no ``logpdf``, ``init`` is not a toys.Gaussian, ``rng`` is not a seed or
        Generator, or ``max_iter`` or ``n_samples`` is not an integer.
    ValueError
        If ``init`` has another dimension than ``target`` or standard deviations beyond e^±50,
        ``target`` has a bounded support (then KL(q || p) = inf for every Gaussian q),
        ``target``'s covariance is not finite and no ``init`` is given, or ``covariance``,
        ``max_iter``, ``tol`` or ``n_samples`` is out of range. All are checked before the
        optimisation starts.

    Notes
    -----
    .. math:: KL(q_\phi\|p) = -H(q_\phi) - E_{q_\phi}[\log p], \qquad
              H(q_\phi) = \tfrac12\log\det(2\pi e\,\Sigma).

    The entropy is exact. With :math:`\Sigma = LL^\top`, the expectation is taken in three ways.

    * Gaussian :math:`p = N(\mu_p, \Sigma_p)`, any d: in closed form [4]_,
      :math:`KL = \tfrac12[\operatorname{tr}(\Sigma_p^{-1}\Sigma) + \delta^\top\Sigma_p^{-1}\delta
      - d + \log\det\Sigma_p - \log\det\Sigma]`, :math:`\delta = \mu - \mu_p`, with gradients
      :math:`\nabla_\mu = \Sigma_p^{-1}\delta`, :math:`\nabla_L = \Sigma_p^{-1}L - L^{-\top}`.
    * Other laws in 1-D and 2-D: adaptive Gauss-Kronrod quadrature in the standardised variable
      :math:`z` of :math:`x = \mu + Lz`, :math:`\int\varphi(z)\log p(\mu + Lz)\,dz` (iterated in
      2-D), on panels that resolve :math:`\varphi` and the target's components mapped into
      :math:`z`, halved until each is accurate: this resolves the soft kinks of :math:`\log p`
      between modes (width :math:`\sigma^2/\Delta\mu`) that :math:`q_\phi` straddles
      (:mod:`divergences.fitting.accurate`).
    * Other laws in 3 or more dimensions: Monte Carlo, the mean of :math:`\log p(\mu + Lz_k)` over
      ``n_samples`` draws :math:`z_k \sim N(0, I)` from ``rng``, the same at every iteration.

    Either is a deterministic function of the parameters, so L-BFGS-B applies, with the
    gradient of the same expectation (the reparametrisation gradient [3]_):

    .. math:: \nabla_\mu = -E[s(x)], \qquad
              \nabla_L = -L^{-\top} - E[s(x)\, z^\top] \ \text{(lower triangle)},

    with the score :math:`s = \nabla\log p` in closed form for Gaussian mixtures; for other laws
    in 1-D and 2-D by Stein's identity [5]_, :math:`E[s(x)z^\top] = L^{-\top}E[(zz^\top - I)\log
    p(x)]` and :math:`E[s(x)] = L^{-\top}E[z\log p(x)]`; by central differences in d >= 3.

    Accuracy. In 1-D and 2-D the objective is :func:`divergences.reverse_kl` (itself within 1e-9
    nats in 1-D, 1e-6 in 2-D) to 1e-13 nats at the fits of the tests, on one mode or straddling
    several, so the fit ends, to ``tol``, at a stationary point of the exact KL: on
    :math:`\tfrac12 N(-2, 0.5^2) + \tfrac12 N(2, 0.5^2)` from N(0, 1) at N(0, 1.73636^2), 1.8711965
    nats (a fixed 200-node Gauss-Hermite rule ended 7e-3 nats low, at std 1.73936). A fit takes
    a few ms in 1-D, 0.1 to 1 s in 2-D on the tests' two-mode mixtures, longer on many narrow
    modes: 2 s on ``toys.ring()`` from a start on a mode, 20 s from one spanning the ring.
    The Monte Carlo estimate of the objective has the standard error
    :math:`\operatorname{sd}_k(\log p(x_k))/\sqrt n` (stated in ``message``; about 0.012 nats for
    a 3-D Gaussian-like p and the default n). Its minimiser is off by :math:`O(n^{-1/2})`: where
    :math:`p` is Gaussian near the fit, exactly :math:`\mu = \mu_p - L\bar z` and, in the
    coordinates that whiten :math:`\Sigma_p`, :math:`\Sigma = V^{-1}` (``"full"``) with
    :math:`V` the sample covariance of the :math:`z_k`: errors of sd :math:`1/\sqrt n` in the
    whitened mean and :math:`\sqrt{2/n}` in the whitened variances (1% and 1.4% for the
    default n).

    For a Gaussian ``p`` and a diagonal model the minimiser has :math:`\mu = \mu_p` and
    variances :math:`1 / (\Sigma_p^{-1})_{ii}`, smaller than the marginal variances [1]_.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, Sec. 10.1.2.
    .. [2] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press 2012, Sec. 21.2.2.
    .. [3] D. P. Kingma, M. Welling, "Auto-encoding variational Bayes", ICLR 2014 (the
       reparametrisation gradient).
    .. [4] J. Duchi, "Derivations for linear algebra and optimization" (KL between multivariate
       normals; the gradients by the matrix calculus of the same notes).
    .. [5] C. M. Stein, "Estimation of the mean of a multivariate normal distribution", *Ann.
       Statist.* 9(6), 1981, Lemma 1: :math:`E[g(Z)Z] = E[\nabla g(Z)]` for :math:`Z \sim N(0, I)`.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from toys import Gaussian, GaussianMixture
    >>> from divergences import reverse_kl
    >>> from divergences.fitting import fit_reverse_kl
    >>> rho = 0.8
    >>> p = Gaussian(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    >>> fit = fit_reverse_kl(p, covariance="diag")
    >>> bool(np.allclose(np.diag(fit.distribution.cov), 1 - rho**2))
    True
    >>> math.isclose(fit.value, reverse_kl(p, fit.distribution), abs_tol=1e-9)
    True
    >>> two = GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
    >>> round(fit_reverse_kl(two, init=Gaussian(-2.0, 1.0)).distribution.mean)
    -3
    """
    target = check_target(target)
    check_covariance(covariance)
    max_iter, tol = check_options(max_iter, tol)
    n_samples = integer("n_samples", n_samples, minimum=2)
    gen = as_generator(rng)
    d = target.dim
    init = default_init(target, covariance, gen) if init is None else check_init(init, d, covariance, "target")
    theta0 = pack(*mean_chol(init), covariance, "init")
    gaussian = isinstance(target, Gaussian)
    monte_carlo = not gaussian and d > 2
    if gaussian:
        expectation = gaussian_log_expectation(target)
    elif monte_carlo:
        z, w = monte_carlo_nodes(d, n_samples, gen)
        expectation = rule_log_expectation(target, z, w)
    else:
        expectation = accurate_log_expectation(target)
    objective = _reverse_kl(expectation, d, covariance)
    theta, history, res = minimise(objective, theta0, max_iter, tol, "reverse_kl", init)
    m, chol = unpack(theta, d, covariance)
    message = str(res.message)
    if monte_carlo:
        stderr = np.std(logpdf_at(target, m + z @ chol.T), ddof=1) / np.sqrt(n_samples)
        message += f"; KL(q || p) estimated from n_samples={n_samples} draws, standard error {stderr:.2g} nats"
    return FitResult(
        distribution=to_gaussian(m, chol @ chol.T),
        history=read_only(history),
        objective="reverse_kl",
        converged=bool(res.success),
        n_iter=int(res.nit),
        init=init,
        message=message,
    )


# -- the objective and its gradient in (mean, L) ---------------------------------------------
def _reverse_kl(expectation, d, covariance):
    """KL(N(m, LL^T) || p) = -entropy - E_q[log p], with ``expectation`` from divergences.fitting.expectations."""
    eye = np.eye(d)

    def objective(theta):
        m, chol = unpack(theta, d, covariance)
        value, grad_m, grad_chol = expectation(m, chol)
        entropy = np.sum(np.log(np.diag(chol))) + 0.5 * d * (1.0 + LOG_2PI)
        grad_chol = -linalg.solve_triangular(chol, eye, lower=True).T - grad_chol
        return -entropy - value, pack_grad(-grad_m, grad_chol, chol, covariance)

    return objective
