r"""Training the Dirac-GAN: the spectrum at the equilibrium, gradient steps and the continuous flow.

Near the equilibrium :math:`x^* = (0, 0)` the field is :math:`v(x) \approx J x`
(:func:`~divergences.games.jacobian_at_equilibrium`), so

* the flow :math:`\dot x = v(x)` converges when every eigenvalue of J has a negative real part and
  circles when they are imaginary (for the unregularised GAN, WGAN and f-GANs
  :math:`\theta^2 + \psi^2` is conserved exactly, since :math:`v \perp x`; not for the
  non-saturating GAN, whose field is not orthogonal to x);
* simultaneous gradient steps :math:`x \leftarrow x + h\,v(x)` multiply the eigen-components by
  :math:`1 + h\lambda`: they spiral out when :math:`\lambda = \pm i\omega`
  (:math:`|1 + ih\omega| = \sqrt{1 + h^2\omega^2} > 1`) and converge at the rate
  :math:`\max|1 + h\lambda|` when that is below 1;
* alternating steps (generator first, then critic, as the authors' code) have an update Jacobian
  of determinant :math:`(1 + h J_{11})(1 + h J_{22})` per pair of steps (:math:`J_{11} = 0` but under
  consensus): 1 without damping, so they neither converge nor diverge for small h.

:func:`update_eigenvalues` gives the update's spectrum in closed form, the trajectories let a
reader check it. References: Mescheder, Geiger and Nowozin (2018), Sec. 2-3; Mescheder, Nowozin and
Geiger (2017) for the discrete dynamics of simultaneous and alternating steps.
"""

import numpy as np
from scipy import integrate

from toys import validation

from .dirac import _game, _points, _velocity, jacobian_at_equilibrium

__all__ = ["alternating_gd", "eigenvalues", "flow", "simultaneous_gd", "update_eigenvalues"]


def _eig2(m):
    """The eigenvalues of a real 2 x 2 matrix from its trace and determinant, + root first."""
    half_trace, det = 0.5 * (m[0, 0] + m[1, 1]), m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]
    root = np.sqrt(complex(half_trace**2 - det))
    return np.array([half_trace + root, half_trace - root])


def eigenvalues(objective, **options):
    r"""The eigenvalues of the Jacobian of the field at the equilibrium (0, 0), in closed form.

    Parameters
    ----------
    objective : str
        One of :data:`~divergences.games.OBJECTIVES`.
    **options
        As in :func:`~divergences.games.vector_field`.

    Returns
    -------
    ndarray of complex, shape (2,)
        :math:`\lambda_\pm = \tau/2 \pm \sqrt{\tau^2/4 - \Delta}`, with :math:`\tau, \Delta` the
        trace and determinant of J: :math:`\pm i h'(0)` for the GAN and WGAN (``h'(0)`` = 1/2 and
        1), :math:`\sigma^2 h''(0) \pm \sqrt{\sigma^4 h''(0)^2 - h'(0)^2}` with instance noise,
        :math:`-\gamma/2 \pm \sqrt{\gamma^2/4 - h'(0)^2}` with R1 or R2,
        :math:`-\gamma h'(0)^2 \pm i h'(0)` with consensus.

    Raises
    ------
    ValueError
        As :func:`~divergences.games.jacobian_at_equilibrium`.

    Examples
    --------
    >>> eigenvalues("gan").tolist()
    [0.5j, -0.5j]
    >>> eigenvalues("wgan", regularizer="consensus", gamma=0.5).tolist()
    [(-0.5+1j), (-0.5-1j)]
    """
    return _eig2(jacobian_at_equilibrium(objective, **options))


