"""Ensembles of small MLPs: N independent networks evaluated as one batched matmul.

Every network in :mod:`gan1d` carries a leading *member* axis. A single training run is an
ensemble of one; :func:`gan1d.train_many` trains N runs with different seeds as an ensemble of N,
so one Python step advances all of them (``torch.baddbmm`` instead of N separate ``addmm``).
Members never interact: each has its own parameters, initialised from its own
``torch.Generator``, and every loss is a sum of per-member terms, so the gradient of member k's
parameters is exactly the gradient of member k's own loss. Adam and RMSprop act elementwise, so
one optimizer over the stacked parameters is N independent optimizers.
"""

import contextlib
import math

import torch
from torch import nn

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "EnsembleBatchNorm",
    "EnsembleLinear",
    "EnsembleMLP",
    "EnsembleMaxout",
    "evaluation",
    "member_state",
    "n_members",
]

#: Activation functions by name.
ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}
#: Weight initialisations by name, with the default scale of each (None: none).
INITS = {"uniform": None, "normal": 0.02, "orthogonal": 1.0}


class EnsembleLinear(nn.Module):
    """N independent affine maps ``x @ W_k + b_k``, applied member by member.

    Parameters
    ----------
    generators : sequence of torch.Generator
        One generator per member, used for that member's initialisation only.
    in_features, out_features : int
        Input and output widths.

    bias : bool
        With a bias (default); without, as before a batch normalisation, which removes it.
    init : str
        ``"uniform"`` (default): as ``torch.nn.Linear`` is, weights and biases uniform on
        :math:`[-1/\\sqrt{\\text{in}}, 1/\\sqrt{\\text{in}}]` (Kaiming-uniform with ``a = sqrt(5)``).
        ``"normal"``: weights :math:`N(0, s^2)`, biases 0, s = ``scale`` (default 0.02, as in DCGAN and
        ALI). ``"orthogonal"``: each member's weight an orthogonal matrix times the gain ``scale``
        (default 1), biases 0.
    scale : float, optional
        The scale of ``init`` (unused by ``"uniform"``).
    """

    def __init__(self, generators, in_features, out_features, device=None, bias=True, init="uniform", scale=None):
        super().__init__()
        n = len(generators)
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(n, in_features, out_features, device=device))
        self.bias = nn.Parameter(torch.empty(n, 1, out_features, device=device)) if bias else None
        scale = INITS[init] if scale is None else scale
        bound = 1.0 / math.sqrt(in_features)
        with torch.no_grad():
            for k, g in enumerate(generators):
                if init == "uniform":
                    self.weight[k].uniform_(-bound, bound, generator=g)
                elif init == "normal":
                    self.weight[k].normal_(0.0, scale, generator=g)
                else:
                    nn.init.orthogonal_(self.weight[k], gain=scale, generator=g)
                if bias:
                    if init == "uniform":
                        self.bias[k].uniform_(-bound, bound, generator=g)
                    else:
                        self.bias[k].zero_()

    def forward(self, x):
        """``x @ W_k + b_k`` for each member k: ``(N, batch, in) -> (N, batch, out)``."""
        if self.bias is None:
            return torch.bmm(x, self.weight)
        if self.weight.shape[0] == 1:  # one member: the 2-D kernel (its double backward is cheaper)
            return torch.addmm(self.bias[0], x[0], self.weight[0]).unsqueeze(0)
        return torch.baddbmm(self.bias, x, self.weight)  # (N, batch, out)

    def extra_repr(self):
        return f"members={self.weight.shape[0]}, in={self.in_features}, out={self.out_features}"


