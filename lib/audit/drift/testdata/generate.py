#!/usr/bin/python3
"""Golden fixtures for lib/audit/drift, computed with SciPy 1.10 / NumPy 1.24 (Debian's /usr/bin/python3).

Independent implementations: SciPy's ks_2samp, wasserstein_distance, chisquare, chi2_contingency,
jensenshannon and norm; NumPy's quantile, histogram_bin_edges ('sturges', 'doane') and histogram.
Evidently's and NannyML's binning and zero-share rules are re-written here in NumPy from their
sources (Evidently legacy/calculations/stattests/utils.py:get_binned_data, psi.py,
jensenshannon.py, z_stattest.py, chisquare_stattest.py, registry.py; NannyML
drift/univariate/methods.py:JensenShannonDistance) since neither library is installed.

Run: /usr/bin/python3 lib/audit/drift/testdata/generate.py  (deterministic; fixed seeds)
"""
import json
import math
from collections import Counter
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

HERE = os.path.dirname(os.path.abspath(__file__))
DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
EPS = 1e-4


def enc(v):
    """JSON value: floats that JSON cannot hold become strings."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (str, np.str_)):
        return str(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def dec(v):
    if v is None:
        return np.nan
    return {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}.get(v, v) if isinstance(v, str) else v


def clean_numeric(values):
    a = np.array([dec(v) for v in values], dtype=float)
    keep = np.isfinite(a)
    return a[keep], int((~keep).sum())


def enc_tree(x):
    if isinstance(x, dict):
        return {k: enc_tree(v) for k, v in x.items()}
    if isinstance(x, list):
        return [enc_tree(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return enc(x)
    return x


def clean_categorical(values):
    kept = [v for v in values if v is not None]
    return kept, len(values) - len(kept)


# ---------- binning -------------------------------------------------------------------------

def quantile_bins(r, c):
    edges = np.unique(np.quantile(r, DECILES, method="linear"))
    # right-closed bins (-inf, e0], (e0, e1], ..., (ek, inf): index = number of edges < x
    rb = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges) + 1)
    cb = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges) + 1)
    return edges, rb, cb


def evidently_bins(r, c, numeric):
    """Evidently get_binned_data without the zero replacement: shares per bin (counts / len)."""
    if numeric and len(np.unique(r)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        return "sturges", edges, np.histogram(r, edges)[0], np.histogram(c, edges)[0]
    keys, rc, cc = value_counts(r, c)
    return "categories", None, rc, cc


def evidently_fill(shares):
    shares = shares.astype(float).copy()
    nz = shares[shares != 0]
    least = nz.min()
    fill = least / 10**6 if least <= 0.0001 else 0.0001
    np.place(shares, shares == 0, fill)
    return shares


def psi_of(r_shares, c_shares):
    return float(np.sum((r_shares - c_shares) * np.log(r_shares / c_shares)))


def nannyml_js(r, c, numeric):
    if numeric:
        edges = np.histogram_bin_edges(r, bins="doane")
        rp = np.histogram(r, bins=edges)[0] / len(r)
        inside = np.histogram(c, bins=edges)[0]
        cp = inside / len(c)
        outside = len(c) - int(inside.sum())  # NannyML takes 1 - sum(shares); counts avoid a 1e-16 residue
        if outside > 0:
            cp = np.append(cp, outside / len(c))
            rp = np.append(rp, 0.0)
        return float(jensenshannon(rp, cp, base=2)), len(edges) - 1
    ref_keys = sorted(set(r))
    rp = np.array([sum(1 for x in r if x == k) for k in ref_keys]) / len(r)
    inside = [sum(1 for x in c if x == k) for k in ref_keys]
    cp = np.array(inside) / len(c)
    outside = len(c) - sum(inside)
    if outside > 0:
        cp = np.append(cp, outside / len(c))
        rp = np.append(rp, 0.0)
    return float(jensenshannon(rp, cp, base=2)), len(ref_keys)


# ---------- tests ---------------------------------------------------------------------------

def value_counts(r, c):
    cr, cc = Counter(list(r)), Counter(list(c))
    keys = sorted(set(cr) | set(cc))
    return keys, np.array([cr.get(k, 0) for k in keys]), np.array([cc.get(k, 0) for k in keys])


def chi_contingency(rc, cc):
    if len(rc) < 2:
        return 0.0, 1.0
    chi2, p, dof, _ = stats.chi2_contingency(np.array([rc, cc]))
    return float(chi2), float(p)


def chi_gof(rc, cc):
    if len(rc) < 2:
        return 0.0, 1.0
    nr, nc = rc.sum(), cc.sum()
    f_exp = rc * (nc / nr)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat, p = stats.chisquare(cc, f_exp)
    return float(stat), float(p)


def z_test(rc, cc):
    """Evidently proportions_diff_z_stat_ind on the indicator 'not the first sorted key'."""
    if len(rc) < 2:
        return 0.0, 1.0
    n1, n2 = rc.sum(), cc.sum()
    p1 = rc[1] / n1
    p2 = cc[1] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2)
    if var == 0:
        return 0.0, 1.0
    z = (p1 - p2) / np.sqrt(var)
    return float(z), float(2 * stats.norm.sf(abs(z)))


def evidently_rule(kind, n_ref, n_unique):
    if n_ref <= 1000:
        if kind == "numeric" and n_unique > 5:
            return "ks", 0.05
        return ("z-test" if n_unique <= 2 else "chi-square"), 0.05
    if kind == "numeric" and n_unique > 5:
        return "wasserstein", 0.1
    return "jensen-shannon", 0.1


def column_expected(name, kind, ref_values, cur_values, convention, n_columns):
    numeric = kind == "numeric"
    if numeric:
        r, dr = clean_numeric(ref_values)
        c, dc = clean_numeric(cur_values)
    else:
        r, dr = clean_categorical(ref_values)
        c, dc = clean_categorical(cur_values)
    nr, nc = len(r), len(c)
    keys, rc, cc = value_counts(r, c)
    n_unique = len(keys)
    out = {"column": name, "kind": kind, "nReference": nr, "nCurrent": nc, "droppedReference": dr, "droppedCurrent": dc}

    # PSI
    if convention == "evidently":
        scheme, edges, rb, cb = evidently_bins(r, c, numeric)
        out["psi"] = psi_of(evidently_fill(rb / nr), evidently_fill(cb / nc))
        out["jensenShannon"] = float(jensenshannon(rb / nr, cb / nc))  # base e, no epsilon
        out["psiScheme"] = scheme
    else:
        if numeric:
            edges, rb, cb = quantile_bins(r, c)
            out["psiEdges"] = [float(e) for e in edges]
            scheme = "quantile"
        else:
            edges, rb, cb = None, rc, cc
            scheme = "categories"
        out["psiScheme"] = scheme
        rs = np.where(rb == 0, EPS, rb / nr)
        cs = np.where(cb == 0, EPS, cb / nc)
        out["psi"] = psi_of(rs, cs)
        if convention == "nannyml":
            out["jensenShannon"], out["nannymlBins"] = nannyml_js(r, c, numeric)
        else:
            out["jensenShannon"] = float(jensenshannon(rb, cb, base=2))
    out["psiReference"] = [int(x) for x in rb]
    out["psiCurrent"] = [int(x) for x in cb]

    # tests
    if numeric:
        mode = "asymp" if convention == "alibi" else "auto"
        ks = stats.ks_2samp(r, c, method=mode)
        out["ks"] = {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)}
        w = stats.wasserstein_distance(r, c)
        out["wassersteinRaw"] = float(w)
        out["wasserstein"] = float(w / max(np.std(r), 0.001))
    else:
        out["ks"] = None
        out["wasserstein"] = None
        out["wassersteinRaw"] = None
    chi = None
    if not numeric or n_unique <= 5:
        stat, p = chi_gof(rc, cc) if convention == "evidently" else chi_contingency(rc, cc)
        chi = {"statistic": stat, "pValue": p}
    out["chiSquare"] = chi
    out["zTest"] = None
    if n_unique <= 2:
        z, p = z_test(rc, cc)
        out["zTest"] = {"statistic": z, "pValue": p}

    # decision
    if convention == "alibi":
        method = "ks" if numeric else "chi-square"
        threshold = 0.05 / n_columns
    else:
        method, threshold = evidently_rule(kind, nr, n_unique)
    if method == "ks":
        stat, p = out["ks"]["statistic"], out["ks"]["pValue"]
    elif method == "chi-square":
        stat, p = chi["statistic"], chi["pValue"]
    elif method == "z-test":
        stat, p = out["zTest"]["statistic"], out["zTest"]["pValue"]
    elif method == "wasserstein":
        stat, p = out["wasserstein"], None
    else:
        stat, p = out["jensenShannon"], None
    if convention == "alibi":
        drifted = p < threshold
    elif method == "ks":
        drifted = p <= threshold
    elif p is not None:
        drifted = p < threshold
    else:
        drifted = stat >= threshold
    out.update({"method": method, "statistic": stat, "pValue": p, "threshold": threshold, "drifted": bool(drifted)})
    return out


def expected_for(fixture, convention, share=None):
    cols = fixture["columns"]
    testable = []
    for name, spec in cols.items():
        kind = "numeric" if spec["type"] in ("DOUBLE", "BIGINT", "INTEGER") else "categorical"
        rv, cv = spec["reference"], spec["current"]
        if kind == "numeric":
            ok = len(clean_numeric(rv)[0]) > 0 and len(clean_numeric(cv)[0]) > 0
        else:
            ok = len(clean_categorical(rv)[0]) > 0 and len(clean_categorical(cv)[0]) > 0
        if ok:
            testable.append((name, kind, rv, cv))
    results = [column_expected(n, k, rv, cv, convention, len(testable)) for n, k, rv, cv in testable]
    drifted = sum(1 for x in results if x["drifted"])
    share_drifted = drifted / len(results)
    if share is None:
        dataset = drifted > 0 if convention == "alibi" else share_drifted >= 0.5
    else:
        dataset = share_drifted >= share
    return {"columns": results, "shareDrifted": share_drifted, "datasetDrift": bool(dataset)}


# ---------- fixtures ------------------------------------------------------------------------

def col(type_, reference, current):
    return {"type": type_, "reference": [enc(v) for v in reference], "current": [enc(v) for v in current]}


def worked():
    r = [i / 10 for i in range(100)]
    return {
        "name": "worked",
        "columns": {
            "x": col("DOUBLE", r, [v + 1.0 for v in r]),
            "g": col("VARCHAR", ["a"] * 50 + ["b"] * 30 + ["c"] * 20, ["a"] * 40 + ["b"] * 30 + ["c"] * 30),
        },
    }


def with_gaps(rng, values, n_null=0, n_nan=0, n_inf=0):
    out = list(values)
    for k, v in ((n_null, None), (n_nan, float("nan")), (n_inf, float("inf"))):
        for _ in range(k):
            out[int(rng.integers(len(out)))] = v
    if n_inf:
        out[int(rng.integers(len(out)))] = float("-inf")
    return out


def small(rng):
    nr, nc = 500, 400
    r_norm = np.round(rng.normal(0, 1, nr), 6)
    c_norm = np.round(rng.normal(0.3, 1.2, nc), 6)
    return {
        "name": "small",
        "columns": {
            "sc ore": col("DOUBLE", with_gaps(rng, r_norm, 7, 3, 2), with_gaps(rng, c_norm, 5, 2, 1)),
            'quo"te': col("DOUBLE", np.round(rng.normal(5, 2, nr), 4), np.round(rng.normal(5, 2, nc), 4)),
            "größe": col("BIGINT", rng.integers(0, 4, nr), rng.integers(0, 5, nc)),
            "flag": col("BIGINT", rng.binomial(1, 0.3, nr), rng.binomial(1, 0.4, nc)),
            "select": col("BIGINT", rng.integers(0, 40, nr) // 3, rng.integers(0, 40, nc) // 3),
            "constant": col("DOUBLE", [2.5] * nr, [2.5] * nc),
            "colour": col(
                "VARCHAR",
                with_gaps(rng, rng.choice(["red", "green", "blue", "it's"], nr, p=[0.4, 0.3, 0.2, 0.1]), 9),
                with_gaps(rng, rng.choice(["red", "green", "blue", "violet"], nc, p=[0.3, 0.3, 0.3, 0.1]), 4),
            ),
            "yes no": col("VARCHAR", rng.choice(["yes", "no"], nr, p=[0.7, 0.3]), rng.choice(["yes", "no"], nc, p=[0.6, 0.4])),
            "shrinks": col("VARCHAR", rng.choice(["a", "b", "c"], nr), rng.choice(["a", "b"], nc)),
        },
    }


def large(rng):
    nr, nc = 1500, 1200
    return {
        "name": "large",
        "columns": {
            "lognormal": col("DOUBLE", np.round(rng.lognormal(0, 1, nr), 5), np.round(rng.lognormal(0.05, 1, nc), 5)),
            "ties": col("BIGINT", rng.poisson(3, nr), rng.poisson(3.4, nc)),
            "few": col("BIGINT", rng.integers(0, 12, nr), rng.integers(0, 12, nc)),
            "wide few": col("BIGINT", rng.integers(0, 15, nr), rng.integers(0, 60, nc)),
            "three": col("BIGINT", rng.integers(0, 3, nr), rng.integers(0, 3, nc)),
            "shifted": col("DOUBLE", np.round(rng.normal(0, 1, nr), 5), np.round(rng.normal(0.5, 1, nc), 5)),
            "city": col(
                "VARCHAR",
                rng.choice(["Zürich", "Genève", "Basel", "Bern"], nr, p=[0.4, 0.3, 0.2, 0.1]),
                rng.choice(["Zürich", "Genève", "Basel", "Lugano"], nc, p=[0.4, 0.3, 0.2, 0.1]),
            ),
            "binary cat": col("VARCHAR", rng.choice(["m", "f"], nr), rng.choice(["m", "f"], nc)),
            "all null current": col("DOUBLE", rng.normal(0, 1, nr).round(3), [None] * nc),
        },
    }


def asymp(rng):
    nr, nc = 10_500, 10_200
    return {
        "name": "asymp",
        "columns": {"n": col("BIGINT", rng.binomial(200, 0.5, nr), rng.binomial(200, 0.505, nc))},
    }


def edge_cases(rng):
    """numpy histogram_bin_edges for Sturges and Doane, with the aggregates Assay computes them from."""
    arrays = [
        np.arange(100) / 10,
        np.arange(128, dtype=float),  # log2(n) + 1 an integer: ceil(ptp / width) is taken in floating point
        np.arange(1024, dtype=float) * 0.37,
        rng.normal(0, 1, 777),
        rng.lognormal(0, 1.5, 2000),
        rng.exponential(3, 5),
        np.array([4.0, 4.0, 4.0]),
        np.array([1.0, 2.0]),
        rng.integers(-50, 50, 64).astype(float),
    ]
    cases = []
    for a in arrays:
        sigma = np.std(a)
        g1 = float(np.mean(((a - np.mean(a)) / sigma) ** 3)) if sigma > 0 else 0.0
        cases.append({
            "min": float(a.min()), "max": float(a.max()), "n": int(a.size), "std": float(sigma), "g1": g1,
            "sturges": [float(x) for x in np.histogram_bin_edges(a, bins="sturges")],
            "doane": [float(x) for x in np.histogram_bin_edges(a, bins="doane")],
        })
    return cases


def unseen(rng):
    """Evidently per-value bins with more current-only values than Assay fetches (10 000)."""
    r = rng.integers(0, 10, 1200).astype(float)
    c = np.concatenate([rng.integers(0, 10, 3000).astype(float), np.round(rng.uniform(0, 9, 10_200), 6)])
    return {"name": "unseen", "columns": {"mixed": col("DOUBLE", r, rng.permutation(c))}}


def main():
    rng = np.random.default_rng(20260427)
    with open(os.path.join(HERE, "edges.json"), "w") as f:
        json.dump(edge_cases(np.random.default_rng(7)), f, separators=(",", ":"), allow_nan=False)
    fixtures = [worked(), small(rng), large(rng), asymp(rng), unseen(rng)]
    for fx in fixtures:
        fx["expected"] = {conv: expected_for(fx, conv) for conv in ("assay", "evidently", "nannyml", "alibi")}
        fx["expected"]["assay_share_0.05"] = expected_for(fx, "assay", share=0.05)
        fx["expected"] = enc_tree(fx["expected"])
        path = os.path.join(HERE, f"{fx['name']}.json")
        with open(path, "w") as f:
            json.dump(fx, f, separators=(",", ":"), allow_nan=False)
        print(path, os.path.getsize(path))


if __name__ == "__main__":
    main()
