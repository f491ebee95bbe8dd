"""Golden values for lib/audit/calibration.

uniform / quantile: scikit-learn 1.2 `calibration_curve` (fraction of positives and mean
score per non-empty bin), with bin counts from the same `np.searchsorted(edges[1:-1], p)`
rule sklearn uses; ECE/MCE from those. nannyml: NannyML's `_get_bin_index_edges` and
`_calculate_expected_calibration_error`, rewritten here from its source (not installed),
with ties in the score broken by label (negatives first), as Assay does.

Run with Debian's Python: /usr/bin/python3 lib/audit/calibration/testdata/generate.py
"""
import json
import os

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

HERE = os.path.dirname(os.path.abspath(__file__))


def edge_table(y, p, bins, strategy):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=bins, strategy=strategy)
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    binids = np.searchsorted(edges[1:-1], p)
    total = np.bincount(binids, minlength=len(edges))
    nonzero = np.nonzero(total)[0]
    counts = total[nonzero]
    gaps = np.abs(prob_true - prob_pred)
    return {
        "ece": float(np.sum(counts / len(p) * gaps)),
        "mce": float(np.max(gaps)),
        "brier": brier_score_loss(y, p),
        "count": len(p),
        "edges": [float(e) for e in edges],
        "bins": [
            {"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": int(c), "meanScore": float(m), "fractionPositive": float(f)}
            for b, c, m, f in zip(nonzero, counts, prob_pred, prob_true)
        ],
    }


def nannyml_index_edges(n, bin_count):
    if n <= 2 * bin_count:
        bin_count = n // 2
        if bin_count < 2:
            raise ValueError("too few rows")
    width = n // bin_count
    edges = np.asarray(range(0, n + 1, width))
    edges[-1] = n
    return list(zip(edges[:-1], edges[1:]))


def nannyml_table(y, p, bins):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    order = np.lexsort((y, p))
    ys, ps = y[order], p[order]
    ece, mce, out = 0.0, 0.0, []
    for lo, hi in nannyml_index_edges(len(p), bins):
        bp, bt = ps[lo:hi], ys[lo:hi]
        gap = abs(np.mean(bp) - np.mean(bt))
        ece += len(bp) / len(p) * gap
        mce = max(mce, gap)
        out.append({"lower": float(bp.min()), "upper": float(bp.max()), "count": int(hi - lo), "meanScore": float(np.mean(bp)), "fractionPositive": float(np.mean(bt))})
    return {"ece": ece, "mce": mce, "brier": brier_score_loss(y, p), "count": len(p), "bins": out}


def table(y, p, bins, strategy):
    return nannyml_table(y, p, bins) if strategy == "nannyml" else edge_table(y, p, bins, strategy)


def with_groups(y, p, g, bins, strategy):
    overall = table(y, p, bins, strategy)
    groups = []
    names = sorted({"(null)" if v is None else v for v in g})
    for name in names:
        mask = np.array([("(null)" if v is None else v) == name for v in g])
        yy, pp = np.asarray(y)[mask], np.asarray(p)[mask]
        if strategy == "nannyml":
            t = nannyml_table(yy, pp, bins)
        else:
            # Groups reuse the edges of the whole table.
            edges = np.asarray(overall["edges"])
            ids = np.searchsorted(edges[1:-1], pp)
            t = {"bins": [], "ece": 0.0, "mce": 0.0}
            for b in sorted(set(ids)):
                sel = ids == b
                m, f, c = float(np.mean(pp[sel])), float(np.mean(yy[sel])), int(sel.sum())
                t["ece"] += c / len(pp) * abs(f - m)
                t["mce"] = max(t["mce"], abs(f - m))
                t["bins"].append({"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": c, "meanScore": m, "fractionPositive": f})
            t["brier"] = brier_score_loss(yy, pp)
            t["count"] = len(pp)
        groups.append({"group": name, "ece": t["ece"], "mce": t["mce"], "brier": t["brier"], "count": t["count"], "bins": t["bins"]})
    overall["groups"] = groups
    return overall


def main():
    rng = np.random.default_rng(424242)
    fixtures = []

    y = [0, 0, 1, 0, 1, 1, 1, 1, 0, 0]
    p = [0.05, 0.15, 0.35, 0.45, 0.55, 0.65, 0.85, 0.95, 0.5, 0.1]
    fixtures.append({
        "name": "worked example",
        "columns": {"y": {"type": "INTEGER", "values": y}, "p": {"type": "DOUBLE", "values": p}},
        "spec": {"label": "y", "score": "p"},
        "expected": table(y, p, 10, "uniform"),
    })

    # Two-decimal scores (many on bin edges, heavy ties), boolean label, group with nulls.
    n = 2000
    true_p = rng.beta(2, 3, n)
    yy = rng.random(n) < np.clip(true_p * 1.2 - 0.05, 0, 1)
    pp = np.round(true_p, 2)
    pp[:3] = 0.0
    pp[3:6] = 1.0
    groups = rng.choice(np.array(["Ålesund", "São Paulo", "x'y"], dtype=object), n, p=[0.5, 0.3, 0.2]).tolist()
    for i in rng.choice(n, 40, replace=False):
        groups[i] = None
    cols = {
        "is positive": {"type": "BOOLEAN", "values": [bool(v) for v in yy]},
        'p "calibrated"': {"type": "DOUBLE", "values": [float(v) for v in pp]},
        "région": {"type": "VARCHAR", "values": groups},
    }
    for strategy, bins in [("uniform", 10), ("uniform", 15), ("quantile", 10), ("quantile", 7)]:
        fixtures.append({
            "name": f"ties on edges, {strategy} {bins} bins, per group",
            "columns": cols,
            "spec": {"label": "is positive", "score": 'p "calibrated"', "bins": bins, "strategy": strategy, "groupBy": "région"},
            "expected": with_groups(yy.astype(int), pp, groups, bins, strategy),
        })

    # NannyML equal-count bins: distinct scores; 1003 rows so the last bin absorbs 3.
    n = 1003
    s = rng.random(n)
    lab = (rng.random(n) < s ** 1.5).astype(int)
    g2 = rng.choice(np.array(["a", "b"], dtype=object), n).tolist()
    g2[0] = "tiny"  # one row: too small for NannyML bins
    fixtures.append({
        "name": "nannyml equal-count bins",
        "columns": {"label": {"type": "INTEGER", "values": [int(v) for v in lab]}, "score": {"type": "DOUBLE", "values": [float(v) for v in s]}, "g": {"type": "VARCHAR", "values": g2}},
        "spec": {"label": "label", "score": "score", "bins": 10, "strategy": "nannyml"},
        "expected": nannyml_table(lab, s, 10),
        "groupExpected": {k: nannyml_table(lab[np.array(g2) == k], s[np.array(g2) == k], 10) for k in ["a", "b"]},
    })
    # 25 rows with ties: NannyML gives 12 bins of width 2 (the last holds 3).
    s3 = np.round(rng.random(25), 1)
    l3 = (rng.random(25) < s3).astype(int)
    fixtures.append({
        "name": "nannyml small n, ties broken by label",
        "columns": {"label": {"type": "INTEGER", "values": [int(v) for v in l3]}, "score": {"type": "DOUBLE", "values": [float(v) for v in s3]}},
        "spec": {"label": "label", "score": "score", "bins": 10, "strategy": "nannyml"},
        "expected": nannyml_table(l3, s3, 10),
    })

    with open(os.path.join(HERE, "calibration.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
