#!/usr/bin/python3
"""Golden values for lib/audit/stats, computed with Debian's SciPy.

Run with Debian's Python (numpy 1.24, scipy 1.10):
    /usr/bin/python3 lib/audit/stats/testdata/generate.py
Writes one JSON file per family beside this script. Deterministic (fixed seeds).
Non-finite floats are written as the strings "inf", "-inf", "nan".
"""
import json
import math
import os
import warnings

import mpmath
import numpy as np
import scipy
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def write(name, payload):
    payload = {"scipy": scipy.__version__, "numpy": np.__version__, **payload}
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {os.path.getsize(path)} bytes")


def normal():
    xs = set(np.round(np.linspace(-38, 38, 305), 12).tolist())
    xs |= {0.0, 1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 0.66, -0.66, 0.6629, -0.6629, 1.0, -1.0,
           1.959963984540054, -1.959963984540054, 4.0 * math.sqrt(2), 5.6, 8.3, 37.5, -37.5, 38.4, -38.4,
           40.0, -40.0}
    rng = np.random.default_rng(1)
    xs |= set(rng.uniform(-10, 10, 60).tolist())
    xs = sorted(xs)
    mpmath.mp.dps = 40
    rows = [[x, enc(stats.norm.cdf(x)), enc(stats.norm.sf(x)), enc(mpmath.ncdf(x)), enc(mpmath.ncdf(-x))]
            for x in xs]
    # scipy's ndtr flushes results below about 1e-310 to 0; mpmath (40 digits) is the reference there.
    write("normal.json", {"columns": ["x", "cdf", "sf", "cdf_mpmath", "sf_mpmath"], "rows": rows})


def gamma_and_chi2():
    lg = []
    for x in [1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 0.999, 1.0, 1.001, 1.5, 1.999, 2.0, 2.5, 3.0, 4.5, 7.0, 10.0,
              14.5, 15.0, 15.5, 20.0, 50.5, 100.0, 171.5, 1000.0, 1e5, 1e10, 1e300, -0.5, -1.5, -2.25, -10.1]:
        lg.append([x, enc(special.gammaln(x))])
    q = []
    for a in [0.5, 1.0, 1.5, 2.5, 5.0, 10.0, 25.5, 50.0, 100.0]:
        for x in [0.0, 1e-300, 1e-12, 1e-3, 0.1, 0.5, 1.0, a / 2, a - 1, a, a + 1, a + 3 * math.sqrt(a), 2 * a + 5,
                  10 * a + 20, 700.0, 1e4]:
            if x < 0:
                continue
            q.append([a, x, enc(special.gammainc(a, x)), enc(special.gammaincc(a, x))])
    chi = []
    dfs = [1, 2, 3, 4, 5, 6, 7, 9, 10, 15, 20, 30, 49, 50, 75, 100, 150, 199, 200]
    for df in dfs:
        xs = {0.0, 1e-300, 1e-100, 1e-20, 1e-8, 1e-3, 0.05, 0.5, 1.0, 2.0, df / 2, df - 1.0, float(df), df + 1.0,
              df + 2 * math.sqrt(2 * df), df + 5 * math.sqrt(2 * df), 2.0 * df, 3.0 * df + 30, 100.0, 300.0, 1000.0,
              1500.0, 2000.0, 1e4, 1e5, 1e300, -1.0}
        for x in sorted(xs):
            if x < 0 and df != 1:
                continue
            chi.append([x, df, enc(stats.chi2.sf(x, df))])
    write("gamma.json", {"logGamma": lg, "gammaPQ": q})
    write("chi2.json", {"columns": ["x", "df", "sf"], "rows": chi})


def smirnov_grid():
    rows = []
    for n in [1, 2, 3, 5, 10, 37, 100, 141, 1000, 1012, 1013, 5000, 10**4, 10**5, 10**6, 10**6 + 1]:
        xs = {0.0, 0.3 / n, 1.0 / n, 1.5 / n, 0.5 / math.sqrt(n), 1.0 / math.sqrt(n), 2.0 / math.sqrt(n),
              5.0 / math.sqrt(n), 13.0 / math.sqrt(n), 0.25, 0.5, 0.7, 1 - 1.5 / n, 1 - 0.5 / n, 1.0}
        for x in sorted(xs):
            if 0 <= x <= 1:
                rows.append([n, x, enc(special.smirnov(n, x))])
    write("smirnov.json", {"columns": ["n", "x", "sf"], "rows": rows})


