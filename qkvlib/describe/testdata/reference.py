"""Independent numpy reference for qkvlib/describe (run by numpy_test.go).

usage: reference.py DATA.f32 N T E NHEADS LO HI NEDGES

DATA.f32 holds N*T*3E little-endian float32 values, row-major [N, T, 3E].
Prints JSON with what the book's torch code computes, written here with
numpy (float64 arithmetic on the float32 data) and exact rationals:
  edges        torch.linspace(LO, HI, NEDGES) in float32 (CPU kernel, fused
               multiply-add: one rounding), as exact float values
  book_edges   the same for (-7, 7, 234) and (-4, 4, 101)
  desc         [3 matrices][3 descriptives][2 positions]
  hist         [3 matrices][NEDGES-1 bins][2 positions]
  head_stdev   [3 matrices]
"""
import json
import sys
from fractions import Fraction

import numpy as np


def round_f32(x):
    """The float32 nearest to the Fraction x, ties to even (no double rounding)."""
    c = np.float32(float(x))
    best, bestd = None, None
    for cand in (np.nextafter(c, np.float32(-np.inf)), c, np.nextafter(c, np.float32(np.inf))):
        d = abs(Fraction(float(cand)) - x)
        even = int(np.array(cand, dtype=np.float32).view(np.uint32)) % 2 == 0
        if best is None or d < bestd or (d == bestd and even):
            best, bestd = cand, d
    return best


def torch_linspace_f32(lo, hi, n):
    start, end = np.float32(lo), np.float32(hi)
    if n == 1:
        return np.array([start], dtype=np.float32)
    step = np.float32(end - start) / np.float32(n - 1)  # float32 arithmetic
    out = []
    for i in range(n):
        if i < n // 2:
            exact = Fraction(float(start)) + Fraction(float(step)) * i
        else:
            exact = Fraction(float(end)) - Fraction(float(step)) * (n - 1 - i)
        out.append(round_f32(exact))
    return np.array(out, dtype=np.float32)


def density(vals, edges):
    """torch.histogram(density=True): [a, b) bins, the last closed, outside dropped."""
    keep = (vals >= edges[0]) & (vals <= edges[-1])
    v = vals[keep]
    idx = np.searchsorted(edges, v, side="right") - 1
    idx[idx == len(edges) - 1] -= 1
    counts = np.bincount(idx, minlength=len(edges) - 1)
    # numpy's own histogram follows the same rule; check the counts agree.
    ref, _ = np.histogram(vals, bins=edges)
    assert (ref == counts).all(), (ref, counts)
    widths = np.diff(edges.astype(np.float64))
    return counts / (counts.sum() * widths)


def main():
    path = sys.argv[1]
    N, T, E, H = (int(a) for a in sys.argv[2:6])
    lo, hi, nedges = float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
    X = np.fromfile(path, dtype="<f4").reshape(N, T, 3 * E)
    edges = torch_linspace_f32(lo, hi, nedges)
    mats = np.split(X, 3, axis=-1)  # torch.split(X, E, dim=-1)

    desc, hist, head = [], [], []
    for M in mats:
        d = np.zeros((3, 2))
        h = np.zeros((nedges - 1, 2))
        for p, pos in enumerate((-1, -2)):
            rows = M[:, pos, :].astype(np.float64)
            d[0, p] = rows.mean(axis=1).mean()
            d[1, p] = np.abs(rows).mean(axis=1).mean()
            d[2, p] = rows.var(axis=1, ddof=1).mean()
            h[:, p] = density(M[:, pos, :].ravel(), edges)
        desc.append(d.tolist())
        hist.append(h.tolist())
        Mh = M.astype(np.float64).reshape(N, T, H, E // H)
        head.append(float(Mh.std(axis=1, ddof=1).mean()))

    out = {
        "edges": [float(e) for e in edges],
        "book_edges": {
            "m7_7_234": [float(e) for e in torch_linspace_f32(-7, 7, 234)],
            "m4_4_101": [float(e) for e in torch_linspace_f32(-4, 4, 101)],
        },
        "desc": desc,
        "hist": hist,
        "head_stdev": head,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
