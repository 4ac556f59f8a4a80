"""The trainer's extension points: callbacks at each evaluation, a fixed law as generator, critic pretraining."""

import numpy as np
import pytest

import gan1d
import toys
from gan1d.training.generators import ParallelLinesGenerator
from gan1d.training.trainer import Trainer

TARGET = toys.Gaussian(0.0, 1.0)
SMALL = {"discriminator": gan1d.MLP(width=8, depth=1), "generator": gan1d.MLP(width=8, depth=1), "batch_size": 16}


def test_callbacks_run_after_every_evaluation_with_the_trainer():
    seen = []

    def callback(trainer, step):
        assert isinstance(trainer, Trainer) and trainer.recorder.evals["eval_step"][-1][0] == step
        seen.append((step, trainer.G is not None and trainer.D is not None))

    run = gan1d.train(TARGET, "gan", steps=9, seed=0, eval_every=4, eval_samples=50, callbacks=[callback], **SMALL)
    assert seen == [(0, True), (4, True), (8, True), (9, True)]
    assert run.history["eval_step"].tolist() == [0.0, 4.0, 8.0, 9.0]


@pytest.mark.parametrize(("callbacks", "match"), [(print, "sequence of callables"), ([1], "callables")])
def test_callbacks_must_be_callables(callbacks, match):
    with pytest.raises(TypeError, match=match):
        gan1d.train(TARGET, "gan", steps=2, callbacks=callbacks, **SMALL)


def test_the_critic_is_pretrained_before_the_evaluation_at_step_zero(monkeypatch):
    calls = {"critic": 0}
    original = Trainer.critic_step

    def counting(self):
        calls["critic"] += 1
        return original(self)

    monkeypatch.setattr(Trainer, "critic_step", counting)
    at_zero = []

    def at_step_zero(trainer, step):
        if step == 0:
            at_zero.append(calls["critic"])

    gan1d.train(TARGET, "wgan-gp", steps=3, seed=0, eval_every=3, eval_samples=50, pretrain_critic=7,
                callbacks=[at_step_zero], **SMALL)  # fmt: skip
    assert at_zero == [7]  # seven critic updates, no generator step, before the first evaluation
    assert calls["critic"] == 7 + 3 * 5  # then n_critic = 5 per generator step


def test_pretraining_changes_nothing_but_the_critic_before_the_first_step():
    base = gan1d.train(TARGET, "gan", steps=2, seed=3, eval_every=2, eval_samples=50, **SMALL)
    pre = gan1d.train(TARGET, "gan", steps=2, seed=3, eval_every=2, eval_samples=50, pretrain_critic=5, **SMALL)
    # the generator's first evaluation comes before any generator step: the same with or without
    np.testing.assert_array_equal(base.history["w1"][:1], pre.history["w1"][:1])
    assert not np.array_equal(base.history["d_loss"], pre.history["d_loss"])


@pytest.mark.parametrize(("value", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_pretrain_critic_is_checked(value, error):
    with pytest.raises(error, match="pretrain_critic must be a non-negative integer"):
        gan1d.TrainConfig(pretrain_critic=value)


def test_a_fixed_law_trains_the_critic_alone():
    config = gan1d.TrainConfig(loss="wgan-gp", steps=1, batch_size=64, lr_d=1e-2, discriminator=gan1d.MLP(16, 2))
    trainer = Trainer(TARGET, [0, 1], config, generator=toys.Gaussian(3.0, 1.0))
    estimates = trainer.train_critic(300)
    assert estimates.shape == (300, 2)
    # towards W1 = 3 between the two laws (seeded: from about 0.2 to about 3 for both members)
    assert np.all(estimates[-20:].mean(axis=0) > 2.0) and np.all(estimates[:5].mean(axis=0) < 1.0)
    with pytest.raises(TypeError, match=r"fixed law .* with nothing to train: train its critic"):
        trainer.fit()
    with pytest.raises(ValueError, match="generator must be a law of the target's dimension 1"):
        Trainer(TARGET, [0], config, generator=toys.ShiftedLine(0.0))


def test_a_module_given_as_generator_trains_but_is_not_saved(tmp_path):
    target = toys.ShiftedLine(0.0)
    config = gan1d.TrainConfig(loss="wgan-gp", steps=3, batch_size=32, eval_every=3, eval_samples=50)
    run = Trainer(target, [0], config, generator=ParallelLinesGenerator(np.array([1.0]))).fit()[0]
    assert run.history["theta"].shape == (3,)
    with pytest.raises(TypeError, match=r"gan1d\.load could not rebuild it"):
        run.save(tmp_path / "run.pt")
