r"""The Dirac-GAN part of the lecture: why GAN training circles, and what makes it converge.

The game of Mescheder, Geiger and Nowozin [1]_ (Sec. 2): data at 0, a generator at :math:`\theta`, a
linear critic :math:`\psi x`; its field, Jacobian and dynamics are :mod:`divergences.games`'s.

* :func:`panels` -- the games shown, with the weights of the authors' reference notebook (which drew
  the paper's Figures 3 and 4): WGAN clipped at 1, WGAN-GP with :math:`\gamma = 0.7, g_0 = 1`, R1 with
  :math:`\gamma = 0.3`, instance noise with :math:`\sigma = 0.7`, consensus [2]_ with :math:`\gamma = 1`;
  their learning rate :data:`LR` = 0.2 and start :data:`START` = (1, 1), and :data:`STEPS` = 400 steps;
* :func:`trajectories`, :func:`plot_fields` -- each field with the continuous flow, simultaneous and
  alternating gradient steps from one start (Figure 3 of [1]_);
* :func:`spectra`, :func:`radii`, :func:`plot_spectra` -- the eigenvalues at the equilibrium against a
  regularisation weight (Figure 4 of [1]_ for R1), the update matrices' spectral radius against h;
* :func:`rates` -- the slope of :math:`\ln\|x_k\|` measured on a trajectory, to set against the spectrum;
* :func:`measured_field`, :func:`compare_fields` -- the field by autograd on gan1d's own losses and
  regularisers, against :func:`divergences.games.vector_field`;
* :func:`section` -- the report's lines and its two figures.

Near the equilibrium :math:`v(x) \approx J x`. Purely imaginary eigenvalues :math:`\pm i\omega` (the
unregularised games) make the flow circle, simultaneous steps grow by :math:`|1 + ih\omega| > 1` per
step, alternating ones stay bounded. A negative real part (R1, R2, instance noise, consensus) makes the
flow converge like :math:`e^{t\,\mathrm{Re}\lambda}` and the steps like :math:`\rho^k`.

References
----------
.. [1] L. Mescheder, A. Geiger, S. Nowozin, "Which Training Methods for GANs do actually
   Converge?", ICML 2018 (arXiv:1801.04406), Sec. 2-4, Figures 3 and 4.
.. [2] L. Mescheder, S. Nowozin, A. Geiger, "The Numerics of GANs", NeurIPS 2017 (consensus
   optimisation).
"""

import math
from typing import NamedTuple

import numpy as np
import torch

from divergences import games

from ..training import losses, regularisers

__all__ = ["BAND", "LR", "POINTS", "START", "STEPS", "WEIGHTS", "Panel", "compare_fields", "measured_field",
           "panels", "plot_fields", "plot_spectra", "radii", "rates", "section", "spectra", "trajectories"]  # fmt: skip

LR = 0.2  # the learning rate h of both players (the authors' notebook)
START = (1.0, 1.0)  # (theta0, psi0), as in the authors' notebook
STEPS = 400  # steps of each trajectory (the authors: 500); the flow runs for the same time, STEPS * LR
LIMIT = 2.0  # the figures' window, [-LIMIT, LIMIT]^2
FLOW_TOL = {"rtol": 1e-6, "atol": 1e-9}  # the flow's tolerances: theta^2 + psi^2 kept to 1e-5 over t = 80
BAND = (1e-6, 1e-2)  # distances where rates() fits: linear regime (errors O(d^2)), well above the flow's atol
POINTS = ((0.7, -1.3), (-2.0, 0.4), (1.5, 2.5), (0.0, 1.0), (3.0, -0.05))  # where the fields are compared
WEIGHTS = {"r1": np.linspace(0.0, 1.5, 76), "instance_noise": np.linspace(0.0, 2.0, 101),
           "consensus": np.linspace(0.0, 2.0, 101)}  # fmt: skip
