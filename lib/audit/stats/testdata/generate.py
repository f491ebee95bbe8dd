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


if __name__ == "__main__":
    warnings.simplefilter("error")
    normal()
    gamma_and_chi2()