class EnsembleBatchNorm(nn.Module):
    """Batch normalisation of each member over its own batch: ``(N, batch, width)``, per-member scale and shift.

    In training mode the statistics are the batch's (biased variance), and running averages
    (momentum 0.1, as ``torch.nn.BatchNorm1d``) are kept; in evaluation mode the running averages
    are used (Ioffe and Szegedy 2015).
    """

    def __init__(self, n, width, device=None, momentum=0.1, eps=1e-5):
        super().__init__()
        self.momentum, self.eps = momentum, eps
        self.weight = nn.Parameter(torch.ones(n, 1, width, device=device))
        self.bias = nn.Parameter(torch.zeros(n, 1, width, device=device))
        self.register_buffer("running_mean", torch.zeros(n, 1, width, device=device))
        self.register_buffer("running_var", torch.ones(n, 1, width, device=device))

    def forward(self, x):
        """``x`` ``(N, batch, width)`` normalised per member and feature, then scaled and shifted."""
        if self.training:
            mean, var = x.mean(1, keepdim=True), x.var(1, unbiased=False, keepdim=True)
            with torch.no_grad():
                unbiased = var * (x.shape[1] / max(x.shape[1] - 1, 1))
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(unbiased, self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


class EnsembleMaxout(nn.Module):
    """Maxout units (Goodfellow et al. 2013): ``pieces`` affine maps per unit, the largest kept."""

    def __init__(self, generators, in_features, width, pieces, device=None, init="uniform", scale=None):
        super().__init__()
        self.width, self.pieces = width, pieces
        self.linear = EnsembleLinear(generators, in_features, width * pieces, device, init=init, scale=scale)

    def forward(self, x):
        """The largest of the pieces of each unit: ``(N, batch, in) -> (N, batch, width)``."""
        z = self.linear(x)
        return z.reshape(*z.shape[:-1], self.width, self.pieces).amax(-1)


class EnsembleMLP(nn.Module):
    """N independent MLPs ``in_dim -> width x depth -> out_dim`` with one activation.

    ``forward`` takes ``(N, batch, in_dim)`` and returns ``(N, batch, out_dim)``; an ensemble of
    one also accepts ``(batch, in_dim)`` and returns ``(batch, out_dim)``, like an ``nn.Sequential``.
    A hidden layer is ``Linear -> activation``; with ``batch_norm``, ``Linear (no bias) ->
    EnsembleBatchNorm -> activation`` (the generator of ALI and PacGAN); with ``maxout`` > 1 pieces,
    a maxout layer (their discriminator), which is its own nonlinearity. ``init`` and ``scale`` as for
    :class:`EnsembleLinear`, for every layer.
    """

    def __init__(self, generators, in_dim, out_dim, width, depth, activation, device=None, *, batch_norm=False,
                 maxout=1, init="uniform", scale=None):  # fmt: skip
        super().__init__()
        layers, a = [], in_dim
        for _ in range(depth):
            if maxout > 1:
                layers.append(EnsembleMaxout(generators, a, width, maxout, device, init, scale))
            else:
                layers.append(EnsembleLinear(generators, a, width, device, not batch_norm, init, scale))
            if batch_norm:
                layers.append(EnsembleBatchNorm(len(generators), width, device))
            if maxout == 1:
                layers.append(ACTIVATIONS[activation]())
            a = width
        layers.append(EnsembleLinear(generators, a, out_dim, device, True, init, scale))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        """``(N, batch, in_dim) -> (N, batch, out_dim)``; an ensemble of one also takes ``(batch, in_dim)``."""
        if x.dim() == 2:
            if n_members(self) != 1:
                raise ValueError(f"x: 2-D input needs an ensemble of one, this one has {n_members(self)} members")
            return self.net(x.unsqueeze(0)).squeeze(0)
        return self.net(x)


def n_members(module):
    """Size of the leading member axis of an ensemble module's parameters."""
    return next(module.parameters()).shape[0]


def member_state(module, k):
    """State dict of member ``k`` of an ensemble, as an ensemble of one (tensors cloned)."""
    return {name: t[k : k + 1].detach().clone() for name, t in module.state_dict().items()}


@contextlib.contextmanager
def evaluation(module):
    """``module`` in evaluation mode for the block (batch normalisation uses its running statistics), then
    back in the mode it was in."""
    was = module.training
    module.eval()
    try:
        yield module
    finally:
        module.train(was)
