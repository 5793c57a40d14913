"""Drives one GoNB kernel cell by cell, as a reader does in Jupyter (run by
the notebook tests; independent of Jupyter's front ends and of nbconvert).

usage: kernel.py < PLAN.json > RESULTS.json

PLAN.json: {"cwd": folder the kernel starts in, "timeout": seconds per cell,
            "cells": [source, ...]}: the cells to execute, in order, in the
            one kernel. RESULTS.json: one object per cell, in order:
  {"status": "ok" | "error", "seconds": wall time from request to reply,
   "outputs": [{"type": "stream", "name": "stdout"|"stderr", "text": ...}
             | {"type": "display", "data": {mime: content}}
             | {"type": "error", "text": ename: evalue}]}
Progress goes to stderr, one line per cell.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def execute(kc, code, timeout):
    start = time.time()
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            if outputs and outputs[-1]["type"] == "stream" and outputs[-1]["name"] == content["name"]:
                outputs[-1]["text"] += content["text"]
            else:
                outputs.append({"type": "stream", "name": content["name"], "text": content["text"]})
        elif kind in ("display_data", "update_display_data", "execute_result"):
            outputs.append({"type": "display", "data": content["data"]})
        elif kind == "error":
            outputs.append({"type": "error", "text": content["ename"] + ": " + content["evalue"]})
        elif kind == "status" and content["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    return {"status": reply["content"]["status"], "seconds": time.time() - start, "outputs": outputs}


def main():
    plan = json.load(sys.stdin)
    km, kc = start_new_kernel(kernel_name="gonb", cwd=plan["cwd"])
    results = []
    try:
        for i, code in enumerate(plan["cells"]):
            r = execute(kc, code, plan.get("timeout", 600))
            first = code.strip().splitlines()[0] if code.strip() else ""
            print("cell %d: %.2f s %s  %s" % (i, r["seconds"], r["status"], first[:70]), file=sys.stderr, flush=True)
            results.append(r)
    finally:
        json.dump(results, sys.stdout)
        sys.stdout.flush()
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
