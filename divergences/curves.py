r"""Divergence-vs-theta curves, and a plot of them.

``curves(family, thetas, reference)`` evaluates D(reference, family(theta)) for every theta
through the one evaluator of the scalar functions (:func:`divergences.evaluate.evaluate`):
closed forms pair by pair (microseconds each), and everything left to the numeric path in 1-D as
a single vectorised quadrature over all theta at once, not a loop of scalar integrals. 2-D
numeric cases are evaluated theta by theta.
"""

import numpy as np

from . import closed_forms  # noqa: F401  (registers the closed forms)
from .evaluate import ALL_NAMES, NAMES, QUANTITIES, evaluate
from .f_divergences import _order
from .kernel_discrepancy import check_kernel
from .laws import as_toy


def curves(family, thetas, reference, names=NAMES, *, alpha=None, kernel="gaussian", bandwidth=None):
    r"""Divergences between a reference law and a one-parameter family, for many theta.

    Parameters
    ----------
    family : callable
        ``family(theta)`` returns a toy (or frozen scipy.stats law), the model :math:`Q_\theta`.
    thetas : array_like, shape (T,)
        Finite parameter values.
    reference : toy or frozen scipy.stats law
        The data law P, of the same dimension as the family.
    names : sequence of str
        Any of :data:`divergences.evaluate.ALL_NAMES`; by default the lecture's five,
        ``"tv", "kl", "reverse_kl", "js", "w1"``.
    alpha : float, optional
        The order of ``"renyi"`` (required with it, unused otherwise), as in :func:`divergences.renyi`.
    kernel : str, optional
        The kernel of ``"mmd"``, as in :func:`divergences.mmd` (unused without it).
    bandwidth : float, optional
        The bandwidth of ``"mmd"`` (required with it, unused otherwise), as in :func:`divergences.mmd`.

    Returns
    -------
    dict of str to numpy.ndarray, shape (T,)
        ``out[name][i] = D(reference, family(thetas[i]))``: the reference plays p (the data) and
        the family member q (the model), so ``out["kl"]`` is KL(P || Q_theta) and
        ``out["reverse_kl"]`` is KL(Q_theta || P). Values in nats (TV and W1 in their own
        units); ``inf`` where the divergence is infinite.

    Raises
    ------
    TypeError
        If ``family`` is not callable or returns something that is not a law.
    ValueError
        If ``thetas`` is not a finite 1-D array, a name is unknown, or dimensions differ.
    Exception
        Whatever ``family(theta)`` or the evaluation of one pair raises (a refusal of the numeric
        path, say), of the same type, its message prefixed with the first theta at which it
        happens: ``"family at theta=0.0: ..."`` or ``"evaluation at theta=2.5: ..."``.

    Notes
    -----
    Each value equals the scalar function (:func:`divergences.kl` etc.) for the same pair; the
    accuracy is that of the path used (closed form, or the numeric paths of
    :mod:`divergences.numeric`).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian, ShiftedLine
    >>> from divergences import curves
    >>> thetas = np.array([-1.0, 0.0, 0.5])
    >>> out = curves(ShiftedLine, thetas, ShiftedLine(0.0))
    >>> out["w1"].tolist(), out["js"].tolist()[1], out["kl"].tolist()
    ([1.0, 0.0, 0.5], 0.0, [inf, 0.0, inf])
    >>> g = curves(lambda t: Gaussian(t, 1.0), thetas, Gaussian(0.0, 1.0), names=["kl"])
    >>> bool(np.allclose(g["kl"], thetas**2 / 2))
    True
    """
    if not callable(family):
        raise TypeError(f"family must be a callable theta -> distribution, got {family!r}")
    t = np.asarray(thetas, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)):
        raise ValueError(f"thetas must be a finite 1-D array, got {np.asarray(thetas)!r}")
    names = [names] if isinstance(names, str) else list(names)
    for name in names:
        if name not in QUANTITIES:
            raise ValueError(f"names must be among {ALL_NAMES}, got {name!r}")
    params = {}
    if "renyi" in names:
        if alpha is None:
            raise TypeError("names include 'renyi': give its order alpha")
        params["alpha"] = _order(alpha)
    if "mmd" in names:
        if bandwidth is None:
            raise TypeError("names include 'mmd': give its bandwidth")
        params["kernel"], params["bandwidth"] = check_kernel(kernel, bandwidth)
    if params.get("alpha") == 1.0:  # the limit: KL
        rest = {k: v for k, v in params.items() if k != "alpha"}
        out = curves(family, thetas, reference, [n if n != "renyi" else "kl" for n in names], **rest)
        return {n: out["kl" if n == "renyi" else n] for n in names}
    ref = as_toy(reference, "reference")
    models = []
    for th in map(float, t):
        try:
            model = family(th)
        except Exception as exc:
            raise _at(th, "family", exc) from exc
        models.append(as_toy(model, f"family({th!r})"))  # its messages name family(theta)
        if models[-1].dim != ref.dim:
            raise ValueError(f"family({th!r}) has dim={models[-1].dim} but reference has dim={ref.dim}")
    try:
        return evaluate(names, [ref] * len(models), models, **params)
    except Exception:
        # find the first theta that fails alone, and say which it is
        for th, m in zip(map(float, t), models, strict=True):
            try:
                evaluate(names, [ref], [m], **params)
            except Exception as single:
                raise _at(th, "evaluation", single) from single
        raise


