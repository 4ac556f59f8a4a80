"""Benchmark: `divergences.curves` for the atlas's divergences against a per-theta quadrature loop.

The family of `curves_vs_quad.py` (a 1-D two-mode mixture shifted by theta, against the unshifted
mixture), now with the six divergences of the atlas: squared Hellinger, Pearson chi-squared,
Rényi of order 2, W2, the energy distance and the squared MMD (Gaussian kernel, bandwidth 1).
Both computations run in this process, one after the other; the script prints both times, their
ratio, the largest absolute difference per divergence, and how `curves` computed each
(closed form or quadrature).

The loop is the straightforward computation with `scipy.integrate.quad` on the real line, theta
by theta: the integrals of sqrt(pq), p^2/q, 2(F - G)^2; W2 as the integral over u in (0, 1) of
(F^-1(u) - G^-1(u))^2 with the quantile functions of the toys; the MMD as the integral of
(p - q)(x) times the difference of the kernel mean embeddings E k(x, Y) (for a Gaussian mixture,
a sum of Gaussian bumps), by quad.

    python benchmarks/atlas_curves.py               # 101 thetas (the quad loop takes about two minutes)
    python benchmarks/atlas_curves.py --n-theta 11  # quick look
"""

import argparse
import time

import numpy as np
from scipy import integrate
from tqdm import tqdm

from divergences import curves
from divergences.evaluate import method
from toys import GaussianMixture

WEIGHTS, MEANS, STDS = [0.5, 0.5], np.array([-2.0, 2.0]), [0.7, 0.7]
QUAD = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 500}
NAMES = ("hellinger", "chi2", "renyi", "w2", "energy", "mmd")
ALPHA, BANDWIDTH = 2.0, 1.0


def family(theta):
    return GaussianMixture(weights=WEIGHTS, means=MEANS + theta, stds=STDS)


def quad(f, a=-np.inf, b=np.inf, **kw):
    return integrate.quad(f, a, b, **{**QUAD, **kw})[0]


def embedding(law, x):
    """E k(x, Y) for Y ~ law, a 1-D Gaussian mixture: each component convolved with the kernel."""
    s2 = BANDWIDTH**2 + np.asarray(law.stds) ** 2
    return float(np.sum(law.weights * BANDWIDTH / np.sqrt(s2) * np.exp(-((x - law.means) ** 2) / (2 * s2))))


def quad_row(p, q):
    """The six divergences of one pair by plain adaptive quadrature."""
    second = quad(lambda x: np.exp(2 * p.logpdf(x) - q.logpdf(x)))  # integral of p^2 / q
    diff = lambda x: p.pdf(x) - q.pdf(x)
    lo, hi = -12.0 + min(p.means.min(), q.means.min()), 12.0 + max(p.means.max(), q.means.max())
    return {
        "hellinger": 1.0 - quad(lambda x: np.exp(0.5 * (p.logpdf(x) + q.logpdf(x)))),
        "chi2": second - 1.0,
        "renyi": np.log(second) / (ALPHA - 1.0),
        "w2": np.sqrt(quad(lambda u: (p.ppf(u) - q.ppf(u)) ** 2, 0.0, 1.0)),
        "energy": 2.0 * quad(lambda x: (p.cdf(x) - q.cdf(x)) ** 2),
        "mmd": quad(lambda x: diff(x) * (embedding(p, x) - embedding(q, x)), lo, hi, limit=200),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-theta", type=int, default=101)
    args = parser.parse_args()
    thetas = np.linspace(-4.0, 4.0, args.n_theta)
    reference = family(0.0)
    kwargs = {"alpha": ALPHA, "bandwidth": BANDWIDTH}

    curves(family, thetas[:5], reference, NAMES, **kwargs)  # warm-up (imports, caches)
    best = {}
    fast = {}
    for name in NAMES:
        best[name] = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            fast.update(curves(family, thetas, reference, [name], **kwargs))
            best[name] = min(best[name], time.perf_counter() - t0)

    t0 = time.perf_counter()
    rows = [quad_row(reference, family(t)) for t in tqdm(thetas, desc="quad loop", unit="theta")]
    slow_time = time.perf_counter() - t0
    slow = {name: np.array([r[name] for r in rows]) for name in NAMES}

    total = sum(best.values())
    print(f"family: two-mode mixture (means {MEANS.tolist()}, stds {STDS}) shifted by theta; {thetas.size} thetas")
    print(f"Rényi of order {ALPHA:g}; MMD with the Gaussian kernel of bandwidth {BANDWIDTH:g}")
    for name in NAMES:
        how = method(name, reference, family(1.0), **({"alpha": ALPHA} if name == "renyi" else {}),
                     **({"kernel": "gaussian", "bandwidth": BANDWIDTH} if name == "mmd" else {}))  # fmt: skip
        err = np.abs(fast[name] - slow[name])
        rel = np.max(err / np.maximum(1.0, np.abs(slow[name])))
        print(
            f"  {name:>9}: curves {best[name]:8.4f} s ({how}); max |difference| {err.max():.2e}, "
            f"relative to max(1, value) {rel:.2e}, largest value {np.max(slow[name]):.3g}"
        )
    print(f"curves (6 divergences, best of 3 each): {total:8.3f} s")
    print(f"quad loop (6 divergences per theta):    {slow_time:8.3f} s")
    print(f"speed-up:                               {slow_time / total:8.0f} x")


if __name__ == "__main__":
    main()