def kstwo_grid():
    rows = []
    ns = [1, 2, 3, 4, 5, 7, 10, 20, 33, 50, 100, 139, 140, 141, 200, 500, 1000, 2000, 5000, 10**4, 33333,
          10**5, 100001, 300000, 10**6]
    for n in ns:
        ds = {0.4 / n, 0.5 / n, 0.75 / n, 1.0 / n, 1.5 / n, 0.5, 0.6, 0.9, 1 - 1.0 / n, 1 - 0.5 / n, 0.999, 1.0}
        for c in [0.05, 0.2, 0.5, 0.75, 0.76, 1.0, 1.5, 2.0, 2.19, 2.21, 3.0, 4.0, 4.1, 6.0, 10.0, 18.0, 40.0,
                  100.0, 250.0, 369.0, 371.0]:
            ds.add(math.sqrt(c / n))
        # around n·d^1.5 = 1.4, the Durbin / Pelz–Good switch
        ds.add((1.39 / n) ** (2 / 3))
        ds.add((1.41 / n) ** (2 / 3))
        for d in sorted(ds):
            if 0 < d <= 1:
                rows.append([n, d, enc(stats.kstwo.sf(d, n))])
    # random large-n points in the 2·smirnov region (the log-space sum in TypeScript) and below it
    rng = np.random.default_rng(3)
    for _ in range(40):
        n = int(rng.integers(10001, 10**6))
        d = math.sqrt(float(rng.uniform(0.3, 370)) / n)
        rows.append([n, d, enc(stats.kstwo.sf(d, n))])
    write("kstwo.json", {"columns": ["n", "d", "sf"], "rows": rows})


def ks_grid():
    from scipy.stats._stats_py import _attempt_exact_2kssamp

    rng = np.random.default_rng(7)
    pairs = [(1, 1), (1, 2), (2, 2), (3, 7), (5, 5), (10, 10), (10, 20), (12, 18), (37, 41), (50, 50),
             (100, 100), (100, 101), (100, 1000), (250, 400), (777, 1000), (1000, 1000), (1000, 1500),
             (3000, 10000), (5000, 5000), (7, 10000), (9999, 10000), (10000, 10000)]
    exact = []
    for n1, n2 in pairs:
        g = math.gcd(n1, n2)
        lcm = (n1 // g) * n2
        ds = set()
        # lattice points across the range, with tiny p-values near the top
        for frac in [0.0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0]:
            ds.add(round(frac * lcm) / lcm)
        for z in [0.5, 1.0, 1.36, 2.0, 3.0, 5.0, 8.0, 12.0]:
            en = n1 * n2 / (n1 + n2)
            d = z / math.sqrt(en)
            if d <= 1:
                ds.add(d)  # off-lattice: scipy rounds d·lcm
        for d in rng.uniform(0, 1, 2).tolist():
            ds.add(d)
        for d in sorted(ds):
            if max(n1, n2) > 2000 and d > 0.2:
                continue  # keep the generator (and the test) fast: the band method costs ~m·h/mg steps
            ok, d_lat, p = _attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
            exact.append([n1, n2, d, bool(ok), d_lat, enc(p)])
    asymp = []
    for n1, n2 in [(10, 20), (100, 100), (10001, 10001), (12000, 30000), (50000, 1000000), (10**6, 10**6)]:
        for z in [0.3, 0.8, 1.0, 1.36, 2.0, 4.0, 8.0, 13.0]:
            d = z * math.sqrt((n1 + n2) / (n1 * n2))
            if d <= 1:
                en = np.round(max(n1, n2) * min(n1, n2) / (n1 + n2))
                asymp.append([n1, n2, d, enc(stats.kstwo.sf(d, en))])
    # end-to-end ks_2samp on data, including the worked example R = 0.0 … 9.9, C = R + 1
    samples = []
    r = np.arange(100) / 10.0
    cases = [("worked", r, r + 1.0)]
    cases.append(("normal-shift", rng.normal(0, 1, 300), rng.normal(0.3, 1, 450)))
    cases.append(("ties", rng.integers(0, 5, 200).astype(float), rng.integers(0, 6, 240).astype(float)))
    cases.append(("large", rng.normal(0, 1, 12000), rng.normal(0.02, 1, 9000)))
    for name, a, b in cases:
        for method in ["auto", "exact", "asymp"]:
            res = stats.ks_2samp(a, b, method=method)
            samples.append([name, len(a), len(b), method, float(res.statistic), enc(res.pvalue)])
    write("ks.json", {"exactColumns": ["n1", "n2", "d", "ok", "dLattice", "p"], "exact": exact,
                      "asympColumns": ["n1", "n2", "d", "p"], "asymp": asymp,
                      "samplesColumns": ["name", "n1", "n2", "method", "statistic", "p"], "samples": samples})


if __name__ == "__main__":
    warnings.simplefilter("error")
    normal()
    gamma_and_chi2()
    smirnov_grid()
    kstwo_grid()
    ks_grid()
