"""Closed forms, registered for a pair of types and dispatched to the most specific match.

The pattern of ``torch.distributions.kl``: a closed form is one decorated function (see
:func:`register`), and lookup walks the method resolution orders of the two argument types, preferring the
registration closest to ``(type(p), type(q))``. A registered function may return
``NotImplemented`` to hand a particular pair on to the numeric path (for example W1 between
d-D Gaussians with unequal covariances).

TV, JS and W1 are symmetric: registering ``(A, B)`` also serves ``(B, A)`` with the arguments
swapped. KL is not: ``reverse_kl(p, q)`` is ``kl(q, p)`` and uses the KL table.
"""

import functools

NAMES = ("tv", "kl", "js", "w1")
SYMMETRIC = frozenset({"tv", "js", "w1"})

_TABLE = {name: {} for name in NAMES}


def register(name, type_p, type_q):
    """Decorator registering ``fn(p, q) -> float`` as the closed form of ``name`` for a pair of types.

    Parameters
    ----------
    name : {"tv", "kl", "js", "w1"}
        The divergence.
    type_p, type_q : type
        Classes (or base classes) of the two arguments.

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    TypeError
        If ``type_p`` or ``type_q`` is not a class.

    Notes
    -----
    The function receives the two laws and returns a float, or ``NotImplemented`` to leave
    that pair to the numeric path. Cite the formula's source in its docstring.

    Examples
    --------
    A law whose W1 to another of its kind is known in closed form:

    >>> from toys import Gaussian
    >>> from divergences import register, w1
    >>> class Translate(Gaussian):  # a Gaussian only ever compared with its translates
    ...     pass
    >>> @register("w1", Translate, Translate)
    ... def _w1_translates(p, q):
    ...     return abs(p.mean - q.mean)  # W1 of a law and its translate is the shift
    >>> w1(Translate(0.0, 1.0), Translate(2.5, 1.0))
    2.5
    """
    if name not in _TABLE:
        raise ValueError(f"name must be one of {NAMES}, got {name!r}")
    for label, t in (("type_p", type_p), ("type_q", type_q)):
        if not isinstance(t, type):
            raise TypeError(f"{label} must be a class, got {t!r}")

    def decorator(fn):
        _TABLE[name][(type_p, type_q)] = fn
        if name in SYMMETRIC and type_p is not type_q:
            _TABLE[name].setdefault((type_q, type_p), _swapped(fn))
        lookup.cache_clear()
        return fn

    return decorator


def _swapped(fn):
    @functools.wraps(fn)
    def swapped(p, q):
        return fn(q, p)

    return swapped


@functools.cache
def lookup(name, type_p, type_q):
    """The closed form registered for ``(type_p, type_q)``, or None.

    Among all registrations ``(A, B)`` with ``type_p`` a subclass of ``A`` and ``type_q`` of
    ``B``, the one whose classes come first in the two MROs wins (compared left to right, then
    right to left; a disagreement is an ambiguity and raises ``RuntimeError``).
    """
    matches = [(a, b) for (a, b) in _TABLE[name] if issubclass(type_p, a) and issubclass(type_q, b)]
    if not matches:
        return None
    mro_p, mro_q = type_p.__mro__, type_q.__mro__
    left = min(matches, key=lambda ab: (mro_p.index(ab[0]), mro_q.index(ab[1])))
    right = min(matches, key=lambda ab: (mro_q.index(ab[1]), mro_p.index(ab[0])))
    if left != right:
        raise RuntimeError(
            f"ambiguous closed forms for {name}({type_p.__name__}, {type_q.__name__}): "
            f"{left[0].__name__}/{left[1].__name__} and {right[0].__name__}/{right[1].__name__}; "
            f"register one for the exact pair"
        )
    return _TABLE[name][left]


def registered(name):
    """The ``(type_p, type_q)`` pairs with a closed form for ``name`` (including symmetric mirrors)."""
    return sorted(_TABLE[name], key=lambda ab: (ab[0].__name__, ab[1].__name__))
