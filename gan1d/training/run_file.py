"""The file of a saved run: what :meth:`gan1d.Run.save` writes, and every check :func:`gan1d.load` makes.

A saved run is one ``torch.save`` of a dict of plain values and tensors, read back with
``torch.load(weights_only=True)``, so that a file cannot run code:

=================  ===========================================================================
key                value
=================  ===========================================================================
``format``         ``"gan1d.Run/1"``: the layout of this table, version 1
``config``         ``TrainConfig.to_dict()``: every field, the networks as ``{"kind": ..., **fields}``
``seed``           the run's seed, an int >= 0
``target``         ``{"kind": ..., "params": ...}``: a toy of :data:`TARGETS`, its constructor's keywords
``generator``      the generator's state dict (an ensemble of one)
``discriminator``  the discriminator's state dict
``history``        ``{"steps": {column: 1-D tensor}, "evals": {column: 1-D tensor}}``
=================  ===========================================================================

:func:`read` checks the whole file before it builds the run, and every problem
is a ``ValueError`` that starts with ``"not a gan1d run: "`` and names the key, what was found
and what was expected. :func:`contents` refuses to write what :func:`read` would refuse.
"""

import dataclasses
import re

import numpy as np
import torch

import toys
from toys.validation import seed as check_seed

from .config import TrainConfig
from .generators import module_type
from .history import STEP_FIELDS, History

__all__ = ["FORMAT", "TARGETS", "contents", "read"]

_VERSION = 1
FORMAT = f"gan1d.Run/{_VERSION}"
_KEYS = ("format", "config", "seed", "target", "generator", "discriminator", "history")
#: Toys a saved run's target may be rebuilt as (nothing else is ever constructed on load): every
#: concrete toy that :class:`gan1d.Trainer` accepts.
TARGETS = {
    cls.__name__: cls
    for cls in (
        toys.Gaussian,
        toys.GaussianMixture,
        toys.Uniform,
        toys.Exponential,
        toys.ShiftedLine,
        toys.SmoothedLine,
        toys.Discrete,
        toys.Bernoulli,
    )
}
#: Config fields added after format 1 was fixed, with the value every run saved before them had:
#: no critic pretraining, the two-sided gradient penalty of Gulrajani et al. (2017), no f-GAN generator,
#: none of the regularisers of :mod:`gan1d.training.regularisers`, alternating updates, none of the
#: remedies of :mod:`gan1d.training.remedies`.
_ADDED_FIELDS = {
    "one_sided": False,
    "pretrain_critic": 0,
    "f": None,
    "r1": 0.0,
    "r2": 0.0,
    "instance_noise": 0.0,
    "instance_noise_anneal": None,
    "updates": "alternating",
    "consensus": 0.0,
    "spectral_norm": False,
    "pack": 1,
    "unroll": 0,
    "minibatch_std": False,
}
#: MLP fields added after format 1 was fixed, likewise: no batch normalisation, no maxout, torch's init.
_ADDED_MLP_FIELDS = {"batch_norm": False, "maxout": 1, "init": "uniform", "init_scale": None}
_INTEGER_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


