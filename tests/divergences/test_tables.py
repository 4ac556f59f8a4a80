"""The atlas: each cell is the scalar function's value for its pair, with the method that computed it."""

import math

import numpy as np
import pytest
from scipy import stats

import divergences
from divergences import atlas
from divergences.evaluate import method
from divergences.tables import ATLAS_NAMES, LECTURE_PAIRS, MIXTURE
from toys import Bernoulli, Gaussian, ShiftedLine, Uniform

SMALL = [
    ("lines", ShiftedLine(0.0), ShiftedLine(0.5)),
    ("coins", Bernoulli(0.3), Bernoulli(0.6)),
    ("uniforms", Uniform(0.0, 1.0), Uniform(0.0, 2.0)),
    ("gaussians", Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)),
]


def _scalar(name, p, q, params):
    if name == "renyi":
        return divergences.renyi(p, q, params["alpha"])
    if name == "mmd":
        return divergences.mmd(p, q, kernel=params["kernel"], bandwidth=params["bandwidth"])
    return getattr(divergences, name)(p, q)


def test_every_cell_is_the_scalar_function_or_its_refusal():
    names = ("tv", "kl", "reverse_kl", "js", "w1", "hellinger", "chi2", "renyi")
    a = atlas(SMALL, names, alpha=0.5)
    assert a.pairs == tuple(label for label, _, _ in SMALL) and a.names == names
    for label, p, q in SMALL:
        for name in names:
            cell = a.cells[label, name]
            assert cell.method != "not computed", cell.reason
            assert a[label, name] == _scalar(name, p, q, a.params)
            kwargs = {"alpha": 0.5} if name == "renyi" else {}
            assert cell.method == method(name, p, q, **kwargs)


def test_a_refusal_becomes_a_cell_with_its_reason():
    # chi2 of a scipy law against a Gaussian: no closed form applies to a frozen scipy law
    t = stats.t(5)
    a = atlas([("t vs normal", t, Gaussian(0.0, 1.0))], ["chi2", "tv"])
    try:
        expected = divergences.chi2(t, Gaussian(0.0, 1.0))
    except NotImplementedError as exc:
        cell = a.cells["t vs normal", "chi2"]
        assert cell.method == "not computed" and math.isnan(cell.value) and str(exc) == cell.reason
        assert "— [1]" in a.table() and cell.reason in a.table()
    else:  # the numeric path covers it: then the cell is its value
        assert a["t vs normal", "chi2"] == expected
    assert a["t vs normal", "tv"] == divergences.tv(t, Gaussian(0.0, 1.0))


def test_table_marks_methods_and_infinities():
    a = atlas(SMALL, ["kl", "js", "w1"])
    lines = a.table().splitlines()
    assert lines[0] == "| P vs Q | KL | JS | W1 |"
    assert len([line for line in lines if line.startswith("| ") and "P vs Q" not in line]) == len(SMALL)
    row = next(line for line in lines if line.startswith("| lines"))
    assert row == "| lines | ∞ | 0.6931 | 0.5 |"
    gaussians = next(line for line in lines if line.startswith("| gaussians"))
    assert "(q)" in gaussians  # JS of two Gaussians has no closed form
    records = a.records()
    assert len(records) == len(SMALL) * 3 and records[0]["pair"] == "lines" and records[0]["value"] == math.inf


def test_lecture_pairs_and_defaults():
    assert ATLAS_NAMES[0] == "tv" and set(ATLAS_NAMES) == set(divergences.evaluate.ALL_NAMES)
    labels = [label for label, _, _ in LECTURE_PAIRS]
    assert len(set(labels)) == len(labels)
    # the mixture's moment-matched Gaussian has the mixture's mean and variance
    (_, p, q) = next(t for t in LECTURE_PAIRS if "moment-matched" in t[0])
    assert p is MIXTURE and np.isclose(q.mean, float(MIXTURE.mean)) and np.isclose(q.var, float(MIXTURE.var))
    a = atlas(names=["tv", "w1"])
    assert a.pairs == tuple(labels)
    assert a["P_0 vs P_0.5 (parallel lines)", "tv"] == 1.0


def test_renyi_of_order_one_is_kl():
    a = atlas(SMALL[1:], ["renyi"], alpha=1.0)
    for label, p, q in SMALL[1:]:
        assert a[label, "renyi"] == divergences.kl(p, q)


def test_dict_of_pairs():
    a = atlas({"coins": (Bernoulli(0.3), Bernoulli(0.6))}, "tv")
    assert a.names == ("tv",) and a["coins", "tv"] == pytest.approx(0.3, abs=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"pairs": [("a", Bernoulli(0.3))]}, TypeError, r"pairs\[0\] must be a triple"),
        ({"pairs": {"a": Bernoulli(0.3)}}, TypeError, r"pairs\['a'\] must be a pair"),
        ({"pairs": [(1, Bernoulli(0.3), Bernoulli(0.6))]}, TypeError, "label of pairs"),
        ({"pairs": [("a", Bernoulli(0.3), Bernoulli(0.6))] * 2}, ValueError, "twice"),
        ({"pairs": [("a", Bernoulli(0.3), Gaussian(mean=[0, 0], cov=[[1, 0], [0, 1]]))]}, ValueError, "dim"),
        ({"names": ["kl", "bhattacharyya"]}, ValueError, "bhattacharyya"),
        ({"alpha": -1.0}, ValueError, "alpha"),
        ({"bandwidth": 0.0}, ValueError, "bandwidth"),
        ({"kernel": "laplace"}, ValueError, "kernel"),
    ],
)
def test_bad_input_is_refused_before_any_work(kwargs, error, match):
    with pytest.raises(error, match=match):
        atlas(**kwargs)
