#!/usr/bin/env python3
"""Times the Go notebook as a reader runs it: Run All in a fresh GoNB kernel,
then every cell again in the same kernel (the warm cells), then once more.

usage: go_notebook.py NOTEBOOK.ipynb WORKDIR --json OUT.json [--warm-up-model DIR]

The caller's environment says what the cells read (QKV_MODEL, QKV_TOKENIZER,
QKV_TEXT, QKV_CACHE: an empty folder for a first run, QKV_BIN, GOMLX_BACKEND,
HF_HUB_OFFLINE, PATH with gonb, goimports and go). With --warm-up-model, Run
All first runs untimed in another kernel on that (small) model, so that the Go
build cache holds what every cell links: the timed run then measures a warm
build cache, as a reader's second session has. The kernel works in WORKDIR
(the figures are saved there).

OUT.json: {"run_all_s": from the first cell's request to the last's reply,
           "cells": [{"cell": its first line, "figure": shows an SVG,
                      "capture": runs GPT-2 (calls activations.Capture),
                      "run_all_s": ..., "warm_s": ..., "again_s": ...
                      (null for the set-up)}],
           "floor": {"gonb": {"new_s": ..., "again_s": ...},
                     "notebook": {"new_s": ..., "again_s": ...}}}
warm_s: the first run after Run All, whose program holds every declaration
of the notebook and so is built anew; again_s: the same program once more
(its link taken from notebooks/linkcache).
floor: the median time of a cell that only prints a number, new (a number
not printed before: a program built anew) and again (unchanged), five times
each: "gonb" in a kernel of its own with nothing declared, what GoNB and the
go command take on this machine for any cell; "notebook" in the notebook's
kernel after the passes, with every declaration of the notebook (so also
what those add). A cell's own work is what it takes beyond the notebook's
floor.
A cell that fails (a line starting with "✗", or an error) fails the script.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "notebooks", "testdata"))
from kernel import execute  # noqa: E402
from jupyter_client.manager import start_new_kernel  # noqa: E402


def code_cells(path):
    with open(path) as f:
        nb = json.load(f)
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def failure(result):
    for o in result["outputs"]:
        if o["type"] == "error":
            return o["text"]
        if o["type"] == "stream" and o["name"] == "stderr" and "✗ " in o["text"]:
            return o["text"].strip()
    return None


def start_kernel(cwd, env):
    old = dict(os.environ)
    os.environ.update(env)
    try:
        return start_new_kernel(kernel_name="gonb", cwd=cwd)
    finally:
        os.environ.clear()
        os.environ.update(old)


def run(cells, cwd, env, passes):
    """Runs cells (then, for passes > 1, every cell but the first again) in
    one kernel; returns the results of each pass, Run All's wall time and,
    for passes > 1, the floor of that kernel (see floor)."""
    km, kc = start_kernel(cwd, env)
    out, notebook_floor = [], None
    try:
        start = time.time()
        out.append([execute(kc, c, 1800) for c in cells])
        total = time.time() - start
        for _ in range(passes - 1):
            out.append([None] + [execute(kc, c, 1800) for c in cells[1:]])
        if passes > 1:
            notebook_floor = floor(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out, total, notebook_floor


def floor(kc, n=5):
    """The median time of a cell that only prints a number: new each time
    (a program built anew), then again, unchanged."""
    cell = "%%\nfmt.Println({})".format
    new = [checked(execute(kc, cell(k), 600))["seconds"] for k in range(1, n + 1)]
    again = [checked(execute(kc, cell(n), 600))["seconds"] for _ in range(n)]
    return {"new_s": statistics.median(new), "again_s": statistics.median(again)}


def gonb_floor():
    """floor in a kernel of its own, with nothing declared but fmt."""
    with tempfile.TemporaryDirectory(prefix="gonb-floor-") as wd:
        km, kc = start_kernel(wd, {})
        try:
            checked(execute(kc, 'import "fmt"\n\n%%\nfmt.Println(0)', 600))
            return floor(kc)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


def checked(result):
    if failure(result) or result["status"] != "ok":
        sys.exit(f"go_notebook.py: the floor's cell failed: {failure(result) or result['status']}")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebook")
    ap.add_argument("workdir")
    ap.add_argument("--json", required=True)
    ap.add_argument("--warm-up-model")
    a = ap.parse_args()
    cells = code_cells(a.notebook)
    if a.warm_up_model:
        wd = os.path.join(a.workdir, "warm-up")
        os.makedirs(os.path.join(wd, "acts"), exist_ok=True)
        print("warming the Go build cache: Run All on", a.warm_up_model, file=sys.stderr, flush=True)
        run(cells, wd, {"QKV_MODEL": a.warm_up_model, "QKV_CACHE": os.path.join(wd, "acts")}, 1)
    wd = os.path.join(a.workdir, "run")
    os.makedirs(wd, exist_ok=True)
    print("Run All, then every cell again, twice", file=sys.stderr, flush=True)
    (first, warm, again), total, notebook_floor = run(cells, wd, {}, 3)
    print("GoNB's floor: a cell that only prints, in a kernel of its own", file=sys.stderr, flush=True)
    floors = {"gonb": gonb_floor(), "notebook": notebook_floor}
    rows = []
    for i, c in enumerate(cells):
        for r in (first[i], warm[i], again[i]):
            if r is not None and failure(r):
                sys.exit(f"go_notebook.py: cell {i} failed: {failure(r)}")
        line = c.strip().splitlines()[0] if c.strip() else ""
        figure = any("image/svg+xml" in o.get("data", {}) for o in first[i]["outputs"])
        rows.append({"cell": line, "figure": figure, "capture": "activations.Capture(" in c, "run_all_s": first[i]["seconds"],
                     "warm_s": warm[i]["seconds"] if warm[i] else None,
                     "again_s": again[i]["seconds"] if again[i] else None})
        print(f"cell {i:2}: Run All {first[i]['seconds']:7.2f} s, warm {rows[-1]['warm_s'] or 0:5.2f} s, "
              f"again {rows[-1]['again_s'] or 0:5.2f} s  {line[:60]}", file=sys.stderr)
    with open(a.json, "w") as f:
        json.dump({"run_all_s": total, "cells": rows, "floor": floors}, f, indent=1)
    print(f"Run All {total:.1f} s", file=sys.stderr)
    for k, v in floors.items():
        print(f"floor ({k}): new {v['new_s']:.2f} s, again {v['again_s']:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
