"""Strategies that draw tuples of laws of one dimension, and the shifts and scales that move them."""

from hypothesis import strategies as st

from .laws import (
    bernoullis,
    continuous_1d,
    discretes,
    exponentials,
    gaussian_mixtures,
    gaussians,
    shifted_lines,
    supports,
    uniforms,
)

__all__ = ["CONTINUOUS_1D", "FAMILIES", "discrete_pairs", "law_tuples", "on_one_support", "scales", "shifts"]

#: One strategy per family of toys, by name.
FAMILIES = {
    "gaussian": gaussians(),
    "mixture": gaussian_mixtures(),
    "uniform": uniforms(),
    "exponential": exponentials(),
    "discrete": discretes(),
    "bernoulli": bernoullis(),
    "shifted_line": shifted_lines(),
}
#: The names of the continuous 1-D families in :data:`FAMILIES`.
CONTINUOUS_1D = ("gaussian", "mixture", "uniform", "exponential")


def on_one_support(n, max_atoms=5):
    """``n`` discrete laws on one drawn support (they may leave some of its atoms empty)."""
    return supports(max_atoms).flatmap(lambda s: st.tuples(*[discretes(support=s)] * n))


def discrete_pairs():
    """Pairs of discrete laws: on one support, Bernoulli, or on supports of their own."""
    return st.one_of(on_one_support(2), st.tuples(bernoullis(), bernoullis()), st.tuples(discretes(), discretes()))


def law_tuples(n):
    """``n`` laws of one dimension: continuous 1-D, discrete, Bernoulli, a mix, or ShiftedLines."""
    return st.one_of(
        st.tuples(*[continuous_1d()] * n),
        on_one_support(n),
        st.tuples(*[bernoullis()] * n),
        st.tuples(*[st.one_of(continuous_1d(), discretes())] * n),
        st.tuples(*[shifted_lines()] * n),
    )


def shifts(min_abs=0.0):
    """Real shifts in [-5, 5] with ``|a| >= min_abs``."""
    return st.floats(min_abs, 5.0).flatmap(lambda a: st.sampled_from([a, -a]))


def scales(positive=False):
    """Scale factors with ``|s|`` in [1/4, 4], negative too unless ``positive``."""
    magnitude = st.floats(0.25, 4.0)
    return magnitude if positive else magnitude.flatmap(lambda s: st.sampled_from([s, -s]))
