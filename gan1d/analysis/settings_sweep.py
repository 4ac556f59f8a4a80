"""Critic sweeps over settings: one :func:`gan1d.critic_sweep` per named setting, on any executor.

:func:`critic_sweeps` compares settings of the critic (losses, penalty weights, learning rates,
architectures) on one family: each setting is a sweep, a pure function of its arguments (every
random stream inside is seeded from them), so the sweeps run in this process, in a process pool
or on a cluster (:mod:`gan1d.protocols`) with the same numbers.
"""

import concurrent.futures
import inspect
from collections.abc import Mapping

from .sweep import check_inputs, check_settings, critic_sweep

__all__ = ["critic_sweeps"]

#: critic_sweep's positional arguments after ``loss``: shared by every setting, set by none.
SHARED = ("family", "reference", "thetas")


def critic_sweeps(settings, family, reference, thetas, executor=None, **common):
    """A :func:`gan1d.critic_sweep` for each named setting, on one family; their results, by name.

    Parameters
    ----------
    settings : mapping of str to mapping
        Name -> keyword arguments of :func:`gan1d.critic_sweep`; each gives ``loss``, e.g.
        ``{"wgan-gp, lambda 1": {"loss": "wgan-gp", "gp_weight": 1.0}, "gan": {"loss": "gan"}}``.
    family, reference, thetas
        As for :func:`gan1d.critic_sweep`; shared by every setting.
    executor : concurrent.futures.Executor, optional
        Where the sweeps run. None: here, one after the other. Otherwise every sweep is submitted
        to it: a process pool (:func:`gan1d.protocols.local_executor`), a Dask cluster
        (``distributed.Client(...).get_executor()``) or threads. A process pool or a cluster
        needs ``family`` to pickle: a class such as ``toys.ShiftedLine`` or a module-level
        function, not a lambda.
    **common
        Keyword arguments of :func:`gan1d.critic_sweep` shared by every setting (``steps``,
        ``checkpoints``, ``seed``, ``n_eval``, ``discriminator``, ``lr_d``, ...); a setting's own
        keys override them.

    Returns
    -------
    dict of str to SweepResult
        In the order of ``settings``. The sweep of a setting is ``critic_sweep(setting["loss"],
        family, reference, thetas, **common, **rest)``, ``rest`` the setting's other keys (which
        override ``common``), with the same numbers on any executor.

    Raises
    ------
    TypeError
        If ``settings`` is not a mapping, a name is not a string, a setting is not a mapping of
        option names, a setting sets ``family``, ``reference`` or ``thetas``, ``common`` sets
        ``loss``, or ``executor`` is not a ``concurrent.futures.Executor``.
    ValueError
        If ``settings`` is empty or a setting has no ``loss``.
    ValueError, TypeError
        What :func:`gan1d.critic_sweep` raises for a bad argument (an unknown option, a bad
        value), prefixed with the setting's name. Every setting is checked, and the shared
        arguments too, before any sweep starts.

    Examples
    --------
    Weight clipping and the gradient penalty on the parallel lines, from the same seed:

    >>> import numpy as np
    >>> import gan1d, toys
    >>> settings = {"clipping": {"loss": "wgan"}, "penalty": {"loss": "wgan-gp", "gp_weight": 1.0}}
    >>> out = gan1d.analysis.critic_sweeps(settings, toys.ShiftedLine, toys.ShiftedLine(0.0), [-1.0, 1.0],
    ...                                    steps=2, checkpoints=[2], n_eval=64, seed=3)
    >>> list(out)
    ['clipping', 'penalty']
    >>> alone = gan1d.critic_sweep("wgan-gp", toys.ShiftedLine, toys.ShiftedLine(0.0), [-1.0, 1.0],
    ...                            steps=2, checkpoints=[2], n_eval=64, seed=3, gp_weight=1.0)
    >>> bool(np.array_equal(out["penalty"].estimate, alone.estimate))
    True
    """
    calls = _calls(settings, common)
    check_inputs(family, reference, thetas)
    if executor is None:
        return {name: critic_sweep(loss, family, reference, thetas, **kwargs) for name, (loss, kwargs) in calls.items()}
    if not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(f"executor must be None or a concurrent.futures.Executor, got {executor!r}")
    futures = {
        name: executor.submit(critic_sweep, loss, family, reference, thetas, **kwargs)
        for name, (loss, kwargs) in calls.items()
    }
    try:
        return {name: future.result() for name, future in futures.items()}
    except BaseException:
        for future in futures.values():  # those not started yet
            future.cancel()
        raise


def _calls(settings, common):
    """Name -> (loss, keyword arguments of critic_sweep), every setting checked as critic_sweep would."""
    if not isinstance(settings, Mapping):
        raise TypeError(f"settings must be a mapping of names to critic_sweep options, got {settings!r}")
    if not settings:
        raise ValueError("settings must name at least one setting, got an empty mapping")
    if "loss" in common:
        raise TypeError(f"loss is each setting's own, not common: got loss={common['loss']!r} among the common options")
    calls = {}
    for name, setting in settings.items():
        if not isinstance(name, str):
            raise TypeError(f"settings must be named by strings, got the name {name!r}")
        if not isinstance(setting, Mapping) or not all(isinstance(key, str) for key in setting):
            raise TypeError(f"settings[{name!r}] must be a mapping of critic_sweep option names, got {setting!r}")
        if "loss" not in setting:
            raise ValueError(f"settings[{name!r}] must give a loss, e.g. {{'loss': 'wgan-gp'}}, got {dict(setting)!r}")
        shared = [key for key in SHARED if key in setting]
        if shared:
            raise TypeError(
                f"settings[{name!r}] sets {shared}, which every setting shares: pass them to critic_sweeps itself"
            )
        loss, kwargs = setting["loss"], {**common, **{k: v for k, v in setting.items() if k != "loss"}}
        try:
            _check(loss, kwargs)
        except (TypeError, ValueError) as exc:
            kind = TypeError if isinstance(exc, TypeError) else ValueError
            raise kind(f"settings[{name!r}]: {exc}") from exc
        calls[name] = (loss, kwargs)
    return calls


def _check(loss, kwargs):
    """What critic_sweep checks of its settings, with its defaults for what ``kwargs`` leaves out."""
    bound = inspect.signature(critic_sweep).bind(loss, None, None, None, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    check_settings(loss, a["steps"], a["checkpoints"], a["seed"], a["batch_size"], a["n_eval"], a["options"])
