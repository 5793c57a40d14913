package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// testConfig is the random GPT-2 the tests run unless $QKV_NOTEBOOK_MODEL
// names a checkpoint folder: small, but with layer 6 (the book's layer) and
// the real vocabulary, so the real tokenizer fits it.
var testConfig = checkpoint.Config{NLayers: 8, NEmb: 64, NHeads: 4, NPositions: 128, VocabSize: 50257,
	LayerNormEps: 1e-5, Activation: "gelu_new"}

// figureSizes are the book's figure sizes in inches, saved at 300 dpi, and
// part 6's (the port's own), in the notebook's order.
var figureSizes = []struct {
	name string
	w, h int
}{
	{"ch6_proj34_part1", 10, 3},
	{"ch6_proj34_part2a", 8, 3},
	{"ch6_proj34_part2b", 10, 3},
	{"ch6_proj34_part3a", 12, 3},
	{"ch6_proj34_part3b", 12, 3},
	{"ch6_proj34_part4", 12, 6},
	{"ch6_proj34_part5a", 12, 6},
	{"ch6_proj34_part5b", 10, 3},
	{"ch6_proj34_part6", 12, 3},
}

// testEnv is what the notebook tests need: tools, data, a model, the
// environment, and the qkv command (which the cells' engine runs).
type testEnv struct {
	path, model, tokenizer, text, cache, work, qkv string
	cfg                                            checkpoint.Config
	env                                            []string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a Jupyter kernel: minutes")
	}
	e := &testEnv{path: toolsPath(t), tokenizer: testenv.SharedData(t, "gpt2-tokenizer"),
		text: testenv.SharedData(t, "gatsby", "pg64317.txt"), work: t.TempDir(), cfg: testConfig}
	e.cache = filepath.Join(e.work, "acts")
	e.model = os.Getenv("QKV_NOTEBOOK_MODEL")
	if e.model == "" {
		e.model = filepath.Join(e.work, "model")
		if err := checkpoint.WriteRandom(e.model, e.cfg, checkpoint.RandomOptions{Seed: 34}); err != nil {
			t.Fatal(err)
		}
	} else {
		var err error
		if e.cfg, err = checkpoint.ReadConfig(filepath.Join(e.model, "config.json")); err != nil {
			t.Fatalf("QKV_NOTEBOOK_MODEL must be a folder with config.json and model.safetensors: %v", err)
		}
		t.Logf("model %s: %s", e.model, e.cfg)
	}
	e.qkv = buildQKV(t, e.work)
	e.env = append(os.Environ(),
		"PATH="+e.path,
		"QKV_REPO="+testenv.Root(),
		"QKV_MODEL="+e.model,
		"QKV_TOKENIZER="+e.tokenizer,
		"QKV_TEXT="+e.text,
		"QKV_CACHE="+e.cache,
		"QKV_BIN="+e.qkv,
		"XDG_CACHE_HOME="+filepath.Join(e.work, "xdg"),
		"HF_HUB_OFFLINE=1",
		"GOMLX_BACKEND=go",
	)
	return e
}

// buildQKV builds the qkv command into dir.
func buildQKV(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "qkv")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/qkv")
	cmd.Dir = testenv.Root()
	cmd.Env = append(os.Environ(), "GOEXPERIMENT=simd")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/qkv: %v\n%s", err, out)
	}
	return bin
}

// inputs are what a run of the chapter depends on, as `qkv run` flags.
type inputs struct {
	target  string
	context int
	layer   int
	hist    string // part 4's edges, lo,hi,n
}

// book are the book's inputs.
var book = inputs{target: " like", context: 50, layer: 6, hist: "-4,4,101"}

// qkvRun runs `qkv run` with in on the notebook's store and returns its
// results.json. It must read the activations the notebook stored.
func (e *testEnv) qkvRun(t *testing.T, in inputs) *chapter.Results {
	t.Helper()
	out := filepath.Join(t.TempDir(), "qkv-run")
	cmd := exec.Command(e.qkv, "run", "-model", e.model, "-tokenizer", e.tokenizer, "-text", e.text, "-cache", e.cache,
		"-target", in.target, "-context", fmt.Sprint(in.context), "-layer", fmt.Sprint(in.layer), "-hist", in.hist,
		"-backend", "go", "-offline", "-out", out)
	cmd.Env = e.env
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qkv run: %v\n%s", err, log)
	}
	if !strings.Contains(string(log), "read from the store") {
		t.Errorf("qkv run %+v did not find the notebook's activations in the store (the keys differ):\n%s", in, log)
	}
	var res chapter.Results
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return &res
}

// toolsPath returns a PATH holding jupyter, go, gonb and goimports, skipping
// the test when one is missing. gopls is left out: GoNB starts it for
// autocompletion when it is on PATH, which a headless run does not need.
func toolsPath(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	gobin := ""
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		gobin = filepath.Join(strings.TrimSpace(string(out)), "bin")
	}
	for _, tool := range []string{"jupyter", "go", "gonb", "goimports"} {
		p, err := exec.LookPath(tool)
		if err != nil && gobin != "" {
			p, err = exec.LookPath(filepath.Join(gobin, tool))
		}
		if err != nil {
			testenv.Missing(t, "%s is not installed (scripts/setup-jupyter.sh --headless installs Jupyter, GoNB and goimports)", tool)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	dirs := []string{bin}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "gopls")); err != nil {
			dirs = append(dirs, d)
		}
	}
	path := strings.Join(dirs, string(os.PathListSeparator))
	cmd := exec.Command("jupyter", "kernelspec", "list")
	cmd.Env = append(os.Environ(), "PATH="+path)
	out, err := cmd.Output()
	if err != nil || !regexp.MustCompile(`(?m)^\s*gonb\s`).Match(out) {
		testenv.Missing(t, "the gonb Jupyter kernel is not registered (gonb --install; scripts/setup-jupyter.sh does it): %v", err)
	}
	return path
}