def update_eigenvalues(objective, lr, *, method="simultaneous", generator_steps=1, critic_steps=1, **options):
    r"""The eigenvalues of the Jacobian of one training update at the equilibrium, in closed form.

    Parameters
    ----------
    objective : str
        One of :data:`~divergences.games.OBJECTIVES`.
    lr : float
        The learning rate h > 0 of both players.
    method : {"simultaneous", "alternating"}
        Simultaneous steps, or ``generator_steps`` generator steps followed by ``critic_steps``
        critic steps (counted as one update).
    generator_steps, critic_steps : int
        For ``"alternating"`` only.
    **options
        As in :func:`~divergences.games.vector_field`.

    Returns
    -------
    ndarray of complex, shape (2,)
        :math:`1 + h\lambda` for simultaneous steps; for alternating ones the eigenvalues of
        :math:`C^{n_c} G^{n_g}` with :math:`G = I + h\,(J_{1\cdot}; 0)` and
        :math:`C = I + h\,(0; J_{2\cdot})`. The iteration converges locally iff both have modulus
        < 1, at the rate of the larger modulus per update.

    Raises
    ------
    ValueError
        If ``lr`` is not > 0, ``method`` is unknown, or as :func:`eigenvalues`.
    TypeError
        If a step count is not an integer.

    Examples
    --------
    Unregularised alternating steps stay on the unit circle while :math:`h\,h'(0) \le 2`:

    >>> lam = update_eigenvalues("wgan", 0.5, method="alternating")
    >>> [round(float(abs(x)), 10) for x in lam]
    [1.0, 1.0]
    """
    lr = validation.positive_scalar("lr", lr)
    j = jacobian_at_equilibrium(objective, **options)
    if method == "simultaneous":
        if (generator_steps, critic_steps) != (1, 1):
            raise ValueError("generator_steps and critic_steps apply only to method='alternating'")
        return 1.0 + lr * _eig2(j)
    if method != "alternating":
        raise ValueError(f"method must be 'simultaneous' or 'alternating', got {method!r}")
    n_g = validation.positive_int("generator_steps", generator_steps)
    n_c = validation.positive_int("critic_steps", critic_steps)
    g = np.array([[1.0 + lr * j[0, 0], lr * j[0, 1]], [0.0, 1.0]])
    c = np.array([[1.0, 0.0], [lr * j[1, 0], 1.0 + lr * j[1, 1]]])
    return _eig2(np.linalg.matrix_power(c, n_c) @ np.linalg.matrix_power(g, n_g))


def _setup(objective, theta0, psi0, clip, options):
    """The resolved game, the clip bound (None or > 0) and the starting points (clipped)."""
    game = _game(objective, **options)
    if clip is not None:
        if objective != "wgan":
            raise ValueError(f"clip applies only to objective='wgan', got clip={clip!r}")
        clip = validation.positive_scalar("clip", clip)
    theta, psi = (np.array(x) for x in _points(theta0, psi0))
    return game, clip, theta, _clip(psi, clip)


def _clip(psi, clip):
    return psi if clip is None else np.clip(psi, -clip, clip)


def _steps(lr, steps):
    return validation.positive_scalar("lr", lr), validation.positive_int("steps", steps)


def simultaneous_gd(objective, theta0, psi0, lr, steps, *, clip=None, **options):
    r"""Simultaneous gradient steps :math:`(\theta, \psi) \leftarrow (\theta, \psi) + h\,v(\theta, \psi)`.

    Parameters
    ----------
    objective : str
        One of :data:`~divergences.games.OBJECTIVES`.
    theta0, psi0 : float or array_like
        Starting points (broadcast together: several runs at once).
    lr : float
        The learning rate h > 0.
    steps : int
        Number of steps, >= 1.
    clip : float, optional
        For ``"wgan"``: after each step (and at the start) :math:`\psi` is clipped to
        :math:`[-c, c]` (Arjovsky et al. 2017).
    **options
        As in :func:`~divergences.games.vector_field`.

    Returns
    -------
    theta, psi : ndarray, shape (steps + 1, ...)
        The iterates, the start first.

    Raises
    ------
    ValueError
        If ``lr`` or ``steps`` is not positive, a start is not finite, or as
        :func:`~divergences.games.vector_field`.
    TypeError
        If ``steps`` is not an integer.

    Examples
    --------
    For the WGAN each step multiplies the distance to (0, 0) by :math:`\sqrt{1 + h^2}`:

    >>> import math
    >>> theta, psi = simultaneous_gd("wgan", 1.0, 0.0, 0.1, 10)
    >>> math.isclose(math.hypot(theta[-1], psi[-1]), (1 + 0.1**2) ** 5)
    True
    """
    lr, steps = _steps(lr, steps)
    game, clip, theta, psi = _setup(objective, theta0, psi0, clip, options)
    thetas, psis = [theta], [psi]
    for _ in range(steps):
        v_theta, v_psi = _velocity(game, theta, psi)
        theta, psi = theta + lr * v_theta, _clip(psi + lr * v_psi, clip)
        thetas.append(theta)
        psis.append(psi)
    return np.array(thetas), np.array(psis)


