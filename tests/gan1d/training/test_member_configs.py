"""A Trainer whose members have their own configs (loss and f): each member trains as if alone."""

import math

import numpy as np
import pytest

import gan1d
import toys
from gan1d import TrainConfig
from gan1d.training.config import member_configs
from gan1d.training.trainer import Trainer

TARGET = toys.Gaussian(0.0, 1.0)
NET = gan1d.MLP(width=16, depth=2)


def _config(**kw):
    return TrainConfig.from_options(steps=20, discriminator=NET, generator=gan1d.LocationScale(0.5, 1.0),
                                    eval_every=10, **kw)  # fmt: skip


def test_members_train_as_their_own_runs():
    configs = [_config(loss="f-gan", f="kl"), _config(loss="lsgan"), _config(loss="gan")]
    runs = Trainer(TARGET, [3, 3, 3], configs).fit()
    for run, config in zip(runs, configs):
        alone = gan1d.train(TARGET, seed=3, **{k: getattr(config, k) for k in ("loss", "f", "steps", "discriminator",
                            "generator", "eval_every")})  # fmt: skip
        assert run.config == config
        for column in ("mu", "sigma", "estimate", "d_loss"):
            # the same initialisation and batches; batched float32 products round differently
            np.testing.assert_allclose(run.history[column], alone.history[column], rtol=1e-4, atol=1e-5)
    # the "exact" column: D_f for f-gan, chi2(Q || M) for lsgan, NaN for gan (which has none)
    assert math.isfinite(runs[0].history["exact"][-1]) and math.isfinite(runs[1].history["exact"][-1])
    assert np.all(np.isnan(runs[2].history["exact"]))


def test_one_config_is_shared():
    config = _config(loss="gan")
    assert member_configs(config, 3) == [config] * 3


@pytest.mark.parametrize(
    "configs, error, match",
    [
        ("gan", TypeError, "sequence of them"),
        ([_config(loss="gan")], ValueError, "one TrainConfig per member"),
        ([_config(loss="gan"), {"loss": "gan"}], TypeError, r"config\[1\]"),
        ([_config(loss="gan"), _config(loss="wgan")], ValueError, "differs from config\\[0\\] in .*clip"),
        ([_config(loss="gan"), _config(loss="gan", r1=1.0)], ValueError, "r1=1.0 vs 0.0"),
    ],
)
def test_member_configs_refuse(configs, error, match):
    with pytest.raises(error, match=match):
        member_configs(configs, 2)
