#!/usr/bin/python3
"""The standard audit's statistics in plain pandas / NumPy / SciPy / scikit-learn: the
comparator for Assay's benchmark (bench/run-all.mjs). A benchmark, not a test: it computes the
same statistics over the same columns as bench/audit-suite.ts runs through lib/audit, the way
a data scientist would write them, and times each family (median of repeats).

    /usr/bin/python3 bench/pandas-audit.py [--rows 1000000] [--repeats 3] [--only drift,slices]
                                           [--data bench/data] [--json out.json]

Debian's Python 3 (numpy 1.24, scipy 1.10, scikit-learn 1.2, pandas 1.5) has no pyarrow or
fastparquet, so it cannot read Parquet: it reads the CSV copies bench/export-csv.mjs writes
with native DuckDB (bench/data/csv/<side>_<rows>.csv; `float_precision="round_trip"`, so the
doubles are the Parquet file's bits). Loading is timed apart; every family is timed on the
frames already in memory. Single-threaded (pandas and these NumPy/SciPy calls are).

What each family computes (docs/metrics/*.md for Assay's definitions):
- quality: profile of all 27 columns of `current` (nulls, ±Inf, distinct, finite min/max/mean/
  sample std, quantiles .01 … .99 linear; categorical top 10 values; temporal min/max) and the
  schema diff reference → current.
- drift: 26 columns (all but `timestamp`), Assay convention. Numeric: PSI and base-2
  Jensen–Shannon on reference deciles (right-closed, outer bins open, empty share 1e-4), KS
  (`ks_2samp`, method auto), Wasserstein (`wasserstein_distance`, normed by max(std_pop(R),
  0.001)); chi-square contingency for ≤ 5 distinct values, two-proportion z-test for ≤ 2.
  Categorical: PSI, JS, chi-square contingency, z-test for ≤ 2 categories. Verdict by
  Evidently's rule (n_R > 1000 ⇒ JS / Wasserstein ≥ 0.1).
- performance: confusion at 0.5, accuracy … balanced accuracy, `roc_auc_score`,
  `average_precision_score`, `log_loss`, `brier_score_loss`, `roc_curve(drop_intermediate=
  False)`, `precision_recall_curve`, each thinned to ≤ 1000 points.
- calibration: 10 uniform bins (sklearn's `searchsorted(edges[1:-1])`), ECE, MCE, Brier,
  overall and per `sex`.
- fairness: `sex`, `age_band` and `sex × age_band`: confusion per group, seven rates with
  95% Wilson intervals, per-group ECE (10 bins), Fairlearn differences / ratios, Aequitas
  disparities against the largest group.
- slices: error rate (prediction = score ≥ 0.5) over every 1- and 2-column slice of the 22
  candidate columns (numeric: 4 quantile bins, or by value with ≤ 4 distinct values; text with
  ≤ 50 values; constant and temporal columns skipped), min support 30, Wilson intervals,
  ranked by gap then n, top 20.
- operational: latency p50 / p95 / p99 (`np.percentile`, linear), mean, min, max, and a
  30-bin `np.histogram`.
Known differences from Assay: see DIFFERENCES below (also written into the JSON).
"""
import argparse
import itertools
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
Z = 1.959963984540054
LABEL, SCORE, PREDICTION, THRESHOLD = "label", "score", "prediction", 0.5
QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
PSI_EPSILON = 1e-4
MAX_CURVE_POINTS = 1000
SLICE_BINS, SLICE_MAX_LEVELS, SLICE_MIN_SUPPORT, SLICE_LIMIT = 4, 50, 30, 20

