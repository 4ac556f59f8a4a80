r"""The atlas: every divergence of the toolkit on the same pairs of laws, side by side.

:func:`atlas` evaluates a set of divergences (by default all of them: the lecture's five and the
atlas's six) on a set of named pairs (by default :data:`divergences.tables.LECTURE_PAIRS`, the pairs of the lecture)
through the one evaluator of the scalar functions, and keeps with each value how it was
computed: a closed form, the 1-D quadrature, the 2-D cubature or transport, or no value and the
reason (a pair no path covers). ``inf`` is a value, not a failure: KL between laws whose
supports are not nested is infinite, and the table says so.
"""

import math
from dataclasses import dataclass, field

from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

from . import closed_forms  # noqa: F401  (registers the closed forms)
from .evaluate import ALL_NAMES, QUANTITIES, evaluate, method
from .f_divergences import _order
from .kernel_discrepancy import check_kernel
from .laws import check_pair

__all__ = ["ATLAS_NAMES", "LECTURE_PAIRS", "Atlas", "Cell", "atlas"]

#: The divergences of the atlas, in its column order: the f-divergences from the bounded to the
#: unbounded, then the Rényi divergence, then the metrics that see distances between points.
ATLAS_NAMES = ("tv", "hellinger", "js", "kl", "reverse_kl", "chi2", "renyi", "w1", "w2", "energy", "mmd")

#: The lecture's two-mode mixture: equal weights at -2 and 2, standard deviations 1/2; its mean is
#: 0 and its variance 4 + 1/4, so N(0, 4.25) is its moment-matched Gaussian.
MIXTURE = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])

#: The lecture's named pairs ``(label, p, q)``: p is the data, q the model.
LECTURE_PAIRS = (
    ("N(0, 1) vs N(1, 1)", Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)),
    ("N(0, 1) vs N(0, 2^2)", Gaussian(0.0, 1.0), Gaussian(0.0, 2.0)),
    ("two-mode mixture vs N(0, 2.06^2) (moment-matched)", MIXTURE, Gaussian(0.0, math.sqrt(4.25))),
    ("Exp(1) vs N(1, 1)", Exponential(1.0), Gaussian(1.0, 1.0)),
    ("U[0, 1] vs U[0.5, 1.5]", Uniform(0.0, 1.0), Uniform(0.5, 1.5)),
    ("U[0, 1] vs U[0, 2]", Uniform(0.0, 1.0), Uniform(0.0, 2.0)),
    ("Bernoulli(0.3) vs Bernoulli(0.6)", Bernoulli(0.3), Bernoulli(0.6)),
    ("fair die vs loaded die", Discrete(range(1, 7), [1 / 6] * 6), Discrete(range(1, 7), [0.1] * 5 + [0.5])),
    ("Bernoulli(0.5) vs N(0.5, 1) (atoms vs density)", Bernoulli(0.5), Gaussian(0.5, 1.0)),
    ("P_0 vs P_0.5 (parallel lines)", ShiftedLine(0.0), ShiftedLine(0.5)),
    (
        "2-D correlated N(0, [[1, .8], [.8, 1]]) vs N(0, I)",
        Gaussian(mean=[0.0, 0.0], cov=[[1.0, 0.8], [0.8, 1.0]]),
        Gaussian(mean=[0.0, 0.0], cov=[[1.0, 0.0], [0.0, 1.0]]),
    ),
)

#: One letter per method in :meth:`Atlas.table`.
METHOD_MARKS = {"closed form": "", "quadrature": "q", "cubature": "c", "transport": "t"}


@dataclass(frozen=True)
class Cell:
    """One value of the atlas and how it was computed.

    Attributes
    ----------
    value : float
        The divergence (``inf`` where infinite), or ``nan`` where it was not computed.
    method : str
        ``"closed form"``, ``"quadrature"`` (1-D), ``"cubature"`` (2-D), ``"transport"`` (2-D W1
        and W2), or ``"not computed"``.
    reason : str
        Why it was not computed (the message of the refusal); empty otherwise.
    """

    value: float
    method: str
    reason: str = ""


@dataclass(frozen=True)
class Atlas:
    """Divergences ``names`` of the pairs ``pairs``, with the method of each value.

    Attributes
    ----------
    pairs : tuple of str
        The labels of the pairs, in order.
    names : tuple of str
        The divergences, in order (keys of :data:`divergences.evaluate.QUANTITIES`).
    cells : dict of (str, str) to Cell
        ``cells[label, name]``.
    params : dict
        The parameters used: ``alpha`` (Rényi), ``kernel`` and ``bandwidth`` (MMD).
    """

    pairs: tuple
    names: tuple
    cells: dict = field(repr=False)
    params: dict

    def __getitem__(self, key):
        """``atlas[label, name]``: the value of that cell (``nan`` where not computed)."""
        return self.cells[key].value

    def records(self):
        """The cells as a list of dicts with keys ``pair, name, value, method, reason`` (for pandas)."""
        return [{"pair": label, "name": name, **vars(self.cells[label, name])} for label in self.pairs
                for name in self.names]  # fmt: skip

    def table(self, digits=4):
        """A markdown table: a row per pair, a column per divergence, the method marked on each value.

        Values are printed to ``digits`` significant digits; a numeric value carries a letter
        (q: 1-D quadrature, c: 2-D cubature, t: 2-D transport; a closed form none), a cell not
        computed an em dash, and footnotes below the table give the reasons.
        """
        head = ["P vs Q", *(_heading(name, self.params) for name in self.names)]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        notes = []
        for label in self.pairs:
            row = [label]
            for name in self.names:
                cell = self.cells[label, name]
                if cell.method == "not computed":
                    notes.append(f"{label}, {name}: {cell.reason}")
                    row.append(f"— [{len(notes)}]")
                else:
                    mark = METHOD_MARKS.get(cell.method, cell.method)
                    row.append(_fmt(cell.value, digits) + (f" ({mark})" if mark else ""))
            lines.append("| " + " | ".join(row) + " |")
        lines += ["", "Marks: none = closed form, (q) 1-D quadrature, (c) 2-D cubature, (t) 2-D transport."]
        lines += [f"[{i}] {note}" for i, note in enumerate(notes, 1)]
        return "\n".join(lines)