# -- writing -------------------------------------------------------------------------------------
def contents(run):
    """The dict that :meth:`gan1d.Run.save` writes for ``run``.

    Raises
    ------
    TypeError
        If the generator is not the network its config describes, the target is not a toy of
        :data:`TARGETS` (a subclass is not), or the seed is not an int: :func:`read` could not
        rebuild them.
    ValueError
        If a weight is NaN or infinite (a diverged run), which :func:`read` refuses.
    """
    if not isinstance(run.generator, module_type(run.config.generator)):
        raise TypeError(
            f"this run's generator is a {type(run.generator).__name__} given to the Trainer, not the network its "
            f"config describes ({run.config.generator!r}): gan1d.load could not rebuild it, so it is not saved"
        )
    kind = type(run.target).__name__
    if TARGETS.get(kind) is not type(run.target):
        raise TypeError(
            f"this run's target is a {type(run.target).__module__}.{kind}, which gan1d.load could not rebuild (it "
            f"rebuilds the toys {sorted(TARGETS)} only), so it is not saved"
        )
    if isinstance(run.seed, bool) or not isinstance(run.seed, int) or run.seed < 0:
        raise TypeError(f"this run's seed is {_shown(run.seed)}, not an int >= 0: gan1d.load could not read it back")
    for name in ("generator", "discriminator"):
        bad = [k for k, t in getattr(run, name).state_dict().items() if not torch.isfinite(t).all()]
        if bad:
            raise ValueError(
                f"this run's {name} has NaN or infinite weights {bad} (a diverged run?): gan1d.load refuses them, "
                "so it is not saved"
            )
    return {
        "format": FORMAT,
        "config": run.config.to_dict(),
        "seed": run.seed,
        "target": {"kind": kind, "params": {k: _plain(v) for k, v in run.target.parameters().items()}},
        "generator": run.generator.state_dict(),
        "discriminator": run.discriminator.state_dict(),
        "history": {
            part: {k: torch.as_tensor(v, dtype=torch.float64) for k, v in cols.items()}
            for part, cols in (("steps", run.history.steps), ("evals", run.history.evals))
        },
    }


# -- reading -------------------------------------------------------------------------------------
def read(path, device="cpu"):
    """The checked parts of the run saved at ``path``: the keywords of :class:`gan1d.Run`.

    The file is read on the CPU and checked whole (format, keys, target, config, seed, history,
    then the weights against the shapes that the config implies), and only then are the networks
    built, on ``device``, and the weights loaded into them.

    Raises
    ------
    ValueError
        ``"not a gan1d run: ..."``, naming what is wrong, if the file is not a run that
        :meth:`gan1d.Run.save` wrote; a plain ``ValueError`` from :class:`gan1d.TrainConfig` if
        ``device`` is not ``"cpu"`` or an available ``"cuda"``.
    OSError
        If the file cannot be opened (``FileNotFoundError``, ``PermissionError``, ...).
    """
    data = _torch_load(path)
    if not isinstance(data, dict):
        raise _not_a_run(f"the file holds {_describe(data)}, not the dict that gan1d.Run.save writes")
    if "format" in data:  # first, so that a file of a later format is named as such whatever its keys
        _check_format(data["format"])
    _check_keys("the file", data, _KEYS)
    target = _target(data["target"])
    config = _config(data["config"])
    try:
        seed = check_seed("seed", data["seed"])
    except (TypeError, ValueError) as exc:
        raise _not_a_run(str(exc)) from None
    spec = config.generator
    if spec.out_dim(target.dim) != target.dim:
        raise _not_a_run(
            f"config generator {spec!r} outputs points of dimension {spec.out_dim(target.dim)}, but the target "
            f"{target!r} has dimension {target.dim}"
        )
    history = _history(data["history"], config)
    specs = {"generator": (spec, spec.build), "discriminator": (config.discriminator, config.build_critic)}
    for name, (net_spec, build) in specs.items():
        _check_weights(name, data[name], _shapes(name, net_spec, build, target.dim), net_spec)
    config = dataclasses.replace(config, device=device)  # the caller's device, checked by TrainConfig
    init = [torch.Generator(device=device)]
    generator = spec.build(init, target.dim, device)
    discriminator = config.build_critic(init, target.dim, device)
    generator.load_state_dict(data["generator"])
    discriminator.load_state_dict(data["discriminator"])
    return {
        "target": target,
        "config": config,
        "seed": seed,
        "generator": generator,
        "discriminator": discriminator,
        "history": history,
    }


