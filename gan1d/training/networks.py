"""Ensembles of small MLPs: N independent networks evaluated as one batched matmul.

Every network in :mod:`gan1d` carries a leading *member* axis. A single training run is an
ensemble of one; :func:`gan1d.train_many` trains N runs with different seeds as an ensemble of N,
so one Python step advances all of them (``torch.baddbmm`` instead of N separate ``addmm``).
Members never interact: each has its own parameters, initialised from its own
``torch.Generator``, and every loss is a sum of per-member terms, so the gradient of member k's
parameters is exactly the gradient of member k's own loss. Adam and RMSprop act elementwise, so
one optimizer over the stacked parameters is N independent optimizers.
"""

import math

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "EnsembleLinear", "EnsembleMLP", "member_state", "n_members"]

#: Activation functions by name.
ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


class EnsembleLinear(nn.Module):
    """N independent affine maps ``x @ W_k + b_k``, applied member by member.

    Parameters
    ----------
    generators : sequence of torch.Generator
        One generator per member, used for that member's initialisation only.
    in_features, out_features : int
        Input and output widths.

    Notes
    -----
    Initialised as ``torch.nn.Linear`` is: weights and biases uniform on
    :math:`[-1/\\sqrt{\\text{in}}, 1/\\sqrt{\\text{in}}]` (Kaiming-uniform with ``a = sqrt(5)``).
    """

    def __init__(self, generators, in_features, out_features, device=None):
        super().__init__()
        n = len(generators)
        self.in_features, self.out_features = in_features, out_features
        self.weight = nn.Parameter(torch.empty(n, in_features, out_features, device=device))
        self.bias = nn.Parameter(torch.empty(n, 1, out_features, device=device))
        bound = 1.0 / math.sqrt(in_features)
        with torch.no_grad():
            for k, g in enumerate(generators):
                self.weight[k].uniform_(-bound, bound, generator=g)
                self.bias[k].uniform_(-bound, bound, generator=g)

    def forward(self, x):  # x: (N, batch, in)
        if self.weight.shape[0] == 1:  # one member: the 2-D kernel (its double backward is cheaper)
            return torch.addmm(self.bias[0], x[0], self.weight[0]).unsqueeze(0)
        return torch.baddbmm(self.bias, x, self.weight)  # (N, batch, out)

    def extra_repr(self):
        return f"members={self.weight.shape[0]}, in={self.in_features}, out={self.out_features}"


class EnsembleMLP(nn.Module):
    """N independent MLPs ``in_dim -> width x depth -> out_dim`` with one activation.

    ``forward`` takes ``(N, batch, in_dim)`` and returns ``(N, batch, out_dim)``; an ensemble of
    one also accepts ``(batch, in_dim)`` and returns ``(batch, out_dim)``, like an ``nn.Sequential``.
    """

    def __init__(self, generators, in_dim, out_dim, width, depth, activation, device=None):
        super().__init__()
        widths = [in_dim] + [width] * depth + [out_dim]
        layers = []
        for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(EnsembleLinear(generators, a, b, device=device))
            if i < depth:
                layers.append(ACTIVATIONS[activation]())
        self.net = nn.Sequential(*layers)

    def forward(self, x):
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