DIFFERENCES = [
    "pandas holds a SQL NULL in a float column as NaN: for f07 (NULLs) and f08 (NaN) the profile counts "
    "NULL and NaN together as missing, nunique() leaves NaN out (f08: one distinct value fewer than "
    "Assay, which counts NaN as a value), and slices put f07's NULL rows in a NaN slice (the same rows "
    "as Assay's 'f07 is null'). No other column holds NULL or NaN.",
    "quality: above 100,000 rows Assay's profile estimates distinct counts (sampled) and quantiles "
    "(histogram) and states the bounds (distinctApproximate / distinctInterval, quantilesApproximate / "
    "quantileBound); pandas computes them exactly (nunique, np.quantile), which is more work. At 1M rows "
    "the quantiles differ by up to ~1e-3 relative and the distinct counts by up to 0.5%.",
    "Slices tied on gap and n may be listed in another order (Assay breaks ties by a key order).",
    "drift: at 1M rows Assay's KS and Wasserstein for f07, f09 and f10 come with stated error bounds "
    "(refinement budget reached; normed W1 within about 1e-5, verdicts unaffected); pandas computes them "
    "exactly. Decile edges equal numpy's bit for bit (ties included) since Assay computes them with "
    "numpy's own interpolation.",
    "slices: pandas and the native family run every pair of the 22 candidates (231 pairs); the app's "
    "template and `assay audit` form pairs only among the 8 columns with the worst single-column slices "
    "(pairColumns 8), so their slices check does less work.",
    "performance: scikit-learn sorts the scores once per metric and curve (roc_auc_score, "
    "average_precision_score, roc_curve, precision_recall_curve), as straightforward sklearn code does; "
    "Assay sorts the rows once (one window) when scores are mostly distinct, and groups them by score "
    "first when they repeat.",
]

INT_COLUMNS = ["f04", "f06", "f11", PREDICTION, LABEL]
TEXT_COLUMNS = ["c01", "c02", "c03", "c04", "c05", "c06", "c07", "sex", "age_band", "model_version"]


def rss_bytes():
    """Current resident set size (VmRSS) of this process."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def load(path):
    header = pd.read_csv(path, nrows=0).columns
    dtype = {c: "float64" for c in header if c != "timestamp"}
    dtype.update({c: "int64" for c in INT_COLUMNS})
    dtype.update({c: object for c in TEXT_COLUMNS})
    # DuckDB writes NULL as an empty field and NaN as "nan"; both become NaN in a float64 column.
    return pd.read_csv(
        path,
        dtype=dtype,
        keep_default_na=False,
        na_values=["", "nan"],
        float_precision="round_trip",
        parse_dates=["timestamp"],
    )


# ---------------------------------------------------------------------------------------------
# Shared helpers


def wilson(k, n):
    """95% Wilson interval, vectorised; NaN where n = 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        d = 1 + Z * Z / n
        c = (p + Z * Z / (2 * n)) / d
        h = Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / d
    return np.maximum(0.0, c - h), np.minimum(1.0, c + h)


def is_numeric(s):
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def finite(s):
    v = s.to_numpy(dtype="float64")
    return v[np.isfinite(v)]


# ---------------------------------------------------------------------------------------------
# Quality


def quality(ref, cur):
    columns = []
    for name in cur.columns:
        s = cur[name]
        col = {"column": name, "dtype": str(s.dtype), "nullCount": int(s.isna().sum()), "distinctCount": int(s.nunique())}
        if is_numeric(s):
            v = s.to_numpy(dtype="float64")
            col["posInfCount"] = int(np.count_nonzero(v == np.inf))
            col["negInfCount"] = int(np.count_nonzero(v == -np.inf))
            f = v[np.isfinite(v)]
            if f.size:
                col.update(
                    min=float(f.min()),
                    max=float(f.max()),
                    mean=float(f.mean()),
                    std=float(f.std(ddof=1)) if f.size > 1 else None,
                    quantiles=dict(zip(QUANTILES, map(float, np.quantile(f, QUANTILES)))),
                )
        elif pd.api.types.is_datetime64_any_dtype(s):
            col.update(min=str(s.min()), max=str(s.max()))
        else:
            present = s.dropna()
            counts = present.value_counts()
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            col.update(
                min=present.min() if len(present) else None,
                max=present.max() if len(present) else None,
                topValues=[{"value": k, "count": int(v)} for k, v in top],
            )
        columns.append(col)
    ref_types, cur_types = ref.dtypes.astype(str).to_dict(), cur.dtypes.astype(str).to_dict()
    schema = {
        "added": [c for c in cur_types if c not in ref_types],
        "removed": [c for c in ref_types if c not in cur_types],
        "typeChanged": [c for c in ref_types if c in cur_types and ref_types[c] != cur_types[c]],
    }
    return {"rows": len(cur), "columns": columns, "schema": schema}, f"{len(columns)} columns"


