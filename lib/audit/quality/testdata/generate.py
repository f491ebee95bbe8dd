"""Golden fixtures for lib/audit/quality, computed independently with pandas.

Run with Debian's Python: /usr/bin/python3 lib/audit/quality/testdata/generate.py
Deterministic (fixed seed). Writes profile.json and contract.json beside this file.
Special floats are written as the strings "NaN", "Infinity", "-Infinity"; SQL NULL as null.
"""
import json
import math
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261127)
QUANTILES = {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}


def enc(v):
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
    return v


def sprinkle(values, null_rate=0.0, nan_rate=0.0, inf_rate=0.0):
    out = []
    for v in values:
        u = rng.random()
        if u < null_rate:
            out.append(None)
        elif u < null_rate + nan_rate:
            out.append(float("nan"))
        elif u < null_rate + nan_rate + inf_rate:
            out.append(float("inf") if rng.random() < 0.5 else float("-inf"))
        else:
            out.append(v)
    return out


def numeric_expected(values):
    present = [v for v in values if v is not None]
    finite = pd.Series([v for v in present if math.isfinite(v)], dtype="float64")
    nan = sum(1 for v in present if math.isnan(v))
    distinct = pd.Series([v for v in present if not math.isnan(v)], dtype="float64").nunique() + (1 if nan else 0)
    empty = len(finite) == 0
    return {
        "nullCount": len(values) - len(present),
        "nanCount": nan,
        "posInfCount": sum(1 for v in present if v == float("inf")),
        "negInfCount": sum(1 for v in present if v == float("-inf")),
        "distinctCount": int(distinct),
        "min": None if empty else float(finite.min()),
        "max": None if empty else float(finite.max()),
        "mean": None if empty else float(finite.mean()),
        "std": None if len(finite) < 2 else float(finite.std(ddof=1)),
        "quantiles": {k: (None if empty else float(finite.quantile(q, interpolation="linear"))) for k, q in QUANTILES.items()},
        "topValues": None,
    }


def categorical_expected(values, text=str):
    present = pd.Series([text(v) for v in values if v is not None], dtype="object")
    counts = present.value_counts()
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "nullCount": len(values) - len(present),
        "nanCount": 0,
        "posInfCount": 0,
        "negInfCount": 0,
        "distinctCount": int(present.nunique()),
        "min": None if present.empty else min(present),
        "max": None if present.empty else max(present),
        "mean": None,
        "std": None,
        "quantiles": None,
        "topValues": [{"value": v, "count": int(c)} for v, c in top],
    }


def profile_fixture():
    n = 1500
    levels = ["alpha", "beta", "gamma", "o'brien", "two words", "ünï", "日本", "x", "y", "z", "k1", "k2", "k3", "k4", "k5"]
    weights = np.array([30, 20, 20, 10, 10, 8, 8, 5, 5, 5, 5, 5, 5, 3, 3], dtype=float)
    cats = rng.choice(levels, size=n, p=weights / weights.sum())
    columns = {
        "x normal": ("DOUBLE", sprinkle([round(float(v), 4) for v in rng.normal(3, 2, n)], 0.05, 0.02, 0.02)),
        'q"uote skew': ("DOUBLE", sprinkle([round(float(v), 4) for v in rng.lognormal(0, 1.2, n)], 0.1)),
        "größe": ("INTEGER", sprinkle([int(v) for v in rng.integers(0, 50, n)], 0.03)),
        "ties": ("DOUBLE", [float(v) for v in rng.choice([1.0, 2.0, 2.0, 5.0], n)]),
        "cat é": ("VARCHAR", sprinkle([str(v) for v in cats], 0.04)),
        "flag": ("BOOLEAN", sprinkle([bool(v) for v in rng.random(n) < 0.3], 0.02)),
        "const": ("VARCHAR", ["k"] * n),
        "all null": ("DOUBLE", [None] * n),
        "one finite": ("DOUBLE", [2.5] + [float("nan")] * (n - 1)),
    }
    expected = {}
    for name, (typ, values) in columns.items():
        if typ in ("DOUBLE", "INTEGER"):
            e = numeric_expected([None if v is None else float(v) for v in values])
        elif typ == "BOOLEAN":
            e = categorical_expected(values, text=lambda b: "true" if b else "false")
        else:
            e = categorical_expected(values)
        e["nullRate"] = e["nullCount"] / n
        e["type"] = typ
        expected[name] = e
    return {
        "rows": n,
        "columns": {name: {"type": typ, "values": [enc(v) for v in vals]} for name, (typ, vals) in columns.items()},
        "expected": expected,
    }