_NAMES = {"gan": "GAN", "nsgan": "non-saturating GAN", "wgan": "WGAN", "wgan-gp": "WGAN-GP", "f-gan": "f-GAN"}
_REGS = {"r1": "R1", "r2": "R2", "instance_noise": "instance noise", "consensus": "consensus"}
_SYMBOLS = {"gamma": "γ", "sigma": "σ", "g0": "g0", "clip": "clip", "f": "f"}
_STYLES = {"flow": ("k", "-", None), "simultaneous": ("C3", "-", "."), "alternating": ("C0", "-", "x")}


class Panel(NamedTuple):
    """A game of the figures: its objective, regulariser and options of :mod:`divergences.games`."""

    objective: str
    regularizer: str | None
    options: dict  # gamma, sigma, g0, f as in divergences.games.vector_field; clip for the WGAN

    @property
    def game(self):
        """The keyword arguments of :func:`~divergences.games.vector_field` (the clip left out)."""
        return {"regularizer": self.regularizer, **{k: v for k, v in self.options.items() if k != "clip"}}

    @property
    def title(self):
        """E.g. ``"GAN + R1, γ = 0.3"``."""
        words = _NAMES[self.objective] + (f" ({self.options['f']})" if "f" in self.options else "")
        words += f" + {_REGS[self.regularizer]}" if self.regularizer else ""
        return ", ".join([words, *(f"{_SYMBOLS[k]} = {v:g}" for k, v in self.options.items() if k != "f")])


def panels():
    """The games of :func:`plot_fields` and :func:`section`, with the weights of the authors' notebook."""
    return [
        Panel("gan", None, {}),
        Panel("nsgan", None, {}),
        Panel("wgan", None, {}),
        Panel("wgan", None, {"clip": 1.0}),
        Panel("wgan-gp", None, {"gamma": 0.7, "g0": 1.0}),
        Panel("gan", "r1", {"gamma": 0.3}),
        Panel("gan", "instance_noise", {"sigma": 0.7}),
        Panel("gan", "consensus", {"gamma": 1.0}),
    ]


def trajectories(panel, start=START, lr=LR, steps=STEPS):
    """The flow and both kinds of gradient steps of ``panel`` from ``start``: a dict to ``(theta, psi)``.

    Keys ``"flow"``, ``"simultaneous"``, ``"alternating"``; arrays of shape (steps + 1,), the flow at the
    times k h of the steps (tolerances ``FLOW_TOL``).
    """
    obj, kw, clip = panel.objective, panel.game, panel.options.get("clip")
    _, theta, psi = games.flow(obj, *start, steps * lr, points=steps + 1, clip=clip, **FLOW_TOL, **kw)
    return {
        "flow": (theta, psi),
        "simultaneous": games.simultaneous_gd(obj, *start, lr, steps, clip=clip, **kw),
        "alternating": games.alternating_gd(obj, *start, lr, steps, clip=clip, **kw),
    }


def plot_fields(shown=None, runs=None, start=START, grid=13):
    """The field of each game of ``shown`` (default :func:`panels`) as arrows, with its trajectories; the Figure.

    ``runs`` are their :func:`trajectories` (computed if None); the clipped WGAN's forbidden band is shaded.
    """
    import matplotlib.pyplot as plt

    shown = panels() if shown is None else shown
    runs = [trajectories(p, start) for p in shown] if runs is None else runs
    cols, rows = min(4, len(shown)), -(-len(shown) // 4)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 4.2 * rows), squeeze=False)
    theta, psi = np.meshgrid(*2 * [np.linspace(-LIMIT, LIMIT, grid)])
    ticks = np.linspace(-LIMIT, LIMIT, 5)  # few ticks: matplotlib makes three Line2D objects for each
    for ax, panel, run in zip(axes.flat, shown, runs):
        v = games.vector_field(panel.objective, theta, psi, **panel.game)
        ax.quiver(theta, psi, *v, color="0.6", angles="xy")
        if "clip" in panel.options:
            for sign in (-1, 1):
                ax.axhspan(sign * panel.options["clip"], sign * LIMIT, color="0.85", zorder=0)
        for name, (th, ps) in run.items():
            color, line, marker = _STYLES[name]
            ax.plot(th, ps, color=color, ls=line, marker=marker, ms=3, lw=1, label=name)
        ax.plot(*start, "o", color="C2", label="start")
        ax.plot(0, 0, "k*", ms=10, label="equilibrium")
        ax.set(xticks=ticks, yticks=ticks, xlabel="θ", ylabel="ψ", title=panel.title)
        ax.axis((-LIMIT, LIMIT, -LIMIT, LIMIT))
    for ax in axes.flat[len(shown) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize="small", loc="lower left")
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.07, top=0.95, wspace=0.25, hspace=0.25)  # tight_layout: slow
    return fig


