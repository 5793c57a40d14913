"""Independent numpy reference for the tensor package's operations
(run by numpy_test.go).

usage: ops_reference.py X.f32 N T E H LO HI NEDGES A.f64 A_SHAPE

X.f32 holds float32 [N, T, E] little-endian; A.f64 holds float64 A_SHAPE
(comma-separated, 4-D). Prints JSON (NaN as null):
  rows      for tokens -1 and -2 of X: mean, mean |x|, var (ddof=1) and std
            (ddof=1) of each row, and mean and var of each column
  means     for tokens -1 and -2: the mean of each of the four row results
  heads_std X.reshape(N, T, H, E//H).std(axis=1, ddof=1), flattened
  hist      np.histogram(X[:, -1, :].ravel(), edges, density=True) on float32
            edges np.linspace(LO, HI, NEDGES) rounded to float32 (the test
            passes Go's Linspace edges instead when checking them elsewhere)
  counts    the same without density
  a_mean    A[:, 0, 1, :].mean(axis=-1)
  a_diff    np.diff(A[:, 1, 2, :], axis=-1)[:, 0]
  a_matrix  A[:, 1, :, 0]
"""
import json
import sys

import numpy as np

x_path, N, T, E, H, lo, hi, nedges, a_path, a_shape = sys.argv[1:11]
N, T, E, H, nedges = int(N), int(T), int(E), int(H), int(nedges)
X = np.fromfile(x_path, dtype="<f4").reshape(N, T, E).astype(np.float64)
A = np.fromfile(a_path, dtype="<f8").reshape([int(s) for s in a_shape.split(",")])
edges = np.fromfile(x_path + ".edges", dtype="<f8")

out = {"rows": {}, "means": {}}
for tok in (-1, -2):
    M = X[:, tok, :]
    rows = {
        "mean": M.mean(axis=1),
        "abs_mean": np.abs(M).mean(axis=1),
        "var": M.var(axis=1, ddof=1),
        "std": M.std(axis=1, ddof=1),
        "col_mean": M.mean(axis=0),
        "col_var": M.var(axis=0, ddof=1),
    }
    out["rows"][str(tok)] = {k: v.tolist() for k, v in rows.items()}
    out["means"][str(tok)] = {k: float(v.mean()) for k, v in rows.items()}
out["heads_std"] = X.reshape(N, T, H, E // H).std(axis=1, ddof=1).ravel().tolist()
density, _ = np.histogram(X[:, -1, :].ravel(), edges, density=True)
counts, _ = np.histogram(X[:, -1, :].ravel(), edges)
out["hist"] = density.tolist()
out["counts"] = counts.astype(float).tolist()
out["a_mean"] = A[:, 0, 1, :].mean(axis=-1).tolist()
out["a_diff"] = np.diff(A[:, 1, 2, :], axis=-1)[:, 0].tolist()
out["a_matrix"] = A[:, 1, :, 0].tolist()


def nan_to_none(v):
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, list):
        return [nan_to_none(w) for w in v]
    if isinstance(v, dict):
        return {k: nan_to_none(w) for k, w in v.items()}
    return v


json.dump(nan_to_none(out), sys.stdout)
