"""Files of saved runs: every target a Trainer accepts reads back as it was written, and ``gan1d.load``
refuses every file that ``Run.save`` did not write, naming what is wrong.

Oracles: the run in memory for the round trips (target parameters, config, seed, history and
weights compared exactly); for the refusals, a file that ``Run.save`` wrote, loaded with
``torch.load(weights_only=True)``, changed in one place and written back with ``torch.save``:
the unchanged copy loads (:func:`test_the_untouched_file_loads`), so each refusal is caused by the
one change, and its message must name it.
"""

import copy
import pathlib
import re
import traceback

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gan1d
import toys
from gan1d.training import run_file
from gan1d.training.run_file import FORMAT, TARGETS
from gan1d.training.trainer import Trainer

TINY = gan1d.MLP(width=4, depth=1)
#: Each example writes and reads a torch file: few of them. The file is rewritten in the same
#: ``tmp_path`` by every example, which is why the function-scoped fixture is fine.
FEW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PREFIX = "^not a gan1d run: "


def tiny_run(target, generator=TINY, seed=5):
    """Three steps of 8 samples, evaluations at steps 0, 2 and 3: about 10 ms."""
    return gan1d.train(
        target,
        loss="gan",
        steps=3,
        seed=seed,
        batch_size=8,
        generator=generator,
        discriminator=TINY,
        eval_every=2,
        eval_samples=20,
        progress=False,
    )


#: One run per kind of target (and per dimension where the saved parameters differ), with the
#: parametric generators for the targets they fit.
TARGET_RUNS = {
    "Gaussian": (toys.Gaussian(1.0, 2.0), TINY),
    "Gaussian-2d": (toys.Gaussian(mean=[0.0, 1.0], cov=[[1.0, 0.3], [0.3, 2.0]]), TINY),
    "Gaussian-LocationScale": (toys.Gaussian(1.0, 2.0), gan1d.LocationScale(0.5, -1.5)),
    "GaussianMixture": (toys.GaussianMixture(weights=[0.3, 0.7], means=[-1.0, 2.0], stds=[0.5, 1.0]), TINY),
    "GaussianMixture-ring": (toys.ring(), TINY),
    "Uniform": (toys.Uniform(-1.0, 2.0), TINY),
    "Exponential": (toys.Exponential(2.0, loc=1.0), TINY),
    "ShiftedLine": (toys.ShiftedLine(0.5), TINY),
    "ShiftedLine-ParallelLines": (toys.ShiftedLine(0.5), gan1d.ParallelLines(1.0)),
    "SmoothedLine": (toys.SmoothedLine(0.5, 0.1), TINY),
    "Discrete": (toys.Discrete([0.0, 1.0, 3.0], [0.2, 0.3, 0.5]), TINY),
    "Bernoulli": (toys.Bernoulli(0.3), TINY),
}


def assert_same_run(loaded, run):
    assert type(loaded.target) is type(run.target)
    params, expected = loaded.target.parameters(), run.target.parameters()
    assert params.keys() == expected.keys()
    for name in expected:
        np.testing.assert_array_equal(params[name], expected[name], err_msg=name)
    assert loaded.config == run.config
    assert loaded.seed == run.seed and type(loaded.seed) is int
    for part in ("steps", "evals"):
        mine, theirs = getattr(loaded.history, part), getattr(run.history, part)
        assert list(mine) == list(theirs), part
        for name in theirs:
            np.testing.assert_array_equal(mine[name], theirs[name], err_msg=name)
    for name in ("generator", "discriminator"):
        mine, theirs = getattr(loaded, name).state_dict(), getattr(run, name).state_dict()
        assert mine.keys() == theirs.keys()
        for key in theirs:
            assert torch.equal(mine[key], theirs[key]), (name, key)


# -- Round trips ------------------------------------------------------------------------------
def test_every_toy_a_trainer_accepts_is_a_target_kind():
    bases = {toys.Distribution, toys.ContinuousDistribution, toys.DiscreteDistribution, toys.SingularDistribution}
    public = {getattr(toys, name) for name in toys.__all__}
    concrete = {obj for obj in public if isinstance(obj, type) and issubclass(obj, toys.Distribution)} - bases
    assert set(TARGETS.values()) == concrete
    assert {type(target) for target, _ in TARGET_RUNS.values()} == concrete


