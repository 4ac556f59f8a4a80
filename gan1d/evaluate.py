"""The generator against the target: exact divergences for parametric generators, estimates otherwise."""

import math

import numpy as np
import torch

import divergences
import toys
from divergences import empirical

from .coverage import mode_coverage

__all__ = ["EXACT", "evaluate_member"]

#: Divergences computed exactly for parametric generators, oriented D(target, generator).
EXACT = ("tv", "kl", "reverse_kl", "js", "w1")


def evaluate_member(target, generator, k, n_samples, noise, data_rng):
    """Evaluation values of member ``k`` of a generator ensemble against ``target``.

    Parametric generators: the five divergences of :data:`EXACT`, exactly (NaN if the
    generator's law is degenerate). MLP generators: ``w1`` between ``n_samples`` generator
    samples and as many target samples (exact transport between the empirical measures), and
    ``js`` from common histograms in 1-D and 2-D. Mixture targets add ``modes`` and
    ``high_quality`` on the generator samples. ``noise`` is the member's evaluation
    ``torch.Generator``, ``data_rng`` its evaluation ``numpy.random.Generator``.
    """
    row = {}
    x = sample_member(generator, k, n_samples, noise)
    if generator.parametric:
        try:
            law = generator.distribution(k)
        except ValueError:
            law = None
        for name in EXACT:
            row[name] = math.nan if law is None else float(getattr(divergences, name)(target, law))
    else:
        y = target.sample(n_samples, data_rng)
        row["w1"] = empirical.w1(x, y)
        if target.dim <= 2:
            row["js"] = empirical.js(x, y)
    if isinstance(target, toys.GaussianMixture):
        row["modes"], row["high_quality"] = mode_coverage(x, target)
    return row


def sample_member(generator, k, n, noise):
    """``n`` samples of member ``k`` as numpy, shape ``(n,)`` in 1-D and ``(n, d)`` otherwise."""
    with torch.no_grad():
        z = generator.sample_latent([noise], n)  # (1, n, latent): the same noise for every member
        x = generator(z.expand(_n_members(generator), -1, -1))[k].double().cpu().numpy()  # (n, d)
    return x[:, 0] if x.shape[1] == 1 else x


def _n_members(generator):
    return next(generator.parameters()).shape[0]


def numpy_points(x, dim):
    """Toy-convention samples ``(n,)`` / ``(n, d)`` -> a float array ``(n, d)``."""
    x = np.asarray(x, dtype=float)
    return x.reshape(-1, 1) if dim == 1 else x
