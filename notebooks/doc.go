// Package notebooks holds the chapter's Jupyter notebook,
// ch6_proj34_qkv_activations.ipynb, which runs on the GoNB kernel, and the test
// that executes it headless from top to bottom.
//
// The test (TestNotebook) needs jupyter (nbconvert), gonb, goimports and go on
// PATH, with the gonb kernel registered: scripts/setup-jupyter.sh --headless
// installs them. It skips when they are absent (fails under QKV_REQUIRE_REFS=1).
// It runs the notebook twice on a small random GPT-2 checkpoint, the real GPT-2
// tokenizer and The Great Gatsby from ../shared/data: once with an empty
// activation store (the capture cell runs GPT-2) and once with the store filled
// (the capture cell reopens it), and checks every cell's output: the book's
// target counts, the decoded rows, the layer names and shapes, and the eight
// figures, inline as SVG and saved as PNG at the book's size and 300 dpi.
package notebooks
