"""Oracles in mpmath at 50 significant digits, written from the textbook formulas.

None of them shares code or rearrangement with the library: the library's closed forms are
written to avoid cancellation in double precision, these simply carry enough digits for the
cancellation not to matter. Every parameter is converted from its float exactly.
"""

import mpmath as mp

mp.mp.dps = 50


def f(x):
    """The float ``x`` as an exact mpmath number."""
    return mp.mpf(float(x))


def gaussian_kl(m1, s1, m2, s2):
    """KL(N(m1, s1^2) || N(m2, s2^2))."""
    m1, s1, m2, s2 = map(f, (m1, s1, m2, s2))
    # (r^2 - 1 - ln r^2) / 2 + (delta / s2)^2 / 2 with r = s1 / s2: the mean term kept apart, so
    # that a tiny difference of means is not lost against the O(1) terms
    r = s1 / s2
    return (r**2 - 1 - 2 * mp.log(r)) / 2 + ((m1 - m2) / s2) ** 2 / 2


def gaussian_tv(m1, s1, m2, s2):
    """TV between two 1-D Gaussians: the sum of P - Q over the intervals between the crossings."""
    m1, s1, m2, s2 = map(f, (m1, s1, m2, s2))
    # log p - log q = a x^2 + b x + c in the variable x - m1 (exact shift at 50 digits)
    d = m2 - m1
    a = 1 / (2 * s2**2) - 1 / (2 * s1**2)
    b = -d / s2**2
    c = d**2 / (2 * s2**2) + mp.log(s2 / s1)
    if a == 0:
        roots = [] if b == 0 else [-c / b]
    else:
        disc = b**2 - 4 * a * c
        roots = [] if disc < 0 else sorted([(-b - mp.sqrt(disc)) / (2 * a), (-b + mp.sqrt(disc)) / (2 * a)])
    edges = [-mp.inf, *roots, mp.inf]
    total = mp.mpf(0)
    far = abs(d) + s1 + s2  # a step that leaves every root behind, at any scale
    for lo, hi in zip(edges[:-1], edges[1:]):
        if mp.isfinite(lo) and mp.isfinite(hi):
            inside = (lo + hi) / 2
        elif mp.isfinite(hi):
            inside = hi - abs(hi) - far
        elif mp.isfinite(lo):
            inside = lo + abs(lo) + far
        else:
            inside = mp.mpf(0)
        if a * inside**2 + b * inside + c > 0:
            total += _mass(lo, hi, 0, s1) - _mass(lo, hi, d, s2)
    return total


def _mass(lo, hi, m, s):
    return mp.ncdf((hi - m) / s) - mp.ncdf((lo - m) / s)


def gaussian_w1(m1, s1, m2, s2):
    """W1 between two 1-D Gaussians: E|d + (s2 - s1) Z| (the quantile coupling), a folded normal mean."""
    m1, s1, m2, s2 = map(f, (m1, s1, m2, s2))
    d, a = m2 - m1, abs(s2 - s1)
    if a == 0 or abs(d) > 1000 * a:  # the rest is below e^-5e5 of |d| (and mpmath's erfc gives up beyond 1e150)
        return abs(d)
    return a * mp.sqrt(2 / mp.pi) * mp.exp(-(d**2) / (2 * a**2)) + d * (1 - 2 * mp.ncdf(-d / a))


def exponential_kl(rate_p, rate_q, loc_p=0.0, loc_q=0.0):
    """KL(Exp(rate_p, loc_p) || Exp(rate_q, loc_q)), infinite if loc_p < loc_q."""
    lp, lq, ap, aq = map(f, (rate_p, rate_q, loc_p, loc_q))
    if ap < aq:
        return mp.inf
    return mp.log(lp / lq) + lq / lp - 1 + lq * (ap - aq)


def uniform_kl(a1, b1, a2, b2):
    """KL(U[a1, b1] || U[a2, b2]): log of the ratio of widths if nested, else infinite."""
    a1, b1, a2, b2 = map(f, (a1, b1, a2, b2))
    if a1 < a2 or b1 > b2:
        return mp.inf
    # log of the ratio of widths as log1p of the extra width, from differences of ends (exact)
    return mp.log1p(((b2 - b1) + (a1 - a2)) / (b1 - a1))


def uniform_js(a1, b1, a2, b2):
    """JS between two uniforms, from the overlap: P alone and Q alone contribute ln 2 per unit mass.

    At 400 digits: the two overlap terms cancel to the square of the relative difference of the
    widths, which may be 1e-40 and less.
    """
    with mp.workdps(400):
        return +_uniform_js(*map(f, (a1, b1, a2, b2)))


def _uniform_js(a1, b1, a2, b2):
    p, q = 1 / (b1 - a1), 1 / (b2 - a2)
    overlap = max(mp.mpf(0), min(b1, b2) - max(a1, a2))
    m = (p + q) / 2
    inside = overlap * (p * mp.log(p / m) + q * mp.log(q / m))
    # the lengths off the overlap from differences of ends, which 50 digits hold exactly
    off_p = min(b1 - a1, max(0, a2 - a1) + max(0, b1 - b2))
    off_q = min(b2 - a2, max(0, a1 - a2) + max(0, b2 - b1))
    outside = mp.log(2) * (off_p * p + off_q * q)
    return (inside + outside) / 2


