package notebooks

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// notebookFile is the notebook under test, beside this file.
const notebookFile = "ch6_proj34_qkv_activations.ipynb"

// cellTimeout bounds one cell (nbconvert's ExecutePreprocessor.timeout).
const cellTimeout = 600 * time.Second

// testConfig is the random GPT-2 the test runs unless $QKV_NOTEBOOK_MODEL names
// a checkpoint folder: small, but with layer 6 (the book's layer) and the real
// vocabulary, so the real tokenizer fits it.
var testConfig = checkpoint.Config{NLayers: 8, NEmb: 64, NHeads: 4, NPositions: 128, VocabSize: 50257,
	LayerNormEps: 1e-5, Activation: "gelu_new"}

// figureSizes are the book's figure sizes in inches (SPEC.md), saved at 300 dpi.
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
}

// The book's counts for " like" in The Great Gatsby (Gutenberg 64317, whole file).
const (
	bookTargetsBefore = 114 // none falls in the first 50 tokens
	bookTargetsAfter  = 114
)

func TestNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Jupyter: minutes")
	}
	path := toolsPath(t)
	tokenizer := testenv.SharedData(t, "gpt2-tokenizer")
	text := testenv.SharedData(t, "gatsby", "pg64317.txt")

	work := t.TempDir()
	model, cfg := os.Getenv("QKV_NOTEBOOK_MODEL"), testConfig
	if model == "" {
		model = filepath.Join(work, "model")
		if err := checkpoint.WriteRandom(model, cfg, checkpoint.RandomOptions{Seed: 34}); err != nil {
			t.Fatal(err)
		}
	} else {
		var err error
		if cfg, err = checkpoint.ReadConfig(filepath.Join(model, "config.json")); err != nil {
			t.Fatalf("QKV_NOTEBOOK_MODEL must be a folder with config.json and model.safetensors: %v", err)
		}
		t.Logf("model %s: %s", model, cfg)
	}
	env := append(os.Environ(),
		"PATH="+path,
		"QKV_REPO="+testenv.Root(),
		"QKV_MODEL="+model,
		"QKV_TOKENIZER="+tokenizer,
		"QKV_TEXT="+text,
		"QKV_CACHE="+filepath.Join(work, "acts"),
		"HF_HUB_OFFLINE=1",
		"GOMLX_BACKEND=go",
	)

	for _, run := range []struct {
		name    string
		capture string // what the capture cell must say
	}{
		{"cold", fmt.Sprintf("Captured %d layers", cfg.NLayers)}, // empty store: GPT-2 runs
		{"warm", "read from the store"},                          // the store from the cold run
	} {
		start := time.Now()
		nb := execute(t, filepath.Join(work, run.name), env)
		t.Logf("%s run: %s", run.name, time.Since(start).Round(time.Second))
		checkNotebook(t, nb, cfg, filepath.Join(work, run.name), run.capture)
		if t.Failed() {
			return
		}
		checkNumbers(t, nb, model, tokenizer, text, filepath.Join(work, "acts"))
	}
}