def spectra(regularizer, weights, objective="gan", **options):
    """The eigenvalues of the Jacobian at (0, 0) for each weight: complex, shape (len(weights), 2).

    The weight is ``sigma`` for instance noise and ``gamma`` otherwise; weight 0 is the game without
    the regulariser. Each row is :func:`divergences.games.eigenvalues`, + root first.
    """
    name = "sigma" if regularizer == "instance_noise" else "gamma"
    return np.array([games.eigenvalues(objective, **options, **({"regularizer": regularizer, name: w} if w > 0 else {}))
                     for w in np.asarray(weights, dtype=float)])  # fmt: skip


def radii(lrs, method="simultaneous", objective="gan", **options):
    """The spectral radius of the update's Jacobian at (0, 0) for each learning rate, shape (len(lrs),).

    Below 1 the steps converge locally at that rate per update (:func:`divergences.games.update_eigenvalues`).
    """
    return np.array([max(abs(games.update_eigenvalues(objective, h, method=method, **options))) for h in lrs])


def plot_spectra(shown=None, lrs=None):
    """Re and Im of the eigenvalues against each regulariser's weight, and the radii against h; the Figure.

    Columns: R1 (gamma), instance noise (sigma), consensus (gamma), for the GAN; the last column the
    spectral radius of simultaneous (top) and alternating (bottom) steps against the learning rate
    for the GAN games of ``shown`` (default: those of :func:`panels`).
    """
    import matplotlib.pyplot as plt

    shown = [p for p in (panels() if shown is None else shown) if p.objective == "gan"]
    lrs = np.linspace(0.02, 1.5, 75) if lrs is None else lrs
    fig, axes = plt.subplots(2, 4, figsize=(17, 7.5))
    for col, (reg, weights) in enumerate(WEIGHTS.items()):
        lam = spectra(reg, weights)
        marks = [w for p in shown if p.regularizer == reg for w in p.options.values()]  # the panels' weights
        for k, part in enumerate((np.real, np.imag)):
            for j, sign in enumerate("+-"):
                axes[k, col].plot(weights, part(lam[:, j]), color=f"C{j}", label=f"λ{sign}")
            axes[k, col].axhline(0.0, color="k", lw=0.5)
            for w in marks:
                axes[k, col].axvline(w, color="0.5", ls="--", lw=1, label="panel" if k == 0 else None)
            axes[k, col].set(xlabel="σ" if reg == "instance_noise" else "γ",
                             ylabel=f"{'Re' if k == 0 else 'Im'} λ", title=f"GAN + {_REGS[reg]}")  # fmt: skip
        axes[0, col].legend(fontsize="small")
    for k, method in enumerate(("simultaneous", "alternating")):
        ax = axes[k, 3]
        for panel in shown:
            ax.plot(lrs, radii(lrs, method, panel.objective, **panel.game), label=panel.title)
        ax.axhline(1.0, color="k", lw=0.5)
        ax.axvline(LR, color="0.5", ls="--", lw=1)
        ax.set(xlabel="learning rate h", ylabel="spectral radius", title=f"{method} steps", ylim=(0.5, 1.5))
        ax.legend(fontsize="x-small")
    fig.subplots_adjust(left=0.05, right=0.98, bottom=0.08, top=0.95, wspace=0.25, hspace=0.3)
    return fig


