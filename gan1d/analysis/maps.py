r"""A trained generator as a map: its values on given latent points, as numpy.

:meth:`gan1d.Run.sample` draws the latent noise itself, so it shows the generator's *law*.
:func:`generator_map` evaluates the generator on latent values chosen by the caller, which shows
the *map* :math:`z \mapsto G(z)`: on a grid of z it can be plotted against the exact transport
map :math:`F^{-1} \circ \Phi` of :func:`divergences.transport.transport_map`, and on the latent's midpoint
quantiles it gives the exact W1 of the generator's law (:func:`divergences.transport.pushforward_w1`).
"""

import numpy as np
import torch

from toys import validation

from ..training.run import Run

__all__ = ["generator_map"]


def generator_map(run, z):
    r"""The trained generator of ``run`` evaluated at the latent values ``z``: :math:`G(z)`.

    Parameters
    ----------
    run : gan1d.Run
        A trained run (any generator: an MLP, ``ParallelLines`` or ``LocationScale``).
    z : array_like, shape (n,) or (n, latent_dim)
        Latent values: shape ``(n,)`` (or ``(n, 1)``) for a 1-D latent, ``(n, latent_dim)``
        otherwise. The latent of :class:`gan1d.MLP` and ``LocationScale`` is standard normal,
        that of ``ParallelLines`` uniform on [0, 1].

    Returns
    -------
    numpy.ndarray
        :math:`G(z)`, float64 (the network computes in float32): shape ``(n,)`` for a 1-D target
        and ``(n, d)`` otherwise, as :meth:`gan1d.Run.sample` returns; in the units of the target.

    Raises
    ------
    TypeError
        If ``run`` is not a :class:`gan1d.Run` or ``z`` is not numeric.
    ValueError
        If ``z`` does not have one of the shapes above or holds a value that is not finite.

    Notes
    -----
    For :math:`Z` with the generator's latent law, ``generator_map(run, Z)`` has the law of
    ``run.sample``: both run the same network on the same kind of noise, so with the same
    noise they return the same points.

    Examples
    --------
    The location-scale generator :math:`\mu + \sigma z`:

    >>> import numpy as np
    >>> import gan1d, toys
    >>> run = gan1d.train(toys.Gaussian(1.0, 2.0), steps=2, seed=0, eval_every=1,
    ...                   generator=gan1d.LocationScale(mu=0.0, sigma=1.0))
    >>> mu, sigma = run.history["mu"][-1], run.history["sigma"][-1]
    >>> z = np.array([-1.0, 0.0, 2.0])
    >>> bool(np.allclose(gan1d.analysis.generator_map(run, z), mu + sigma * z, atol=1e-6))
    True
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a gan1d.Run (the result of gan1d.train), got {type(run).__name__}")
    k = run.generator.latent_dim
    if np.ndim(z) == 0:
        raise ValueError(f"z must be an array of latent values of shape (n,) or (n, {k}), got the scalar {z!r}")
    z = validation.points("z", z, dim=k, what=f"a generator with latent_dim={k}")
    device = next(run.generator.parameters()).device
    t = torch.as_tensor(z, dtype=torch.float32, device=device)[None]  # (1, n, latent_dim)
    with torch.no_grad():
        x = run.generator(t)[0].double().cpu().numpy()  # (n, d)
    return x[:, 0] if x.shape[1] == 1 else x