@pytest.mark.parametrize("case", TARGET_RUNS)
def test_a_run_on_every_kind_of_target_loads_as_it_was_saved(case, tmp_path):
    target, generator = TARGET_RUNS[case]
    run = tiny_run(target, generator)
    run.save(tmp_path / "run.pt")
    loaded = gan1d.load(tmp_path / "run.pt")
    assert_same_run(loaded, run)
    np.testing.assert_array_equal(loaded.sample(10, rng=1), run.sample(10, rng=1))


def test_save_refuses_what_load_could_not_rebuild(tmp_path):
    class Translate(toys.Gaussian):
        """A subclass: saved as "Translate", it could only come back as something else."""

    with pytest.raises(TypeError, match=r"target is a .*Translate, which gan1d\.load could not rebuild"):
        tiny_run(Translate(0.0, 1.0)).save(tmp_path / "sub.pt")
    config = gan1d.TrainConfig(loss="gan", steps=2, batch_size=8, generator=TINY, discriminator=TINY, eval_samples=20)
    run = Trainer(toys.Gaussian(0.0, 1.0), [np.random.SeedSequence(1)], config).fit()[0]
    with pytest.raises(TypeError, match=r"seed is SeedSequence\( entropy=1, .*\), not an int >= 0"):
        run.save(tmp_path / "seq.pt")
    run = tiny_run(toys.Gaussian(0.0, 1.0))
    with torch.no_grad():
        next(run.generator.parameters())[0, 0, 0] = float("nan")
    with pytest.raises(ValueError, match=r"generator has NaN or infinite weights \['net\.net\.0\.weight'\]"):
        run.save(tmp_path / "nan.pt")
    assert not list(tmp_path.iterdir())


# -- Tampered files -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The dict that Run.save wrote for a run on a 1-D mixture (evaluation columns modes, ...)."""
    path = tmp_path_factory.mktemp("saved") / "run.pt"
    tiny_run(TARGET_RUNS["GaussianMixture"][0]).save(path)
    return torch.load(path, weights_only=True)


def load(tmp_path, data):
    path = tmp_path / "run.pt"
    torch.save(data, path)
    return gan1d.load(path)


def refused(tmp_path, data, words):
    """The ``ValueError`` that loading ``data`` raises; its message must match ``words`` after the prefix."""
    with pytest.raises(ValueError, match=PREFIX + "(?s:.*)" + words) as info:
        load(tmp_path, data)
    return info.value


def test_the_untouched_file_loads(saved, tmp_path):
    run = load(tmp_path, copy.deepcopy(saved))
    assert len(run.history) == 3 and list(run.history.evals["eval_step"]) == [0.0, 2.0, 3.0]
    assert "modes" in run.history


# Files that are not runs at all ---------------------------------------------------------------
def _text(path):
    path.write_text("step,d_loss\n1,0.5\n")


def _empty(path):
    path.write_bytes(b"")


def _truncated(path):
    torch.save({"format": FORMAT}, path)
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize("write", [_text, _empty, _truncated], ids=["text", "empty", "truncated"])
def test_a_file_torch_cannot_read_is_not_a_run(write, tmp_path):
    path = tmp_path / "other"
    write(path)
    with pytest.raises(ValueError, match=PREFIX + r"torch\.load\(weights_only=True\) cannot read the file") as info:
        gan1d.load(path)
    text = "".join(traceback.format_exception(info.value))  # with any chained exception
    assert "weights_only=False" not in text