// checkNumbers checks that the numbers the notebook prints (part 3's test of
// meansAndVar on layer 6's Q) equal those `qkv run` writes to results.json
// (qkvlib's Chapter.Results) for the same inputs and stored activations.
func checkNumbers(t *testing.T, nb notebook, model, tokenizer, text, cache string) {
	t.Helper()
	var printed string
	for _, c := range nb.Cells {
		if c.Type == "code" && strings.Contains(c.source(), "fmt.Println(meansAndVar(Q))") {
			printed = c.stream("stdout")
		}
	}
	var got [6]float64
	if n, err := fmt.Sscanf(strings.NewReplacer("[", "", "]", "").Replace(printed), "%g %g %g %g %g %g",
		&got[0], &got[1], &got[2], &got[3], &got[4], &got[5]); err != nil || n != 6 {
		t.Fatalf("cannot read the meansAndVar cell's output %q: %v", printed, err)
	}
	o := qkvlib.BookOptions()
	o.Model, o.Tokenizer, o.Text, o.CacheDir, o.Backend = model, tokenizer, text, cache, "go"
	ch, err := qkvlib.Prepare(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	acts, err := ch.Activations()
	if err != nil {
		t.Fatal(err)
	}
	defer acts.Close()
	res, err := ch.Results(acts, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := append(res.QMeansTarget[:], res.QMeansNontarget[:]...)
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > 1e-12*max(1, math.Abs(want[i])) {
			t.Errorf("the notebook prints %v for layer 6's Q (target, non-target), results.json has %v", got, want)
			break
		}
	}
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

// notebook is the part of an .ipynb file the test reads.
type notebook struct {
	Cells []cell `json:"cells"`
}

type cell struct {
	Type     string   `json:"cell_type"`
	Source   any      `json:"source"` // a string or a list of lines
	Outputs  []output `json:"outputs"`
	Metadata struct {
		Execution map[string]time.Time `json:"execution"` // nbclient's record_timing
	} `json:"metadata"`
}

type output struct {
	Type   string         `json:"output_type"`
	Name   string         `json:"name"` // stdout, stderr
	Text   any            `json:"text"` // a string or a list of lines
	Data   map[string]any `json:"data"`
	Ename  string         `json:"ename"`
	Evalue string         `json:"evalue"`
}

func (c cell) source() string { return multiline(c.Source) }

// duration is how long the kernel took to run the cell.
func (c cell) duration() time.Duration {
	e := c.Metadata.Execution
	return e["shell.execute_reply"].Sub(e["iopub.execute_input"])
}

// stream returns the cell's stdout or stderr.
func (c cell) stream(name string) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == name {
			b.WriteString(multiline(o.Text))
		}
	}
	return b.String()
}