def rates(run, lr=LR, band=BAND):
    r"""The measured rates: the slope of :math:`\ln\|x\|` against time (flow) or per step.

    ``run`` is a dict of :func:`trajectories`; the slope is fitted (least squares) where the
    distance to (0, 0) lies in ``band``, the linear regime above the solver's tolerance. Returns a
    dict of the same keys to the slope, NaN when fewer than 10 points lie in the band; compare
    with :math:`\max\mathrm{Re}\,\lambda` (the flow, per unit time) and :math:`\ln\rho` (the steps).
    """
    out = {}
    for name, (theta, psi) in run.items():
        d = np.hypot(theta, psi)
        k = np.flatnonzero((d > band[0]) & (d < band[1]))
        out[name] = np.polyfit(k * (lr if name == "flow" else 1.0), np.log(d[k]), 1)[0] if k.size >= 10 else math.nan
    return out


class _Critic(torch.nn.Module):
    """The linear critic of the Dirac-GAN, one slope per member: ``(N, batch, 1) -> (N, batch)``."""

    def __init__(self, slope, sign):
        super().__init__()
        self.slope, self.sign = torch.nn.Parameter(slope), sign

    def forward(self, x):
        return self.sign * self.slope[:, None] * x[..., 0]  # (N, batch)


def measured_field(objective, theta, psi, *, batch=3, seed=0, **options):
    r"""The Dirac-GAN's field measured by autograd on gan1d's own losses and regularisers.

    Each point is a member of gan1d's ensemble axis: a generator that outputs :math:`\theta` for
    every z, a linear critic; the data a point mass at 0. The paper's critic is high on the fakes,
    gan1d's scores on the data, so the GAN and WGAN critics score :math:`-\psi x`; the f-GAN's V is
    :math:`\psi x`. The field is minus the gradients of the generator's loss in :math:`\theta` and
    of the critic's loss in :math:`\psi`, from ``gan1d.training.losses`` with, as the trainer adds
    them: ``gradient_penalty`` with weight :math:`\gamma/2` (WGAN-GP, :math:`g_0 = 1` only),
    ``gradient_energy`` at the data (R1) or the fakes (R2) with weight :math:`\gamma`,
    ``consensus_gradients`` with :math:`\gamma`, and ``noisy`` (instance noise, member k drawing from
    a torch generator seeded ``seed + k``).

    Parameters
    ----------
    objective : str
        ``"gan"``, ``"nsgan"``, ``"wgan"``, ``"wgan-gp"`` or ``"f-gan"``.
    theta, psi : float or array_like
        The points, broadcast together; each is one member.
    batch : int
        Samples per member; without noise they are identical, so the field does not depend on it.
    seed : int
        Seed of member 0's noise stream.
    **options
        ``f``, ``regularizer``, ``gamma`` (default 1), ``sigma`` (default 1), ``g0`` (1) as in
        :func:`divergences.games.vector_field`.

    Returns
    -------
    v_theta, v_psi : ndarray
        Of the broadcast shape, in float64. Without noise they equal the analytic field to
        rounding (about 1e-15); with noise each is a mean over ``batch`` draws.

    Raises
    ------
    ValueError
        For an unknown option, or ``g0`` other than 1 (gan1d's gradient penalty targets slope 1).
    """
    f, reg, gamma = options.pop("f", None), options.pop("regularizer", None), options.pop("gamma", 1.0)
    sigma, g0 = options.pop("sigma", 1.0), options.pop("g0", 1.0)
    if objective not in games.OBJECTIVES or options:
        raise ValueError(f"objective must be one of {games.OBJECTIVES}, got {objective!r}; options {sorted(options)}?")
    if g0 != 1.0:
        raise ValueError(f"gan1d's gradient penalty pulls the slope to g0 = 1, got g0={g0!r}")
    theta, psi = (np.asarray(x, dtype=float) for x in np.broadcast_arrays(theta, psi))
    th = torch.tensor(theta.ravel(), dtype=torch.float64, requires_grad=True)  # (N,)
    critic = _Critic(torch.tensor(psi.ravel(), dtype=torch.float64), 1.0 if objective == "f-gan" else -1.0)
    streams = [torch.Generator().manual_seed(seed + k) for k in range(th.shape[0])]
    real = torch.zeros(th.shape[0], batch, 1, dtype=torch.float64)  # (N, batch, 1): the data, a point mass at 0
    fake = th[:, None, None] + torch.zeros_like(real)  # (N, batch, 1): the generator's point mass at theta
    if reg == "instance_noise":
        real, fake = regularisers.noisy(real, sigma, streams), regularisers.noisy(fake, sigma, streams)
    loss = losses.get_loss("wgan" if objective == "wgan-gp" else objective, f)
    g_loss = loss.generator_loss(critic(fake))  # (N,)
    d_loss = loss.critic_loss(critic(real), critic(fake))  # (N,); the fakes keep their graph, for consensus
    if objective == "wgan-gp":
        d_loss = d_loss + gamma / 2 * losses.gradient_penalty(critic, real, fake, streams)
    if reg in ("r1", "r2"):
        d_loss = d_loss + gamma * regularisers.gradient_energy(critic, real if reg == "r1" else fake)
    weight = gamma if reg == "consensus" else 0.0
    g_theta, g_psi = regularisers.consensus_gradients(g_loss.sum(), d_loss.sum(), [th], [critic.slope], weight)
    return -g_theta.detach().numpy().reshape(theta.shape), -g_psi.detach().numpy().reshape(psi.shape)


