"""The numeric path of ``energy`` (work in progress: refuses every pair until it is written)."""

__all__ = ["evaluate", "method"]


def evaluate(ps, qs, **params):
    """``energy(ps[i], qs[i])`` for every pair with no closed form; returns an array of shape (B,)."""
    raise NotImplementedError(f"energy({ps[0]!r}, {qs[0]!r}) has no closed form and no numeric path yet")


def method(p, q, **params):
    """How :func:`evaluate` computes the pair: "quadrature", "cubature" or "transport"."""
    raise NotImplementedError(f"energy({p!r}, {q!r}) has no closed form and no numeric path yet")
