"""Golden values for the `assay audit` CLI test, from scikit-learn / SciPy / numpy.

Run with Debian's Python: /usr/bin/python3 cli/testdata/generate.py
Writes cli/testdata/audit.json: a reference and a current table (awkward column names) and
the values the CLI must report for the current table with --threshold 0.4 --group "grüppe".
Deterministic (fixed seed).
"""
import json
import os

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics
from sklearn.calibration import calibration_curve

LABEL, SCORE, GROUP, X, CAT = "y true", 'p "score"', "grüppe", "x1", "cat"
THRESHOLD = 0.4
N = 1200
rng = np.random.default_rng(20260427)


def table(shift):
    group = rng.choice(["a", "b", "c"], size=N, p=[0.5, 0.3, 0.2])
    x = np.round(rng.normal(shift, 1.0, N), 4)
    cat = rng.choice(["u", "v", "w", "z"], size=N, p=[0.4, 0.3, 0.2, 0.1] if shift == 0 else [0.3, 0.3, 0.2, 0.2])
    logit = 0.9 * x - 0.3 + np.where(group == "b", -0.6, 0.0) + rng.normal(0, 0.8, N)
    p_true = 1 / (1 + np.exp(-(0.9 * x - 0.3)))
    y = (rng.random(N) < p_true).astype(int)
    score = np.round(1 / (1 + np.exp(-logit)), 6)
    latency = np.round(np.exp(rng.normal(3.5, 0.4, N)), 1)
    err = (rng.random(N) < 0.01).astype(int)
    return pd.DataFrame({LABEL: y, SCORE: score, GROUP: group, X: x, CAT: cat, "latency_ms": latency, "is_error": err})


ref = table(0.0)
cur = table(0.3)

y = cur[LABEL].to_numpy()
s = cur[SCORE].to_numpy()
yhat = (s >= THRESHOLD).astype(int)
tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
performance = {
    "accuracy": metrics.accuracy_score(y, yhat),
    "precision": metrics.precision_score(y, yhat),
    "recall": metrics.recall_score(y, yhat),
    "f1": metrics.f1_score(y, yhat),
    "specificity": metrics.recall_score(y, yhat, pos_label=0),
    "balancedAccuracy": metrics.balanced_accuracy_score(y, yhat),
    "rocAuc": metrics.roc_auc_score(y, s),
    "prAuc": metrics.average_precision_score(y, s),
    "logLoss": metrics.log_loss(y, s),
    "brier": metrics.brier_score_loss(y, s),
    "confusion": {"tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn)},
}

# Calibration: sklearn calibration_curve (10 uniform bins); counts with its own bin rule.
prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy="uniform")
edges = np.linspace(0.0, 1.0 + 1e-8, 11)
binids = np.searchsorted(edges[1:-1], s)
counts = np.bincount(binids, minlength=10)
nonzero = counts[counts > 0]
gaps = np.abs(prob_true - prob_pred)
calibration = {
    "ece": float(np.sum(nonzero / len(s) * gaps)),
    "mce": float(np.max(gaps)),
    "bins": [
        {"count": int(c), "meanScore": float(m), "fractionPositive": float(t)}
        for c, m, t in zip(nonzero, prob_pred, prob_true)
    ],
}

# Fairness by hand with Fairlearn's definitions (between-groups difference / ratio).
groups = []
for g, part in cur.groupby(GROUP, sort=True):
    yy = part[LABEL].to_numpy()
    pp = (part[SCORE].to_numpy() >= THRESHOLD).astype(int)
    groups.append({
        "group": g,
        "count": int(len(part)),
        "selectionRate": float(pp.mean()),
        "tpr": float(pp[yy == 1].mean()),
        "fpr": float(pp[yy == 0].mean()),
        "precision": float(yy[pp == 1].mean()),
        "accuracy": float((pp == yy).mean()),
    })
sel = [g["selectionRate"] for g in groups]
tpr = [g["tpr"] for g in groups]
fpr = [g["fpr"] for g in groups]
fairness = {
    "attribute": GROUP,
    "groups": groups,
    "demographicParityDifference": max(sel) - min(sel),
    "demographicParityRatio": min(sel) / max(sel),
    "equalizedOddsDifference": max(max(tpr) - min(tpr), max(fpr) - min(fpr)),
    "equalizedOddsRatio": min(min(tpr) / max(tpr), min(fpr) / max(fpr)),
}

# Drift: x1 numeric (n > 1000 → Wasserstein normed by the reference's population std decides);
# cat categorical (n > 1000 → Jensen–Shannon, base 2, over the categories).
xr, xc = ref[X].to_numpy(), cur[X].to_numpy()
ks = stats.ks_2samp(xr, xc, method="auto")
cats = sorted(set(ref[CAT]) | set(cur[CAT]))
pr = np.array([(ref[CAT] == c).mean() for c in cats])
pc = np.array([(cur[CAT] == c).mean() for c in cats])
contingency = np.array([[(ref[CAT] == c).sum() for c in cats], [(cur[CAT] == c).sum() for c in cats]])
chi2 = stats.chi2_contingency(contingency)
drift = {
    X: {
        "kind": "numeric",
        "method": "wasserstein",
        "ks": {"statistic": float(ks.statistic), "pValue": float(ks.pvalue)},
        "wasserstein": float(stats.wasserstein_distance(xr, xc) / max(np.std(xr), 0.001)),
    },
    CAT: {
        "kind": "categorical",
        "method": "jensen-shannon",
        "jensenShannon": float(jensenshannon(pr, pc, base=2)),
        "chiSquare": {"statistic": float(chi2[0]), "pValue": float(chi2[1])},
    },
}

lat = cur["latency_ms"].to_numpy()
latency = {q: float(np.percentile(lat, p)) for q, p in (("p50", 50), ("p95", 95), ("p99", 99))}


def column(series, kind):
    values = series.tolist()
    return {"type": kind, "values": values}


def columns(df):
    return {
        LABEL: column(df[LABEL], "INTEGER"),
        SCORE: column(df[SCORE], "DOUBLE"),
        GROUP: column(df[GROUP], "VARCHAR"),
        X: column(df[X], "DOUBLE"),
        CAT: column(df[CAT], "VARCHAR"),
        "latency_ms": column(df["latency_ms"], "DOUBLE"),
        "is_error": column(df["is_error"], "INTEGER"),
    }


out = {
    "spec": {"label": LABEL, "score": SCORE, "group": GROUP, "threshold": THRESHOLD},
    "tables": {"reference": columns(ref), "current": columns(cur)},
    "expected": {
        "performance": performance,
        "calibration": calibration,
        "fairness": fairness,
        "drift": drift,
        "latency": latency,
        "errorRate": float(cur["is_error"].mean()),
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audit.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"), default=lambda o: o.item())
print(f"wrote {path}")