def compare_fields(shown, points=POINTS):
    """For each game, the measured and the analytic field at ``points``: a list of (panel, measured, analytic).

    ``measured`` and ``analytic`` are arrays of shape (2, len(points)) (v_theta, v_psi).
    """
    theta, psi = np.array(points, dtype=float).T
    out = []
    for p in shown:
        measured = np.array(measured_field(p.objective, theta, psi, **p.game))
        out.append((p, measured, np.array(games.vector_field(p.objective, theta, psi, **p.game))))
    return out


def _pair(lam):
    """Two eigenvalues as text: ``-0.15 ± 0.477i`` or ``-0.5, -0.5``."""
    lam = np.round(lam, 12) + 0.0  # no -0
    real = f"{lam[0].real:.4g}, {lam[1].real:.4g}"
    return f"{lam[0].real:.4g} ± {abs(lam[0].imag):.4g}i" if lam[0].imag else real


def _meaning(lam, tol=1e-12):
    top = lam.real.max()
    if top > tol:
        return "unstable: steps and flow leave (0, 0)"
    if top >= -tol:
        return "purely imaginary: no convergence at a linear rate"
    return f"converges: the flow at rate -Re λ = {-top:.4g} per unit time"


def _spectrum_row(panel, run, lr):
    dist = " | ".join(f"{np.hypot(th[-1], ps[-1]):.3g}" for th, ps in run.values())
    try:
        lam = games.eigenvalues(panel.objective, **panel.game)
    except ValueError:  # wgan-gp with g0 > 0
        return f"| {panel.title} | none | the field jumps across ψ = 0: no Jacobian; a cycle | – | – | {dist} |"
    rho = [radii([lr], m, panel.objective, **panel.game)[0] for m in ("simultaneous", "alternating")]
    return f"| {panel.title} | {_pair(lam)} | {_meaning(lam)} | {rho[0]:.4f} | {rho[1]:.4f} | {dist} |"


