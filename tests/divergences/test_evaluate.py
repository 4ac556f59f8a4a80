"""The one evaluator: which path a pair takes (method), and the closed forms skipped on demand."""

import math

import numpy as np
import pytest
from scipy import stats

import divergences as D
from divergences.evaluate import evaluate, method
from divergences.laws import as_toy
from toys import Gaussian, GaussianMixture, ShiftedLine, SmoothedLine

MIX_1D = GaussianMixture(weights=[0.5, 0.5], means=[-1.0, 1.0], stds=[0.5, 0.5])
MIX_2D = GaussianMixture(weights=[0.5, 0.5], means=[[-1.0, 0.0], [1.0, 0.0]], covs=[np.eye(2), np.eye(2)])


@pytest.mark.parametrize(
    ("name", "p", "q", "expected"),
    [
        ("kl", Gaussian(0, 1), Gaussian(1, 2), "closed form"),
        ("reverse_kl", ShiftedLine(0.0), ShiftedLine(1.0), "closed form"),
        ("js", MIX_1D, Gaussian(0, 1), "quadrature"),
        ("reverse_kl", MIX_2D, Gaussian([0, 0]), "cubature"),
        ("w1", MIX_2D, Gaussian([0, 0]), "transport"),
        ("w1", ShiftedLine(0.0), Gaussian([0, 0]), "transport"),
    ],
)
def test_method_names_the_path(name, p, q, expected):
    assert method(name, p, q) == expected


@pytest.mark.parametrize(
    ("name", "p", "q", "match"),
    [
        ("js", SmoothedLine(0.0, 0.1), SmoothedLine(0.5, 0.3), "covers Gaussians and mixtures, not SmoothedLine"),
        ("w1", SmoothedLine(0.0, 0.1), SmoothedLine(0.5, 0.3), "covers Gaussians, mixtures and ShiftedLine"),
        ("tv", Gaussian([0, 0, 0]), GaussianMixture([1.0], [[0, 0, 1]], covs=[np.eye(3)]), "in 3 dimensions"),
    ],
)
def test_method_refuses_where_the_evaluator_does(name, p, q, match):
    with pytest.raises(NotImplementedError, match=match):
        method(name, p, q)
    with pytest.raises(NotImplementedError, match=match):
        evaluate([name], [p], [q])


def test_the_numeric_path_alone_agrees_with_the_closed_forms():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    exact = evaluate(["kl", "reverse_kl", "tv", "js", "w1"], [p], [q])
    numeric = evaluate(["kl", "reverse_kl", "tv", "js", "w1"], [p], [q], closed_forms=False)
    for name in exact:
        assert numeric[name][0] == pytest.approx(exact[name][0], abs=1e-9), name
    assert math.isclose(exact["kl"][0], math.log(2) + (1 + 1) / 8 - 0.5, rel_tol=1e-15)  # ln(s_q/s_p) + ...


def test_a_scipy_law_has_a_repr_and_a_dimension_mismatch_is_a_value_error():
    law = as_toy(stats.gamma(3), "p")
    assert repr(law) == "ScipyContinuous(frozen='scipy.stats.gamma(3,)')"
    with pytest.raises(ValueError, match=r"same dimension.*p.dim=1"):
        D.kl(stats.gamma(3), Gaussian(mean=[0, 0]))
