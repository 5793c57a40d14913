// Package notebooks holds the chapter's Jupyter notebooks, which run on the
// GoNB kernel, and the tests that run them as a reader does.
//
// ch6_proj34_qkv_activations.ipynb is the chapter cell by cell (the
// solution); ch6_proj34_qkv_activations_exercise.ipynb is the same notebook
// with the book's blanks, generated from it (mkexercise). The cells' runtime
// is package nb; docs/gonb.md says how the cells cope with GoNB's way of
// running them.
//
// The tests drive one GoNB kernel cell by cell through jupyter_client
// (testdata/kernel.py), without a restart, and check every step's output
// against `qkv run`'s results.json for the same inputs. They need jupyter's
// Python client, gonb, goimports and go on PATH, with the gonb kernel
// registered (scripts/setup-jupyter.sh --headless installs them), a small
// random GPT-2 they write themselves, and the GPT-2 tokenizer and The Great
// Gatsby from ../shared/data; they skip without them (fail under
// QKV_REQUIRE_REFS=1).
package notebooks
