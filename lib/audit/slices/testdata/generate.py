"""Golden fixtures for lib/audit/slices: a pandas groupby brute force over every 1- and
2-column slice, independent of the SQL implementation.

Run with Debian's Python: /usr/bin/python3 lib/audit/slices/testdata/generate.py
Deterministic (fixed seed). Writes data.json (the table) and expected.json (per case:
overall value, slice counts and EVERY rankable slice with n, value, interval, gap).
Condition keys: "bin:<i>" for numeric bins (-1 = NaN), "v:<text>" for values, null for NULL.
"""
import itertools
import json
import math
import os

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
Z = 1.959963984540054
EPS = float(np.finfo(np.float64).eps)
MAX_LEVELS = 50


def enc(v):
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    return v


def build():
    n = 2500
    region = rng.choice(["EU", "US", "APAC", "o'hare", "LATAM"], n, p=[0.3, 0.3, 0.2, 0.1, 0.1])
    age = np.round(rng.uniform(18, 80, n), 1)
    tier = rng.integers(1, 4, n)
    device = rng.choice(["ios", "android", "web", "tv set"], n, p=[0.35, 0.35, 0.2, 0.1])
    flag = rng.random(n) < 0.4
    ids = np.array([f"id{v}" for v in rng.integers(0, 80, n)])
    income = np.round(rng.lognormal(3, 0.8, n), 2)
    label = (rng.random(n) < 0.35 + 0.1 * (tier == 3)).astype(int)
    logit = -0.7 + 2.2 * label + rng.normal(0, 1.1, n)
    bad = (region == "EU") & (age > 60)
    logit = np.where(bad, -0.7 + rng.normal(0, 1.6, n), logit)
    score = np.round(1 / (1 + np.exp(-logit)), 4)
    pred = (rng.random(n) < np.where(label == 1, 0.7, 0.2)).astype(int)
    cols = {
        "région": ("VARCHAR", [str(v) for v in region]),
        "age yrs": ("DOUBLE", [float(v) for v in age]),
        "tier": ("INTEGER", [int(v) for v in tier]),
        'dev"ice': ("VARCHAR", [str(v) for v in device]),
        "flag": ("BOOLEAN", [bool(v) for v in flag]),
        "ids": ("VARCHAR", [str(v) for v in ids]),
        "const": ("VARCHAR", ["same"] * n),
        "income": ("DOUBLE", [float(v) for v in income]),
        "label": ("INTEGER", [int(v) for v in label]),
        "score": ("DOUBLE", [float(v) for v in score]),
        "pred": ("INTEGER", [int(v) for v in pred]),
    }
    # Nulls, NaN and missing roles.
    for i in rng.choice(n, 60, replace=False):
        cols["age yrs"][1][i] = None
    for i in rng.choice(n, 6, replace=False):
        cols["age yrs"][1][i] = float("nan")
    for i in rng.choice(n, 120, replace=False):
        cols['dev"ice'][1][i] = None
    for i in rng.choice(n, 20, replace=False):
        cols["label"][1][i] = None
    for i in rng.choice(n, 15, replace=False):
        cols["score"][1][i] = None
    return n, cols


def text(v, typ):
    if v is None:
        return None
    if typ == "BOOLEAN":
        return "true" if v else "false"
    return str(v)


def is_nan(v):
    return isinstance(v, float) and math.isnan(v)


def wilson(k, m):
    p = k / m
    d = 1 + Z * Z / m
    c = (p + Z * Z / (2 * m)) / d
    h = Z * math.sqrt(p * (1 - p) / m + Z * Z / (4 * m * m)) / d
    return [max(0.0, c - h), min(1.0, c + h)]


