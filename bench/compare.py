#!/usr/bin/env python3
"""Puts `qkv bench -json` and `pytorch_capture.py --json` side by side.

Usage: compare.py GO.json PYTORCH.json [--go-npz A.npz --py-npz B.npz --layer L] [--tol 1e-4]

Prints a table of load time, forward wall time, tokens/s, GFLOP/s and peak RSS
for both, with the ratio go ÷ pytorch, and, given the two .npz files, the max
absolute difference of layer L's c_attn output (attn_{L}_qkv). Exits 1 when the
difference exceeds --tol times max(1, max |pytorch value|).
"""
import argparse
import json
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("go")
    ap.add_argument("py")
    ap.add_argument("--go-npz")
    ap.add_argument("--py-npz")
    ap.add_argument("--layer", type=int, default=6)
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--commands")
    ap.add_argument("--go-results")
    ap.add_argument("--notebook")
    ap.add_argument("--go-notebook")
    ap.add_argument("--go-notebook-forward", help="qkv bench's JSON from right before the notebook")
    a = ap.parse_args()
    with open(a.go) as f:
        g = json.load(f)
    with open(a.py) as f:
        p = json.load(f)

    print(f"GPT-2 n_layer {g['n_layer']}, n_embd {g['n_embd']}; batch [{g['n']}, {g['t']}]; "
          f"threads: go {g['threads']}, pytorch {p['threads']}")
    print(f"go:      {g['backend']}, chunks of at most {g['chunk']}, {g.get('lanes', 1)} side by side, {g['full_blocks']} full blocks + "
          f"{g['qkv_only_blocks']} up to c_attn, LM head {'yes' if g['lm_head'] else 'no'}")
    print(f"pytorch: {p['backend']}, whole batch, {p['full_blocks']} full blocks, "
          f"LM head {'yes' if p['lm_head'] else 'no'}")
    rows = [
        ("load (s)", "load_s", "{:.2f}"),
        ("forward, run 1 (s)", "wall_s", "{:.2f}"),
        ("forward, best (s)", "best_s", "{:.2f}"),
        ("tokens/s", "tokens_per_s", "{:.1f}"),
        ("GFLOP per forward", "gflop", "{:.1f}"),
        ("GFLOP/s", "gflop_per_s", "{:.2f}"),
        ("peak RSS after load (MiB)", "load_peak_rss_mib", "{:.0f}"),
        ("peak RSS (MiB)", "peak_rss_mib", "{:.0f}"),
        ("activations kept (MiB)", "kept_bytes", "{:.0f}"),
    ]
    print(f"\n| {'':26} | {'go':>10} | {'pytorch':>10} | {'go ÷ pytorch':>12} |")
    print(f"|{'-' * 28}|{'-' * 12}|{'-' * 12}|{'-' * 14}|")
    for label, key, fmt in rows:
        gv, pv = g[key], p[key]
        if key == "kept_bytes":
            gv, pv = gv / 2**20, pv / 2**20
        ratio = f"{gv / pv:.2f}" if pv else "-"
        print(f"| {label:26} | {fmt.format(gv):>10} | {fmt.format(pv):>10} | {ratio:>12} |")
    speed = p["wall_s"] / g["wall_s"]
    print(f"\nForward speed, go ÷ pytorch (pytorch's wall time ÷ go's): {speed:.2f}x, {'go faster' if speed >= 1.005 else 'go slower' if speed <= 0.995 else 'level'} "
          f"(run 1; best runs {p['best_s'] / g['best_s']:.2f}x); peak memory go ÷ pytorch {g['peak_rss_mib'] / p['peak_rss_mib']:.2f}.")

    if a.go_npz and a.py_npz:
        name = f"attn_{a.layer}_qkv"
        x = np.load(a.go_npz)[name].astype(np.float64)
        y = np.load(a.py_npz)[name].astype(np.float64)
        if x.shape != y.shape:
            sys.exit(f"compare.py: {name} shapes differ: go {x.shape}, pytorch {y.shape}")
        d, scale = float(np.abs(x - y).max()), float(np.abs(y).max())
        print(f"{name} {list(x.shape)}: max |go - pytorch| = {d:.3g} (max |value| {scale:.3g})")
        if d > a.tol * max(1.0, scale):
            sys.exit(f"compare.py: {name} differs by {d:.3g} > {a.tol:g} x max(1, {scale:.3g})")
    if a.commands:
        commands_table(g, p, a.commands, a.go_notebook)
    if a.go_results and a.notebook:
        results_diff(a.go_results, a.notebook)
    if a.go_notebook:
        notebook_table(a.go_notebook, g, a.go_notebook_forward)