class _Payload:
    """Unpickling this touches ``marker``: a stand-in for arbitrary code in a malicious file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def test_a_pickled_object_is_refused_without_running_it_or_advising_weights_only_false(tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "evil.pt"
    torch.save({"format": FORMAT, "payload": _Payload(marker)}, path)
    with pytest.raises(
        ValueError, match=PREFIX + r"the file holds Python objects beyond tensors and plain values \(GLOBAL getattr\)"
    ) as info:
        gan1d.load(path)
    assert not marker.exists()
    assert "weights_only=False" not in "".join(traceback.format_exception(info.value))
    # The payload is live: a plain (unsafe) torch.load would have run it.
    torch.load(path, weights_only=False)
    assert marker.exists()


def test_a_torch_file_of_a_plain_tensor_is_not_a_run(tmp_path):
    error = refused(tmp_path, torch.zeros(3), r"the file holds a tensor of dtype torch\.float32 and shape \(3,\)")
    assert "weights_only=False" not in str(error)


def test_a_list_at_the_top_level_is_not_a_run(saved, tmp_path):
    refused(tmp_path, [saved], r"the file holds .* of type list, not the dict that gan1d\.Run\.save writes")


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        gan1d.load(tmp_path / "absent.pt")


# Keys -------------------------------------------------------------------------------------------
def test_a_missing_target_is_named_not_a_bare_key_error(saved, tmp_path):
    data = copy.deepcopy(saved)
    del data["target"]
    refused(tmp_path, data, r"the file: missing key\(s\) \['target'\]")


def _key_paths(data):
    """Every key whose deletion makes the file wrong (the evaluation columns other than
    ``eval_step`` depend on the target, and the config fields added later may be absent)."""
    paths = [(k,) for k in data]
    paths += [("target", k) for k in data["target"]] + [("target", "params", k) for k in data["target"]["params"]]
    paths += [("config", k) for k in data["config"] if k not in run_file._ADDED_FIELDS]
    paths += [
        ("config", net, k)
        for net in ("generator", "discriminator")
        for k in data["config"][net]
        if k not in run_file._ADDED_MLP_FIELDS
    ]
    paths += [("history", k) for k in data["history"]] + [("history", "steps", k) for k in data["history"]["steps"]]
    paths += [("history", "evals", "eval_step")]
    paths += [(net, k) for net in ("generator", "discriminator") for k in data[net]]
    return paths


@FEW
@given(st.data())
def test_any_deleted_key_is_named(saved, tmp_path, data):
    path = data.draw(st.sampled_from(_key_paths(saved)))
    tampered = copy.deepcopy(saved)
    node = tampered
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    error = refused(tmp_path, tampered, "missing|do not build")
    assert re.search(rf"\b{re.escape(path[-1])}\b", str(error)), (path, str(error))


@FEW
@given(st.data())
def test_any_added_key_is_named(saved, tmp_path, data):
    where = data.draw(
        st.sampled_from(
            [(), ("target",), ("target", "params"), ("config",), ("config", "generator"), ("config", "discriminator")]
            + [("history",), ("history", "steps"), ("generator",), ("discriminator",)]
        )
    )
    tampered = copy.deepcopy(saved)
    node = tampered
    for key in where:
        node = node[key]
    key = data.draw(st.from_regex(r"[a-z][a-z_]{0,7}", fullmatch=True).filter(lambda k: k not in node))
    node[key] = torch.zeros(3, dtype=torch.float64) if where[:1] == ("history",) else 0
    error = refused(tmp_path, tampered, "unexpected")
    assert repr(key) in str(error), (where, str(error))


# Format ---------------------------------------------------------------------------------------
def test_a_file_of_a_later_format_is_named_as_such(saved, tmp_path):
    data = {**copy.deepcopy(saved), "format": "gan1d.Run/2", "new_part": torch.zeros(2)}
    refused(
        tmp_path,
        data,
        r"format 'gan1d\.Run/2' is newer than the 'gan1d\.Run/1' this version of gan1d reads: a later gan1d",
    )


@pytest.mark.parametrize("value", ["gan1d.Run/0", "something else", 1, None])
def test_a_format_that_is_not_ours_is_refused(saved, tmp_path, value):
    refused(
        tmp_path,
        {**copy.deepcopy(saved), "format": value},
        rf"format must be 'gan1d\.Run/1', got {re.escape(repr(value))}",
    )


# Target ---------------------------------------------------------------------------------------
def test_an_unknown_target_kind_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["target"]["kind"] = "Cauchy"
    refused(tmp_path, data, r"target kind must be one of \[.*'SmoothedLine'.*\], got 'Cauchy' of type str")


def test_target_params_the_toy_refuses_are_named_with_the_toys_message(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["target"]["params"]["stds"] = [0.5, -1.0]
    with pytest.raises(ValueError) as toy_error:
        toys.GaussianMixture(**data["target"]["params"])
    error = refused(tmp_path, data, r"target params .* do not build a toys\.GaussianMixture: ")
    assert str(error).endswith(str(toy_error.value))


def test_target_params_of_the_wrong_type_are_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["target"]["params"] = [0.3, 0.7]
    refused(tmp_path, data, r"target params must be a dict of keywords, got \[0\.3, 0\.7\] of type list")


def test_a_generator_of_the_wrong_dimension_for_the_target_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["generator"] = {"kind": "ParallelLines", "theta": 1.0}
    refused(tmp_path, data, r"config generator ParallelLines\(theta=1\.0\) outputs points of dimension 2, but the")


# Config ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("steps", "10", r"steps must be a positive integer, got '10' of type str"),
        ("steps", 2.0, r"steps must be a positive integer, got 2\.0 of type float"),
        ("loss", "hinge", r"loss must be one of \[.*\], got 'hinge'"),
        ("lr_d", -1.0, r"lr_d must be"),
        ("one_sided", 1, r"one_sided must be True, False or None, got 1"),
        ("device", "tpu", r"config device must be 'cpu' or 'cuda', got 'tpu' of type str"),
        ("generator", "MLP", r"config generator must be a dict with a 'kind' and its fields, got 'MLP' of type str"),
        ("discriminator", {"kind": "Transformer"}, r"discriminator must be one of \['LocationScale', 'MLP', '"),
    ],
)
def test_a_config_that_does_not_build_is_refused(saved, tmp_path, field, value, words):
    data = copy.deepcopy(saved)
    data["config"][field] = value
    refused(tmp_path, data, words)


def test_a_network_spec_with_a_wrong_field_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["discriminator"]["width"] = "wide"
    refused(tmp_path, data, r"config does not build a gan1d\.TrainConfig: width must be a positive integer")


def test_an_unknown_config_field_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["learning_rate"] = 0.1
    refused(tmp_path, data, r"config: unexpected key\(s\) \['learning_rate'\]")


def test_numbers_too_large_for_a_float_are_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["lr_g"] = 10**400
    refused(
        tmp_path,
        data,
        r"config does not build a gan1d\.TrainConfig: lr_g must be finite, got 1000.*beyond the largest float",
    )
    data = copy.deepcopy(saved)
    data["target"]["params"]["means"] = [10**400, 0.0]
    refused(tmp_path, data, r"do not build a toys\.GaussianMixture: ")


def test_a_config_saved_before_the_later_fields_loads_with_the_values_runs_then_had(saved, tmp_path):
    data = copy.deepcopy(saved)
    del data["config"]["one_sided"], data["config"]["pretrain_critic"]
    config = load(tmp_path, data).config
    assert config.one_sided is False and config.pretrain_critic == 0


# History --------------------------------------------------------------------------------------
def test_a_ragged_history_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["history"]["steps"]["d_loss"] = data["history"]["steps"]["d_loss"][:-1]
    refused(tmp_path, data, r"history steps has columns of different lengths \{.*'d_loss': 2")


@pytest.mark.parametrize(
    "column",
    [
        ["a", "b", "c"],
        "abc",
        torch.tensor([True, False, True]),
        torch.zeros(3, 1, dtype=torch.float64),
        [1.0, 2.0, 3.0],
    ],
    ids=["strings", "string", "bools", "2-d", "list"],
)
def test_a_history_column_that_is_not_numbers_is_refused(saved, tmp_path, column):
    data = copy.deepcopy(saved)
    data["history"]["evals"]["js"] = column
    refused(tmp_path, data, r"history evals column 'js' must be a 1-D tensor of numbers, got ")


def test_a_step_column_that_does_not_count_the_steps_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["history"]["steps"]["step"] = torch.tensor([1.0, 3.0, 4.0], dtype=torch.float64)
    refused(tmp_path, data, r"history column 'step' must be 1, 2, \.\.\., n <= 3 \(config steps\)")


def test_more_history_than_config_steps_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["steps"] = 2
    refused(tmp_path, data, r"history column 'step' must be 1, 2, \.\.\., n <= 2 \(config steps\), got array")


@pytest.mark.parametrize("at", [[0.0, 3.0, 2.0], [0.0, 2.0, 7.0], [0.0, float("nan"), 3.0], [0.0, 1.5, 3.0]])
def test_evaluation_steps_out_of_order_or_range_are_refused(saved, tmp_path, at):
    data = copy.deepcopy(saved)
    data["history"]["evals"]["eval_step"] = torch.tensor(at, dtype=torch.float64)
    refused(tmp_path, data, r"history column 'eval_step' must be increasing integers in \[0, 3\]")


# Seed -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seed", "words"),
    [
        ("abc", r"got 'abc' of type str"),
        (True, r"got True of type bool"),
        (1.5, r"got 1\.5 of type float"),
        (None, r"got None of type NoneType"),
        (-1, r"got -1$"),
    ],
)
def test_a_seed_that_is_not_an_int_is_refused(saved, tmp_path, seed, words):
    refused(tmp_path, {**copy.deepcopy(saved), "seed": seed}, r"seed must be a non-negative integer seed, " + words)


# Weights ----------------------------------------------------------------------------------------
def test_a_missing_weight_is_named(saved, tmp_path):
    data = copy.deepcopy(saved)
    del data["discriminator"]["net.net.2.bias"]
    refused(tmp_path, data, r"discriminator weights: missing key\(s\) \['net\.net\.2\.bias'\]")


def test_an_extra_weight_is_named(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["generator"]["net.net.4.weight"] = torch.zeros(1, 4, 1)
    refused(tmp_path, data, r"generator weights: unexpected key\(s\) \['net\.net\.4\.weight'\]")


def test_a_weight_of_another_shape_than_the_config_describes_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["generator"]["width"] = 5
    refused(
        tmp_path,
        data,
        r"generator weight 'net\.net\.0\.weight' has shape \(1, 2, 4\), but the config's MLP\(width=5, .*\) has "
        r"shape \(1, 2, 5\)",
    )


def test_a_network_too_large_to_build_is_refused_before_any_memory_is_taken(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["config"]["discriminator"]["width"] = 10**20
    refused(tmp_path, data, r"config discriminator MLP\(width=100000000000000000000, .*\) does not build a network: ")
    data["config"]["discriminator"].update(width=10**6, depth=3)  # terabytes of weights, if they were allocated
    refused(tmp_path, data, r"discriminator weights: missing key\(s\) \['net\.net\.4\.bias', ")
    data["config"]["discriminator"].update(depth=1)
    refused(
        tmp_path, data, r"discriminator weight 'net\.net\.0\.weight' has shape \(1, 1, 4\), but .* \(1, 1, 1000000\)"
    )


@pytest.mark.parametrize("dtype", [torch.int64, torch.bool, torch.complex64])
def test_a_weight_that_is_not_floating_point_is_refused(saved, tmp_path, dtype):
    data = copy.deepcopy(saved)
    data["generator"]["net.net.0.bias"] = data["generator"]["net.net.0.bias"].to(dtype)
    refused(tmp_path, data, rf"generator weight 'net\.net\.0\.bias' must be a floating-point tensor, got dtype {dtype}")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_a_weight_that_is_not_finite_is_refused(saved, tmp_path, value):
    data = copy.deepcopy(saved)
    data["discriminator"]["net.net.0.weight"][0, 0, 2] = value
    refused(tmp_path, data, r"discriminator weight 'net\.net\.0\.weight' has NaN or infinite values")


def test_a_weight_that_is_not_a_tensor_is_refused(saved, tmp_path):
    data = copy.deepcopy(saved)
    data["generator"]["net.net.0.bias"] = [[0.0, 0.0, 0.0, 0.0]]
    refused(tmp_path, data, r"generator weight 'net\.net\.0\.bias' must be a tensor, got \[\[0\.0, .* of type list")


def test_a_bad_device_is_the_callers_error_not_the_files(saved, tmp_path):
    torch.save(copy.deepcopy(saved), tmp_path / "run.pt")
    with pytest.raises(ValueError, match=r"^device must be 'cpu' or 'cuda', got 'tpu'"):
        gan1d.load(tmp_path / "run.pt", device="tpu")


def test_a_run_saved_before_the_later_fields_loads_with_their_old_values(saved, tmp_path):
    data = copy.deepcopy(saved)
    for key in run_file._ADDED_FIELDS:
        del data["config"][key]
    for net in ("generator", "discriminator"):
        for key in run_file._ADDED_MLP_FIELDS:
            del data["config"][net][key]
    run = load(tmp_path, data)
    assert run.config.pack == 1 and run.config.unroll == 0 and run.config.r1 == 0.0
    assert run.config.generator.batch_norm is False and run.config.discriminator.maxout == 1
