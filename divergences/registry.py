"""Closed forms, registered per tuple of argument types and dispatched to the most specific match.

The pattern of ``torch.distributions.kl``: a closed form is one decorated function, and a lookup
walks the method resolution orders of the argument types, preferring the registration closest to
the arguments' own types. Every named quantity of the toolkit has one :class:`Registry`
(:data:`REGISTRIES`): the divergences ``tv``, ``kl``, ``js``, ``w1`` of two laws, and
``entropy`` (one law) and ``cross_entropy`` (two). A registered function may return
``NotImplemented`` to hand a pair on: the next most specific registration is tried, and when none
is left the quantity goes to the numeric path (:mod:`divergences.numeric`).

TV, JS and W1 are symmetric: registering ``(A, B)`` also serves ``(B, A)`` with the arguments
swapped. KL is not, and reverse KL has no table of its own: ``reverse_kl(p, q)`` is ``kl(q, p)``
(:mod:`divergences.evaluate`).

Adding a quantity is one line here (its :class:`Registry`), its closed forms (one decorated
function each, in :mod:`divergences.closed_forms`), and its numeric path.
"""

import functools

__all__ = ["REGISTRIES", "Registry", "register"]


class Registry:
    """The closed forms of one named quantity of ``arity`` laws.

    Parameters
    ----------
    name : str
        The quantity, as the user names it (``"kl"``).
    arity : {1, 2}
        Number of laws it takes.
    symmetric : bool
        Whether ``D(p, q) == D(q, p)``; a registration then serves both orders.
    """

    def __init__(self, name, arity=2, symmetric=False):
        if arity not in (1, 2) or (symmetric and arity != 2):
            raise ValueError(f"a registry takes one or two laws (symmetric: two), got arity={arity!r}")
        self.name, self.arity, self.symmetric = name, arity, symmetric
        self._table = {}
        self._mirrors = set()  # keys filled by a symmetric registration, not registered themselves

    def __repr__(self):
        return f"Registry({self.name!r}, {len(self._table)} closed forms)"

    def register(self, *types):
        """Decorator registering ``fn(*laws) -> float | NotImplemented`` for the given argument types."""
        if len(types) != self.arity:
            raise TypeError(f"{self.name} takes {self.arity} law(s): give {self.arity} type(s), got {len(types)}")
        for label, t in zip(("type_p", "type_q"), types):
            if not isinstance(t, type):
                raise TypeError(f"{label} must be a class, got {t!r}")

        def decorator(fn):
            self._table[types] = fn
            self._mirrors.discard(types)
            mirror = types[::-1]
            if self.symmetric and mirror != types and (mirror not in self._table or mirror in self._mirrors):
                self._table[mirror] = _swapped(fn)
                self._mirrors.add(mirror)
            self.candidates.cache_clear()
            return fn

        return decorator

    @functools.cache  # noqa: B019  (one registry per quantity, alive for the whole session)
    def candidates(self, *types):
        """The registered functions that apply to arguments of ``types``, most specific first.

        Among the registrations ``(A, B)`` with each argument type a subclass of the registered
        one, those whose classes come earlier in the arguments' MROs come first (compared left to
        right). If comparing right to left would put another registration first, the pair is
        ambiguous and ``RuntimeError`` asks for a registration of the exact types.
        """
        matches = [key for key in self._table if all(issubclass(t, k) for t, k in zip(types, key))]
        if not matches:
            return ()
        ranks = {key: tuple(t.__mro__.index(k) for t, k in zip(types, key)) for key in matches}
        ordered = sorted(matches, key=lambda key: ranks[key])
        if len(types) == 2:
            right = min(matches, key=lambda key: ranks[key][::-1])
            if right != ordered[0] and not self._mirror_pair(right, ordered[0]):
                left = ordered[0]
                raise RuntimeError(
                    f"ambiguous closed forms for {self.name}({types[0].__name__}, {types[1].__name__}): "
                    f"{left[0].__name__}/{left[1].__name__} and {right[0].__name__}/{right[1].__name__}; "
                    "register one for the exact pair"
                )
        return tuple(self._table[key] for key in ordered)

    def _mirror_pair(self, a, b):
        """Whether the registrations ``a`` and ``b`` are one symmetric registration and its mirror."""
        return self.symmetric and a == b[::-1] and (a in self._mirrors or b in self._mirrors)

    def closed_form(self, *laws, **params):
        """The value of the first applicable closed form that does not decline, or ``NotImplemented``.

        ``params`` (the order ``alpha`` of :func:`divergences.renyi`) are passed on to each
        registered function of a quantity that takes them.
        """
        for fn in self.candidates(*map(type, laws)):
            value = fn(*laws, **params)
            if value is not NotImplemented:
                return float(value)
        return NotImplemented

    def registered(self):
        """The type tuples with a closed form (symmetric mirrors included), sorted by name."""
        return sorted(self._table, key=lambda key: tuple(t.__name__ for t in key))


def _swapped(fn):
    @functools.wraps(fn)
    def swapped(p, q, **params):
        return fn(q, p, **params)

    return swapped


#: One registry per named quantity with closed forms.
REGISTRIES = {
    "tv": Registry("tv", symmetric=True),
    "kl": Registry("kl"),
    "js": Registry("js", symmetric=True),
    "w1": Registry("w1", symmetric=True),
    "hellinger": Registry("hellinger", symmetric=True),
    "chi2": Registry("chi2"),
    "renyi": Registry("renyi"),  # registered functions take (p, q, alpha)
    "w2": Registry("w2", symmetric=True),
    "energy": Registry("energy", symmetric=True),
    "mmd": Registry("mmd", symmetric=True),  # registered functions take (p, q, kernel, bandwidth)
    "entropy": Registry("entropy", arity=1),
    "cross_entropy": Registry("cross_entropy"),
}


def register(name, *types):
    """Decorator registering ``fn(p, q) -> float`` as a closed form of ``name`` for a pair of types.

    Parameters
    ----------
    name : {"tv", "kl", "js", "w1", "hellinger", "chi2", "renyi", "w2", "energy", "mmd", "entropy", "cross_entropy"}
        The quantity (reverse KL is KL with the arguments swapped: register ``"kl"``).
    *types : type
        The classes (or base classes) of the arguments: two, or one for ``"entropy"``.

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    TypeError
        If a type is not a class, or their number is not the quantity's.

    Notes
    -----
    The function receives the laws and returns a float, or ``NotImplemented`` to hand them on to
    the next most specific registration and, at the end, to the numeric path. Cite the formula's
    source in its docstring.

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
    if name not in REGISTRIES:
        raise ValueError(f"name must be one of {tuple(REGISTRIES)}, got {name!r}")
    return REGISTRIES[name].register(*types)
