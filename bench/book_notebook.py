#!/usr/bin/env python3
"""The book's whole notebook, filled in, as one timed script: the Python side of `qkv run`.

Usage: book_notebook.py MODEL_DIR TOKENIZER_DIR TEXT_FILE OUT_DIR [--layer 6] [--threads N]
                        [--target " like"] [--context 50] [--json OUT]

Runs the chapter's notebook (project 34, "QKV activation characteristics") cell by
cell, as a reader who filled in its blanks runs it, on local files instead of the hub
and Gutenberg: AutoModelForCausalLM.from_pretrained(MODEL_DIR), GPT2Tokenizer from
TOKENIZER_DIR (vocab.json + merges.txt), the text of TEXT_FILE; the target windows;
the forward hooks on every block's attn.c_attn; `with torch.no_grad(): model(batch)`;
then the five parts' statistics (descriptives, histograms, head standard deviations)
and the eight figures, saved as PNG at 300 dpi into OUT_DIR with matplotlib (Agg).
--layer is the notebook's layeri (6; a checkpoint with fewer layers needs a smaller
one). Prints the time of each step and writes them, with the peak RSS and the
statistics (results.json's field names), as JSON.
"""
import argparse
import json
import os
import resource
import sys
import time

# Never reach the network: everything is a local file.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, GPT2Tokenizer  # noqa: E402


def peak_rss_mib():
    """Peak resident memory of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Steps:
    """Wall time of each named step, printed as it ends."""

    def __init__(self):
        self.times, self.start = {}, time.perf_counter()

    def done(self, name, t0):
        self.times[name] = time.perf_counter() - t0
        print(f"{name}: {self.times[name]:.2f}s", file=sys.stderr)
        return time.perf_counter()


def style():
    plt.rcParams.update({
        'axes.spines.right': False,
        'axes.spines.top': False,
        'axes.titleweight': 'bold',
        'axes.labelweight': 'bold',
        'savefig.dpi': 300,
    })


def save(out, name):
    plt.tight_layout()
    plt.savefig(os.path.join(out, name))
    plt.close()


def load(a, steps):
    """Part 1's first cells: model, tokenizer, text, targets, batch."""
    t0 = time.perf_counter()
    model = AutoModelForCausalLM.from_pretrained(a.model_dir)
    tokenizer = GPT2Tokenizer.from_pretrained(a.tokenizer_dir)
    model.eval()
    t0 = steps.done("load", t0)
    n_emb, n_layers = model.config.n_embd, model.config.n_layer
    with open(a.text, encoding="utf-8") as f:
        text = f.read()
    tokens = np.array(tokenizer.encode(text))
    target_word = a.target
    target_idx = np.where(tokens == tokenizer.encode(target_word)[0])[0]
    print(f'{len(target_idx)} instances of "{target_word}"')
    contextwin = a.context
    print(f'Target count before filtering: {len(target_idx)}')
    target_idx = target_idx[target_idx >= contextwin]
    print(f'Target count after filtering: {len(target_idx)}')
    batch = torch.zeros((len(target_idx), contextwin + 1), dtype=torch.long)
    for i in range(len(target_idx)):
        toks = tokens[target_idx[i] - contextwin:target_idx[i] + 1]
        batch[i, :] = torch.tensor(toks)
    print(batch.shape)
    for i in range(5):
        print(tokenizer.decode(batch[i, -10:]))
    steps.done("tokenize", t0)
    return model, n_emb, n_layers, batch


def capture(model, n_layers, batch, steps):
    """The hooks and the forward."""
    t0 = time.perf_counter()
    activations = {}

    def implant_hook(layer_number):
        def hook(module, input, output):
            activations[f'attn_{layer_number}_qkv'] = output.detach()
        return hook

    handles = []
    for i in range(n_layers):
        handles.append(model.transformer.h[i].attn.c_attn.register_forward_hook(implant_hook(i)))
    with torch.no_grad():
        model(batch)
    for k, i in activations.items():
        print(k, i.shape)
    for h in handles:
        h.remove()
    steps.done("forward", t0)
    return activations


def meansAndVar(X):
    t1 = torch.mean(X[:, -1, :], dim=-1).mean()             # arithmetic mean
    t2 = torch.mean(torch.abs(X[:, -1, :]), dim=-1).mean()  # L1 mean
    t3 = torch.var(X[:, -1, :], dim=-1).mean()              # variance
    n1 = torch.mean(X[:, -2, :], dim=-1).mean()
    n2 = torch.mean(torch.abs(X[:, -2, :]), dim=-1).mean()
    n3 = torch.var(X[:, -2, :], dim=-1).mean()
    return torch.tensor([t1, t2, t3]), torch.tensor([n1, n2, n3])