def alternating_gd(objective, theta0, psi0, lr, steps, *, generator_steps=1, critic_steps=1, clip=None, **options):
    r"""Alternating gradient steps: ``generator_steps`` on :math:`\theta`, then ``critic_steps`` on :math:`\psi`.

    Parameters
    ----------
    objective, theta0, psi0, lr, steps, clip, **options
        As in :func:`simultaneous_gd`; one step is one round of both players.
    generator_steps, critic_steps : int
        Steps of each player per round (>= 1); each sees the other's latest value.

    Returns
    -------
    theta, psi : ndarray, shape (steps + 1, ...)
        The iterates after each round, the start first.

    Raises
    ------
    ValueError, TypeError
        As :func:`simultaneous_gd`.

    Examples
    --------
    For the WGAN one round preserves :math:`\theta^2 + \psi^2 - h\theta\psi`: the iterates stay
    on an ellipse.

    >>> import math
    >>> theta, psi = alternating_gd("wgan", 1.0, 0.0, 0.1, 50)
    >>> q = theta**2 + psi**2 - 0.1 * theta * psi
    >>> math.isclose(q.min(), 1.0) and math.isclose(q.max(), 1.0)
    True
    """
    lr, steps = _steps(lr, steps)
    n_g = validation.positive_int("generator_steps", generator_steps)
    n_c = validation.positive_int("critic_steps", critic_steps)
    game, clip, theta, psi = _setup(objective, theta0, psi0, clip, options)
    thetas, psis = [theta], [psi]
    for _ in range(steps):
        for _ in range(n_g):
            theta = theta + lr * _velocity(game, theta, psi)[0]
        for _ in range(n_c):
            psi = _clip(psi + lr * _velocity(game, theta, psi)[1], clip)
        thetas.append(theta)
        psis.append(psi)
    return np.array(thetas), np.array(psis)


def flow(objective, theta0, psi0, t_end, *, points=101, clip=None, rtol=1e-10, atol=1e-12, **options):
    r"""The continuous-time training :math:`\dot x = v(x)`, integrated by scipy's DOP853.

    Parameters
    ----------
    objective, theta0, psi0, **options
        As in :func:`simultaneous_gd`.
    t_end : float
        Final time > 0 (in units of learning rate times steps).
    points : int
        Number of output times, equally spaced on :math:`[0, t_{end}]` (>= 2).
    clip : float, optional
        For ``"wgan"``: the projected flow, :math:`\dot\psi = 0` while :math:`|\psi| = c` and v
        points outwards.
    rtol, atol : float
        The solver's tolerances (relative, absolute) per unit time. A field that jumps (wgan-gp
        across :math:`\psi = 0`, the clip's boundary) makes the solver take short steps there.

    Returns
    -------
    t : ndarray, shape (points,)
    theta, psi : ndarray, shape (points, ...)

    Raises
    ------
    ValueError
        As :func:`simultaneous_gd`, or if ``t_end`` or a tolerance is not > 0.
    RuntimeError
        If the solver fails.

    Examples
    --------
    The GAN's flow circles (0, 0): the distance is conserved.

    >>> import numpy as np
    >>> t, theta, psi = flow("gan", 1.0, 0.5, 20.0)
    >>> bool(np.allclose(np.hypot(theta, psi), np.hypot(1.0, 0.5), rtol=1e-8))
    True
    """
    t_end = validation.positive_scalar("t_end", t_end)
    points = validation.integer("points", points, minimum=2)
    rtol, atol = validation.positive_scalar("rtol", rtol), validation.positive_scalar("atol", atol)
    game, clip, theta, psi = _setup(objective, theta0, psi0, clip, options)
    shape, n = theta.shape, theta.size

    def rhs(t, y):
        th, ps = y[:n], _clip(y[n:], clip)
        v_theta, v_psi = _velocity(game, th, ps)
        if clip is not None:
            v_psi = np.where(((ps >= clip) & (v_psi > 0)) | ((ps <= -clip) & (v_psi < 0)), 0.0, v_psi)
        return np.concatenate([v_theta, v_psi])

    t = np.linspace(0.0, t_end, points)
    sol = integrate.solve_ivp(rhs, (0.0, t_end), np.concatenate([theta.ravel(), psi.ravel()]), method="DOP853",
                              t_eval=t, rtol=rtol, atol=atol)  # fmt: skip
    if not sol.success:
        raise RuntimeError(f"the flow's integration failed: {sol.message}")
    y = sol.y.T  # (points, 2 n)
    return t, y[:, :n].reshape((points, *shape)), _clip(y[:, n:], clip).reshape((points, *shape))