def _torch_load(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except OSError:
        raise  # no such file, no permission: the usual errors of opening a file
    except Exception as exc:  # torch raises many types (KeyError on a text file, EOFError on an empty one)
        # Summarised, not chained: torch's message advises weights_only=False, which would run the file's code.
        raise _not_a_run(_unreadable(exc)) from None


def _unreadable(exc):
    """What torch said, without its advice to load the file with ``weights_only=False``."""
    text = str(exc)
    refused = re.search(r"Unsupported global:\s*(.*?)(?: was not an allowed global|\n|$)", text)
    if refused:
        return (
            f"the file holds Python objects beyond tensors and plain values ({refused.group(1).strip()}), which a "
            "saved run never does; they were not loaded"
        )
    first = text.strip().splitlines()[0].split(". ")[0] if text.strip() else ""
    said = type(exc).__name__ + (f": {first}" if first and "weights_only" not in first else "")
    return f"torch.load(weights_only=True) cannot read the file: torch.save did not write it, or it is damaged ({said})"


def _not_a_run(problem):
    return ValueError(f"not a gan1d run: {problem}")


def _shown(value, limit=80):
    """``repr(value)`` on one line, cut to ``limit`` characters."""
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"a tensor of dtype {value.dtype} and shape {tuple(value.shape)}"
    return f"{_shown(value)} of type {type(value).__name__}"


def _check_keys(where, found, expected, optional=()):
    """Raise unless the dict ``found`` has string keys, the ``expected`` ones (``optional`` may lack)."""
    if not isinstance(found, dict) or not all(isinstance(k, str) for k in found):
        raise _not_a_run(f"{where} must be a dict with the keys {sorted(expected)}, got {_describe(found)}")
    missing = sorted(set(expected) - set(found) - set(optional))
    if missing:
        raise _not_a_run(f"{where}: missing key(s) {missing}; expected {sorted(expected)}")
    unexpected = sorted(set(found) - set(expected))
    if unexpected:
        raise _not_a_run(f"{where}: unexpected key(s) {_shown(unexpected)}; expected {sorted(expected)}")


def _check_format(value):
    version = re.fullmatch(r"gan1d\.Run/([0-9]+)", value) if isinstance(value, str) else None
    if version and int(version.group(1)) > _VERSION:
        raise _not_a_run(
            f"format {value!r} is newer than the {FORMAT!r} this version of gan1d reads: a later gan1d wrote it, "
            "and reads it"
        )
    if value != FORMAT:
        raise _not_a_run(f"format must be {FORMAT!r}, got {_describe(value)}")


def _target(value):
    _check_keys("target", value, ("kind", "params"))
    kind, params = value["kind"], value["params"]
    if not isinstance(kind, str) or kind not in TARGETS:
        raise _not_a_run(f"target kind must be one of {sorted(TARGETS)}, got {_describe(kind)}")
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise _not_a_run(f"target params must be a dict of keywords, got {_describe(params)}")
    try:
        target = TARGETS[kind](**params)
    except (TypeError, ValueError, ArithmeticError) as exc:  # ArithmeticError: an int too large for a float
        raise _not_a_run(f"target params {_shown(params)} do not build a toys.{kind}: {exc}") from exc
    _check_keys(f"target params of a toys.{kind}", params, target.parameters())
    return target


def _config(value):
    """The config, built with ``device="cpu"`` (a run saved on a GPU loads anywhere)."""
    fields = [f.name for f in dataclasses.fields(TrainConfig)]
    _check_keys("config", value, fields, optional=_ADDED_FIELDS)
    for name in ("generator", "discriminator"):
        if not isinstance(value[name], dict):
            raise _not_a_run(f"config {name} must be a dict with a 'kind' and its fields, got {_describe(value[name])}")
        if "kind" not in value[name]:
            raise _not_a_run(f"config {name}: missing key(s) ['kind']")
    if value["device"] not in ("cpu", "cuda"):
        raise _not_a_run(f"config device must be 'cpu' or 'cuda', got {_describe(value['device'])}")
    try:
        config = TrainConfig.from_dict({**_ADDED_FIELDS, **value, "device": "cpu"})
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise _not_a_run(f"config does not build a gan1d.TrainConfig: {exc}") from exc
    for name in ("generator", "discriminator"):  # a network field left out would take its default
        spec = getattr(config, name)
        spec_fields = ["kind"] + [f.name for f in dataclasses.fields(spec)]
        _check_keys(f"config {name} ({type(spec).__name__})", value[name], spec_fields, optional=_ADDED_MLP_FIELDS)
    return config


def _history(value, config):
    _check_keys("history", value, ("steps", "evals"))
    parts = {}
    for part in ("steps", "evals"):
        columns = value[part]
        if not isinstance(columns, dict) or not all(isinstance(k, str) for k in columns):
            raise _not_a_run(f"history {part} must be a dict of columns, got {_describe(columns)}")
        for name, column in columns.items():
            if not _is_column(column):
                raise _not_a_run(
                    f"history {part} column {name!r} must be a 1-D tensor of numbers, got {_describe(column)}"
                )
        lengths = {name: len(column) for name, column in columns.items()}
        if len(set(lengths.values())) > 1:
            raise _not_a_run(f"history {part} has columns of different lengths {lengths}")
        parts[part] = {name: column.detach().to(torch.float64).numpy() for name, column in columns.items()}
    generator = module_type(config.generator)
    names = STEP_FIELDS + (generator.param_names if generator.parametric else ())
    _check_keys(f"history steps of a {type(config.generator).__name__} generator", parts["steps"], names)
    step = parts["steps"]["step"]
    n = len(step)
    if n > config.steps or not np.array_equal(step, np.arange(1, n + 1)):
        raise _not_a_run(
            f"history column 'step' must be 1, 2, ..., n <= {config.steps} (config steps), got {_shown(step)}"
        )
    if parts["evals"]:
        if "eval_step" not in parts["evals"]:
            raise _not_a_run("history evals: missing key(s) ['eval_step'], the step of each evaluation")
        at = parts["evals"]["eval_step"]
        if not ((at == at.round()).all() and (at[1:] > at[:-1]).all() and (at >= 0).all() and (at <= n).all()):
            raise _not_a_run(f"history column 'eval_step' must be increasing integers in [0, {n}], got {_shown(at)}")
    return History(parts["steps"], parts["evals"])


def _is_column(value):
    if not isinstance(value, torch.Tensor) or value.layout != torch.strided or value.ndim != 1:
        return False
    return value.dtype.is_floating_point or value.dtype in _INTEGER_DTYPES


def _shapes(name, spec, build, dim):
    """The shape of every weight of the network ``spec`` describes, built on the meta device (no memory used)."""
    try:
        module = build([torch.Generator()], dim, "meta")
    except (RuntimeError, ArithmeticError, ValueError, TypeError) as exc:  # a width beyond what torch can index
        said = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise _not_a_run(f"config {name} {spec!r} does not build a network: {type(exc).__name__}: {said}") from None
    return {key: t.shape for key, t in module.state_dict().items()}


def _check_weights(name, weights, expected, spec):
    """Raise unless ``weights`` has exactly the keys of ``expected``, finite floating-point tensors of its shapes."""
    _check_keys(f"{name} weights", weights, expected)
    for key, shape in expected.items():
        t = weights[key]
        if not isinstance(t, torch.Tensor) or t.layout != torch.strided:
            raise _not_a_run(f"{name} weight {key!r} must be a tensor, got {_describe(t)}")
        if not t.dtype.is_floating_point:
            raise _not_a_run(f"{name} weight {key!r} must be a floating-point tensor, got dtype {t.dtype}")
        if t.shape != shape:
            raise _not_a_run(
                f"{name} weight {key!r} has shape {tuple(t.shape)}, but the config's {spec!r} has shape {tuple(shape)}"
            )
        if not torch.isfinite(t).all():
            raise _not_a_run(f"{name} weight {key!r} has NaN or infinite values")


def _plain(value):
    """numpy arrays and scalars as lists and Python numbers, which ``torch.load(weights_only=True)`` reads."""
    return np.asarray(value).tolist() if isinstance(value, np.ndarray | np.generic) else value
