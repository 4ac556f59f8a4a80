"""The checks that the ELBO, its maximiser and its gradient estimators share: each raises before any work,
naming the parameter, the value received and what was expected (as :mod:`toys.validation` does)."""

import numpy as np

from toys import LinearGaussian
from toys.validation import SCALE_RANGE, covariance_matrix, integer, points, real_array, short

__all__ = [
    "check_data_and_rank",
    "check_model",
    "check_q_cov",
    "check_q_log_std",
    "check_q_mean",
    "check_q_std",
    "check_x",
]


def check_model(model):
    """Raise ``TypeError`` unless ``model`` is a :class:`toys.LinearGaussian`; return it."""
    if not isinstance(model, LinearGaussian):
        raise TypeError(f"model must be a toys.LinearGaussian, got {short(model)} of type {type(model).__name__}")
    return model


def check_x(model, x, single=False):
    """``x`` as ``(n, d)`` points of ``model``, and whether it was one point of shape ``(d,)``.

    With ``single=True`` only one point, shape ``(d,)``, is accepted.
    """
    arr = real_array("x", x)
    d = model.dim
    want = f"({d},)" if single else f"({d},) for one point or (n, {d}) for n >= 1 points"
    if arr.ndim not in ((1,) if single else (1, 2)) or arr.shape[-1] != d or arr.shape[0] == 0:
        raise ValueError(f"x must have shape {want} (the model's dimension d = {d}), got shape {arr.shape}")
    return (arr[None, :], True) if arr.ndim == 1 else (arr, False)


def check_q_mean(model, value, n, one):
    """The means of q, shape ``(n, k)``: given as ``(k,)`` for one point, ``(n, k)`` for n points."""
    k = model.latent_dim
    arr = real_array("q_mean", value)
    want = (k,) if one else (n, k)
    if arr.shape != want:
        raise ValueError(f"q_mean must have shape {want} (one mean of z per point of x), got shape {arr.shape}")
    return arr.reshape(n, k)


def check_q_std(model, value, n, one):
    """The standard deviations of a diagonal q, shape ``(n, k)`` or ``(1, k)`` (shared by every point)."""
    k = model.latent_dim
    arr = real_array("q_std", value)
    if arr.shape not in ((k,), (k,) if one else (n, k)):
        want = f"({k},)" if one else f"({k},) (shared) or ({n}, {k}) (one row per point)"
        raise ValueError(f"q_std must have shape {want}, got shape {arr.shape}")
    low, high = SCALE_RANGE
    if np.any(arr < low) or np.any(arr > high):
        raise ValueError(f"q_std must be standard deviations between {low:.3g} and {high:.3g}, got {short(value)}")
    return arr.reshape(-1, k)


def check_q_log_std(model, value):
    """The log standard deviations of a diagonal q for one point, shape ``(k,)``, each within +-300."""
    k = model.latent_dim
    arr = real_array("q_log_std", value)
    if arr.shape != (k,):
        raise ValueError(f"q_log_std must have shape ({k},), got shape {arr.shape}")
    if np.any(np.abs(arr) > 300):
        raise ValueError(
            f"q_log_std must lie within +-300 (standard deviations that square to normal floats), got {short(value)}"
        )
    return arr


def check_q_cov(model, value, n, one):
    """The covariances of q, shape ``(n, k, k)`` or ``(1, k, k)`` (shared), each one toys.Gaussian accepts."""
    k = model.latent_dim
    arr = real_array("q_cov", value)
    if arr.shape not in ((k, k), (k, k) if one else (n, k, k)):
        want = f"({k}, {k})" if one else f"({k}, {k}) (shared) or ({n}, {k}, {k}) (one per point)"
        raise ValueError(f"q_cov must have shape {want}, got shape {arr.shape}")
    stack = arr.reshape(-1, k, k)
    for i, cov in enumerate(stack):
        covariance_matrix("q_cov" if len(stack) == 1 else f"q_cov[{i}]", cov, k)
    return 0.5 * (stack + np.swapaxes(stack, -1, -2))


def check_data_and_rank(x, k):
    """``(data, k)``: n >= 2 points in d >= 2 dimensions, and a latent dimension 1 <= k < d."""
    data = points("x", x)
    n, d = data.shape
    if n < 2 or d < 2:
        raise ValueError(f"x must hold n >= 2 points in d >= 2 dimensions, got shape {data.shape}")
    k = integer("k", k, minimum=1)
    if k >= d:
        raise ValueError(f"k must be less than the dimension of the data, {d}, got {k}")
    return data, k
