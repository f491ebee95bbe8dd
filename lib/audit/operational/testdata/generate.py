"""Golden values for lib/audit/operational: numpy 1.24 `np.percentile` (linear),
`np.histogram` (equal-width bins) and a Wilson interval written here in closed form.

Run with Debian's Python: /usr/bin/python3 lib/audit/operational/testdata/generate.py
"""
import json
import math
import os

import numpy as np
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
Z = norm.ppf(0.975)


def wilson(k, n):
    p = k / n
    root = Z * math.sqrt(Z * Z + 4 * n * p * (1 - p))
    return {"lower": max(0.0, (2 * n * p + Z * Z - root) / (2 * (n + Z * Z))), "upper": min(1.0, (2 * n * p + Z * Z + root) / (2 * (n + Z * Z)))}


def latency(values, bins):
    x = np.array([v for v in values if v is not None], dtype=float)
    p50, p95, p99 = np.percentile(x, [50, 95, 99])
    counts, edges = np.histogram(x, bins=bins)
    return {
        "latency": {"p50": p50, "p95": p95, "p99": p99, "mean": float(x.mean()), "max": float(x.max()), "min": float(x.min()), "n": len(x)},
        "histogram": [{"lower": float(edges[i]), "upper": float(edges[i + 1]), "count": int(c)} for i, c in enumerate(counts)],
    }


def main():
    rng = np.random.default_rng(99)
    n = 3000
    lat = np.round(rng.lognormal(4.0, 0.6, n), 1)
    status = rng.choice([200, 200, 200, 201, 404, 500, 503], n, p=[0.5, 0.2, 0.15, 0.05, 0.05, 0.03, 0.02])
    lat_list = [float(v) for v in lat]
    for i in rng.choice(n, 20, replace=False):
        lat_list[i] = None
    failed = status >= 500
    err_bool = [bool(v) for v in failed]
    err_bool[5] = None
    fixtures = []
    exp = latency(lat_list, 30)
    k = int(failed.sum())
    exp["errorRate"] = {"rate": k / n, "errors": k, "n": n, "ci": wilson(k, n)}
    fixtures.append({
        "name": "lognormal latency, HTTP status >= 500",
        "columns": {"latency ms": {"type": "DOUBLE", "values": lat_list}, "status": {"type": "INTEGER", "values": [int(v) for v in status]}},
        "spec": {"latency": "latency ms", "error": "status", "errorWhen": {"op": ">=", "value": 500}},
        "expected": exp,
    })
    kb = int(sum(1 for v in err_bool if v))
    nb = sum(1 for v in err_bool if v is not None)
    fixtures.append({
        "name": "boolean error column with a null",
        "columns": {"failed?": {"type": "BOOLEAN", "values": err_bool}},
        "spec": {"error": "failed?"},
        "expected": {"latency": None, "histogram": [], "errorRate": {"rate": kb / nb, "errors": kb, "n": nb, "ci": wilson(kb, nb)}},
    })
    # Values on bin edges (0.00 … 1.00 in steps of 0.01, 7 bins) and integer edges.
    grid = [round(i * 0.01, 2) for i in range(101)] * 3
    fixtures.append({
        "name": "values on histogram edges",
        "columns": {"t": {"type": "DOUBLE", "values": grid}},
        "spec": {"latency": "t", "histogramBins": 7},
        "expected": {**latency(grid, 7), "errorRate": None},
    })
    ints = list(range(31))
    fixtures.append({
        "name": "integer latencies, 30 bins",
        "columns": {"t": {"type": "INTEGER", "values": ints}},
        "spec": {"latency": "t"},
        "expected": {**latency(ints, 30), "errorRate": None},
    })
    fixtures.append({
        "name": "constant latency",
        "columns": {"t": {"type": "DOUBLE", "values": [12.5] * 10}},
        "spec": {"latency": "t", "histogramBins": 5},
        "expected": {**latency([12.5] * 10, 5), "errorRate": None},
    })
    with open(os.path.join(HERE, "operational.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main()