def statistics(activations, n_emb, n_layers, n_heads, layeri):
    """Parts 2 to 5's numbers."""
    r = {}
    Q, K, V = torch.split(activations[f'attn_{layeri}_qkv'], n_emb, dim=-1)
    r["qmeans_target"], r["qmeans_nontarget"] = meansAndVar(Q)
    edges = torch.linspace(-7, 7, 234)
    r["part2b_edges"] = edges
    r["part2b"] = [(torch.histogram(M[:, -1, :].flatten(), edges, density=True)[0],
                    torch.histogram(M[:, -2, :].flatten(), edges, density=True)[0]) for M in (Q, K, V)]
    descriptives = torch.zeros((n_layers, 3, 3, 2))
    edges4 = torch.linspace(-4, 4, 101)
    histograms = torch.zeros((n_layers, 3, len(edges4) - 1, 2))
    head_dim = n_emb // n_heads
    head_stdevs = np.zeros((n_layers, 3))
    for li in range(n_layers):
        mats = torch.split(activations[f'attn_{li}_qkv'], n_emb, dim=-1)
        for m, M in enumerate(mats):
            T, N = meansAndVar(M)
            descriptives[li, m, :, 0], descriptives[li, m, :, 1] = T, N
            histograms[li, m, :, 0] = torch.histogram(M[:, -1, :].flatten(), edges4, density=True)[0]
            histograms[li, m, :, 1] = torch.histogram(M[:, -2, :].flatten(), edges4, density=True)[0]
            Mh = M.reshape(M.shape[0], M.shape[1], n_heads, head_dim)
            head_stdevs[li, m] = Mh.std(dim=1).mean()
    r.update(descriptives=descriptives, histogram_edges=edges4, histograms=histograms, head_stdevs=head_stdevs)
    return r


