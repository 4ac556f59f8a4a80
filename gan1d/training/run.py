"""A finished (or interrupted) training run, and saving/loading it without pickle."""

import copy
import os

import numpy as np
import torch

import toys
from toys import validation

from .config import TrainConfig
from .generators import module_type
from .history import History
from .losses import get_loss

__all__ = ["Run", "load"]

_FORMAT = "gan1d.Run/1"
#: Toys a saved run's target may be rebuilt as (nothing else is ever constructed on load).
_TARGETS = {
    cls.__name__: cls
    for cls in (
        toys.Gaussian,
        toys.GaussianMixture,
        toys.Uniform,
        toys.Exponential,
        toys.ShiftedLine,
        toys.Discrete,
        toys.Bernoulli,
    )
}


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
        return cls(target, config, seed, _member_module(G, k), _member_module(D, k), history)

    def __repr__(self):
        return f"Run(loss={self.config.loss!r}, seed={self.seed}, steps={len(self.history)}, target={self.target!r})"

    # -- using the trained networks ----------------------------------------------------------
    def sample(self, n, rng=None):
        """``n`` generator samples as numpy: shape ``(n,)`` for 1-D targets, ``(n, d)`` otherwise.

        ``rng`` is a seed, a ``torch.Generator`` or ``None`` (fresh entropy), as for the toys.
        """
        n = validation.count("n", n)
        g = _torch_rng(rng, self._device)
        with torch.no_grad():
            x = self.generator(self.generator.sample_latent([g], n))[0].double().cpu().numpy()  # (n, d)
        return x[:, 0] if x.shape[1] == 1 else x

    def discriminate(self, x):
        """D(x) in (0, 1) for ``gan``/``nsgan``, the critic value f(x) for WGANs; numpy, shape ``(n,)``."""
        pts = validation.points("x", x, dim=self.target.dim)
        t = torch.as_tensor(pts, dtype=torch.float32, device=self._device)[None]  # (1, n, d)
        with torch.no_grad():
            s = self.discriminator(t)[0].double()  # sigmoid in float64: stays inside (0, 1) up to |logit| ~ 36
            if get_loss(self.config.loss).probabilistic:
                s = torch.sigmoid(s)
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
        """Write the run to ``path`` (``torch.save`` of tensors, numbers and strings only).

        Raises
        ------
        TypeError
            If the generator is not the network its config describes (a module given to
            :class:`gan1d.Trainer` directly), which :func:`gan1d.load` could not rebuild.
        """
        if not isinstance(self.generator, module_type(self.config.generator)):
            raise TypeError(
                f"this run's generator is a {type(self.generator).__name__} given to the Trainer, not the network its "
                f"config describes ({self.config.generator!r}): gan1d.load could not rebuild it, so it is not saved"
            )
        torch.save(
            {
                "format": _FORMAT,
                "config": self.config.to_dict(),
                "seed": self.seed,
                "target": {"kind": type(self.target).__name__, "params": _plain(self.target.parameters())},
                "generator": self.generator.state_dict(),
                "discriminator": self.discriminator.state_dict(),
                "history": {
                    part: {k: torch.as_tensor(v, dtype=torch.float64) for k, v in cols.items()}
                    for part, cols in (("steps", self.history.steps), ("evals", self.history.evals))
                },
            },
            os.fspath(path),
        )


def load(path, device="cpu"):
    """Load a run written by :meth:`Run.save`.

    Uses ``torch.load(..., weights_only=True)``: only tensors and plain containers are read, so a
    file cannot run code; the target is rebuilt only from the toys listed in ``_TARGETS``.
    """
    data = torch.load(os.fspath(path), map_location=device, weights_only=True)
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ValueError(f"path {os.fspath(path)!r} is not a run saved by gan1d.Run.save")
    kind = data["target"]["kind"]
    if kind not in _TARGETS:
        raise ValueError(f"target kind must be one of {sorted(_TARGETS)} in a saved run, got {kind!r}")
    target = _TARGETS[kind](**data["target"]["params"])
    config = TrainConfig.from_dict({**data["config"], "device": device})
    init = [torch.Generator(device=device)]
    generator = config.generator.build(init, target.dim, device)
    discriminator = config.discriminator.build_critic(init, target.dim, device)
    generator.load_state_dict(data["generator"])
    discriminator.load_state_dict(data["discriminator"])
    history = History(*({k: v.numpy() for k, v in data["history"][p].items()} for p in ("steps", "evals")))
    return Run(target, config, data["seed"], generator, discriminator, history)


def _member_module(module, k):
    m = copy.deepcopy(module)
    for p in m.parameters():
        p.data = p.data[k : k + 1].clone()
    return m


def _plain(params):
    return {k: (np.asarray(v).tolist() if isinstance(v, np.ndarray | np.generic) else v) for k, v in params.items()}


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
