"""The one evaluator of the divergences: closed forms pair by pair, the numeric path for the rest.

:func:`evaluate` computes several divergences for many pairs of laws at once. Every scalar
function (:func:`divergences.kl` and the others) and :func:`divergences.curves` call it, so there
is one dispatch: for each pair the registered closed forms are tried, most specific first
(:mod:`divergences.registry`); the pairs they decline go to the numeric path together, in 1-D as
one vectorised quadrature shared by all the divergences asked for.

Reverse KL is defined here and only here: it is KL with the arguments swapped
(:data:`QUANTITIES`).
"""

import importlib
from dataclasses import dataclass

import numpy as np

from .laws import check_pair
from .numeric import one_d, two_d
from .registry import REGISTRIES, Registry

__all__ = ["ALL_NAMES", "NAMES", "QUANTITIES", "Quantity", "evaluate", "method"]


@dataclass(frozen=True)
class Quantity:
    """A divergence as the evaluator sees it: where its closed forms are, and how to label it."""

    name: str
    registry: Registry  # its closed forms
    swapped: bool  # True: D(p, q) is the registry's quantity at (q, p)
    label: str  # for plots, in the lecture's notation, with Q_theta the model
    params: tuple = ()  # the keyword parameters it takes (the order alpha of the Rényi divergence)
    # its own numeric path, a module of divergences.numeric with evaluate(ps, qs, **params) -> array
    # and method(p, q, **params) -> str; None: the shared 1-D quadrature and 2-D cubature
    numeric: str | None = None

    def numeric_path(self):
        """The module of this quantity's own numeric path, or None for the shared one."""
        return None if self.numeric is None else importlib.import_module(f"divergences.numeric.{self.numeric}")


QUANTITIES = {
    "tv": Quantity("tv", REGISTRIES["tv"], False, r"TV$(P, Q_\theta)$"),
    "kl": Quantity("kl", REGISTRIES["kl"], False, r"KL$(P\,\|\,Q_\theta)$"),
    "reverse_kl": Quantity("reverse_kl", REGISTRIES["kl"], True, r"KL$(Q_\theta\,\|\,P)$"),
    "js": Quantity("js", REGISTRIES["js"], False, r"JS$(P, Q_\theta)$"),
    "w1": Quantity("w1", REGISTRIES["w1"], False, r"$W_1(P, Q_\theta)$"),
    "hellinger": Quantity("hellinger", REGISTRIES["hellinger"], False, r"$H^2(P, Q_\theta)$"),
    "chi2": Quantity("chi2", REGISTRIES["chi2"], False, r"$\chi^2(P\,\|\,Q_\theta)$"),
    "renyi": Quantity("renyi", REGISTRIES["renyi"], False, r"$D_\alpha(P\,\|\,Q_\theta)$", ("alpha",)),
    "w2": Quantity("w2", REGISTRIES["w2"], False, r"$W_2(P, Q_\theta)$", numeric="w2"),
    "energy": Quantity("energy", REGISTRIES["energy"], False, r"$\mathcal{E}(P, Q_\theta)$", numeric="energy"),
    "mmd": Quantity("mmd", REGISTRIES["mmd"], False, r"MMD$^2(P, Q_\theta)$", ("kernel", "bandwidth"), "mmd"),
}
#: The divergences of the lecture, in its order (the default of :func:`divergences.curves`).
NAMES = ("tv", "kl", "reverse_kl", "js", "w1")
#: Every divergence the evaluator computes: the lecture's and the atlas's.
ALL_NAMES = tuple(QUANTITIES)


def evaluate(names, ps, qs, closed_forms=True, **params):
    """Divergences ``names`` for every pair ``(ps[i], qs[i])`` of laws already converted to toys.

    Parameters
    ----------
    names : sequence of str
        Keys of :data:`QUANTITIES`.
    ps, qs : sequences of toys of equal length B
        Pairs of laws of one dimension each (checked by the callers).
    closed_forms : bool
        False skips the registered closed forms: the numeric path alone, to check them against.
    **params
        The parameters of the quantities that take some (``alpha`` for ``"renyi"``), checked by
        the callers.

    Returns
    -------
    dict of str to numpy.ndarray, shape (B,)
        ``out[name][i] = D(ps[i], qs[i])``, in nats (TV and W1 in their own units), ``inf``
        where infinite.

    Raises
    ------
    NotImplementedError
        For a pair that no closed form covers in 3 or more dimensions, or that the 2-D numeric
        path does not cover.
    """
    ps, qs = list(ps), list(qs)
    out, pending = {}, {}
    for name in names:
        quantity = QUANTITIES[name]
        values, todo = np.full(len(ps), np.nan), []
        for i, (p, q) in enumerate(zip(ps, qs, strict=True)):
            a, b = (q, p) if quantity.swapped else (p, q)
            kwargs = {k: params[k] for k in quantity.params}
            value = quantity.registry.closed_form(a, b, **kwargs) if closed_forms else NotImplemented
            if value is NotImplemented:
                todo.append(i)
            else:
                values[i] = value
        out[name], pending[name] = values, todo
    _numeric(out, pending, ps, qs, params)
    return out


