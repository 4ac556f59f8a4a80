"""Parameter checks shared by the toys.

Every check raises before any work is done, with a message that names the parameter, the value
received and what was expected.
"""

import numbers

import numpy as np

#: Tolerance on ``sum(weights) == 1`` and ``sum(probs) == 1``.
SUM_TOL = 1e-9


def real_scalar(name, value):
    """Return ``value`` as a finite Python float, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a scalar, got an array of shape {arr.shape}")
    x = float(arr)
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return x


def positive_scalar(name, value):
    """Return ``value`` as a finite float > 0, or raise naming ``name``."""
    x = real_scalar(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be > 0, got {x!r}")
    return x


def real_array(name, value, ndim=None):
    """Return ``value`` as a finite float array (of ``ndim`` dimensions if given)."""
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape} from {_short(value)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers, got {_short(value)}")
    return arr


def probability_vector(name, value):
    """Return ``value`` as a 1-D array of non-negative numbers summing to 1 within ``SUM_TOL``."""
    arr = real_array(name, value, ndim=1)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative, got {_short(value)}")
    total = float(arr.sum())
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(f"{name} must sum to 1 (within {SUM_TOL:g}), got sum {total!r} for {_short(value)}")
    return arr / total


def covariance_matrix(name, value, dim):
    """Return ``value`` as a symmetric positive-definite ``(dim, dim)`` array."""
    arr = real_array(name, value, ndim=2)
    if arr.shape != (dim, dim):
        raise ValueError(f"{name} must have shape ({dim}, {dim}) to match the mean, got shape {arr.shape}")
    if not np.allclose(arr, arr.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"{name} must be symmetric, got {_short(value)}")
    try:
        np.linalg.cholesky(arr)
    except np.linalg.LinAlgError:
        eig = np.linalg.eigvalsh(arr)
        raise ValueError(
            f"{name} must be positive definite, got {_short(value)} with eigenvalues {eig.tolist()}"
        ) from None
    return arr


def check_points(x, dim):
    """Raise unless the array ``x`` has shape ``(..., dim)`` (points of a ``dim``-D law)."""
    if x.ndim == 0 or x.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}) for a {dim}-D law, got shape {x.shape}")


def sample_size(n):
    """Return ``n`` as a non-negative int, or raise."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a non-negative integer, got {n!r} of type {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    return int(n)


def integer_array(name, value, minimum, ndim=None):
    """Return ``value`` as an int64 array of integers >= ``minimum`` (bools refused), or raise naming ``name``.

    ``ndim`` (0 for a scalar, 1 for a 1-D array) is enforced when given; the array must not be empty.
    """
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be an integer or an array of integers >= {minimum}, got {_short(value)}")
    if ndim is not None and arr.ndim != ndim:
        want = "a scalar" if ndim == 0 else f"a {ndim}-D array"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.size == 0 or np.any(arr < minimum):
        raise ValueError(f"{name} must be integers >= {minimum}, got {_short(value)}")
    return arr.astype(np.int64)


def as_generator(rng):
    """Return a ``numpy.random.Generator`` from None, an int seed or a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be a non-negative seed, got {rng!r}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator, got {rng!r} of type {type(rng).__name__}"
    )


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
