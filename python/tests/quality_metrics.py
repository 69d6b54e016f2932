"""Column shapes and pair trends for comparing two samplers' outputs with one yardstick, nulls dropped.

Column shapes are src/core/quality/metrics.ts's (SDMetrics'). Pair trends average every pair, with
numbers binned over the real range: the definition before SDMetrics 0.32, which averages only pairs
related in the real data (src/core/quality/score.ts now does). The tests use it relatively (the Spark
job's output against the TypeScript sampler's), which either definition serves.

Cells are in the JSON encoding (`spark-synth preview --json`, dates and timestamps as {"ms": …} or ISO
text for categories); numeric columns hold numbers (or {"ms": …}).
"""

import json
import math
from collections import Counter

import numpy as np


def number(cell):
    return cell["ms"] if isinstance(cell, dict) else cell


def comparable(cell):
    """A cell keyed as JavaScript compares it: 303 and 303.0 are one number, true is not 1."""
    if isinstance(cell, list):
        return [comparable(c) for c in cell]
    return float(cell) if isinstance(cell, int) and not isinstance(cell, bool) else cell


def ks_complement(a, b):
    a = np.sort([number(v) for v in a if v is not None])
    b = np.sort([number(v) for v in b if v is not None])
    if len(a) == 0 or len(b) == 0:
        return 1.0 if len(a) == len(b) else 0.0
    values = np.union1d(a, b)
    gap = np.abs(np.searchsorted(a, values, side="right") / len(a) - np.searchsorted(b, values, side="right") / len(b))
    return 1 - gap.max()


def tv_complement(a, b):
    def frequencies(values):
        keys = Counter(json.dumps(comparable(v)) for v in values if v is not None)
        total = sum(keys.values())
        return {k: n / total for k, n in keys.items()}

    p, q = frequencies(a), frequencies(b)
    return 1 - sum(abs(p.get(k, 0) - q.get(k, 0)) for k in set(p) | set(q)) / 2


def pearson(x, y):
    pairs = np.array([(number(u), number(v)) for u, v in zip(x, y) if u is not None and v is not None], dtype=np.float64)
    if len(pairs) == 0:
        return 0.0
    a, b = pairs[:, 0] - pairs[:, 0].mean(), pairs[:, 1] - pairs[:, 1].mean()
    saa, sbb = (a * a).sum(), (b * b).sum()
    return 0.0 if saa == 0 or sbb == 0 else float((a * b).sum() / math.sqrt(saa * sbb))


def discretize(real, synthetic, bins=10):
    values = [number(v) for v in real if v is not None]
    low, high = (min(values), max(values)) if values else (0, 0)
    width = (high - low) / bins

    def bin_of(v):
        if v is None:
            return None
        if width == 0 or not math.isfinite(width):
            return 0
        return max(0, min(bins - 1, math.floor((number(v) - low) / width)))

    return [bin_of(v) for v in real], [bin_of(v) for v in synthetic]


def column_shapes(real, synthetic, numeric):
    return float(np.mean([(ks_complement if n else tv_complement)(a, b) for a, b, n in zip(real, synthetic, numeric)]))


def pair_trends(real, synthetic, numeric):
    scores = []
    for i in range(len(real)):
        for j in range(i):
            if numeric[i] and numeric[j]:
                scores.append(1 - abs(pearson(real[i], real[j]) - pearson(synthetic[i], synthetic[j])) / 2)
                continue
            (ri, si), (rj, sj) = [discretize(real[k], synthetic[k]) if numeric[k] else (real[k], synthetic[k]) for k in (i, j)]
            joint = lambda a, b: [[x, y] for x, y in zip(a, b) if x is not None and y is not None]
            scores.append(tv_complement(joint(ri, rj), joint(si, sj)))
    return float(np.mean(scores)) if scores else 1.0
