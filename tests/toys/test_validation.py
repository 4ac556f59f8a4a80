"""The shared input checks: the value converted, or the error that names the parameter and the value."""

import numpy as np
import pytest

from toys import validation as v


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (v.positive_int, 3, 3),
        (v.positive_int, np.int64(7), 7),
        (v.count, 0, 0),
        (v.seed, 12, 12),
        (v.real_scalar, np.float32(0.5), 0.5),
        (v.real_scalar, np.array(2.0), 2.0),
        (v.positive_scalar, 1e-300, 1e-300),
    ],
)
def test_good_values_come_back_as_python_numbers(check, value, expected):
    out = check("x", value)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(
    ("check", "value", "error", "match"),
    [
        (v.positive_int, 0, ValueError, r"steps must be a positive integer, got 0$"),
        (v.positive_int, 2.0, TypeError, r"steps must be a positive integer, got 2\.0 of type float"),
        (v.positive_int, True, TypeError, r"steps must be a positive integer, got True of type bool"),
        (v.count, -1, ValueError, r"steps must be a non-negative integer, got -1"),
        (v.seed, "1", TypeError, r"steps must be a non-negative integer seed, got '1' of type str"),
        (v.real_scalar, np.nan, ValueError, r"steps must be finite, got nan"),
        (v.real_scalar, None, TypeError, r"steps must be a real number, got None of type NoneType"),
        (v.real_scalar, [1.0], TypeError, r"steps must be a real number"),
        (v.positive_scalar, 0.0, ValueError, r"steps must be > 0, got 0\.0"),
    ],
)
def test_bad_values_are_named_with_what_was_expected(check, value, error, match):
    with pytest.raises(error, match=match):
        check("steps", value)


def test_integer_with_and_without_a_minimum():
    assert v.integer("k", -5) == -5
    with pytest.raises(ValueError, match=r"k must be an integer >= 2, got 1"):
        v.integer("k", 1, minimum=2)
    with pytest.raises(TypeError, match=r"k must be an integer >= 2, got 2\.5"):
        v.integer("k", 2.5, minimum=2)


def test_as_generator():
    g = np.random.default_rng(0)
    assert v.as_generator(g) is g
    assert v.as_generator(3).random() == np.random.default_rng(3).random()
    with pytest.raises(ValueError, match="non-negative seed"):
        v.as_generator(-1)
    with pytest.raises(TypeError, match="rng must be None, an int seed"):
        v.as_generator(1.5)


def test_points_shapes():
    assert v.points("x", [1.0, 2.0, 3.0]).shape == (3, 1)
    assert v.points("x", [[1, 2], [3, 4]], dim=2).dtype == float
    with pytest.raises(
        ValueError, match=r"x must be an array of points of shape \(n, 2\) for a 2-D law, got shape \(3,\)"
    ):
        v.points("x", [1.0, 2.0, 3.0], dim=2)
    with pytest.raises(ValueError, match=r"z must be an array of points of shape \(n,\) or \(n, 1\) for a generator"):
        v.points("z", np.zeros((2, 2)), dim=1, what="a generator")
    with pytest.raises(ValueError, match=r"x must be a non-empty array of points, got shape \(0,\)"):
        v.points("x", [])
    with pytest.raises(ValueError, match=r"found 1 NaN and 1 infinite value\(s\), the first at x\[1, 0\]"):
        v.points("x", [[0.0, 1.0], [np.nan, np.inf]])
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        v.points("x", ["a"])


def test_arrays():
    np.testing.assert_array_equal(v.probability_vector("w", [0.25, 0.75]), [0.25, 0.75])
    with pytest.raises(ValueError, match=r"w must sum to 1"):
        v.probability_vector("w", [0.5, 0.6])
    with pytest.raises(ValueError, match="w must be non-negative"):
        v.probability_vector("w", [1.5, -0.5])
    with pytest.raises(ValueError, match="cov must be positive definite"):
        v.covariance_matrix("cov", [[1.0, 2.0], [2.0, 1.0]], 2)
    with pytest.raises(ValueError, match="cov must be symmetric"):
        v.covariance_matrix("cov", [[1.0, 0.5], [0.0, 1.0]], 2)
    with pytest.raises(TypeError, match="n must be an integer or an array of integers >= 1"):
        v.integer_array("n", [1.0, 2.0], 1)
    assert v.short("x" * 200).endswith("...") and len(v.short("x" * 200)) == 80
