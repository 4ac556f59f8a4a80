"""Critic sweeps over settings: each setting's sweep is :func:`gan1d.critic_sweep` with the merged options,
on any executor, and a bad setting fails before any sweep starts.

The oracle is ``critic_sweep`` itself, called directly: a sweep is a pure function of its arguments
(every stream seeded), so the arrays must agree exactly, not to a tolerance. The sweeps are tiny
(20 critic updates, 256 evaluation samples per side): these tests check the plumbing, not the critics.
"""

import concurrent.futures

import numpy as np
import pytest

import gan1d
import toys

THETAS = [-1.0, 0.5, 1.0]
LINE = toys.ShiftedLine(0.0)
COMMON = {"steps": 20, "checkpoints": (10, 20), "n_eval": 256, "seed": 1, "discriminator": gan1d.MLP(width=16)}
SETTINGS = {
    "wgan-gp, lambda 1": {"loss": "wgan-gp", "gp_weight": 1.0},
    "gan": {"loss": "gan"},
    "wgan-gp, seed 2": {"loss": "wgan-gp", "seed": 2, "checkpoints": [20]},  # overrides two common options
}
FIELDS = ("thetas", "steps", "estimate", "grad", "estimate_grad", "exact", "exact_grad")


class RecordingExecutor(concurrent.futures.Executor):
    """Records what is submitted to it and runs nothing."""

    def __init__(self):
        self.submitted = []

    def submit(self, fn, /, *args, **kwargs):
        self.submitted.append(fn)
        raise AssertionError("nothing should have been submitted")


def _assert_same(a, b):
    assert (a.loss, a.divergence) == (b.loss, b.divergence)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@pytest.fixture(scope="module")
def serial():
    return gan1d.critic_sweeps(SETTINGS, toys.ShiftedLine, LINE, THETAS, **COMMON)


def test_each_setting_is_critic_sweep_with_the_common_options_and_its_own(serial):
    assert list(serial) == list(SETTINGS)
    for name, setting in SETTINGS.items():
        options = {**COMMON, **{k: v for k, v in setting.items() if k != "loss"}}
        _assert_same(serial[name], gan1d.critic_sweep(setting["loss"], toys.ShiftedLine, LINE, THETAS, **options))
    # the settings gave different sweeps: the comparison above is not of three copies of one array
    assert not np.array_equal(serial["wgan-gp, lambda 1"].estimate, serial["wgan-gp, seed 2"].estimate[[0, 0]])
    assert serial["gan"].divergence == "js" and serial["wgan-gp, lambda 1"].divergence == "w1"


def test_a_setting_s_own_options_override_the_common_ones(serial):
    own = serial["wgan-gp, seed 2"]
    np.testing.assert_array_equal(own.steps, [20])
    spelled_out = gan1d.critic_sweep("wgan-gp", toys.ShiftedLine, LINE, THETAS, steps=20, checkpoints=[20], n_eval=256,
                                     seed=2, discriminator=gan1d.MLP(width=16))  # fmt: skip
    _assert_same(own, spelled_out)
    # the common seed gives other critics: the override was used
    assert not np.array_equal(own.estimate[-1], serial["wgan-gp, lambda 1"].estimate[-1])


def test_a_thread_pool_gives_exactly_the_serial_arrays(serial):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        threaded = gan1d.critic_sweeps(SETTINGS, toys.ShiftedLine, LINE, THETAS, executor=pool, **COMMON)
    assert list(threaded) == list(SETTINGS)
    for name in SETTINGS:
        _assert_same(threaded[name], serial[name])


GOOD = {"first": {"loss": "wgan-gp"}}


@pytest.mark.parametrize(
    ("last", "error", "match"),
    [
        ({"loss": "wgan-gp", "lr_dd": 1e-3}, TypeError, r"settings\['last'\]: unknown option\(s\) \['lr_dd'\]"),
        ({"loss": "wgan-gp", "lr_d": -1.0}, ValueError, r"settings\['last'\]: lr_d"),
        ({"loss": "hinge"}, ValueError, r"settings\['last'\]: loss must be one of"),
        ({"loss": "f-gan"}, ValueError, r"settings\['last'\]: loss='f-gan' needs f"),
        ({"loss": "gan", "f": "kl"}, ValueError, r"settings\['last'\]: f is the generator of loss='f-gan' only"),
        ({"loss": "wgan-gp", "checkpoints": [30]}, ValueError, r"settings\['last'\]: checkpoints must be <= steps"),
        ({"loss": "wgan-gp", "n_eval": 0}, ValueError, r"settings\['last'\]: n_eval"),
        ({"loss": "wgan-gp", "pack": 2}, ValueError, r"settings\['last'\]: .*pack=2"),
        ({"gp_weight": 1.0}, ValueError, r"settings\['last'\] must give a loss"),
        ({"loss": "gan", "thetas": [2.0]}, TypeError, r"settings\['last'\] sets \['thetas'\]"),
        ({"loss": "gan", "family": toys.ShiftedLine}, TypeError, r"settings\['last'\] sets \['family'\]"),
        ({"loss": "gan", 3: 1}, TypeError, r"settings\['last'\] must be a mapping of critic_sweep option names"),
        ("gan", TypeError, r"settings\['last'\] must be a mapping"),
    ],
)
def test_a_bad_last_setting_fails_before_any_sweep_is_submitted(last, error, match):
    executor = RecordingExecutor()
    with pytest.raises(error, match=match):
        gan1d.critic_sweeps({**GOOD, "last": last}, toys.ShiftedLine, LINE, THETAS, executor=executor, **COMMON)
    assert executor.submitted == []


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ({"settings": [("a", {"loss": "gan"})]}, TypeError, "settings must be a mapping"),
        ({"settings": {}}, ValueError, "settings must name at least one setting"),
        ({"settings": {1: {"loss": "gan"}}}, TypeError, "named by strings, got the name 1"),
        ({"loss": "gan"}, TypeError, "loss is each setting's own"),
        ({"thetas": []}, ValueError, "thetas"),
        ({"reference": toys.Gaussian(0.0, 1.0)}, ValueError, "family must give laws of the reference's dimension"),
        ({"family": lambda t: toys.Uniform(t, t + 1)}, ValueError, "family must give a toys.ShiftedLine"),
        ({"family": "ShiftedLine"}, TypeError, "family must be a callable"),
        ({"steps": 10}, ValueError, r"settings\['first'\]: checkpoints must be <= steps = 10, got 20"),
    ],
)
def test_bad_shared_arguments_fail_before_any_sweep_is_submitted(args, error, match):
    executor = RecordingExecutor()
    call = {"settings": GOOD, "family": toys.ShiftedLine, "reference": LINE, "thetas": THETAS, **COMMON, **args}
    with pytest.raises(error, match=match):
        gan1d.critic_sweeps(executor=executor, **call)
    assert executor.submitted == []


def test_the_executor_must_be_an_executor():
    with pytest.raises(TypeError, match=r"executor must be None or a concurrent\.futures\.Executor, got 2"):
        gan1d.critic_sweeps(GOOD, toys.ShiftedLine, LINE, THETAS, executor=2, **COMMON)
