"""Checks of user input, shared by :mod:`toys`, :mod:`divergences` and :mod:`gan1d`.

Every check raises before any work is done, with a message that names the parameter, the value
received and what was expected: ``TypeError`` when the value is of the wrong kind (a string for a
number, a float for a count, a bool anywhere a number is expected), ``ValueError`` when it is of
the right kind but out of range. Each returns the value converted (a Python float or int, or a
float array), so a caller writes ``n = positive_int("n", n)`` and goes on.

Examples
--------
>>> from toys.validation import points, positive_int
>>> positive_int("steps", 3)
3
>>> positive_int("steps", 0)
Traceback (most recent call last):
    ...
ValueError: steps must be a positive integer, got 0
>>> points("x", [1.0, 2.0]).shape          # n points on the line
(2, 1)
"""

import numbers

import numpy as np

__all__ = [
    "LOCATION_LIMIT",
    "MAX_CONDITION",
    "SCALE_RANGE",
    "SUM_TOL",
    "as_generator",
    "check_locations",
    "check_points",
    "check_scale",
    "count",
    "covariance_matrix",
    "integer",
    "integer_array",
    "location",
    "points",
    "positive_int",
    "positive_scalar",
    "probability_vector",
    "real_array",
    "real_scalar",
    "sample_size",
    "scale",
    "seed",
    "short",
]

#: Tolerance on ``sum(weights) == 1`` and ``sum(probs) == 1``.
SUM_TOL = 1e-9
#: Range of a scale (a standard deviation, a width, 1 / rate): its square, a variance, must be a
#: normal positive float, neither subnormal nor infinite, so that every moment and every
#: standardised coordinate of the law is computed with full precision.
SCALE_RANGE = (float(np.sqrt(np.finfo(float).tiny)), float(np.sqrt(np.finfo(float).max)))
#: Largest magnitude of a location (a mean, an end of a support, an atom): squared, with a
#: variance added, a second moment stays finite.
LOCATION_LIMIT = 1e150
#: Largest condition number (ratio of the extreme eigenvalues) of the correlation matrix of a
#: covariance: beyond it the rounding of its factorisation alone exceeds the 1e-6 that the 2-D
#: numerics promise. (Variances of very different sizes are fine: only correlations near +-1 are
#: ill conditioned.)
MAX_CONDITION = 1e8


# -- numbers ------------------------------------------------------------------------------------
def real_scalar(name, value):
    """Return ``value`` as a finite Python float, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    try:
        arr = np.asarray(value, dtype=float)
    except OverflowError:  # a Python int beyond the largest float
        raise ValueError(f"{name} must be finite, got {short(value)}, beyond the largest float") from None
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


def scale(name, value):
    """Return ``value`` as a float in :data:`SCALE_RANGE` (a standard deviation, a width), or raise."""
    return check_scale(name, positive_scalar(name, value))


def check_scale(name, x):
    """Raise unless the float ``x`` > 0 is within :data:`SCALE_RANGE`; return it."""
    low, high = SCALE_RANGE
    if not low <= x <= high:
        raise ValueError(
            f"{name} must be between {low:.3g} and {high:.3g}, so that its square (a variance) is a normal finite "
            f"float, got {x!r}"
        )
    return x


def location(name, value):
    """Return ``value`` as a float of magnitude at most :data:`LOCATION_LIMIT`, or raise naming ``name``."""
    return check_locations(name, real_scalar(name, value))


def check_locations(name, x):
    """Raise unless every entry of ``x`` (a float or an array) has magnitude at most LOCATION_LIMIT; return x."""
    worst = float(np.max(np.abs(x))) if np.size(x) else 0.0
    if worst > LOCATION_LIMIT:
        raise ValueError(
            f"{name} must lie within +-{LOCATION_LIMIT:g} (so that second moments stay finite floats), got "
            f"{float(x) if np.ndim(x) == 0 else short(np.asarray(x).tolist())}"
        )
    return x


def integer(name, value, minimum=None):
    """Return ``value`` as a Python int (``>= minimum`` if given); bools and floats are refused."""
    want = "an integer" if minimum is None else f"an integer >= {minimum}"
    return _integer(name, value, minimum, want)


def positive_int(name, value):
    """Return ``value`` as an int >= 1, or raise naming ``name``."""
    return _integer(name, value, 1, "a positive integer")


def count(name, value):
    """Return ``value`` as an int >= 0, or raise naming ``name``."""
    return _integer(name, value, 0, "a non-negative integer")


def _integer(name, value, minimum, want):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {want}, got {value!r} of type {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be {want}, got {value!r}")
    return int(value)


def sample_size(n):
    """Return the number of samples ``n`` as an int >= 0, or raise naming ``n``."""
    return count("n", n)


def seed(name, value):
    """Return ``value`` as a non-negative int seed, or raise naming ``name``."""
    return _integer(name, value, 0, "a non-negative integer seed")


def as_generator(rng):
    """Return a ``numpy.random.Generator`` from None (fresh OS entropy), an int seed or a Generator."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_))):
        if rng is not None and rng < 0:
            raise ValueError(f"rng must be a non-negative seed, got {rng!r}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator, got {rng!r} of type {type(rng).__name__}"
    )


