"""The generator against the target: exact divergences for parametric generators, estimates otherwise."""

import math

import torch

import divergences
import toys
from divergences import empirical

from .coverage import mode_coverage
from .networks import evaluation

__all__ = ["EXACT", "evaluate_member", "evaluate_members", "sample_members"]

#: Divergences computed exactly for parametric generators, oriented D(target, generator).
EXACT = ("tv", "kl", "reverse_kl", "js", "w1")


def evaluate_members(target, generator, n_samples, noises, data_rngs, exact=None):
    """Evaluation values of every member of a generator ensemble: a list of dicts.

    One forward pass draws ``n_samples`` from every member, member k from its own evaluation
    stream ``noises[k]`` (so its values do not depend on the other members). ``exact`` as for
    :func:`evaluate_member`, or a list of one such function (or None) per member; when some members
    have one and others not, the others' ``"exact"`` is NaN (every member has the same columns).
    """
    xs = sample_members(generator, n_samples, noises)
    exacts = exact if isinstance(exact, list) else [exact] * len(xs)
    if any(exacts) and not all(exacts):
        exacts = [e or _no_exact for e in exacts]
    return [evaluate_member(target, generator, k, x, rng, exacts[k]) for k, (x, rng) in enumerate(zip(xs, data_rngs))]


def evaluate_member(target, generator, k, x, data_rng, exact=None):
    """Evaluation values of member ``k`` of a generator ensemble against ``target``, from its samples ``x``.

    Parametric generators: the five divergences of :data:`EXACT`, exactly (NaN if the
    generator's law is degenerate). MLP generators: ``w1`` between the generator samples ``x``
    and as many target samples (exact transport between the empirical measures), and ``js``
    from common histograms in 1-D and 2-D. Mixture targets add ``modes`` and ``high_quality``
    on the generator samples. ``data_rng`` is the member's evaluation ``numpy.random.Generator``.

    ``exact``, a function ``(target, law) -> float`` (the divergence a loss's critic estimates,
    :meth:`gan1d.training.losses.Loss.exact_divergence`), adds the column ``"exact"`` for
    parametric generators: NaN where the generator's law is degenerate or the divergence has no
    exact path for the pair (``NotImplementedError``).
    """
    row = {}
    n_samples = len(x)
    if generator.parametric:
        try:
            law = generator.distribution(k)
        except ValueError:
            law = None
        for name in EXACT:
            row[name] = math.nan if law is None else float(getattr(divergences, name)(target, law))
        if exact is not None:
            row["exact"] = math.nan if law is None else _exact_or_nan(exact, target, law)
    else:
        y = target.sample(n_samples, data_rng)
        row["w1"] = empirical.w1(x, y)
        if target.dim <= 2:
            row["js"] = empirical.js(x, y)
    if isinstance(target, toys.GaussianMixture):
        row["modes"], row["high_quality"] = mode_coverage(x, target)
    return row


def _no_exact(target, law):
    return math.nan


def _exact_or_nan(exact, target, law):
    try:
        return float(exact(target, law))
    except NotImplementedError:
        return math.nan


def sample_members(generator, n, noises):
    """``n`` samples of every member as numpy arrays, shape ``(n,)`` in 1-D and ``(n, d)`` otherwise."""
    with torch.no_grad(), evaluation(generator):  # batch normalisation: its running statistics
        x = generator(generator.sample_latent(noises, n)).double().cpu().numpy()  # (N, n, d)
    return [xk[:, 0] if xk.shape[1] == 1 else xk for xk in x]
