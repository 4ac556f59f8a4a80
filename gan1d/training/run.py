"""A finished (or interrupted) training run, and saving/loading it without pickle."""

import copy
import os

import numpy as np
import torch

from toys import validation

from .losses import get_loss
from .networks import evaluation
from .run_file import contents, read

__all__ = ["Run", "load"]


class Run:
    """The result of :func:`gan1d.train`: the trained networks and the history of training.

    Attributes
    ----------
    target : toys.Distribution
        The data law.
    config : gan1d.TrainConfig
        Every setting, with the loss's defaults filled in.
    seed : int
        The run's seed.
    generator : torch.nn.Module
        The generator, an ensemble of one: ``generator(z)`` maps ``(batch, latent_dim)`` noise
        (or ``(1, batch, latent_dim)``) to samples.
    discriminator : torch.nn.Module
        The discriminator (logits of D for ``gan``/``nsgan``) or critic (f for WGANs).
    history : gan1d.History
        Per-step losses, gradient norms, divergence estimates and evaluations.
    """

    def __init__(self, target, config, seed, generator, discriminator, history):
        self.target, self.config, self.seed = target, config, seed
        self.generator, self.discriminator, self.history = generator, discriminator, history

    @classmethod
    def from_member(cls, target, config, seed, G, D, k, history):
        """Run ``k`` of a trained ensemble, with copies of its member's networks."""
        return cls(target, config, seed, member_module(G, k), member_module(D, k), history)

    def __repr__(self):
        return f"Run(loss={self.config.loss!r}, seed={self.seed}, steps={len(self.history)}, target={self.target!r})"

    # -- using the trained networks ----------------------------------------------------------
    def sample(self, n, rng=None):
        """``n`` generator samples as numpy: shape ``(n,)`` for 1-D targets, ``(n, d)`` otherwise.

        ``rng`` is a seed, a ``torch.Generator`` or ``None`` (fresh entropy), as for the toys.
        """
        n = validation.count("n", n)
        g = _torch_rng(rng, self._device)
        with torch.no_grad(), evaluation(self.generator):
            x = self.generator(self.generator.sample_latent([g], n))[0].double().cpu().numpy()  # (n, d)
        return x[:, 0] if x.shape[1] == 1 else x

    def discriminate(self, x):
        """What the critic reports at ``x``; numpy, shape ``(n,)``.

        D(x) in (0, 1) for ``gan``/``nsgan``, the critic value f(x) for WGANs, T(x) = g_f(V(x)) for
        ``f-gan`` (comparable with ``divergences.variational.optimal_critic``), the least-squares
        score D(x) for ``lsgan``. A packed run's critic (``pack=m``) scores packs: ``x`` then has
        ``m`` times the target's dimension, m points concatenated.
        """
        pts = validation.points("x", x, dim=self.target.dim * self.config.pack)
        t = torch.as_tensor(pts, dtype=torch.float32, device=self._device)[None]  # (1, n, d)
        with torch.no_grad(), evaluation(self.discriminator):
            s = self.discriminator(t)[0].double()  # sigmoid in float64: stays inside (0, 1) up to |logit| ~ 36
            output = get_loss(self.config.loss, self.config.f).output
            if output is not None:
                s = output(s)
        return s.cpu().numpy()

    def distribution(self):
        """The generator's exact law (a toy) for parametric generators."""
        if not self.generator.parametric:
            raise ValueError("distribution() needs a parametric generator (ParallelLines or LocationScale), not an MLP")
        return self.generator.distribution(0)

    @property
    def _device(self):
        return next(self.generator.parameters()).device

    # -- saving --------------------------------------------------------------------------------
    def save(self, path):
        """Write the run to ``path``: one ``torch.save`` of tensors, numbers and strings, no pickled object.

        The file records the format version (``"gan1d.Run/1"``), the config, the seed, the target
        (its toy and parameters), both networks' weights and the history; :func:`gan1d.load`
        reads it back.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write (an existing file is replaced).

        Raises
        ------
        TypeError
            If :func:`gan1d.load` could not rebuild the run: the generator is a module given to
            :class:`gan1d.Trainer` directly, not the network its config describes; the target is
            not one of the toys of the package ``toys`` (a subclass of one is not); or the seed is
            not an int.
        ValueError
            If a weight is NaN or infinite (a run that diverged), which :func:`gan1d.load` refuses.
        """
        torch.save(contents(self), os.fspath(path))


def load(path, device="cpu"):
    """Load a run written by :meth:`Run.save`, after checking the whole file.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    device : {"cpu", "cuda"}
        Where to put the networks (a run saved on a GPU loads on the CPU).

    Returns
    -------
    Run
        The run that was saved: equal target, config (with ``device``), seed, history and weights.

    Raises
    ------
    ValueError
        If the file is not a run that :meth:`Run.save` wrote. The message starts with
        ``"not a gan1d run: "`` and names what is wrong: a file torch cannot read, a missing or
        unexpected key, a format newer than this gan1d reads, a target its toy refuses, a config
        that does not build, a seed that is not an int, history columns of different lengths or
        not numbers, weights missing, extra, of the wrong shape or dtype, NaN or infinite.
        Also (without that prefix) if ``device`` is not ``"cpu"`` or an available ``"cuda"``.
    OSError
        If the file cannot be opened (``FileNotFoundError``, ``PermissionError``, ...).

    Notes
    -----
    The file is read with ``torch.load(weights_only=True)``: only tensors and plain containers
    are read, so a file cannot run code, and torch's advice to retry with ``weights_only=False``
    is not passed on. The target is rebuilt only from a fixed list of toys (the classes of
    ``toys``), and no network is built before the whole file has been checked.
    """
    return Run(**read(os.fspath(path), device))


def member_module(module, k):
    m = copy.deepcopy(module)
    for t in (*m.parameters(), *m.buffers()):  # buffers: the spectral norm's power-iteration vectors
        t.data = t.data[k : k + 1].clone()
    return m


def _torch_rng(rng, device):
    if isinstance(rng, torch.Generator):
        return rng
    if isinstance(rng, np.random.Generator):
        seed = int(rng.integers(2**63))
    elif rng is None:
        seed = np.random.SeedSequence().entropy % 2**63
    else:
        seed = validation.seed("rng", rng)
    g = torch.Generator(device=device)
    g.manual_seed(seed)
    return g
