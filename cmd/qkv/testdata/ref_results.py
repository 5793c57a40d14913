#!/usr/bin/env python3
"""Recomputes `qkv run`'s results.json from exported activations with numpy.

usage: ref_results.py ACTS.npz RESULTS.json LAYER

ACTS.npz holds attn_{i}_qkv float32 [N, T, 3E] for every layer (qkv's store
export). Every statistic is recomputed as docs/chapter.md states it (the edge rules and
torch's float32 linspace come from qkvlib/stats/testdata/reference.py, the
stats package's own numpy reference) and compared with RESULTS.json; prints the
largest absolute difference per field and exits 1 when one exceeds 1e-4.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "qkvlib", "stats", "testdata"))
from reference import density, torch_linspace_f32  # noqa: E402


def main():
    acts = np.load(sys.argv[1])
    res = json.load(open(sys.argv[2]))
    layer = int(sys.argv[3])
    nl, E, H = res["n_layers"], res["n_embd"], res["n_heads"]
    e7 = torch_linspace_f32(-7, 7, 234)
    e4 = torch_linspace_f32(-4, 4, 101)
    desc = np.zeros((nl, 3, 3, 2))
    hist = np.zeros((nl, 3, 100, 2))
    heads = np.zeros((nl, 3))
    h2b = np.zeros((3, 233, 2))
    for l in range(nl):
        X = acts["attn_%d_qkv" % l]
        N, T, _ = X.shape
        for m, M in enumerate(np.split(X, 3, axis=-1)):
            for p, pos in enumerate((-1, -2)):
                rows = M[:, pos, :].astype(np.float64)
                desc[l, m, 0, p] = rows.mean(axis=1).mean()
                desc[l, m, 1, p] = np.abs(rows).mean(axis=1).mean()
                desc[l, m, 2, p] = rows.var(axis=1, ddof=1).mean()
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
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