# ---------------------------------------------------------------------------------------------
# Drift


def psi(r_counts, c_counts, n_r, n_c):
    r = r_counts / n_r
    c = c_counts / n_c
    r = np.where(r == 0, PSI_EPSILON, r)
    c = np.where(c == 0, PSI_EPSILON, c)
    return float(np.sum((r - c) * np.log(r / c)))


def z_test(r_counts, c_counts):
    """Evidently's pooled two-proportion z-test on the share of the second category."""
    n1, n2 = r_counts.sum(), c_counts.sum()
    if len(r_counts) < 2:
        return 0.0, 1.0
    k1, k2 = r_counts[1], c_counts[1]
    p = (k1 + k2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (k1 / n1 - k2 / n2) / se
    return float(z), float(2 * stats.norm.sf(abs(z)))


def chi_square(r_counts, c_counts):
    if len(r_counts) < 2:
        return 0.0, 1.0
    chi2, p, _, _ = stats.chi2_contingency(np.vstack([r_counts, c_counts]))
    return float(chi2), float(p)


def drift_numeric(r_series, c_series):
    r, c = finite(r_series), finite(c_series)
    n_r, n_c = r.size, c.size
    edges = np.unique(np.quantile(r, np.arange(1, 10) / 10))
    r_bins = np.bincount(np.searchsorted(edges, r, side="left"), minlength=edges.size + 1)
    c_bins = np.bincount(np.searchsorted(edges, c, side="left"), minlength=edges.size + 1)
    ks = stats.ks_2samp(r, c)
    w_raw = float(stats.wasserstein_distance(r, c))
    out = {
        "kind": "numeric",
        "nReference": n_r,
        "nCurrent": n_c,
        "droppedReference": len(r_series) - n_r,
        "droppedCurrent": len(c_series) - n_c,
        "edges": edges.tolist(),
        "psi": psi(r_bins, c_bins, n_r, n_c),
        "jensenShannon": float(jensenshannon(r_bins, c_bins, base=2)),
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "wassersteinRaw": w_raw,
        "wasserstein": w_raw / max(float(np.std(r)), 0.001),
        "chiSquare": None,
        "zTest": None,
    }
    values = pd.unique(np.concatenate([r, c]))
    distinct = values.size
    if distinct <= 5:
        values = np.sort(values)
        r_counts = np.array([np.count_nonzero(r == v) for v in values])
        c_counts = np.array([np.count_nonzero(c == v) for v in values])
        out["chiSquare"] = dict(zip(["statistic", "pValue"], chi_square(r_counts, c_counts)))
        if distinct <= 2:
            out["zTest"] = dict(zip(["statistic", "pValue"], z_test(r_counts, c_counts)))
    if n_r > 1000:
        method, stat, drifted = ("jensen-shannon", out["jensenShannon"], None) if distinct <= 5 else ("wasserstein", out["wasserstein"], None)
        drifted = stat >= 0.1
    elif distinct <= 2:
        method, stat, drifted = "z-test", out["zTest"]["pValue"], out["zTest"]["pValue"] < 0.05
    elif distinct <= 5:
        method, stat, drifted = "chi-square", out["chiSquare"]["pValue"], out["chiSquare"]["pValue"] < 0.05
    else:
        method, stat, drifted = "ks", out["ks"]["pValue"], out["ks"]["pValue"] <= 0.05
    out.update(method=method, statistic=stat, drifted=bool(drifted), distinct=int(distinct))
    return out


def drift_categorical(r_series, c_series):
    r_counts_s, c_counts_s = r_series.value_counts(), c_series.value_counts()
    categories = sorted(set(r_counts_s.index) | set(c_counts_s.index))
    r_counts = r_counts_s.reindex(categories, fill_value=0).to_numpy()
    c_counts = c_counts_s.reindex(categories, fill_value=0).to_numpy()
    n_r, n_c = int(r_counts.sum()), int(c_counts.sum())
    out = {
        "kind": "categorical",
        "nReference": n_r,
        "nCurrent": n_c,
        "droppedReference": len(r_series) - n_r,
        "droppedCurrent": len(c_series) - n_c,
        "categories": len(categories),
        "psi": psi(r_counts, c_counts, n_r, n_c),
        "jensenShannon": float(jensenshannon(r_counts, c_counts, base=2)),
        "chiSquare": dict(zip(["statistic", "pValue"], chi_square(r_counts, c_counts))),
        "zTest": dict(zip(["statistic", "pValue"], z_test(r_counts, c_counts))) if len(categories) <= 2 else None,
    }
    if n_r > 1000:
        method, stat, drifted = "jensen-shannon", out["jensenShannon"], out["jensenShannon"] >= 0.1
    elif len(categories) <= 2:
        method, stat, drifted = "z-test", out["zTest"]["pValue"], out["zTest"]["pValue"] < 0.05
    else:
        method, stat, drifted = "chi-square", out["chiSquare"]["pValue"], out["chiSquare"]["pValue"] < 0.05
    out.update(method=method, statistic=stat, drifted=bool(drifted))
    return out


def drift(ref, cur):
    columns = []
    for name in ref.columns:
        if name not in cur.columns or pd.api.types.is_datetime64_any_dtype(cur[name]):
            continue
        result = drift_numeric(ref[name], cur[name]) if is_numeric(cur[name]) else drift_categorical(ref[name], cur[name])
        columns.append({"column": name, **result})
    drifted = [c["column"] for c in columns if c["drifted"]]
    share = len(drifted) / len(columns)
    return {"columns": columns, "shareDrifted": share, "datasetDrift": share >= 0.5}, f"{len(columns)} columns, {len(drifted)} drifted"


# ---------------------------------------------------------------------------------------------
# Performance


def thin(points):
    """Assay's thinning: with m points in descending-score order, every ceil(m / 998)-th and the last."""
    m = len(points)
    step = max(1, math.ceil(m / (MAX_CURVE_POINTS - 2)))
    return [p for i, p in enumerate(points) if i % step == 0 or i == m - 1]


def performance(cur):
    used = cur[[LABEL, SCORE]].dropna()
    y = used[LABEL].to_numpy()
    s = used[SCORE].to_numpy(dtype="float64")
    if not np.all(np.isfinite(s)) or s.min() < 0 or s.max() > 1:
        raise ValueError("scores must be probabilities in [0, 1]")
    if not np.isin(y, [0, 1]).all():
        raise ValueError("label must be 0/1")
    yhat = s >= THRESHOLD
    pos = y == 1
    tp = int(np.count_nonzero(yhat & pos))
    fp = int(np.count_nonzero(yhat & ~pos))
    fn = int(np.count_nonzero(~yhat & pos))
    tn = int(np.count_nonzero(~yhat & ~pos))
    ratio = lambda a, b: None if b == 0 else a / b  # noqa: E731
    precision, recall, specificity = ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tn, tn + fp)
    fpr, tpr, roc_thr = roc_curve(y, s, drop_intermediate=False)
    pr_precision, pr_recall, pr_thr = precision_recall_curve(y, s)
    roc = [{"fpr": float(a), "tpr": float(b), "threshold": None if i == 0 else float(t)} for i, (a, b, t) in enumerate(zip(fpr, tpr, roc_thr))]
    pr = [
        {"precision": float(p), "recall": float(r), "threshold": float(pr_thr[i]) if i < len(pr_thr) else None}
        for i, (p, r) in enumerate(zip(pr_precision, pr_recall))
    ]
    result = {
        "n": int(len(y)),
        "positives": int(pos.sum()),
        "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "accuracy": (tp + tn) / len(y),
        "precision": precision,
        "recall": recall,
        "specificity": specificity,
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "balancedAccuracy": None if recall is None or specificity is None else (recall + specificity) / 2,
        "rocAuc": float(roc_auc_score(y, s)),
        "prAuc": float(average_precision_score(y, s)),
        "logLoss": float(log_loss(y, s)),
        "brier": float(brier_score_loss(y, s)),
        "rocCurve": roc[:1] + thin(roc[1:]),
        "prCurve": thin(pr[:-1][::-1])[::-1] + pr[-1:],
    }
    return result, f"AUC {result['rocAuc']:.4f}"


# ---------------------------------------------------------------------------------------------
# Calibration (and the per-group ECE of fairness)

CALIBRATION_EDGES = np.linspace(0, 1, 11)


def calibration_bins(s):
    return np.searchsorted(CALIBRATION_EDGES[1:-1], s, side="left")


def reliability(table, n):
    """ECE and MCE from a per-bin table with count, meanScore, fractionPositive."""
    gaps = (table["fractionPositive"] - table["meanScore"]).abs()
    return float((table["count"] / n * gaps).sum()), float(gaps.max())


def calibration(cur, group="sex"):
    frame = cur[[LABEL, SCORE, group]].dropna(subset=[LABEL, SCORE]).copy()
    frame["bin"] = calibration_bins(frame[SCORE].to_numpy())
    frame["sq"] = (frame[SCORE] - frame[LABEL]) ** 2
    agg = {"count": (SCORE, "size"), "meanScore": (SCORE, "mean"), "fractionPositive": (LABEL, "mean")}
    overall = frame.groupby("bin").agg(**agg)
    n = len(frame)
    ece, mce = reliability(overall, n)
    result = {"n": n, "ece": ece, "mce": mce, "brier": float(frame["sq"].mean()), "bins": overall.reset_index().to_dict("records"), "groups": []}
    per_group = frame.groupby([group, "bin"], dropna=False).agg(**agg)
    briers = frame.groupby(group, dropna=False)["sq"].mean()
    for name, table in per_group.groupby(level=0, dropna=False):
        count = int(table["count"].sum())
        g_ece, g_mce = reliability(table, count)
        result["groups"].append({"group": name, "count": count, "ece": g_ece, "mce": g_mce, "brier": float(briers[name])})
    return result, f"ECE {ece:.4f}"