# -- arrays -------------------------------------------------------------------------------------
def real_array(name, value, ndim=None):
    """Return ``value`` as a finite float array (of ``ndim`` dimensions if given); None and bools are refused."""
    if _has_bool(value):
        raise TypeError(f"{name} must be an array of real numbers, got {short(value)}")
    try:
        arr = np.array(value, dtype=float)
    except OverflowError:  # a Python int beyond the largest float
        raise ValueError(
            f"{name} must contain only finite numbers, got {short(value)}, beyond the largest float"
        ) from None
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers, got {short(value)}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape} from {short(value)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers, got {short(value)}")
    return arr


def integer_array(name, value, minimum, ndim=None):
    """Return ``value`` as an int64 array of integers >= ``minimum`` (bools refused), or raise naming ``name``.

    ``ndim`` (0 for a scalar, 1 for a 1-D array) is enforced when given; the array must not be empty.
    """
    arr = np.asarray(value)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be an integer or an array of integers >= {minimum}, got {short(value)}")
    if ndim is not None and arr.ndim != ndim:
        want = "a scalar" if ndim == 0 else f"a {ndim}-D array"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.size == 0 or np.any(arr < minimum):
        raise ValueError(f"{name} must be integers >= {minimum}, got {short(value)}")
    return arr.astype(np.int64)


def probability_vector(name, value):
    """Return ``value`` as a 1-D array of non-negative numbers summing to 1 within ``SUM_TOL``."""
    arr = real_array(name, value, ndim=1)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be non-negative, got {short(value)}")
    total = float(arr.sum())
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(f"{name} must sum to 1 (within {SUM_TOL:g}), got sum {total!r} for {short(value)}")
    return arr / total


def _has_bool(value):
    """Whether an array-like is or holds a bool (numpy would read True as 1.0) or None (as nan)."""
    if value is None or isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, np.ndarray) and value.dtype != object:
        return value.dtype == bool
    if isinstance(value, numbers.Number):
        return False
    try:
        items = np.asarray(value, dtype=object).ravel().tolist()
    except ValueError:  # ragged: numpy's own conversion says so
        return False
    return any(v is None or isinstance(v, (bool, np.bool_)) for v in items)


def covariance_matrix(name, value, dim):
    """Return ``value`` as a symmetric positive-definite ``(dim, dim)`` array, well conditioned.

    Its eigenvalues must be variances in the squared :data:`SCALE_RANGE`, and the condition number
    of its correlation matrix at most :data:`MAX_CONDITION`.
    """
    arr = real_array(name, value, ndim=2)
    if arr.shape != (dim, dim):
        raise ValueError(f"{name} must have shape ({dim}, {dim}) to match the mean, got shape {arr.shape}")
    if not np.allclose(arr, arr.T, rtol=1e-12, atol=1e-12):
        raise ValueError(f"{name} must be symmetric, got {short(value)}")
    try:
        np.linalg.cholesky(arr)
    except np.linalg.LinAlgError:
        eig = np.linalg.eigvalsh(arr)
        raise ValueError(
            f"{name} must be positive definite, got {short(value)} with eigenvalues {eig.tolist()}"
        ) from None
    sd = np.sqrt(np.diag(arr))
    corr = np.linalg.eigvalsh(arr / np.outer(sd, sd))  # the correlations: scale-free
    if corr[-1] > MAX_CONDITION * corr[0]:
        raise ValueError(
            f"{name} must be well conditioned: its correlation matrix's largest eigenvalue may be at most "
            f"{MAX_CONDITION:g} times its smallest (beyond, rounding in its factorisation alone exceeds the 1e-6 of "
            f"the 2-D numerics), got {corr[-1] / corr[0] if corr[0] > 0 else np.inf:.3g} for {short(value)}"
        )
    eig = np.linalg.eigvalsh(arr)
    low, high = (s * s for s in SCALE_RANGE)
    if eig[0] < low or eig[-1] > high:
        raise ValueError(
            f"{name} must have eigenvalues (variances) between {low:.3g} and {high:.3g}, got {eig.tolist()}"
        )
    return arr


def points(name, value, dim=None, what=None):
    """Return ``value`` as a finite float array of points of shape ``(n, d)``, ``n >= 1``.

    A 1-D array is ``n`` points on the line (``d = 1``), and with ``dim=1`` a number is one point.
    With ``dim`` given, ``d`` must equal it;
    ``what`` names what the points are for in the message (default: "a {dim}-D law"). The message
    of a non-finite value says how many there are and where the first one is.
    """
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name} must be an array of shape (n,) or (n, d), got {short(value)}") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype} from {short(value)}")
    shape = arr.shape
    arr = arr.astype(float)
    if arr.ndim == 0 and dim == 1:
        arr = arr.reshape(1, 1)
    if arr.ndim == 1 and dim in (None, 1):
        arr = arr[:, None]
    if arr.ndim != 2 or (dim is not None and arr.shape[1] != dim):
        if dim is None:
            expected, where = "(n,) or (n, d)", ""
        else:
            expected = "(n,) or (n, 1)" if dim == 1 else f"(n, {dim})"
            where = f" for {what or f'a {dim}-D law'}"
        raise ValueError(f"{name} must be an array of points of shape {expected}{where}, got shape {shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty array of points, got shape {shape}")
    bad = ~np.isfinite(arr)
    if bad.any():
        nan = int(np.isnan(arr).sum())
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must contain only finite numbers, found {nan} NaN and {int(bad.sum()) - nan} "
            f"infinite value(s), the first at {name}[{i if len(shape) == 1 else f'{i}, {j}'}]"
        )
    return arr


def check_points(x, dim):
    """Raise unless the array ``x`` has shape ``(..., dim)`` (points of a ``dim``-D law)."""
    if x.ndim == 0 or x.shape[-1] != dim:
        raise ValueError(f"x must have shape (..., {dim}) for a {dim}-D law, got shape {x.shape}")


def short(value, limit=80):
    """``repr(value)``, cut to ``limit`` characters for an error message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