def case(cols, spec):
    label, score, pred = spec["label"], spec.get("score"), spec.get("prediction")
    metric = spec.get("metric", "error_rate")
    bins = spec.get("numericBins", 4)
    max_order = spec.get("maxOrder", 2)
    threshold = spec.get("threshold", 0.5)
    roles = {label, score, pred}
    names = spec.get("columns") or [c for c in cols if c not in roles]
    n_all = len(cols[label][1])
    keep = [
        i
        for i in range(n_all)
        if cols[label][1][i] is not None
        and (score is None or (cols[score][1][i] is not None and not is_nan(cols[score][1][i])))
        and (pred is None or cols[pred][1][i] is not None)
    ]
    n = len(keep)
    y = np.array([cols[label][1][i] for i in keep], dtype=float)
    s = np.array([cols[score][1][i] for i in keep], dtype=float) if score else np.full(n, np.nan)
    yhat = np.array([cols[pred][1][i] for i in keep], dtype=float) if pred else (s >= threshold).astype(float)
    support = spec.get("minSupport", 30)
    support = math.ceil(support * n) if support < 1 else support

    keys = {}
    for name in names:
        typ, values = cols[name]
        vals = [values[i] for i in keep]
        nulls = sum(v is None for v in vals)
        present = [v for v in vals if v is not None]
        numeric = typ in ("DOUBLE", "INTEGER")
        distinct = pd.Series([v for v in present if not is_nan(v)], dtype="object").nunique() + (1 if any(is_nan(v) for v in present) else 0)
        if distinct + (1 if nulls else 0) <= 1:
            continue
        if numeric and distinct > bins:
            finite = np.array([v for v in present if math.isfinite(v)], dtype=float)
            edges = np.unique(np.quantile(finite, [k / bins for k in range(1, bins)], method="linear"))
            keys[name] = [None if v is None else ("bin:-1" if is_nan(v) else f"bin:{int(np.searchsorted(edges, v, side='right'))}") for v in vals]
        elif not numeric and distinct > MAX_LEVELS:
            continue
        else:
            keys[name] = [None if v is None else "v:" + text(v, typ) for v in vals]

    def value_of(idx):
        yy, pp, ss = y[idx], yhat[idx], s[idx]
        m = len(idx)
        if metric in ("mean_score", "log_loss"):
            if metric == "mean_score":
                per = ss
                val = float(np.mean(ss))
            else:
                p = np.clip(ss, EPS, 1 - EPS)
                per = -(yy * np.log(p) + (1 - yy) * np.log(1 - p))
                val = float(log_loss(yy, ss, labels=[0, 1]))
            var = float(pd.Series(per).var(ddof=1)) if m > 1 else None
            ci = None if var is None else [val - Z * math.sqrt(var / m), val + Z * math.sqrt(var / m)]
            return val, ci
        num, den = {
            "accuracy": ((yy == pp).sum(), m),
            "error_rate": ((yy != pp).sum(), m),
            "recall": ((yy * pp).sum(), yy.sum()),
            "precision": ((yy * pp).sum(), pp.sum()),
            "fpr": (((1 - yy) * pp).sum(), (1 - yy).sum()),
            "selection_rate": (pp.sum(), m),
        }[metric]
        if den == 0:
            return None, None
        return float(num / den), wilson(float(num), float(den))

    overall, _ = value_of(np.arange(n))
    direction = {"accuracy": "lower", "recall": "lower", "precision": "lower", "error_rate": "higher", "fpr": "higher", "log_loss": "higher"}.get(metric, "either")
    cand = list(keys)
    combos = [(c,) for c in cand] + (list(itertools.combinations(cand, 2)) if max_order == 2 else [])
    slices, total, below, undefined = [], 0, 0, 0
    for combo in combos:
        frame = pd.DataFrame({c: pd.Series(keys[c], dtype="object").fillna("\0NULL") for c in combo})
        for key, idx in frame.groupby(list(combo), sort=True).indices.items():
            key = key if isinstance(key, tuple) else (key,)
            total += 1
            if len(idx) < support:
                below += 1
                continue
            val, ci = value_of(idx)
            if val is None:
                undefined += 1
                continue
            gap = overall - val if direction == "lower" else val - overall if direction == "higher" else abs(val - overall)
            slices.append({
                "conditions": [[c, None if k == "\0NULL" else k] for c, k in zip(combo, key)],
                "n": int(len(idx)),
                "value": val,
                "ci": ci,
                "gap": gap,
                "significant": ci is not None and (overall < ci[0] or overall > ci[1]),
            })
    return {
        "spec": spec,
        "overall": {"value": overall, "n": n},
        "counts": {"slices": total, "belowSupport": below, "undefinedValue": undefined},
        "candidates": cand,
        "slices": slices,
    }


n, cols = build()
CASES = [
    {"label": "label", "score": "score"},
    {"label": "label", "prediction": "pred", "metric": "recall", "minSupport": 0.02,
     "columns": ["région", "age yrs", "tier", 'dev"ice', "flag", "ids", "const", "income"]},
    {"label": "label", "score": "score", "metric": "precision", "threshold": 0.3, "columns": ["région", "age yrs", "tier", 'dev"ice']},
    {"label": "label", "score": "score", "metric": "fpr", "maxOrder": 1},
    {"label": "label", "score": "score", "prediction": "pred", "metric": "accuracy", "numericBins": 5, "columns": ["région", "age yrs", "income", "flag"]},
    {"label": "label", "score": "score", "metric": "selection_rate", "columns": ["région", "age yrs", "tier"]},
    {"label": "label", "score": "score", "metric": "mean_score", "columns": ["région", "income", 'dev"ice']},
    {"label": "label", "score": "score", "metric": "log_loss", "columns": ["région", "age yrs", "tier", "flag"]},
]
with open(os.path.join(HERE, "data.json"), "w", encoding="utf-8") as f:
    json.dump({"rows": n, "columns": {k: {"type": t, "values": [enc(v) for v in vs]} for k, (t, vs) in cols.items()}}, f, ensure_ascii=False, separators=(",", ":"))
with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
    json.dump([case(cols, c) for c in CASES], f, ensure_ascii=False, separators=(",", ":"))