def commands_table(g, p, path, go_notebook=None):
    """The user-facing commands beside the two forwards, and the ratios. The
    row "go notebook" times go_notebook.py whole (the warm-up Run All, two
    kernels' start, Run All and the warm pass) for its peak memory; the
    ratio to the Python notebook takes its Run All alone."""
    rows = {"qkv bench (forward, run 1)": (g["wall_s"], g["peak_rss_mib"]),
            "pytorch_capture.py (forward)": (p["wall_s"], p["peak_rss_mib"])}
    with open(path) as f:
        for line in f:
            name, wall, mib = line.rstrip("\n").split("\t")
            rows[name] = (float(wall), float(mib))
    print(f"\n| {'command':30} | {'wall (s)':>9} | {'peak RSS (MiB)':>14} |")
    print(f"|{'-' * 32}|{'-' * 11}|{'-' * 16}|")
    for name, (wall, mib) in rows.items():
        print(f"| {name:30} | {wall:9.2f} | {mib:14.0f} |")
    fwd, pyf = rows["qkv bench (forward, run 1)"][0], rows["pytorch_capture.py (forward)"][0]
    ratios = [("qkv capture ÷ qkv bench run 1", "qkv capture", fwd),
              ("qkv run ÷ qkv bench run 1", "qkv run", fwd),
              ("qkv run ÷ PyTorch forward", "qkv run", pyf),
              ("qkv run ÷ Python whole notebook", "qkv run", rows.get("python notebook", (0, 0))[0])]
    if go_notebook:
        with open(go_notebook) as f:
            rows["go notebook, Run All"] = (json.load(f)["run_all_s"], 0)
        ratios.append(("go notebook Run All ÷ Python whole notebook", "go notebook, Run All",
                       rows.get("python notebook", (0, 0))[0]))
    print(f"\nqkv bench ÷ PyTorch forward: {fwd / pyf:.2f}")
    for label, name, base in ratios:
        if name in rows and base:
            print(f"{label}: {rows[name][0] / base:.2f}")


def notebook_table(path, g, forward_path):
    """The Go notebook's cells: Run All and warm times; the capture cell
    beside qkv bench's first forward, the sitting's first and, when given,
    the one run right before the notebook (the machine's speed drifts)."""
    with open(path) as f:
        nb = json.load(f)
    capture = [c["run_all_s"] for c in nb["cells"] if c.get("capture")]
    if capture:
        print(f"\ncapture cell (Run All) {capture[0]:.2f} s ÷ qkv bench run 1 {g['wall_s']:.2f} s: {capture[0] / g['wall_s']:.2f}")
        if forward_path:
            with open(forward_path) as f:
                w = json.load(f)["wall_s"]
            print(f"capture cell ÷ qkv bench right before the notebook ({w:.2f} s): {capture[0] / w:.2f}")
    print(f"\nGo notebook, Run All {nb['run_all_s']:.1f} s (inside the kernel); each cell (warm: run again in the same kernel, "
          "its program built anew; again: once more, unchanged):")
    print(f"| {'#':>2} | {'cell':48} | {'Run All (s)':>11} | {'warm (s)':>8} | {'again (s)':>9} |")
    print(f"|{'-' * 4}|{'-' * 50}|{'-' * 13}|{'-' * 10}|{'-' * 11}|")
    for i, c in enumerate(nb["cells"]):
        warm = "" if c["warm_s"] is None else f"{c['warm_s']:.2f}"
        again = "" if c.get("again_s") is None else f"{c['again_s']:.2f}"
        name = ("[figure] " if c["figure"] else "") + c["cell"]
        print(f"| {i:2} | {name[:48]:48} | {c['run_all_s']:11.2f} | {warm:>8} | {again:>9} |")
    for key, label in (("warm_s", "warm"), ("again_s", "again")):
        timed = [c for c in nb["cells"] if c.get(key) is not None]
        for fig, target in ((False, 0.3), (True, 0.8)):
            ws = sorted(c[key] for c in timed if c["figure"] == fig)
            if ws:
                over = sum(w > target for w in ws)
                print(f"{label} cells {'with' if fig else 'without'} a figure: median {ws[len(ws) // 2]:.2f} s, {over} of {len(ws)} over {target} s")
    names = {"gonb": "GoNB alone (a kernel of its own, nothing declared)",
             "notebook": "the notebook's kernel (every declaration of the notebook)"}
    for key, fl in nb.get("floor", {}).items():
        print(f"floor, a cell that only prints, in {names[key]}: new {fl['new_s']:.2f} s, again {fl['again_s']:.2f} s")


def results_diff(go_path, nb_path):
    """Largest |qkv run - notebook| per statistic."""
    with open(go_path) as f:
        go = json.load(f)
    with open(nb_path) as f:
        nb = json.load(f)
    for key in ("qmeans_target", "qmeans_nontarget", "part2b_histograms", "descriptives", "histograms", "head_stdevs"):
        x, y = np.asarray(go[key], dtype=np.float64), np.asarray(nb[key], dtype=np.float64)
        if x.shape != y.shape:
            print(f"results {key}: shapes differ, qkv run {x.shape}, notebook {y.shape}")
            continue
        print(f"results {key}: max |qkv run - notebook| = {float(np.abs(x - y).max()):.3g}")


if __name__ == "__main__":
    main()