def _numeric(out, pending, ps, qs, params):
    """Fill in the pending values: quantities with their own numeric path pass all their pairs to it;
    for the others, 1-D pairs in one batch and 2-D pairs one at a time."""
    own = {name for name in pending if QUANTITIES[name].numeric is not None}
    for name in own:
        todo = pending[name]
        if todo:
            path = QUANTITIES[name].numeric_path()
            kwargs = {k: params[k] for k in QUANTITIES[name].params}
            out[name][todo] = path.evaluate([ps[i] for i in todo], [qs[i] for i in todo], **kwargs)
    pending = {name: todo for name, todo in pending.items() if name not in own}
    rows = sorted(set().union(set(), *pending.values()))
    flat = [i for i in rows if ps[i].dim == 1]
    if flat:
        wanted = [name for name in pending if set(pending[name]) & set(flat)]
        extra = {"alpha": params["alpha"]} if "renyi" in wanted else {}
        values = one_d.evaluate_many(wanted, [ps[i] for i in flat], [qs[i] for i in flat], **extra)
        for name in wanted:
            mine = [i for i in pending[name] if ps[i].dim == 1]
            out[name][mine] = values[name][np.searchsorted(flat, mine)]
    for name, todo in pending.items():
        quantity = QUANTITIES[name]
        for i in todo:
            p, q = ps[i], qs[i]
            if p.dim == 1:
                continue
            _check_numeric(name, p, q)
            a, b = (q, p) if quantity.swapped else (p, q)
            out[name][i] = two_d.evaluate(quantity.registry.name, a, b, **{k: params[k] for k in quantity.params})


def _check_numeric(name, p, q):
    """Raise NotImplementedError unless the numeric path covers ``name(p, q)`` (a pair of dimension >= 2)."""
    if p.dim != 2:
        raise NotImplementedError(
            f"{name}({type(p).__name__}, {type(q).__name__}) in {p.dim} dimensions has no closed form and "
            "the numeric path covers 1-D and 2-D; estimate it from samples with divergences.empirical"
        )
    quantity = QUANTITIES[name]
    a, b = (q, p) if quantity.swapped else (p, q)
    reason = two_d.refusal(quantity.registry.name, a, b)
    if reason is not None:
        raise NotImplementedError(f"{name}({type(p).__name__}, {type(q).__name__}) has no closed form, and {reason}")


def method(name, p, q, **params):
    """How :func:`evaluate` computes divergence ``name`` for the pair ``(p, q)``.

    Parameters
    ----------
    name : str
        A key of :data:`QUANTITIES` (:data:`ALL_NAMES`).
    p, q : toys or frozen scipy.stats laws
        Two laws of the same dimension, converted as the scalar functions convert them.
    **params
        The quantity's parameters (``alpha`` for ``"renyi"``).

    Returns
    -------
    str
        ``"closed form"``, ``"quadrature"`` (1-D), ``"cubature"`` (2-D TV, KL, JS) or
        ``"transport"`` (2-D W1 between discretisations).

    Raises
    ------
    ValueError
        If ``name`` is unknown or the laws are invalid or of different dimensions.
    NotImplementedError
        Where :func:`evaluate` would: no closed form, and no numeric path for the pair.
    """
    if name not in QUANTITIES:
        raise ValueError(f"name must be one of {ALL_NAMES}, got {name!r}")
    p, q = check_pair(p, q)
    quantity = QUANTITIES[name]
    a, b = (q, p) if quantity.swapped else (p, q)
    if quantity.registry.closed_form(a, b, **{k: params[k] for k in quantity.params}) is not NotImplemented:
        return "closed form"
    if quantity.numeric is not None:
        return quantity.numeric_path().method(p, q, **{k: params[k] for k in quantity.params})
    if p.dim == 1:
        return "quadrature"
    _check_numeric(name, p, q)
    return "transport" if quantity.registry.name == "w1" else "cubature"
