"""The record of a training run: one row per generator step, plus evaluations every few steps."""

import numpy as np

__all__ = ["History"]

#: Columns recorded at every generator step.
STEP_FIELDS = ("step", "d_loss", "g_loss", "g_grad_norm", "estimate")


class History:
    """Per-step records of one run, as numpy columns.

    Every step ``t = 1, ..., steps`` (after ``t`` generator updates) records:

    * ``step``;
    * ``d_loss`` -- the discriminator/critic loss of the last critic step (with the gradient
      penalty for ``wgan-gp``);
    * ``g_loss`` -- the generator loss;
    * ``g_grad_norm`` -- the Euclidean norm of the gradient of ``g_loss`` over all generator
      parameters;
    * ``estimate`` -- the discriminator's own divergence estimate on its last batch:
      :math:`(V + \\ln 4)/2` of JS for ``gan``/``nsgan``, :math:`E f(x) - E f(G(z))` of W1 for
      ``wgan``/``wgan-gp``, the variational bound :math:`E g_f(V(x)) - E f^*(g_f(V(G(z))))` of
      :math:`D_f` for ``f-gan``, one minus the discriminator loss for ``lsgan``;
    * for parametric generators, their parameters after the update (``theta``, or ``mu`` and
      ``sigma``).

    Every ``eval_every`` steps (and at step 0, before training, and at the last step) the
    evaluation columns, indexed by ``eval_step``: the divergences of the generator to the
    target -- ``tv``, ``kl``, ``reverse_kl``, ``js``, ``w1`` exact for parametric generators;
    ``w1`` (and ``js`` in 1-D/2-D) from samples otherwise -- and for mixture targets ``modes`` and
    ``high_quality`` (:func:`gan1d.mode_coverage`); for ``f-gan`` and ``lsgan`` with parametric
    generators, ``exact``: the divergence ``estimate`` estimates, exactly (NaN where the toolkit
    has no exact path for the pair). Divergences are oriented ``D(target, generator)``, in nats.

    ``history["g_loss"]`` is a column; ``history.records`` the same data as a list of dicts.
    """

    def __init__(self, steps, evals):
        self.steps = {k: np.asarray(v, dtype=float) for k, v in steps.items()}
        self.evals = {k: np.asarray(v, dtype=float) for k, v in evals.items()}

    def __len__(self):
        return len(self.steps["step"])

    def __getitem__(self, name):
        if name in self.steps:
            return self.steps[name]
        if name in self.evals:
            return self.evals[name]
        raise KeyError(f"{name!r}: the columns are {self.columns}")

    def __contains__(self, name):
        return name in self.steps or name in self.evals

    @property
    def columns(self):
        """Names of the step columns, then of the evaluation columns."""
        return list(self.steps) + list(self.evals)

    @property
    def records(self):
        """One dict per step (evaluations merged into their step; step 0 only if evaluated)."""
        rows = {int(s): {k: float(v[i]) for k, v in self.steps.items()} for i, s in enumerate(self.steps["step"])}
        for i, s in enumerate(self.evals.get("eval_step", [])):
            row = rows.setdefault(int(s), {"step": float(s)})
            row.update({k: float(v[i]) for k, v in self.evals.items() if k != "eval_step"})
        return [rows[s] for s in sorted(rows)]

    def last(self, name):
        """The last recorded value of a column."""
        return float(self[name][-1])

    def __repr__(self):
        return f"History({len(self)} steps, columns={self.columns})"


class Recorder:
    """Collects the columns of N runs at once: arrays of shape (steps, N), split at the end."""

    def __init__(self, n_members, n_steps, param_names=()):
        self.n, self.t = n_members, 0
        names = STEP_FIELDS + tuple(param_names)
        self.steps = {k: np.full((n_steps, n_members), np.nan) for k in names}
        self.evals = {}

    def add_step(self, step, **columns):
        for k, v in columns.items():
            self.steps[k][self.t] = v
        self.steps["step"][self.t] = step
        self.t += 1

    def add_eval(self, step, rows):
        """``rows[k]`` is member k's dict of evaluation values."""
        self.evals.setdefault("eval_step", []).append(np.full(self.n, step, dtype=float))
        for name in rows[0]:
            self.evals.setdefault(name, []).append(np.array([r[name] for r in rows], dtype=float))

    def histories(self):
        steps = {k: v[: self.t] for k, v in self.steps.items()}
        evals = {k: np.array(v).reshape(-1, self.n) for k, v in self.evals.items()}
        return [
            History({k: v[:, i] for k, v in steps.items()}, {k: v[:, i] for k, v in evals.items()})
            for i in range(self.n)
        ]