def _at(theta, stage, exc):
    """``exc`` again, of the same type where it can be rebuilt from a message, naming theta."""
    message = f"{stage} at theta={theta!r}: {exc}"
    try:
        return type(exc)(message)
    except Exception:
        return RuntimeError(message)


def plot(thetas, values, *, ax=None, names=None, title=None):
    """Plot divergence-vs-theta curves as returned by :func:`curves`.

    Parameters
    ----------
    thetas : array_like, shape (T,)
        The parameter values the curves were computed at.
    values : dict of str to array_like, shape (T,)
        Output of :func:`curves`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes if None.
    names : sequence of str, optional
        Which curves to draw, default all in ``values``.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Infinite values are not dropped silently: they are drawn as dotted lines along the top edge
    (one level per curve), and the legend entry says so. A finite value between infinite ones
    (as at theta = 0 for the parallel lines) is drawn as a dot.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from toys import ShiftedLine
    >>> from divergences import curves, plot
    >>> th = np.linspace(-1, 1, 5)
    >>> ax = plot(th, curves(ShiftedLine, th, ShiftedLine(0.0)))
    >>> len(ax.get_legend().get_texts())
    5
    """
    import matplotlib.pyplot as plt  # lazily: computing divergences must not need a display

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    t = np.asarray(thetas, dtype=float)
    names = list(values) if names is None else list(names)
    finite_max = max(np.max(np.asarray(values[n])[np.isfinite(values[n])], initial=0.0) for n in names)
    top = 1.1 * finite_max if finite_max > 0 else 1.0
    n_inf = 0
    for name in names:
        v = np.asarray(values[name], dtype=float)
        inf = np.isinf(v)
        label = QUANTITIES[name].label if name in QUANTITIES else name
        label += r" ($\infty$: dotted, top)" if inf.any() else ""
        (line,) = ax.plot(t, np.where(inf, np.nan, v), label=label)
        color = line.get_color()
        finite = ~inf
        lonely = finite & ~np.r_[False, finite[:-1]] & ~np.r_[finite[1:], False]
        ax.plot(t[lonely], v[lonely], "o", color=color, ms=4)  # finite values between infinite ones
        if inf.any():  # staggered so that several infinite curves stay visible
            y = top * (1.0 - 0.03 * n_inf)
            ax.plot(t, np.where(inf, y, np.nan), ":", color=color, lw=2.5)
            n_inf += 1
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]), top=top * 1.02)
    ax.set_xlabel(r"$\theta$")
    ax.set_ylabel("divergence (nats)")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax
