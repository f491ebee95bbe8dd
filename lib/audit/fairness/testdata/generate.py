"""Golden values for lib/audit/fairness, computed with numpy/pandas straight from the
definitions in Fairlearn (`fairlearn/metrics/_fairness_metrics.py`, `_base_metrics.py`)
and Aequitas (`src/aequitas/group.py`, `bias.py`) — neither library is installed — and a
Wilson interval written here in its closed form (2np + z² ± z·sqrt(z² + 4np(1 − p))) /
(2(n + z²)). Per-group ECE from scikit-learn 1.2 `calibration_curve` (10 uniform bins).

Run with Debian's Python: /usr/bin/python3 lib/audit/fairness/testdata/generate.py
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.calibration import calibration_curve

HERE = os.path.dirname(os.path.abspath(__file__))
Z = norm.ppf(0.975)
SEP = " × "


def wilson(k, n):
    if n == 0:
        return None
    p = k / n
    root = Z * math.sqrt(Z * Z + 4 * n * p * (1 - p))
    lo = (2 * n * p + Z * Z - root) / (2 * (n + Z * Z))
    hi = (2 * n * p + Z * Z + root) / (2 * (n + Z * Z))
    return {"lower": max(0.0, lo), "upper": min(1.0, hi)}


def ece_uniform(y, p):
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    ids = np.searchsorted(np.linspace(0, 1, 11)[1:-1], p)
    counts = np.bincount(ids, minlength=11)
    counts = counts[counts > 0]
    return float(np.sum(counts / len(p) * np.abs(prob_true - prob_pred)))


def ratio(a, b, convention):
    if b == 0:
        return 0.0 if convention == "fairlearn" else None
    return a / b


def spread(values):
    vals = [v for v in values if v is not None]
    if len(vals) < 2:
        return None, None
    mx, mn = max(vals), min(vals)
    return mx - mn, (None if mx == 0 else mn / mx)


def attribute(df, cols, convention, min_size, has_score):
    key = df[cols].astype(object).where(df[cols].notna(), "(null)").astype(str).agg(SEP.join, axis=1)
    groups = []
    for name in sorted(key.unique()):
        d = df[key == name]
        y, yhat = d["y"].to_numpy(), d["yhat"].to_numpy()
        tp = int(((y == 1) & (yhat == 1)).sum())
        fp = int(((y == 0) & (yhat == 1)).sum())
        tn = int(((y == 0) & (yhat == 0)).sum())
        fn = int(((y == 1) & (yhat == 0)).sum())
        n, pos, neg, pp = len(d), tp + fn, fp + tn, tp + fp
        g = {"group": name, "count": n, "positives": pos, "negatives": neg, "predictedPositives": pp}
        for rate, (k, den) in {
            "selectionRate": (pp, n),
            "tpr": (tp, pos),
            "fpr": (fp, neg),
            "fnr": (fn, pos),
            "tnr": (tn, neg),
            "precision": (tp, pp),
            "accuracy": (tp + tn, n),
        }.items():
            g[rate] = ratio(k, den, convention)
            g[rate + "Ci"] = wilson(k, den)
        g["ece"] = ece_uniform(y, d["s"].to_numpy()) if has_score else None
        g["small"] = n < min_size
        groups.append(g)
    dp = spread([g["selectionRate"] for g in groups])
    tpr = spread([g["tpr"] for g in groups])
    fpr = spread([g["fpr"] for g in groups])
    both = lambda a, b, f: None if a is None or b is None else f(a, b)
    ref = max(groups, key=lambda g: g["count"])  # first of the largest, in sorted order
    total_pp = sum(g["predictedPositives"] for g in groups)
    disp = []
    for metric in ["selectionRate", "predictedPositiveShare", "tpr", "fpr", "fnr", "tnr", "precision"]:
        def value(g):
            if metric == "predictedPositiveShare":
                return None if total_pp == 0 else g["predictedPositives"] / total_pp
            return g[metric]
        r = value(ref)
        for g in groups:
            if g is ref:
                continue
            v = value(g)
            if v is None or r is None:
                out = None
            elif r != 0:
                out = v / r
            elif convention == "aequitas" and v > 0:
                out = 10.0
            else:
                out = None
            disp.append({"group": g["group"], "metric": metric, "ratio": out, "fourFifthsPass": None if out is None else 0.8 <= out <= 1.25})
    return {
        "attribute": SEP.join(cols),
        "groups": groups,
        "demographicParityDifference": dp[0],
        "demographicParityRatio": dp[1],
        "equalizedOddsDifference": both(tpr[0], fpr[0], max),
        "equalizedOddsRatio": both(tpr[1], fpr[1], min),
        "equalOpportunityDifference": tpr[0],
        "equalOpportunityRatio": tpr[1],
        "referenceGroup": ref["group"],
        "disparities": disp,
    }


def expected(df, attrs, intersections, convention, min_size, has_score):
    sets = [[a] for a in attrs]
    if intersections:
        sets.append(list(attrs))
    return [attribute(df, s, convention, min_size, has_score) for s in sets]


def main():
    rng = np.random.default_rng(777)
    n = 2500
    sex = rng.choice(np.array(["F", "M"], dtype=object), n, p=[0.45, 0.55])
    sex[rng.choice(n, 60, replace=False)] = None
    race = rng.choice(np.array(["Asian", "Black", "White", "Pacific Islander", "Other"], dtype=object), n, p=[0.2, 0.25, 0.5, 0.02, 0.03])
    base = 0.3 + 0.15 * (sex == "M") + 0.1 * (race == "White")
    y = (rng.random(n) < base).astype(int)
    y[race == "Pacific Islander"] = 0  # a group with no positives
    s = np.round(np.clip(base + 0.3 * (y - base) + rng.normal(0, 0.2, n), 0, 1), 2)
    df = pd.DataFrame({"y": y, "s": s, "sex": sex, "race": race})
    df["yhat"] = (df["s"] >= 0.45).astype(int)
    columns = {
        "outcome": {"type": "BOOLEAN", "values": [bool(v) for v in y]},
        "score 'p'": {"type": "DOUBLE", "values": [float(v) for v in s]},
        "sex": {"type": "VARCHAR", "values": [None if v is None else str(v) for v in sex]},
        'race "ethnicity"': {"type": "VARCHAR", "values": [str(v) for v in race]},
    }
    fixtures = []
    df_named = df.rename(columns={"race": 'race "ethnicity"'})
    for convention in ["assay", "fairlearn", "aequitas"]:
        fixtures.append({
            "name": f"score threshold 0.45, intersections, {convention}",
            "table": "main",
            "spec": {"label": "outcome", "score": "score 'p'", "threshold": 0.45, "attributes": ["sex", 'race "ethnicity"'], "intersections": True, "convention": convention},
            "expected": expected(df_named, ["sex", 'race "ethnicity"'], True, convention, 30, True),
        })
    # Prediction column, integer label, integer attribute, minGroupSize 100.
    m = 800
    grp = rng.integers(1, 4, m)
    y2 = (rng.random(m) < 0.2 + 0.1 * grp).astype(int)
    pred = (rng.random(m) < np.where(y2 == 1, 0.6 + 0.05 * grp, 0.15)).astype(int)
    df2 = pd.DataFrame({"y": y2, "yhat": pred, "age band": grp})
    fixtures.append({
        "name": "prediction column, integer attribute, minGroupSize 300",
        "table": "ages",
        "spec": {"label": "y", "prediction": "pred", "attributes": ["age band"], "minGroupSize": 300},
        "expected": expected(df2, ["age band"], False, "assay", 300, False),
    })
    with open(os.path.join(HERE, "fairness.json"), "w", encoding="utf-8") as f:
        tables = {
            "main": columns,
            "ages": {"y": {"type": "INTEGER", "values": [int(v) for v in y2]}, "pred": {"type": "INTEGER", "values": [int(v) for v in pred]}, "age band": {"type": "INTEGER", "values": [int(v) for v in grp]}},
        }
        json.dump({"tables": tables, "fixtures": fixtures}, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