def contract_fixture():
    n = 400
    ids = list(range(1, n + 1))
    for i in rng.choice(n, 12, replace=False):
        ids[i] = int(rng.integers(1, n + 1))
    amount = sprinkle([round(float(v), 2) for v in rng.normal(50, 30, n)], 0.03, 0.02, 0.01)
    status = sprinkle([str(v) for v in rng.choice(["open", "closed", "pending", "Open", "lost it"], n, p=[0.45, 0.4, 0.1, 0.03, 0.02])], 0.02)
    code = [int(v) for v in rng.choice([1, 2, 3, 7], n, p=[0.4, 0.4, 0.15, 0.05])]
    columns = {
        "id №": ("INTEGER", ids),
        "amount $": ("DOUBLE", amount),
        "sta'tus": ("VARCHAR", status),
        "code": ("INTEGER", code),
    }
    contract = {
        "id №": {"type": "integer", "notNull": True, "unique": True},
        "amount $": {"type": "numeric", "notNull": True, "min": 0, "max": 100},
        "sta'tus": {"type": "string", "allowed": ["open", "closed", "pending"], "notNull": True},
        "code": {"type": "string", "allowed": [1, 2, 3]},
        "missing col": {"notNull": True},
    }
    frame = pd.DataFrame({k: pd.Series(v, dtype="object") for k, (_, v) in columns.items()})
    frame.index = range(1, n + 1)  # 1-based row numbers
    key = frame["id №"]

    def examples(mask, column):
        rows = frame.index[mask.values][:5]
        return [{"row": int(r), "key": str(key[r]), "value": None if frame.at[r, column] is None else frame.at[r, column]} for r in rows]

    violations = []
    # id: duplicates beyond first occurrence; examples are rows whose value occurs more than once.
    s = frame["id №"].dropna().astype(int)
    dup_all = frame["id №"].map(s.value_counts()).fillna(0) > 1
    violations.append({"column": "id №", "rule": "unique", "count": int(s.duplicated().sum()), "examples": examples(dup_all, "id №")})
    a = frame["amount $"]
    isnull = a.map(lambda v: v is None)
    isnan = a.map(lambda v: v is not None and math.isnan(v))
    below = a.map(lambda v: v is not None and (math.isnan(v) or v < 0))
    above = a.map(lambda v: v is not None and (math.isnan(v) or v > 100))
    violations.append({"column": "amount $", "rule": "notNull", "count": int(isnull.sum()), "examples": examples(isnull, "amount $")})
    violations.append({"column": "amount $", "rule": "min", "count": int(below.sum()), "examples": examples(below, "amount $")})
    violations.append({"column": "amount $", "rule": "max", "count": int(above.sum()), "examples": examples(above, "amount $")})
    st = frame["sta'tus"]
    st_null = st.map(lambda v: v is None)
    st_bad = st.map(lambda v: v is not None and v not in ("open", "closed", "pending"))
    violations.append({"column": "sta'tus", "rule": "notNull", "count": int(st_null.sum()), "examples": examples(st_null, "sta'tus")})
    violations.append({"column": "sta'tus", "rule": "allowed", "count": int(st_bad.sum()), "examples": examples(st_bad, "sta'tus")})
    c = frame["code"]
    c_bad = c.map(lambda v: v not in (1, 2, 3))
    violations.append({"column": "code", "rule": "type", "count": 1, "examples": []})
    violations.append({"column": "code", "rule": "allowed", "count": int(c_bad.sum()), "examples": examples(c_bad, "code")})
    violations.append({"column": "missing col", "rule": "exists", "count": 1, "examples": []})
    _ = isnan
    violations = [v for v in violations if v["count"] > 0]
    return {
        "rows": n,
        "columns": {name: {"type": typ, "values": [enc(v) for v in vals]} for name, (typ, vals) in columns.items()},
        "contract": {"columns": contract},
        "key": "id №",
        "expected": {"violations": [{**v, "examples": [{**e, "value": enc(e["value"])} for e in v["examples"]]} for v in violations]},
    }


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


write("profile.json", profile_fixture())
write("contract.json", contract_fixture())