# ---------------------------------------------------------------------------------------------
# Fairness

RATES = {
    "selectionRate": (["tp", "fp"], ["count"]),
    "tpr": (["tp"], ["tp", "fn"]),
    "fpr": (["fp"], ["fp", "tn"]),
    "fnr": (["fn"], ["tp", "fn"]),
    "tnr": (["tn"], ["fp", "tn"]),
    "precision": (["tp"], ["tp", "fp"]),
    "accuracy": (["tp", "tn"], ["count"]),
}
DISPARITY_METRICS = ["selectionRate", "predictedPositiveShare", "tpr", "fpr", "fnr", "tnr", "precision"]


def spread(values):
    v = values.dropna()
    if len(v) < 2:
        return None, None
    mx, mn = float(v.max()), float(v.min())
    return mx - mn, None if mx == 0 else mn / mx


def key_text(key):
    return " × ".join(key) if isinstance(key, tuple) else key


def fairness_attribute(frame, attrs):
    counts = frame.groupby(attrs, dropna=False)[["tp", "fp", "tn", "fn", "y"]].sum()
    counts["count"] = counts[["tp", "fp", "tn", "fn"]].sum(axis=1)
    groups = pd.DataFrame(index=counts.index)
    groups["count"] = counts["count"]
    for rate, (num, den) in RATES.items():
        k, n = counts[num].sum(axis=1), counts[den].sum(axis=1)
        groups[rate] = (k / n).where(n > 0)
        groups[f"{rate}CiLower"], groups[f"{rate}CiUpper"] = wilson(k, n)
    groups["predictedPositiveShare"] = (counts["tp"] + counts["fp"]) / (counts["tp"] + counts["fp"]).sum()
    bins = frame.groupby(attrs + ["bin"], dropna=False).agg(count=("s", "size"), meanScore=("s", "mean"), fractionPositive=("y", "mean"))
    gaps = (bins["fractionPositive"] - bins["meanScore"]).abs() * bins["count"]
    groups["ece"] = gaps.groupby(level=list(range(len(attrs)))).sum() / groups["count"]
    groups["small"] = groups["count"] < 30
    dp = spread(groups["selectionRate"])
    eo = spread(groups["tpr"])
    fpr = spread(groups["fpr"])
    reference = groups["count"].sort_index().idxmax()
    disparities = {}
    for metric in DISPARITY_METRICS:
        base = groups.loc[reference, metric]
        disparities[metric] = None if base != base or base == 0 else {key_text(k): v for k, v in (groups[metric] / base).items()}
    return {
        "attribute": " × ".join(attrs),
        "groups": groups.reset_index().to_dict("records"),
        "demographicParityDifference": dp[0],
        "demographicParityRatio": dp[1],
        "equalOpportunityDifference": eo[0],
        "equalOpportunityRatio": eo[1],
        "equalizedOddsDifference": None if eo[0] is None or fpr[0] is None else max(eo[0], fpr[0]),
        "equalizedOddsRatio": None if eo[1] is None or fpr[1] is None else min(eo[1], fpr[1]),
        "fourFifthsPass": dp[1] is not None and dp[1] >= 0.8,
        "referenceGroup": key_text(reference),
        "disparities": disparities,
    }


