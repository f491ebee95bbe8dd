"""Golden values for lib/audit/performance, computed with scikit-learn 1.2.

Run with Debian's Python: /usr/bin/python3 lib/audit/performance/testdata/generate.py
Writes binary.json, regression.json and multiclass.json beside this script. Deterministic.
"""
import json
import os

import numpy as np
from sklearn import metrics as skm

HERE = os.path.dirname(os.path.abspath(__file__))
EPS = np.finfo(np.float64).eps


def clean(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean(x) for x in v]
    if v is None:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if np.isnan(v) else float(v)
    return v


def ratio(a, b):
    return None if b == 0 else a / b


def binary_expected(y, s, pred=None, threshold=0.5):
    """y, s, pred: arrays of rows kept (no nulls)."""
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float) if s is not None else None
    yhat = np.asarray(pred, dtype=int) if pred is not None else (s >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    p, r, f, _ = skm.precision_recall_fscore_support(y, yhat, average="binary", zero_division=0)
    out = {
        "confusion": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "n": len(y),
        "positives": int(y.sum()),
        "accuracy": skm.accuracy_score(y, yhat),
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "specificity": ratio(tn, tn + fp),
        "sklearn": {"precision": p, "recall": r, "f1": f},
    }
    out["balancedAccuracy"] = (
        None if out["recall"] is None or out["specificity"] is None else skm.balanced_accuracy_score(y, yhat)
    )
    if s is not None:
        out["rocAuc"] = skm.roc_auc_score(y, s)
        out["prAuc"] = skm.average_precision_score(y, s)
        out["logLoss"] = skm.log_loss(y, s)  # eps="auto" = float64 eps in sklearn 1.2
        out["logLoss1e15"] = skm.log_loss(y, s, eps=1e-15)
        out["brier"] = skm.brier_score_loss(y, s)
        fpr, tpr, thr = skm.roc_curve(y, s, drop_intermediate=False)
        out["rocCurve"] = {"fpr": fpr, "tpr": tpr, "threshold": [None] + list(thr[1:])}
        prec, rec, thr2 = skm.precision_recall_curve(y, s)
        out["prCurve"] = {"precision": prec, "recall": rec, "threshold": list(thr2) + [None]}
        out["distinctScores"] = len(np.unique(s))
    return out


def keep_rows(*cols):
    mask = np.ones(len(cols[0]), dtype=bool)
    for c in cols:
        mask &= np.array([v is not None for v in c])
    return mask


def binary_fixtures():
    rng = np.random.default_rng(20240601)
    fixtures = []

    # 1. The worked example from docs/metrics.md.
    y = [0, 0, 1, 1, 0, 1]
    s = [0.1, 0.5, 0.5, 0.8, 0.3, 0.5]
    fixtures.append(
        {
            "name": "worked example",
            "columns": {"y": {"type": "INTEGER", "values": y}, "s": {"type": "DOUBLE", "values": s}},
            "spec": {"label": "y", "score": "s"},
            "expected": binary_expected(y, s),
        }
    )

    # 2. Heavy ties (two decimals), integer label, nulls, awkward names.
    n = 2000
    yy = rng.binomial(1, 0.35, n)
    raw = np.clip(0.35 + 0.25 * (yy - 0.35) + rng.normal(0, 0.2, n), 0, 1)
    ss = np.round(raw, 2)
    ylist = [int(v) for v in yy]
    slist = [float(v) for v in ss]
    for i in rng.choice(n, 25, replace=False):
        ylist[i] = None
    for i in rng.choice(n, 30, replace=False):
        slist[i] = None
    m = keep_rows(ylist, slist)
    fixtures.append(
        {
            "name": "heavy ties, nulls, awkward names",
            "columns": {
                "Label ✓": {"type": "INTEGER", "values": ylist},
                'sc"ore x': {"type": "DOUBLE", "values": slist},
            },
            "spec": {"label": "Label ✓", "score": 'sc"ore x', "threshold": 0.4},
            "expected": binary_expected(
                np.array(ylist, dtype=object)[m].astype(int), np.array(slist, dtype=object)[m].astype(float), threshold=0.4
            ),
            "dropped": {"label": 25, "score": int(np.sum([(a is not None and b is None) for a, b in zip(ylist, slist)]))},
        }
    )

    # 3. Boolean label, one-decimal scores (11 distinct values) and a prediction column.
    n = 600
    yb = rng.binomial(1, 0.5, n).astype(bool)
    sb = np.round(np.clip(0.5 + 0.3 * (yb - 0.5) + rng.normal(0, 0.25, n), 0, 1), 1)
    pb = (rng.random(n) < np.where(yb, 0.7, 0.2)).astype(int)
    fixtures.append(
        {
            "name": "boolean label with prediction column",
            "columns": {
                "is fraud": {"type": "BOOLEAN", "values": [bool(v) for v in yb]},
                "p(fraud)": {"type": "DOUBLE", "values": [float(v) for v in sb]},
                "flagged": {"type": "INTEGER", "values": [int(v) for v in pb]},
            },
            "spec": {"label": "is fraud", "score": "p(fraud)", "prediction": "flagged"},
            "expected": binary_expected(yb.astype(int), sb, pred=pb),
        }
    )

    # 4. Many distinct scores (curves are thinned; AUC/AP still over all points), scores at 0 and 1.
    n = 3000
    yc = rng.binomial(1, 0.2, n)
    sc = 1 / (1 + np.exp(-(rng.normal(0, 1.5, n) + 1.2 * yc)))
    sc[:5] = 0.0
    sc[5:10] = 1.0
    fixtures.append(
        {
            "name": "many distinct scores, extremes 0 and 1",
            "columns": {"label": {"type": "DOUBLE", "values": [float(v) for v in yc]}, "score": {"type": "DOUBLE", "values": [float(v) for v in sc]}},
            "spec": {"label": "label", "score": "score"},
            "expected": {k: v for k, v in binary_expected(yc, sc).items() if k not in ("rocCurve", "prCurve")},
        }
    )

    # 5. Prediction only, no predicted positives: precision undefined.
    y5 = [0, 1, 0, 1, 0]
    p5 = [0, 0, 0, 0, 0]
    fixtures.append(
        {
            "name": "no predicted positives",
            "columns": {"y": {"type": "INTEGER", "values": y5}, "pred": {"type": "INTEGER", "values": p5}},
            "spec": {"label": "y", "prediction": "pred"},
            "expected": binary_expected(y5, None, pred=p5),
        }
    )
    return fixtures


def regression_fixtures():
    rng = np.random.default_rng(7)
    n = 1500
    y = rng.normal(10, 5, n)
    y[:20] = 0.0  # MAPE epsilon
    yhat = y + rng.normal(0, 2, n)
    ylist = [float(v) for v in y]
    plist = [float(v) for v in yhat]
    for i in rng.choice(n, 15, replace=False):
        plist[i] = None
    m = keep_rows(ylist, plist)
    yt = np.array(ylist, dtype=object)[m].astype(float)
    yp = np.array(plist, dtype=object)[m].astype(float)
    return [
        {
            "name": "regression with zeros and nulls",
            "columns": {"y true": {"type": "DOUBLE", "values": ylist}, "ŷ": {"type": "DOUBLE", "values": plist}},
            "spec": {"target": "y true", "prediction": "ŷ"},
            "expected": {
                "mae": skm.mean_absolute_error(yt, yp),
                "rmse": float(np.sqrt(skm.mean_squared_error(yt, yp))),
                "r2": skm.r2_score(yt, yp),
                "mape": skm.mean_absolute_percentage_error(yt, yp),
                "n": int(m.sum()),
            },
        }
    ]


def multiclass_expected(y, p):
    labels = sorted(set(y) | set(p))
    cm = skm.confusion_matrix(y, p, labels=labels)
    pr, rc, f1, sup = skm.precision_recall_fscore_support(y, p, labels=labels, zero_division=0)
    return {
        "classes": [str(c) for c in labels],
        "accuracy": skm.accuracy_score(y, p),
        "macroF1": skm.f1_score(y, p, average="macro", zero_division=0),
        "weightedF1": skm.f1_score(y, p, average="weighted", zero_division=0),
        "confusion": cm,
        "perClass": [
            {"class": str(c), "precision": a, "recall": b, "f1": d, "support": e}
            for c, a, b, d, e in zip(labels, pr, rc, f1, sup)
        ],
    }


def multiclass_fixtures():
    rng = np.random.default_rng(11)
    n = 900
    classes = np.array(["bird", "cat", "dog"])
    y = classes[rng.integers(0, 3, n)]
    p = np.where(rng.random(n) < 0.7, y, classes[rng.integers(0, 3, n)]).astype(object)
    p[:4] = "fish"  # predicted but never a true label: recall undefined
    yi = rng.integers(0, 4, 500)
    pi = np.where(rng.random(500) < 0.6, yi, rng.integers(0, 4, 500))
    return [
        {
            "name": "string classes with a predicted-only class",
            "columns": {
                "true class": {"type": "VARCHAR", "values": list(y)},
                "predicted 'class'": {"type": "VARCHAR", "values": list(p)},
            },
            "spec": {"label": "true class", "prediction": "predicted 'class'"},
            "expected": multiclass_expected(list(y), list(p)),
        },
        {
            "name": "integer classes",
            "columns": {"y": {"type": "INTEGER", "values": [int(v) for v in yi]}, "p": {"type": "INTEGER", "values": [int(v) for v in pi]}},
            "spec": {"label": "y", "prediction": "p"},
            "expected": multiclass_expected([int(v) for v in yi], [int(v) for v in pi]),
        },
    ]


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(clean_tree(data), f, ensure_ascii=False, separators=(",", ":"))


def clean_tree(v):
    if isinstance(v, dict):
        return {k: clean_tree(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [clean_tree(x) for x in v]
    return clean(v)


if __name__ == "__main__":
    write("binary.json", binary_fixtures())
    write("regression.json", regression_fixtures())
    write("multiclass.json", multiclass_fixtures())