def atlas(pairs=None, names=ATLAS_NAMES, *, alpha=2.0, kernel="gaussian", bandwidth=1.0):
    r"""Divergences ``names`` on the pairs ``pairs``, each value with the method that computed it.

    Parameters
    ----------
    pairs : sequence of (str, law, law), or dict of str to (law, law), optional
        Labelled pairs ``(label, p, q)``, p the data and q the model (toys or frozen scipy.stats
        laws, of one dimension per pair); by default :data:`divergences.tables.LECTURE_PAIRS`.
    names : sequence of str, optional
        Divergences, keys of :data:`divergences.evaluate.QUANTITIES`; by default
        :data:`divergences.tables.ATLAS_NAMES`, all of them.
    alpha : float, optional
        The order of ``"renyi"`` (default 2, where :math:`D_2 = \ln(1 + \chi^2)`).
    kernel, bandwidth : optional
        The kernel and its bandwidth for ``"mmd"`` (default the Gaussian kernel of bandwidth 1),
        as in :func:`divergences.mmd`.

    Returns
    -------
    Atlas
        ``result[label, name]`` is the value, ``result.cells[label, name].method`` how it was
        computed, ``result.table()`` a markdown table of all of them.

    Raises
    ------
    TypeError
        If ``pairs`` is not a sequence of triples or a dict of pairs, a label is not a string, a
        law is not a toy or frozen scipy.stats law, or a parameter has the wrong type.
    ValueError
        If a label repeats, a name is unknown, the laws of a pair differ in dimension, or a
        parameter is out of range -- all checked before any divergence is computed.

    Notes
    -----
    Each value is the scalar function's (:func:`divergences.kl` and the others) for the same
    pair, at its accuracy: closed forms to rounding, 1-D quadrature to 1e-9, 2-D cubature to
    1e-6, 2-D transport as stated in :mod:`divergences.numeric.transport_2d`. A pair that no path
    covers (no closed form, and a numeric path that refuses it) gets the cell ``"not computed"``
    with the refusal's message, instead of stopping the whole atlas.

    Examples
    --------
    >>> from toys import Bernoulli, ShiftedLine
    >>> from divergences import atlas
    >>> a = atlas([("lines", ShiftedLine(0.0), ShiftedLine(0.5)), ("coins", Bernoulli(0.3), Bernoulli(0.6))],
    ...           names=["tv", "kl", "w1"])
    >>> a["lines", "kl"], a["lines", "w1"], a.cells["coins", "kl"].method
    (inf, 0.5, 'closed form')
    """
    triples = _check_pairs(LECTURE_PAIRS if pairs is None else pairs)
    names = (names,) if isinstance(names, str) else tuple(names)
    for name in names:
        if name not in QUANTITIES:
            raise ValueError(f"names must be among {ALL_NAMES}, got {name!r}")
    params = {"alpha": _order(alpha)}
    params["kernel"], params["bandwidth"] = check_kernel(kernel, bandwidth)
    cells = {}
    for label, p, q in triples:
        for name in names:
            cells[label, name] = _cell(name, p, q, params)
    return Atlas(tuple(t[0] for t in triples), names, cells, params)


def _check_pairs(pairs):
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    triples, seen = [], set()
    for i, item in enumerate(items):
        if isinstance(pairs, dict):
            label, laws = item
            if not (isinstance(laws, tuple | list) and len(laws) == 2):
                raise TypeError(f"pairs[{label!r}] must be a pair (p, q) of laws, got {laws!r}")
            p, q = laws
        else:
            if not (isinstance(item, tuple | list) and len(item) == 3):
                raise TypeError(f"pairs[{i}] must be a triple (label, p, q), got {item!r}")
            label, p, q = item
        if not isinstance(label, str):
            raise TypeError(f"the label of pairs[{i}] must be a string, got {label!r}")
        if label in seen:
            raise ValueError(f"pairs has the label {label!r} twice; labels name the rows and must differ")
        seen.add(label)
        p, q = check_pair(p, q)
        triples.append((label, p, q))
    return triples


def _cell(name, p, q, params):
    kwargs = {k: params[k] for k in QUANTITIES[name].params}
    if name == "renyi" and params["alpha"] == 1.0:
        name, kwargs = "kl", {}  # the limit, as divergences.renyi computes it
    try:
        value = float(evaluate([name], [p], [q], **kwargs)[name][0])
        how = method(name, p, q, **kwargs)
    except NotImplementedError as exc:
        return Cell(math.nan, "not computed", str(exc))
    return Cell(value, how)


def _heading(name, params):
    if name == "renyi":
        return f"Rényi α={params['alpha']:g}"
    if name == "mmd":
        return f"MMD² (h={params['bandwidth']:g})"
    return {"tv": "TV", "hellinger": "H²", "js": "JS", "kl": "KL", "reverse_kl": "reverse KL", "chi2": "χ²",
            "w1": "W1", "w2": "W2", "energy": "energy"}.get(name, name)  # fmt: skip


def _fmt(value, digits):
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0.0:
        return "0"
    return f"{value:.{digits}g}"