def t_kl_normal(df):
    """KL(t_df || N(0, 1)) = -h(t_df) + ln(2 pi) / 2 + E[T^2] / 2, with the t law's entropy in closed form."""
    v = f(df)
    entropy = (v + 1) / 2 * (mp.digamma((v + 1) / 2) - mp.digamma(v / 2)) + mp.log(mp.sqrt(v) * mp.beta(v / 2, 0.5))
    return -entropy + mp.log(2 * mp.pi) / 2 + v / (v - 2) / 2


def lognormal_kl_normal(s):
    """KL(lognorm(s) || N(0, 1)) = -h + ln(2 pi) / 2 + E[X^2] / 2, h = 1/2 + ln(s sqrt(2 pi)), E[X^2] = e^(2 s^2)."""
    s = f(s)
    entropy = mp.mpf(1) / 2 + mp.log(s * mp.sqrt(2 * mp.pi))
    return -entropy + mp.log(2 * mp.pi) / 2 + mp.exp(2 * s**2) / 2


# -- laws of different families: entropies, moments, and KL through -E_P log q ---------------------
# At 400 digits: a mean loc + 1 / rate, or its distance to another location, must keep 1 / rate
# next to a location up to 1e304 times larger (1e150 against 1e-154).
def law(kind, a, b):
    """(entropy, mean, variance) of a law given as ``kind, a, b``.

    ``("gaussian", mean, std)``, ``("uniform", low, high)`` or ``("exponential", rate, loc)``.
    """
    with mp.workdps(400):
        a, b = f(a), f(b)
        if kind == "gaussian":
            return mp.log(2 * mp.pi * mp.e * b**2) / 2, a, b**2
        if kind == "uniform":
            return mp.log(b - a), (a + b) / 2, (b - a) ** 2 / 12
        return 1 - mp.log(a), b + 1 / a, 1 / a**2


def cross_entropy_gaussian(kind, a, b, m, s):
    """-E_P log q for q = N(m, s^2): ln(2 pi s^2) / 2 + (Var_P + (E_P - m)^2) / (2 s^2)."""
    with mp.workdps(400):
        _, mean, var = law(kind, a, b)
        m, s = f(m), f(s)
        return +(mp.log(2 * mp.pi * s**2) / 2 + (var + (mean - m) ** 2) / (2 * s**2))


def uniform_exponential_kl(low, high, rate, loc):
    """KL(U[low, high] || Exp(rate, loc)): -ln(high - low) - ln(rate) + rate (midpoint - loc), or inf."""
    with mp.workdps(400):
        low, high, rate, loc = map(f, (low, high, rate, loc))
        if low < loc:
            return mp.inf
        return +(-mp.log(high - low) - mp.log(rate) + rate * ((low + high) / 2 - loc))


def uniform_w1(a1, b1, a2, b2):
    """W1 between U[a1, b1] and U[a2, b2]: the integral over [0, 1] of |alpha + beta u|, the difference of quantiles."""
    with mp.workdps(400):
        a1, b1, a2, b2 = map(f, (a1, b1, a2, b2))
        alpha, beta = a1 - a2, (b1 - a1) - (b2 - a2)
        if beta == 0 or not 0 < -alpha / beta < 1:
            return +abs(alpha + beta / 2)
        return +((alpha**2 + (alpha + beta) ** 2) / (2 * abs(beta)))


def exponential_w1(rate_p, rate_q, loc_p=0.0, loc_q=0.0):
    """W1 between Exp(rate_p, loc_p) and Exp(rate_q, loc_q): E|alpha + beta E|, E ~ Exp(1) (the quantile coupling)."""
    with mp.workdps(400):
        lp, lq, ap, aq = map(f, (rate_p, rate_q, loc_p, loc_q))
        alpha, beta = ap - aq, 1 / lp - 1 / lq
        if beta == 0 or -alpha / beta <= 0:
            return +abs(alpha + beta)
        c = -alpha / beta
        return +(abs(beta) * (c - 1 + 2 * mp.exp(-c)))


def gaussian_kl_2d(p, q):
    """KL(P || Q) between two d-D toys.Gaussian, from the exact values of their float parameters."""
    sp, sq = mp.matrix([[f(x) for x in row] for row in p.cov]), mp.matrix([[f(x) for x in row] for row in q.cov])
    d = mp.matrix([f(b) - f(a) for a, b in zip(p.mean, q.mean)])
    inv = sq**-1
    trace = sum((inv * sp)[i, i] for i in range(sp.rows))
    return (trace + (d.T * inv * d)[0, 0] - sp.rows + mp.log(mp.det(sq)) - mp.log(mp.det(sp))) / 2


def mahalanobis(delta, cov):
    """sqrt(delta^T cov^-1 delta) from the exact values of the float arguments."""
    d = mp.matrix([f(x) for x in delta])
    return mp.sqrt((d.T * mp.matrix([[f(x) for x in row] for row in cov]) ** -1 * d)[0, 0])
