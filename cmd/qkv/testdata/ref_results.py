#!/usr/bin/env python3
"""Recomputes `qkv run`'s results.json from exported activations with numpy.

usage: ref_results.py ACTS.npz RESULTS.json LAYER

ACTS.npz holds attn_{i}_qkv float32 [N, T, 3E] for every layer (qkv's store
export). Every statistic is recomputed as docs/chapter.md states it (the edge rules and
torch's float32 linspace come from qkvlib/describe/testdata/reference.py, the
stats package's own numpy reference) and compared with RESULTS.json; prints the
largest absolute difference per field and exits 1 when one exceeds 1e-4.

Part 6 is checked with numpy and scipy: the mean differences and d_z to 1e-9,
the adjusted p-values as scipy's false_discovery_control (a numpy transcription
of it on scipy < 1.11) of the p-values to 1e-12, the p-values and intervals
within the Monte-Carlo error of scipy's own permutation_test and bootstrap.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "qkvlib", "describe", "testdata"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "qkvlib", "paired", "testdata"))
from reference import density, torch_linspace_f32  # noqa: E402
from paired_reference import bh_numpy  # noqa: E402


def main():
    acts = np.load(sys.argv[1])
    res = json.load(open(sys.argv[2]))
    layer = int(sys.argv[3])
    nl, E, H = res["n_layers"], res["n_emb"], res["n_heads"]
    e7 = torch_linspace_f32(-7, 7, 234)
    e4 = torch_linspace_f32(-4, 4, 101)
    desc = np.zeros((nl, 3, 3, 2))
    hist = np.zeros((nl, 3, 100, 2))
    heads = np.zeros((nl, 3))
    h2b = np.zeros((3, 233, 2))
    seq = None  # per-sequence descriptives [nl, N, 3, 3, 2]
    for l in range(nl):
        X = acts["attn_%d_qkv" % l]
        N, T, _ = X.shape
        if seq is None:
            seq = np.zeros((nl, N, 3, 3, 2))
        for m, M in enumerate(np.split(X, 3, axis=-1)):
            for p, pos in enumerate((-1, -2)):
                rows = M[:, pos, :].astype(np.float64)
                seq[l, :, m, 0, p] = rows.mean(axis=1)
                seq[l, :, m, 1, p] = np.abs(rows).mean(axis=1)
                seq[l, :, m, 2, p] = rows.var(axis=1, ddof=1)
                desc[l, m, :, p] = seq[l, :, m, :, p].mean(axis=0)
                hist[l, m, :, p] = density(M[:, pos, :].ravel(), e4)
                if l == layer:
                    h2b[m, :, p] = density(M[:, pos, :].ravel(), e7)
            heads[l, m] = M.astype(np.float64).reshape(N, T, H, E // H).std(axis=1, ddof=1).mean()
    want = {
        "descriptives": desc,
        "histograms": hist,
        "head_stdevs": heads,
        "qmeans_target": desc[layer, 0, :, 0],
        "qmeans_nontarget": desc[layer, 0, :, 1],
        "part2b_histograms": h2b,
        "part2b_edges": e7.astype(np.float64),
        "histogram_edges": e4.astype(np.float64),
    }
    bad = False
    for k, v in want.items():
        got = np.array(res[k], dtype=np.float64)
        if got.shape != v.shape:
            print("%s: shape %s, want %s" % (k, got.shape, v.shape))
            bad = True
            continue
        d = float(np.max(np.abs(got - v)))
        print("%s: max |diff| %.3g" % (k, d))
        bad |= not d <= 1e-4
    bad |= not check_part6(res["part6"], seq)
    sys.exit(1 if bad else 0)


def check_part6(part6, seq):
    """Checks results.json's part 6 against numpy and scipy; prints what differs."""
    from scipy import stats
    d = (seq[..., 1] - seq[..., 0]).transpose(1, 0, 2, 3).reshape(seq.shape[1], -1)  # [N, nl*9]
    got = {k: np.array([[[c[k] for c in m] for m in l] for l in part6["tests"]]).ravel()
           for k in ("diff", "dz", "p", "p_bh", "ci_lo", "ci_hi")}
    N, B = d.shape[0], part6["resamples"]
    se = d.std(axis=0, ddof=1) / np.sqrt(N)
    ok = True

    def report(name, err, tol):
        nonlocal ok
        print("part6 %s: max %.3g (tolerance %.3g)" % (name, np.max(err), np.max(tol)))
        ok &= bool(np.all(err <= tol))

    report("diff |diff|", np.abs(got["diff"] - d.mean(axis=0)), 1e-9)
    report("dz |diff|", np.abs(got["dz"] - d.mean(axis=0) / d.std(axis=0, ddof=1)), 1e-9)
    fdc = getattr(stats, "false_discovery_control", None)
    bh = fdc(got["p"], method="bh") if fdc else bh_numpy(got["p"])
    report("p_bh |diff| (%s)" % ("scipy" if fdc else "numpy"), np.abs(got["p_bh"] - bh), 1e-12)
    # scipy's own random flips and resamples: both sides are Monte-Carlo estimates.
    stat = lambda x, y, axis: np.mean(x - y, axis=axis)  # noqa: E731
    ref = stats.permutation_test((d, np.zeros_like(d)), stat, permutation_type="samples", vectorized=True,
                                 n_resamples=B, axis=0, random_state=1).pvalue
    q = np.clip(ref / 2, 1 / B, 0.5)
    report("p |diff| vs scipy's random permutation_test", np.abs(got["p"] - ref),
           6 * 2 * np.sqrt(2 * q * (1 - q) / B) + 4 / B)
    ci = stats.bootstrap((d,), np.mean, axis=0, method="percentile", n_resamples=B,
                         confidence_level=part6["level"], random_state=1).confidence_interval
    report("ci_lo |diff| / se vs scipy's bootstrap", np.abs(got["ci_lo"] - ci.low) / se, 0.15)
    report("ci_hi |diff| / se vs scipy's bootstrap", np.abs(got["ci_hi"] - ci.high) / se, 0.15)
    return ok


if __name__ == "__main__":
    main()