// execute copies the notebook into dir, runs it there with nbconvert and
// returns the executed notebook. nbconvert fails, and so does the test, when
// a cell fails.
func execute(t *testing.T, dir string, env []string) notebook {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(notebookFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, notebookFile), src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "jupyter", "nbconvert", "--to", "notebook", "--execute",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output", "executed.ipynb", notebookFile)
	cmd.Dir = dir
	cmd.Env = env
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("jupyter nbconvert --execute %s: %v\n%s", notebookFile, err, tail(kernelNoise.ReplaceAllString(log.String(), ""), 4000))
	}
	b, err := os.ReadFile(filepath.Join(dir, "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("QKV_NOTEBOOK_OUT"); keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(notebookFile, ".ipynb") + "." + filepath.Base(dir) + ".ipynb"
		if err := os.WriteFile(filepath.Join(keep, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatalf("executed notebook: %v", err)
	}
	return nb
}

// kernelNoise matches GoNB's klog lines in nbconvert's log.
var kernelNoise = regexp.MustCompile(`(?m)^[IWE]\d{4} .*\n`)

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// checkNotebook checks the executed notebook's outputs and the figures saved in dir.
func checkNotebook(t *testing.T, nb notebook, cfg checkpoint.Config, dir, captureSays string) {
	t.Helper()
	var code []cell
	for _, c := range nb.Cells {
		if c.Type == "code" {
			code = append(code, c)
		}
	}
	find := func(marker string) cell {
		t.Helper()
		for _, c := range code {
			if strings.Contains(c.source(), marker) {
				return c
			}
		}
		t.Fatalf("no code cell contains %q", marker)
		return cell{}
	}
	for i, c := range code {
		for _, o := range c.Outputs {
			if o.Type == "error" {
				t.Errorf("code cell %d: %s: %s", i, o.Ename, o.Evalue)
			}
		}
	}

	expect := func(c cell, stream string, re string) {
		t.Helper()
		if got := c.stream(stream); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("cell %q: %s does not match %q:\n%s", firstLine(c), stream, re, got)
		}
	}
	expect(code[0], "stdout", `qkvlib from `+regexp.QuoteMeta(testenv.Root())+`; GOEXPERIMENT=simd; GoMLX backend "go"`)
	expect(find("var n_layers"), "stdout", fmt.Sprintf(`n_emb = %d\s+n_layers = %d`, cfg.NEmb, cfg.NLayers))
	expect(find("instances of"), "stdout", fmt.Sprintf(`^%d instances of " like"\n$`, bookTargetsBefore))
	expect(find("Target count before"), "stdout", fmt.Sprintf(
		"^Target count before filtering: %d\nTarget count after filtering: %d\n$", bookTargetsBefore, bookTargetsAfter))
	expect(find("var batch"), "stdout", fmt.Sprintf(`^batch shape: \[%d, 51\]\n$`, bookTargetsAfter))
	// Every row ends with the target's id, 588.
	expect(find("identical final token"), "stdout", `^(  \[.*,    588\]\n){3}  \.\.\.\n(  \[.*,    588\]\n){3}$`)
	// Five decoded rows (some span lines), each ending with the target word.
	expect(find("a few examples"), "stdout", `(?s)^(.*? like\n){5}$`)

	capture := find("ch.Capture(ctx)")
	var names strings.Builder
	for i := range cfg.NLayers {
		fmt.Fprintf(&names, "attn_%d_qkv \\[%d, 51, %d\\]\n", i, bookTargetsAfter, 3*cfg.NEmb)
	}
	expect(capture, "stdout", "^"+names.String()+"$")
	expect(capture, "stderr", regexp.QuoteMeta(captureSays))
	part1 := find("ch6_proj34_part1")
	t.Logf("capture cell: %s (%s)", capture.duration().Round(time.Millisecond), strings.TrimSpace(lastLine(capture.stream("stderr"))))
	t.Logf("part 1 cell: %s (%s)", part1.duration().Round(time.Millisecond), strings.TrimSpace(part1.stream("stderr")))
	var cells []string
	for _, c := range code {
		cells = append(cells, c.duration().Round(100*time.Millisecond).String())
	}
	t.Logf("code cells: %s", strings.Join(cells, " "))

	expect(find("Split()\nshape"), "stdout", fmt.Sprintf(`^(\[%d 51 %d\] ){2}\[%d 51 %d\]\n$`,
		bookTargetsAfter, cfg.NEmb, bookTargetsAfter, cfg.NEmb))
	expect(find("descriptives shape"), "stdout", fmt.Sprintf(`^descriptives shape: \[%d, 3, 3, 2\]\n$`, cfg.NLayers))
	expect(find("histograms shape"), "stdout", fmt.Sprintf(`^histograms shape: \[%d, 3, 100, 2\]\n$`, cfg.NLayers))
	hd := cfg.NEmb / cfg.NHeads
	expect(find("Qh is size"), "stdout", fmt.Sprintf(`^Q is size \[%d 51 %d\] and Qh is size \[%d 51 %d %d\]\n$`,
		bookTargetsAfter, cfg.NEmb, bookTargetsAfter, cfg.NHeads, hd))

	// The eight figures: inline SVG, in the book's order, and saved PNGs of the book's size.
	var shown []string
	for _, c := range code {
		for _, o := range c.Outputs {
			svg, ok := o.Data["image/svg+xml"]
			if !ok {
				continue
			}
			if !strings.Contains(multiline(svg), "<svg") {
				t.Errorf("cell %q: image/svg+xml output is not SVG", firstLine(c))
			}
			shown = append(shown, multiline(o.Data["text/plain"]))
		}
	}
	var want []string
	for _, f := range figureSizes {
		want = append(want, f.name)
	}
	if strings.Join(shown, " ") != strings.Join(want, " ") {
		t.Errorf("inline figures: got %q, want %q", shown, want)
	}
	for _, f := range figureSizes {
		w, h, err := pngSize(filepath.Join(dir, f.name+".png"))
		if err != nil {
			t.Errorf("figure %s: %v", f.name, err)
			continue
		}
		if w != f.w*300 || h != f.h*300 {
			t.Errorf("figure %s.png is %d×%d pixels, want %d×%d (%d×%d inches at 300 dpi)", f.name, w, h, f.w*300, f.h*300, f.w, f.h)
		}
	}
}

// multiline returns an nbformat multi-line string, stored as a string or a list of lines.
func multiline(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, l := range v {
			s, _ := l.(string)
			b.WriteString(s)
		}
		return b.String()
	}
	return ""
}

func firstLine(c cell) string {
	s, _, _ := strings.Cut(c.source(), "\n")
	return s
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}

// pngSize reads a PNG's width and height from its IHDR chunk.
func pngSize(path string) (w, h int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, err
	}
	if len(b) < 24 || string(b[:8]) != "\x89PNG\r\n\x1a\n" || string(b[12:16]) != "IHDR" {
		return 0, 0, fmt.Errorf("%s is not a PNG", path)
	}
	return int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24])), nil
}
