"""Golden fixtures for lib/audit/canary, computed with scikit-learn, SciPy and pandas.

Run with Debian's Python: /usr/bin/python3 lib/audit/canary/testdata/generate.py
Deterministic (fixed seed). Writes canary.json: a baseline and a candidate table (and the
same rows stacked in one table with a version column), cases, and expected values.
PSI follows Assay's default (docs/metrics.md): inner edges at the baseline deciles (numpy
linear), duplicates removed, right-closed bins with open outer bins, empty shares → 1e-4.
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(99)


def side(ids, labels, shift, noise, null_scores):
    logit = -0.4 + shift + 2.0 * labels + rng.normal(0, noise, len(ids))
    score = [round(float(v), 4) for v in 1 / (1 + np.exp(-logit))]
    for i in rng.choice(len(ids), null_scores, replace=False):
        score[i] = None
    pred = [int(v) for v in (rng.random(len(ids)) < np.where(labels == 1, 0.75, 0.25))]
    lab = [int(v) for v in labels]
    for i in rng.choice(len(ids), 10, replace=False):
        lab[i] = None
    return {"id": [int(v) for v in ids], "label": lab, "score": score, "pred": pred}


truth = (rng.random(1800) < 0.4).astype(int)
ids_b = np.arange(1, 1501)
ids_c = np.arange(301, 1801)
baseline = side(ids_b, truth[ids_b - 1], 0.0, 1.3, 8)
candidate = side(ids_c, truth[ids_c - 1], 0.3, 1.0, 5)


def yhat(t, threshold, use_pred):
    if use_pred:
        return [p for p in t["pred"]]
    return [None if s is None else int(s >= threshold) for s in t["score"]]


def metrics(t, threshold, use_pred, with_label):
    yh = yhat(t, threshold, use_pred)
    scores = [s for s in t["score"] if s is not None]
    out = {
        "positiveRate": float(np.mean([v for v in yh if v is not None])),
        "meanScore": float(np.mean(scores)),
        "accuracy": None, "precision": None, "recall": None, "f1": None, "auc": None,
    }
    if with_label:
        rows = [i for i in range(len(t["id"])) if t["label"][i] is not None and t["score"][i] is not None]
        y = np.array([t["label"][i] for i in rows])
        p = np.array([yh[i] for i in rows])
        s = np.array([t["score"][i] for i in rows])
        out.update(
            accuracy=float(accuracy_score(y, p)),
            precision=float(precision_score(y, p)),
            recall=float(recall_score(y, p)),
            f1=float(f1_score(y, p)),
            auc=float(roc_auc_score(y, s)),
        )
    return out


def psi(ref, cur):
    edges = np.unique(np.quantile(ref, np.arange(1, 10) / 10, method="linear"))
    bins = np.concatenate([[-np.inf], edges, [np.inf]])
    r = pd.Series(pd.cut(ref, bins, right=True)).value_counts(sort=False).to_numpy() / len(ref)
    c = pd.Series(pd.cut(cur, bins, right=True)).value_counts(sort=False).to_numpy() / len(cur)
    r = np.where(r == 0, 1e-4, r)
    c = np.where(c == 0, 1e-4, c)
    return float(np.sum((r - c) * np.log(r / c)))


def expected(case):
    threshold = case.get("threshold", 0.5)
    use_pred = "prediction" in case
    with_label = "label" in case
    mb = metrics(baseline, threshold, use_pred, with_label)
    mc = metrics(candidate, threshold, use_pred, with_label)
    sb = np.array([s for s in baseline["score"] if s is not None])
    sc = np.array([s for s in candidate["score"] if s is not None])
    out = {
        "baseline": {"n": len(baseline["id"]), "metrics": mb},
        "candidate": {"n": len(candidate["id"]), "metrics": mc},
        "scoreShift": {"ks": float(ks_2samp(sb, sc).statistic), "psi": psi(sb, sc), "meanDelta": float(sc.mean() - sb.mean())},
        "disagreementRate": None,
    }
    if "idColumn" in case:
        fb = pd.DataFrame({"id": baseline["id"], "p": yhat(baseline, threshold, use_pred)})
        fc = pd.DataFrame({"id": candidate["id"], "p": yhat(candidate, threshold, use_pred)})
        m = fb.merge(fc, on="id").dropna()
        out["disagreementRate"] = float((m["p_x"] != m["p_y"]).mean())
        out["disagreementPairs"] = int(len(m))
    return out


CASES = [
    {"name": "two tables, labels, ids", "spec": {"baselineSource": "prod ✓", "candidateSource": "canary q'", "label": "label", "score": "score", "idColumn": "id"}},
    {"name": "one table split by version", "spec": {"source": "both", "versionColumn": "model version", "baseline": "v1", "candidate": "v2", "label": "label", "score": "score", "idColumn": "id"}},
    {"name": "no label, no ids, threshold 0.3", "spec": {"baselineSource": "prod ✓", "candidateSource": "canary q'", "score": "score", "threshold": 0.3}},
    {"name": "prediction column", "spec": {"baselineSource": "prod ✓", "candidateSource": "canary q'", "label": "label", "score": "score", "prediction": "pred", "idColumn": "id"}},
]


def to_columns(t):
    return {
        "id": {"type": "INTEGER", "values": t["id"]},
        "label": {"type": "INTEGER", "values": t["label"]},
        "score": {"type": "DOUBLE", "values": t["score"]},
        "pred": {"type": "INTEGER", "values": t["pred"]},
    }


data = {
    "baseline": to_columns(baseline),
    "candidate": to_columns(candidate),
    "cases": [{**c, "expected": expected(c["spec"])} for c in CASES],
}
with open(os.path.join(HERE, "canary.json"), "w", encoding="utf-8") as f:
    json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
_ = math
