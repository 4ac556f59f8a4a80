"""Benchmark: the numeric paths that have no closed form, against a plain baseline in this process.

Three parts, each timed in CPU seconds of this process (``time.process_time``):

1. 2-D TV, KL and JS between ``toys.ring()`` and ``toys.grid()`` by the adaptive cubature
   (stated to 1e-6), against a trapezoid rule on a uniform grid at two resolutions (its
   difference from the cubature shrinks as the grid is refined, which checks both).
2. 2-D W1 by transport between discretisations (stated to 5e-2 max(1, sigma_max)), on pairs with
   an exact value (``ring()`` against ``ring(radius=1.5)``: 0.5, each mode moves radially;
   concentric Gaussians of standard deviations 5 and 0.5: 4.5 sqrt(pi / 2)) and on ``ring()``
   against ``grid()``, against the estimate from 2,000 samples of each law
   (``divergences.empirical.w1``, seeded), which is what one would do without the toolkit.
3. 1-D KL of a mixture of n components against N(0, 1) for n = 300, 1,000, 3,000: the cost
   grows linearly in n (the ratio of the times for 3,000 and 1,000 is about 3), against
   ``scipy.integrate.quad`` on the same integrand.

    python benchmarks/numeric_paths.py           # about 2 minutes
    python benchmarks/numeric_paths.py --quick   # smaller baselines, about 30 s
"""

import argparse
import math
import time

import numpy as np
from scipy import integrate

from divergences import empirical, numeric
from toys import Gaussian, GaussianMixture, grid, ring

HALF_PI_ROOT = math.sqrt(math.pi / 2)  # E|Z| of a 2-D standard normal Z, per unit of sd: sqrt(pi / 2)


def timed(f, *args):
    t0 = time.process_time()
    value = f(*args)
    return value, time.process_time() - t0


def trapezoid(p, q, n, half_width=6.0, rows=64):
    """TV, KL and JS of two 2-D laws by the trapezoid rule on an n x n grid over [-w, w]^2."""
    x = np.linspace(-half_width, half_width, n)
    weights = np.full(n, x[1] - x[0])
    weights[[0, -1]] /= 2
    sums = {"tv": 0.0, "kl": 0.0, "js": 0.0}
    for start in range(0, n, rows):
        y = x[start : start + rows]
        pts = np.stack(np.meshgrid(x, y, indexing="ij"), -1).reshape(-1, 2)
        lp, lq = p.logpdf(pts), q.logpdf(pts)
        fp, fq = np.exp(lp), np.exp(lq)
        lm = np.logaddexp(lp, lq) - math.log(2.0)
        values = {
            "tv": 0.5 * np.abs(fp - fq),
            "kl": np.where(fp > 0, fp * (lp - lq), 0.0),
            "js": 0.5 * (np.where(fp > 0, fp * (lp - lm), 0.0) + np.where(fq > 0, fq * (lq - lm), 0.0)),
        }
        w = np.outer(weights, weights[start : start + rows]).ravel()
        for name, v in values.items():
            sums[name] += float(np.dot(w, v))
    return sums


def ring_grid_tv():
    """TV(ring(), grid()) in closed form: the two laws overlap only where four of the ring's modes
    (weight 1/8, sd 0.02) sit on modes of the grid (weight 1/25, sd 0.05); elsewhere the modes are
    more than 15 sds apart (overlaps below 1e-40). Each coinciding pair is concentric and
    isotropic, so its overlap is a radial integral: the densities cross once, at radius r, and
    the overlap is the narrow-sd law's mass outside r plus the other's inside."""
    a, s1, b, s2 = 1 / 8, 0.02, 1 / 25, 0.05
    r2 = (math.log(a / s1**2) - math.log(b / s2**2)) / (0.5 / s1**2 - 0.5 / s2**2)
    overlap = b * -math.expm1(-r2 / (2 * s2**2)) + a * math.exp(-r2 / (2 * s1**2))
    return 1.0 - 4.0 * overlap


def cubature_part(sizes):
    p, q = ring(), grid()
    print("1. 2-D TV, KL, JS: ring() against grid() (the trapezoid rule over [-6, 6]^2)")
    ours = {}
    for name in ("tv", "kl", "js"):
        ours[name], t = timed(numeric.compute, name, p, q)
        print(f"   cubature {name:>2}: {ours[name]:.12f}  {t:6.2f} s   (goal <= 2 s)")
    print(f"   TV in closed form {ring_grid_tv():.12f}: cubature error {ours['tv'] - ring_grid_tv():+.1e}")
    for n in sizes:
        base, t = timed(trapezoid, p, q, n)
        diffs = ", ".join(f"{name} {abs(base[name] - ours[name]):.1e}" for name in ours)
        print(f"   trapezoid {n} x {n} (3 divergences): {t:6.2f} s, |difference from the cubature|: {diffs}")


def transport_part(n_samples):
    print("2. 2-D W1 by transport (stated accuracy 5e-2 max(1, sigma_max))")
    pairs = [
        ("ring() vs ring(radius=1.5)", ring(), ring(radius=1.5), 0.5),
        (
            "N(0, 25 I) vs N(0, 0.25 I)",
            Gaussian([0, 0], std=5.0),
            Gaussian([0, 0], std=0.5),
            4.5 * math.sqrt(math.pi / 2),
        ),
        ("ring() vs grid()", ring(), grid(), None),
    ]
    rng = np.random.default_rng(0)
    for label, p, q, exact in pairs:
        value, t = timed(numeric.compute, "w1", p, q)
        x, y = p.sample(n_samples, rng), q.sample(n_samples, rng)
        estimate, t_emp = timed(empirical.w1, x, y)
        if exact is None:
            print(
                f"   {label}: transport {value:.4f} ({t:.2f} s, goal <= 5 s); {n_samples} samples {estimate:.4f} "
                f"({t_emp:.2f} s)"
            )
        else:
            print(
                f"   {label}: exact {exact:.4f}; transport {value:.4f}, error {value - exact:+.1e} ({t:.2f} s); "
                f"{n_samples} samples {estimate:.4f}, error {estimate - exact:+.1e} ({t_emp:.2f} s)"
            )


def quad(integrand):
    """``scipy.integrate.quad`` over [-8, 8], where all the mass of the benchmark's mixtures is."""
    return integrate.quad(integrand, -8.0, 8.0, epsabs=1e-12, epsrel=1e-12, limit=2000)


def mixture_part(sizes):
    print("3. 1-D KL of an n-component mixture against N(0, 1)")
    reference = Gaussian(0.0, 1.0)
    times = {}
    for n in sizes:
        rng = np.random.default_rng(n)
        m = GaussianMixture(np.full(n, 1.0 / n), rng.uniform(-5.0, 5.0, n), stds=rng.uniform(0.05, 0.5, n))
        value, times[n] = timed(numeric.compute, "kl", m, reference)

        def integrand(x, m=m):
            lp = m.logpdf(x)
            return math.exp(lp) * (lp - reference.logpdf(x))

        (base, _), t_quad = timed(quad, integrand)
        error = abs(value - base)
        print(f"   n = {n:5d}: {value:.12f} in {times[n]:.2f} s; quad {t_quad:.2f} s, |difference| {error:.1e}")
    if 1000 in times and 3000 in times:
        print(f"   time(3,000) / time(1,000) = {times[3000] / times[1000]:.1f} (linear: 3; quadratic: 9)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller baselines")
    args = parser.parse_args()
    cubature_part([801, 1601] if args.quick else [1601, 3201])
    transport_part(500 if args.quick else 2000)
    mixture_part([300, 1000, 3000])


if __name__ == "__main__":
    main()