def section(out, s=None, seed=0):
    """The report's lines for this part; writes ``dirac_fields.png`` and ``dirac_spectra.png`` into ``out``.

    ``s`` (a :class:`~gan1d.lecture.Setting`) is unused: the sizes are this module's constants;
    ``seed`` seeds the Monte Carlo check of instance noise against its expectation.
    """
    import matplotlib.pyplot as plt

    shown = panels()
    runs = [trajectories(p) for p in shown]
    for name, fig in (("dirac_fields.png", plot_fields(shown, runs)), ("dirac_spectra.png", plot_spectra(shown))):
        fig.savefig(out / name, dpi=80)
        plt.close(fig)
    lines = [
        f"The Dirac-GAN (Mescheder, Geiger and Nowozin 2018, Sec. 2): data at 0, generator at θ, critic ψx; "
        f"start {START}, distance {math.hypot(*START):.4g} from the equilibrium (0, 0); learning rate h = {LR:g}, "
        f"N = {STEPS} steps; the flow runs for t = N h = {STEPS * LR:g}. Weights of the authors' notebook.",
        "",
        "![dirac_fields.png](dirac_fields.png)",
        "",
        "| game | eigenvalues of J at (0, 0) | meaning | ρ simultaneous | ρ alternating | flow: distance "
        "at t = N h | simultaneous: distance after N | alternating: distance after N |",
        "|---|---|---|---:|---:|---:|---:|---:|",
        *(_spectrum_row(p, run, LR) for p, run in zip(shown, runs)),
        "",
        f"ρ is the spectral radius of one update's Jacobian at (0, 0) for h = {LR:g}: the distance shrinks like "
        "ρ^k near the equilibrium when ρ < 1 and grows when ρ > 1. The rates measured on the trajectories "
        f"(slope of ln distance where it lies in [{BAND[0]:g}, {BAND[1]:g}]) against the spectrum's:",
        "",
        "| game | flow: max Re λ | measured | simultaneous: ln ρ | measured | alternating: ln ρ | measured |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p, run in zip(shown, runs):
        if p.regularizer is not None:
            lam, got = games.eigenvalues(p.objective, **p.game), rates(run)
            ln = [math.log(radii([LR], m, p.objective, **p.game)[0]) for m in ("simultaneous", "alternating")]
            lines.append(f"| {p.title} | {lam.real.max():.5f} | {got['flow']:.5f} | {ln[0]:.5f} | "
                         f"{got['simultaneous']:.5f} | {ln[1]:.5f} | {got['alternating']:.5f} |")  # fmt: skip
    lines += ["", "![dirac_spectra.png](dirac_spectra.png)", ""]
    lines += _measured_lines(shown, seed)
    return [*lines, ""]


def _measured_lines(shown, seed, members=32, batch=2048):
    fixed = [p for p in shown if p.regularizer != "instance_noise" and "clip" not in p.options]
    fixed += [Panel("gan", "r2", {"gamma": 0.3}), Panel("f-gan", None, {"f": "kl"}), Panel("f-gan", None, {"f": "js"})]
    rows = compare_fields(fixed)
    worst = max(np.abs(m - a).max() for _, m, a in rows)
    lines = [
        "The field measured by autograd on gan1d's own losses (one-parameter generator, linear critic, "
        f"float64) against the closed form, at {len(POINTS)} points:",
        "",
        f"| game | measured at {POINTS[0]} | analytic | largest difference over the points |",
        "|---|---|---|---:|",
    ]
    for p, m, a in rows:
        lines.append(f"| {p.title} | ({m[0, 0]:.12f}, {m[1, 0]:.12f}) | ({a[0, 0]:.12f}, {a[1, 0]:.12f}) | "
                     f"{np.abs(m - a).max():.2g} |")  # fmt: skip
    noise = next(p for p in shown if p.regularizer == "instance_noise")
    theta, psi = np.full(members, POINTS[0][0]), np.full(members, POINTS[0][1])
    m = np.array(measured_field(noise.objective, theta, psi, batch=batch, seed=seed, **noise.game))  # (2, members)
    a = np.array(games.vector_field(noise.objective, *POINTS[0], **noise.game))
    z = (m.mean(1) - a) / (m.std(1, ddof=1) / math.sqrt(members))
    lines += [
        "",
        f"Largest difference: {worst:.2g}. Instance noise is random in gan1d: at {POINTS[0]}, {noise.title}, "
        f"{members} members of {batch} draws each (seed {seed}) give the mean field "
        f"({m[0].mean():.5f}, {m[1].mean():.5f}) against the expectation ({a[0]:.5f}, {a[1]:.5f}): "
        f"{abs(z[0]):.2f} and {abs(z[1]):.2f} standard errors.",
    ]
    return lines
