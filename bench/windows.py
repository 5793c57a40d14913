#!/usr/bin/env python3
"""Makes the benchmark's [N, T] batch of token ids as JSON ([[id, ...], ...]).

Usage: windows.py IDS.json OUT.json [--target 588] [--context 50]
       windows.py --random N T VOCAB SEED OUT.json

The first form builds the book's batch from the whole text's token ids
(`qkv tokenize -out IDS.json`): every position of the target id at index >=
context gives the row ids[idx-context : idx+1] (the target last); the book's
Gatsby text gives 114 rows of 51. The second writes N rows of T ids uniform in
[0, VOCAB) from Python's random.Random(SEED).
"""
import argparse
import json
import random
import sys


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--random":
        if len(sys.argv) != 7:
            sys.exit("usage: windows.py --random N T VOCAB SEED OUT.json")
        n, t, vocab, seed = (int(x) for x in sys.argv[2:6])
        rng = random.Random(seed)
        rows = [[rng.randrange(vocab) for _ in range(t)] for _ in range(n)]
        out = sys.argv[6]
    else:
        ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
        ap.add_argument("ids")
        ap.add_argument("out")
        ap.add_argument("--target", type=int, default=588, help="target token id (588 is ' like')")
        ap.add_argument("--context", type=int, default=50, help="tokens of context before the target")
        a = ap.parse_args()
        with open(a.ids) as f:
            ids = json.load(f)
        idx = [i for i, x in enumerate(ids) if x == a.target]
        print(f"Target count before filtering: {len(idx)}", file=sys.stderr)
        idx = [i for i in idx if i >= a.context]
        print(f"Target count after filtering: {len(idx)}", file=sys.stderr)
        if not idx:
            sys.exit(f"windows.py: token {a.target} never occurs at or after position {a.context} in {a.ids}")
        rows = [ids[i - a.context:i + 1] for i in idx]
        out = a.out
    with open(out, "w") as f:
        json.dump(rows, f)
    print(f"batch shape: [{len(rows)}, {len(rows[0])}] -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