def fairness(cur, attributes=("sex", "age_band")):
    used = cur[[LABEL, SCORE, *attributes]].dropna(subset=[LABEL, SCORE])
    y = used[LABEL].to_numpy() == 1
    s = used[SCORE].to_numpy(dtype="float64")
    yhat = s >= THRESHOLD
    frame = pd.DataFrame({a: used[a].fillna("(null)").to_numpy() for a in attributes})
    frame["tp"] = yhat & y
    frame["fp"] = yhat & ~y
    frame["tn"] = ~yhat & ~y
    frame["fn"] = ~yhat & y
    frame["y"] = y.astype("float64")
    frame["s"] = s
    frame["bin"] = calibration_bins(s)
    sets = [[a] for a in attributes] + [list(c) for k in range(2, len(attributes) + 1) for c in itertools.combinations(attributes, k)]
    results = [fairness_attribute(frame, attrs) for attrs in sets]
    return {"n": len(frame), "attributes": results}, ", ".join(f"{r['attribute']} DP {r['demographicParityRatio']:.3f}" for r in results)


# ---------------------------------------------------------------------------------------------
# Slices


def slice_codes(s):
    """Integer codes and labels of one candidate column, or None when it is not sliced."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return None, "temporal: skipped"
    if is_numeric(s):
        v = s.to_numpy(dtype="float64")
        nan = np.isnan(v)
        distinct = s.nunique() + (1 if nan.any() else 0)
        if distinct <= 1:
            return None, "constant"
        if distinct <= SLICE_BINS:
            codes, uniques = pd.factorize(s, use_na_sentinel=False)
            return (codes, [str(u) for u in uniques]), "by value"
        f = v[np.isfinite(v)]
        edges = np.unique(np.quantile(f, [k / SLICE_BINS for k in range(1, SLICE_BINS)]))
        codes = np.searchsorted(edges, v, side="right")
        codes[nan] = edges.size + 1
        bounds = [-np.inf, *edges, np.inf]
        labels = [f"[{bounds[i]:.3g}, {bounds[i + 1]:.3g})" for i in range(edges.size + 1)] + ["NaN"]
        return (codes, labels), f"{edges.size + 1} quantile bins"
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    if len(uniques) <= 1:
        return None, "constant"
    if len(uniques) > SLICE_MAX_LEVELS:
        return None, "too many levels"
    return (codes, ["NULL" if u is None or u != u else str(u) for u in uniques]), "by value"


def slices(cur):
    used = cur.dropna(subset=[LABEL, SCORE])
    used = used[~np.isnan(used[SCORE].to_numpy(dtype="float64"))]
    y = used[LABEL].to_numpy()
    yhat = (used[SCORE].to_numpy(dtype="float64") >= THRESHOLD).astype(int)
    err = (yhat != y).astype("int64")
    n = len(err)
    overall = err.sum() / n
    frame = pd.DataFrame({"err": err})
    labels = {}
    for name in cur.columns:
        if name in (LABEL, SCORE, PREDICTION):
            continue
        coded, _ = slice_codes(used[name])
        if coded is not None:
            frame[name], labels[name] = coded
    candidates = list(labels)
    combos = [(c,) for c in candidates] + list(itertools.combinations(candidates, 2))
    parts = []
    for combo in combos:
        g = frame.groupby(list(combo), sort=False)["err"].agg(["size", "sum"])
        keys = g.index.to_frame(index=False).to_numpy()
        parts.append((combo, keys, g["size"].to_numpy(), g["sum"].to_numpy()))
    total = sum(p[2].size for p in parts)
    sizes = np.concatenate([p[2] for p in parts])
    sums = np.concatenate([p[3] for p in parts])
    combo_index = np.concatenate([np.full(p[2].size, i) for i, p in enumerate(parts)])
    row_index = np.concatenate([np.arange(p[2].size) for p in parts])
    ranked = sizes >= SLICE_MIN_SUPPORT
    value = sums / sizes
    lower, upper = wilson(sums, sizes)
    gap = value - overall
    order = np.lexsort((-sizes, -gap))
    order = order[ranked[order]][:SLICE_LIMIT]
    top = []
    for i in order:
        combo, keys = parts[combo_index[i]][0], parts[combo_index[i]][1]
        key = keys[row_index[i]]
        description = " ∧ ".join(f"{c} = {labels[c][int(k)]}" for c, k in zip(combo, key))
        top.append({
            "description": description,
            "n": int(sizes[i]),
            "value": float(value[i]),
            "ci": [float(lower[i]), float(upper[i])],
            "gap": float(gap[i]),
            "significant": bool(overall < lower[i] or overall > upper[i]),
        })
    result = {
        "overall": {"value": float(overall), "n": n},
        "candidates": candidates,
        "groupingSets": len(combos),
        "counts": {"slices": int(total), "belowSupport": int((~ranked).sum()), "undefinedValue": 0},
        "slices": top,
    }
    return result, f"{total} slices; worst: {top[0]['description'] if top else 'none'}"


# ---------------------------------------------------------------------------------------------
# Operational


def operational(cur, column="latency_ms"):
    v = cur[column].dropna().to_numpy(dtype="float64")
    if not np.all(np.isfinite(v)):
        raise ValueError("latency holds NaN or ±Inf")
    p50, p95, p99 = np.percentile(v, [50, 95, 99])
    counts, edges = np.histogram(v, bins=30)
    result = {
        "latency": {"p50": float(p50), "p95": float(p95), "p99": float(p99), "mean": float(v.mean()), "min": float(v.min()), "max": float(v.max()), "n": int(v.size)},
        "histogram": [{"lower": float(edges[i]), "upper": float(edges[i + 1]), "count": int(c)} for i, c in enumerate(counts)],
    }
    return result, f"p99 {p99:.1f}"


# ---------------------------------------------------------------------------------------------

FAMILIES = [
    ("quality", "quality (profile, all 27 columns; schema diff)", lambda r, c: quality(r, c)),
    ("drift", "drift (26 columns, Assay convention)", lambda r, c: drift(r, c)),
    ("performance", "performance (binary, with curves)", lambda r, c: performance(c)),
    ("calibration", "calibration (10 bins, by sex)", lambda r, c: calibration(c)),
    ("fairness", "fairness (sex, age_band, intersection)", lambda r, c: fairness(c)),
    ("slices", "slices (error rate, 1–2 columns)", lambda r, c: slices(c)),
    ("operational", "operational (latency)", lambda r, c: operational(c)),
]


def fmt(ms):
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", default=os.path.join(ROOT, "bench/data"))
    parser.add_argument("--only", default=None, help="comma-separated family names")
    parser.add_argument("--json", default=None, help="default bench/results/pandas-<rows>.json")
    parser.add_argument("--results", default=None, help="also write every family's result (last repeat) here")
    options = parser.parse_args()
    only = options.only.split(",") if options.only else None
    paths = {side: os.path.join(options.data, "csv", f"{side}_{options.rows}.csv") for side in ("reference", "current")}
    for path in paths.values():
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: run node bench/export-csv.mjs --rows {options.rows}")

    print(f"pandas {pd.__version__}, NumPy {np.__version__}, SciPy {scipy.__version__}, scikit-learn {sklearn.__version__}, Python {platform.python_version()}")
    print(f"{options.rows:,} + {options.rows:,} rows, median of {options.repeats}")
    frames, load_ms = {}, {}
    for side, path in paths.items():
        started = time.perf_counter()
        frames[side] = load(path)
        load_ms[side] = (time.perf_counter() - started) * 1000
    after_load = rss_bytes()
    print(f"load CSV → DataFrames: {fmt(sum(load_ms.values()))} ({', '.join(f'{k} {fmt(v)}' for k, v in load_ms.items())}); RSS {after_load / 2**20:.0f} MB")

    timings, results = [], {}
    for key, name, run in FAMILIES:
        if only and key not in only:
            continue
        times, note, status = [], "", "ok"
        try:
            for _ in range(options.repeats):
                started = time.perf_counter()
                result, note = run(frames["reference"], frames["current"])
                times.append((time.perf_counter() - started) * 1000)
            results[key] = result
        except Exception as error:  # noqa: BLE001 — a benchmark reports and goes on
            status, note = "failed", f"{type(error).__name__}: {error}"
        median = statistics.median(times) if status == "ok" else None
        timings.append({"family": name, "key": key, "status": status, "times": times, "median": median, "note": note, "peakRssBytes": peak_rss_bytes()})
        runs = ", ".join(fmt(t) for t in times)
        print(f"{name:<48} {fmt(median) if median is not None else status:>9}  [{runs}] {note}")

    peak = peak_rss_bytes()
    print(f"peak RSS {peak / 2**20:.0f} MB (after load {after_load / 2**20:.0f} MB)")
    out = {
        "options": {"rows": options.rows, "repeats": options.repeats},
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": {"python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "input": "CSV copies of the Parquet files (bench/export-csv.mjs, native DuckDB); pandas has no Parquet reader here",
        "loadMs": load_ms,
        "timings": timings,
        "memory": {"afterLoadRssBytes": after_load, "peakRssBytes": peak},
        "differences": DIFFERENCES,
    }
    path = options.json or os.path.join(ROOT, "bench/results", f"pandas-{options.rows}.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {path}")
    if options.results:
        with open(options.results, "w") as f:
            json.dump(results, f, indent=1, default=lambda o: o.item() if hasattr(o, "item") else str(o))
            f.write("\n")


if __name__ == "__main__":
    main()
