"""Independent reference for part 6's paired tests (run by paired_test.go).

usage: paired_reference.py INPUT.json

INPUT.json says where the inputs are and what to compute:
  qkv, shape   float32 [L, N, T, 3E] little-endian activations and [L, N, T, E]:
               the differences are computed here, for each layer l, matrix m
               (Q, K, V) and descriptive k (mean, L1 mean, unbiased variance
               over E), as the value at T-2 (non-target) minus the value at
               T-1 (target), cell (l*3+m)*3+k;
  diffs, n, c  or float64 [N, C] differences given directly;
  signs        optional int8 [B, N] (+1/-1): Go's random sign flips;
  boot         int32 [B, N]: Go's bootstrap resample indices;
  level        the bootstrap interval's coverage;
  exact        whether to run scipy.stats.permutation_test over all 2^N flips.

Prints JSON (NaN as null), each a list over the C cells:
  diff, dz     numpy mean and mean / std(ddof=1) of the differences
  p_exact      scipy.stats.permutation_test((nontarget, target), mean of the
               differences, permutation_type='samples', two-sided, every flip)
  p_signs      scipy's two-sided p-value formula on the null distribution of
               Go's sign flips (numpy), when signs is given
  p_bh         scipy.stats.false_discovery_control(p, method='bh') of p_signs
               when given, else of p_exact; bh says whether scipy had it (scipy >= 1.11) or
               the numpy transcription below stood in (Debian 12's scipy 1.10)
  ci_lo, ci_hi numpy.percentile (method 'linear') of the means of Go's
               bootstrap resamples, the scipy.stats.bootstrap(method=
               'percentile') rule
  seq          when qkv is given, the per-sequence descriptives [L, N, 3, 3, 2]
"""
import json
import sys

import numpy as np
from scipy import stats


def descriptives(path, shape):
    L, N, T, E = shape
    X = np.fromfile(path, dtype="<f4").reshape(L, N, T, 3 * E).astype(np.float64)
    seq = np.zeros((L, N, 3, 3, 2))
    for m in range(3):
        M = X[..., m * E:(m + 1) * E]
        for p, pos in enumerate((-1, -2)):
            rows = M[:, :, pos, :]
            seq[:, :, m, 0, p] = rows.mean(axis=-1)
            seq[:, :, m, 1, p] = np.abs(rows).mean(axis=-1)
            seq[:, :, m, 2, p] = rows.var(axis=-1, ddof=1)
    # [L, N, 3, 3, 2] -> target and non-target [N, L*9]
    target = seq[..., 0].transpose(1, 0, 2, 3).reshape(N, L * 9)
    nontarget = seq[..., 1].transpose(1, 0, 2, 3).reshape(N, L * 9)
    return seq, nontarget, target


def bh_numpy(p):
    """Benjamini-Hochberg as scipy's false_discovery_control states it."""
    p = np.asarray(p, dtype=np.float64)
    m = len(p)
    order = np.argsort(p, kind="stable")
    q = p[order] * (m / np.arange(1, m + 1))
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.clip(q, 0, 1)
    return out


def p_from_null(null, obs, exact):
    """scipy.stats.permutation_test's two-sided p-value (scipy 1.10's gamma)."""
    adj = 0 if exact else 1
    gamma = np.maximum(1e-14, np.abs(1e-14 * obs))
    less = ((null <= obs + gamma).sum(axis=0) + adj) / (len(null) + adj)
    greater = ((null >= obs - gamma).sum(axis=0) + adj) / (len(null) + adj)
    return np.clip(2 * np.minimum(less, greater), 0, 1)


def main():
    inp = json.load(open(sys.argv[1]))
    out = {}
    if "qkv" in inp:
        seq, nontarget, target = descriptives(inp["qkv"], inp["shape"])
        out["seq"] = seq.tolist()
        d = nontarget - target
    else:
        n, c = inp["n"], inp["c"]
        d = np.fromfile(inp["diffs"], dtype="<f8").reshape(n, c)
        target, nontarget = np.zeros_like(d), d
    n = d.shape[0]
    out["diff"] = d.mean(axis=0).tolist()
    out["dz"] = (d.mean(axis=0) / d.std(axis=0, ddof=1)).tolist()

    p = None
    if inp.get("exact"):
        res = stats.permutation_test(
            (nontarget, target), lambda x, y, axis: np.mean(x - y, axis=axis),
            permutation_type="samples", vectorized=True, n_resamples=np.inf,
            alternative="two-sided", axis=0, batch=4096)
        p = np.atleast_1d(res.pvalue)
        out["p_exact"] = p.tolist()
    if "signs" in inp:
        s = np.fromfile(inp["signs"], dtype="i1").reshape(-1, n).astype(np.float64)
        null = (s[:, :, None] * d[None, :, :]).mean(axis=1)  # [B, C]
        ps = p_from_null(null, d.mean(axis=0), exact=False)
        out["p_signs"] = ps.tolist()
        p = ps  # Go's p-values come from these flips
    if p is not None:
        if hasattr(stats, "false_discovery_control"):
            out["p_bh"], out["bh"] = stats.false_discovery_control(p, method="bh").tolist(), "scipy"
        else:
            out["p_bh"], out["bh"] = bh_numpy(p).tolist(), "numpy"

    idx = np.fromfile(inp["boot"], dtype="<i4").reshape(-1, n)
    means = d[idx].mean(axis=1)  # [B, C]
    alpha = (1 - inp["level"]) / 2
    out["ci_lo"] = np.percentile(means, 100 * alpha, axis=0).tolist()
    out["ci_hi"] = np.percentile(means, 100 * (1 - alpha), axis=0).tolist()
    json.dump(nan_to_none(out), sys.stdout)


def nan_to_none(v):
    """JSON has no NaN: write null (the Go side reads it back as NaN)."""
    if isinstance(v, dict):
        return {k: nan_to_none(x) for k, x in v.items()}
    if isinstance(v, list):
        return [nan_to_none(x) for x in v]
    if isinstance(v, float) and v != v:
        return None
    return v


if __name__ == "__main__":
    main()