def figures(out, activations, r, n_emb, n_layers, n_heads, layeri, contextwin):
    """The eight figures, as the notebook draws them."""
    wide_acts = activations[f'attn_{layeri}_qkv'][:, -1, :]
    plt.figure(figsize=(10, 3))
    plt.imshow(wide_acts, aspect='auto', vmin=-1, vmax=1, cmap='plasma')
    plt.axvline(n_emb, linestyle='--', color='w')
    plt.axvline(2 * n_emb, linestyle='--', color='w')
    plt.colorbar(pad=.01)
    plt.gca().set(xticks=[], ylabel='Batch sequences',
                  xlabel='Queries dimensions         |           Keys dimensions             |           Values dimensions')
    save(out, 'ch6_proj34_part1.png')

    plt.figure(figsize=(8, 3))
    plt.bar(np.arange(3) - .2, r["qmeans_target"], width=.5, edgecolor='k', label='Target')
    plt.bar(np.arange(3) + .2, r["qmeans_nontarget"], width=.5, edgecolor='k', label='Non-target')
    plt.legend()
    plt.gca().set(xticks=range(3), xticklabels=['Arithmetic mean', 'L1 mean', 'Variance'], ylabel='Descriptive values')
    save(out, 'ch6_proj34_part2a.png')

    edges = r["part2b_edges"]
    plt.figure(figsize=(10, 3))
    for (yt, yn), name, c in zip(r["part2b"], 'QKV', 'kgr'):
        plt.plot(edges[:-1], yt, c, label=f'{name} target')
        plt.plot(edges[:-1], yn, c + '--', label=f'{name} nontarget')
    plt.legend()
    plt.gca().set(xlim=edges[[0, -1]], xlabel='Activation value', ylabel='Density',
                  title=f'Attention matrices distributions from layer {layeri}')
    save(out, 'ch6_proj34_part2b.png')

    d = r["descriptives"]
    feature = ['Arithmetic mean', 'L1 mean', 'Variance']
    for name, y in (('part3a', d.mean(dim=-1)), ('part3b', d.diff(dim=-1)[..., 0])):
        _, axs = plt.subplots(1, 3, figsize=(12, 3))
        for i in range(len(axs)):
            if name == 'part3b':
                axs[i].axhline(0, linestyle='--', linewidth=.5, color=[.7, .7, .7])
            axs[i].plot(y[:, 0, i], 'gs-', markerfacecolor=[.7, .9, .7, .7], label='Q')
            axs[i].plot(y[:, 1, i], 'ro-', markerfacecolor=[.9, .7, .7, .7], label='K')
            axs[i].plot(y[:, 2, i], 'b^-', markerfacecolor=[.7, .7, .9, .7], label='V')
            axs[i].legend()
            axs[i].set(xlabel='Transformer layer', xticks=range(0, n_layers, 4), title=f'{feature[i]}')
        save(out, f'ch6_proj34_{name}.png')

    e4, hist = r["histogram_edges"], r["histograms"]
    fig, axs = plt.subplots(2, 3, figsize=(12, 6))
    for i in range(3):
        h = axs[0, i].imshow(hist[:, i, :, 0], vmin=0, vmax=.4, aspect='auto', cmap='plasma',
                             extent=[e4[0], e4[-1], 0, n_layers], origin='lower')
        axs[0, i].set(xticklabels=[], ylabel='Layer', yticks=range(0, n_layers, 5), title=f"Target {'QKV'[i]}")
        fig.colorbar(h, ax=axs[0, i], pad=.03, orientation='horizontal')
        axs[1, i].imshow(hist[:, i, :, 1], vmin=0, vmax=.4, aspect='auto', cmap='plasma',
                         extent=[e4[0], e4[-1], 0, n_layers], origin='lower')
        axs[1, i].set(xlabel='Activation value', ylabel='Layer', yticks=range(0, n_layers, 5), title=f"Non-target {'QKV'[i]}")
    save(out, 'ch6_proj34_part4.png')

    head_dim = n_emb // n_heads
    Q = torch.split(activations[f'attn_{layeri}_qkv'], n_emb, dim=-1)[0]
    Qh = Q.view(Q.shape[0], Q.shape[1], n_heads, head_dim)
    _, axs = plt.subplots(4, 5, figsize=(12, 6))
    for i, ax in enumerate(axs.flatten()[:n_heads]):
        ax.pcolor(Qh[0, :, i, :].T, cmap='plasma', vmin=-2, vmax=2)
        ax.text(contextwin - .5, head_dim - 1, f'Qh{i}', fontsize=12, fontweight='bold', color='k', ha='right', va='top')
        ax.text(contextwin, head_dim - 2, f'Qh{i}', fontsize=12, fontweight='bold', color='w', ha='right', va='top')
        ax.set(xticks=[], yticks=[])
    axs[3, 0].set(ylabel='Head dim', xlabel='Token position')
    save(out, 'ch6_proj34_part5a.png')

    hs = r["head_stdevs"]
    plt.figure(figsize=(10, 3))
    plt.plot(hs[:, 0], 'gs-', markersize=9, markerfacecolor=[.7, .9, .7], label='Q')
    plt.plot(hs[:, 1], 'ro-', markersize=9, markerfacecolor=[.9, .7, .7], label='K')
    plt.plot(hs[:, 2], 'b^-', markersize=9, markerfacecolor=[.7, .7, .9], label='V')
    plt.legend()
    plt.gca().set(xlabel='Transformer layer', ylabel='Average standard deviation')
    save(out, 'ch6_proj34_part5b.png')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("tokenizer_dir")
    ap.add_argument("text")
    ap.add_argument("out")
    ap.add_argument("--layer", type=int, default=6, help="the notebook's layeri (default 6)")
    ap.add_argument("--target", default=" like")
    ap.add_argument("--context", type=int, default=50)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (default: torch's own)")
    ap.add_argument("--json", help="write the step times, peak RSS and statistics to this file")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    style()
    steps = Steps()
    model, n_emb, n_layers, batch = load(a, steps)
    if not 0 <= a.layer < n_layers:
        sys.exit(f"book_notebook: --layer {a.layer}: the model has layers 0 to {n_layers - 1}")
    n_heads = model.config.n_head
    activations = capture(model, n_layers, batch, steps)
    t0 = time.perf_counter()
    r = statistics(activations, n_emb, n_layers, n_heads, a.layer)
    t0 = steps.done("statistics", t0)
    figures(a.out, activations, r, n_emb, n_layers, n_heads, a.layer, a.context)
    steps.done("figures", t0)
    total = time.perf_counter() - steps.start
    print(f"whole notebook: {total:.2f}s, peak RSS {peak_rss_mib():.0f} MiB "
          f"(torch {torch.__version__}, transformers {transformers.__version__}, {torch.get_num_threads()} threads)")
    if a.json:
        rep = {"impl": "pytorch-notebook", "backend": f"torch {torch.__version__}, transformers {transformers.__version__}",
               "threads": torch.get_num_threads(), "steps_s": steps.times, "total_s": total,
               "peak_rss_mib": peak_rss_mib(), "n": int(batch.shape[0]), "t": int(batch.shape[1]), "layer": a.layer}
        rep.update({k: np.asarray(v, dtype=np.float64).tolist() for k, v in r.items() if k != "part2b"})
        rep["part2b_histograms"] = np.stack([np.stack([np.asarray(yt), np.asarray(yn)], -1) for yt, yn in r["part2b"]]).tolist()
        with open(a.json, "w") as f:
            json.dump(rep, f)
            f.write("\n")


if __name__ == "__main__":
    main()
