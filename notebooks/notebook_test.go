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
	"github.com/qkvport/qkv/notebooks/internal/exercise"
	"github.com/qkvport/qkv/qkvlib"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// cellTimeout bounds one cell (nbconvert's ExecutePreprocessor.timeout).
const cellTimeout = 600 * time.Second

// testConfig is the random GPT-2 the test runs unless $QKV_NOTEBOOK_MODEL names
// a checkpoint folder: small, but with layer 6 (the book's layer) and the real
// vocabulary, so the real tokenizer fits it.
var testConfig = checkpoint.Config{NLayers: 8, NEmb: 64, NHeads: 4, NPositions: 128, VocabSize: 50257,
	LayerNormEps: 1e-5, Activation: "gelu_new"}

// figureSizes are the book's figure sizes in inches, saved at 300 dpi, and
// part 6's (the port's own).
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

// The book's counts for " like" in The Great Gatsby (Gutenberg 64317, whole file).
const (
	bookTargetsBefore = 114 // none falls in the first 50 tokens
	bookTargetsAfter  = 114
)

// run is one execution of the solution notebook: its inputs, as `qkv run`
// flags, and the edits that set them in the cells.
type run struct {
	name    string
	target  string
	context int
	layer   int
	hist    string      // part 4's edges, lo,hi,n
	edits   [][2]string // old → new in the code cells; each must occur
	capture string      // what the capture cell must say
}

// testEnv is what the notebook test needs: tools, data, a model, the environment.
type testEnv struct {
	path, model, tokenizer, text, cache, work string
	cfg                                       checkpoint.Config
	env                                       []string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("runs Jupyter: minutes")
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
	e.env = append(os.Environ(),
		"PATH="+e.path,
		"QKV_REPO="+testenv.Root(),
		"QKV_MODEL="+e.model,
		"QKV_TOKENIZER="+e.tokenizer,
		"QKV_TEXT="+e.text,
		"QKV_CACHE="+e.cache,
		"HF_HUB_OFFLINE=1",
		"GOMLX_BACKEND=go",
	)
	return e
}

// TestNotebook executes the solution notebook three times: as committed
// (GPT-2 runs), again (the store is read), and edited as a reader would
// (another word, context, layer and part-4 edges: GPT-2 runs again). Each
// time the counts, shapes and numbers it prints must equal those of
// `qkv run` with the same inputs, which must find the notebook's stored
// activations instead of running GPT-2.
func TestNotebook(t *testing.T) {
	e := newTestEnv(t)
	qkv := buildQKV(t, e)
	book := run{target: " like", context: 50, layer: 6, hist: "-4,4,101"}
	cold, warm, edited := book, book, run{target: " the", context: 20, layer: 2, hist: "-3,3,61",
		edits: [][2]string{
			{`" like" /*end*/`, `" the" /*end*/`},
			{"var contextwin = /*blank[int] contextwin = ?*/ 50 /*end*/", "var contextwin = /*blank[int] contextwin = ?*/ 20 /*end*/"},
			{"var layeri = 6", "var layeri = 2"},
			{"var edges = stats.Linspace(-4, 4, 101)", "var edges = stats.Linspace(-3, 3, 61)"},
		}}
	cold.name, warm.name, edited.name = "cold", "warm", "edited"
	cold.capture = fmt.Sprintf("Captured %d layers", e.cfg.NLayers) // empty store: GPT-2 runs
	warm.capture = "read from the store"                            // the store from the cold run
	edited.capture = cold.capture                                   // another batch: GPT-2 runs again
	for _, r := range []run{cold, warm, edited} {
		src := edit(t, readFile(t, exercise.SolutionFile), r.edits)
		start := time.Now()
		nb := execute(t, filepath.Join(e.work, r.name), e.env, src, false)
		t.Logf("%s run: %s", r.name, time.Since(start).Round(time.Second))
		res := qkvRun(t, e, qkv, r)
		checkNotebook(t, nb, e.cfg, filepath.Join(e.work, r.name), r, res)
		if t.Failed() {
			return
		}
	}
}

// TestExercise executes the exercise notebook unfilled: the first blank,
// n_emb's, must stop its cell with its own message, and every cell that fails
// must fail on a blank, not on the compiler.
func TestExercise(t *testing.T) {
	e := newTestEnv(t)
	nb := execute(t, filepath.Join(e.work, "exercise"), e.env, readFile(t, exercise.ExerciseFile), true)
	first := ""
	for i, c := range nb.Cells {
		if c.Type != "code" || !c.failed() {
			continue
		}
		stderr := c.stream("stderr")
		if first == "" {
			first = stderr
			if !strings.Contains(c.source(), "var n_emb = blank[int]") {
				t.Errorf("the first cell to fail is cell %d %q, not n_emb's", i, firstLine(c))
			}
		}
		if !regexp.MustCompile(`^fill in the blank: .+\n`).MatchString(stderr) {
			t.Errorf("cell %d %q fails, but not on a blank:\n%s%s", i, firstLine(c), stderr, c.html())
		}
	}
	if want := "fill in the blank: n_emb = model.?\n"; !strings.HasPrefix(first, want) {
		t.Errorf("the unfilled exercise first says %q, want %q", first, want)
	}
}

// edit applies the edits to the code cells of a notebook file.
func edit(t *testing.T, src []byte, edits [][2]string) []byte {
	t.Helper()
	if len(edits) == 0 {
		return src
	}
	nb, err := exercise.ReadNotebook(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, ed := range edits {
		n := 0
		for _, c := range nb.Cells() {
			if s := exercise.Source(c); exercise.IsCode(c) && strings.Contains(s, ed[0]) {
				n++
				exercise.SetSource(c, strings.ReplaceAll(s, ed[0], ed[1]))
			}
		}
		if n == 0 {
			t.Fatalf("no code cell holds %q to edit", ed[0])
		}
	}
	b, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buildQKV builds the qkv command.
func buildQKV(t *testing.T, e *testEnv) string {
	t.Helper()
	bin := filepath.Join(e.work, "qkv")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/qkv")
	cmd.Dir = testenv.Root()
	cmd.Env = append(os.Environ(), "GOEXPERIMENT=simd")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/qkv: %v\n%s", err, out)
	}
	return bin
}

// qkvRun runs `qkv run` with r's inputs on the notebook's store and returns
// its results.json. It must read the activations the notebook stored.
func qkvRun(t *testing.T, e *testEnv, bin string, r run) *qkvlib.Results {
	t.Helper()
	out := filepath.Join(e.work, r.name, "qkv-run")
	cmd := exec.Command(bin, "run", "-model", e.model, "-tokenizer", e.tokenizer, "-text", e.text, "-cache", e.cache,
		"-target", r.target, "-context", fmt.Sprint(r.context), "-layer", fmt.Sprint(r.layer), "-hist", r.hist,
		"-backend", "go", "-offline", "-out", out)
	log, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("qkv run: %v\n%s", err, log)
	}
	if !strings.Contains(string(log), "read from the store") {
		t.Errorf("qkv run did not find the notebook's activations in the store (the keys differ):\n%s", log)
	}
	var res qkvlib.Results
	if err := json.Unmarshal(readFile(t, filepath.Join(out, "results.json")), &res); err != nil {
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

func (c cell) source() string { return exercise.Multiline(c.Source) }

// failed reports whether the cell ended with an error.
func (c cell) failed() bool {
	for _, o := range c.Outputs {
		if o.Type == "error" {
			return true
		}
	}
	return false
}

// html returns the cell's HTML outputs (GoNB shows compiler errors as HTML).
func (c cell) html() string {
	var b strings.Builder
	for _, o := range c.Outputs {
		b.WriteString(exercise.Multiline(o.Data["text/html"]))
	}
	return b.String()
}

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
			b.WriteString(exercise.Multiline(o.Text))
		}
	}
	return b.String()
}

// execute writes the notebook src into dir, runs it there with nbconvert and
// returns the executed notebook. Unless allowErrors, nbconvert fails, and so
// does the test, when a cell fails.
func execute(t *testing.T, dir string, env []string, src []byte, allowErrors bool) notebook {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const in = "notebook.ipynb"
	if err := os.WriteFile(filepath.Join(dir, in), src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	args := []string{"nbconvert", "--to", "notebook", "--execute",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output", "executed.ipynb", in}
	if allowErrors {
		args = append(args, "--allow-errors")
	}
	cmd := exec.CommandContext(ctx, "jupyter", args...)
	cmd.Dir = dir
	cmd.Env = env
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("jupyter nbconvert --execute %s: %v\n%s", in, err, tail(kernelNoise.ReplaceAllString(log.String(), ""), 4000))
	}
	b, err := os.ReadFile(filepath.Join(dir, "executed.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("QKV_NOTEBOOK_OUT"); keep != "" {
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(keep, filepath.Base(dir)+".ipynb"), b, 0o644); err != nil {
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

// checkNotebook checks the executed notebook's outputs against r's inputs
// and res, `qkv run`'s results for the same inputs, and the figures saved in dir.
func checkNotebook(t *testing.T, nb notebook, cfg checkpoint.Config, dir string, r run, res *qkvlib.Results) {
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
		if c.failed() {
			t.Errorf("code cell %d %q failed:\n%s", i, firstLine(c), c.stream("stderr"))
		}
		if e := c.stream("stderr"); e != "" {
			t.Errorf("code cell %d %q writes to stderr, which Jupyter shows as an error:\n%s", i, firstLine(c), e)
		}
	}
	expect := func(c cell, re string) {
		t.Helper()
		if got := c.stream("stdout"); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("cell %q: stdout does not match %q:\n%s", firstLine(c), re, got)
		}
	}
	n, T, E := res.TargetsAfter, r.context+1, cfg.NEmb
	if r.target == " like" && (res.TargetsBefore != bookTargetsBefore || res.TargetsAfter != bookTargetsAfter) {
		t.Errorf("qkv run counts %d and %d targets, the book %d and %d", res.TargetsBefore, res.TargetsAfter, bookTargetsBefore, bookTargetsAfter)
	}
	expect(code[0], `qkvlib from `+regexp.QuoteMeta(testenv.Root())+`; GOEXPERIMENT=simd; GoMLX backend "go"`)
	expect(find("var n_layers"), fmt.Sprintf(`n_emb = %d\s+n_layers = %d`, cfg.NEmb, cfg.NLayers))
	expect(find("instances of"), fmt.Sprintf(`^%d instances of %q\n$`, res.TargetsBefore, r.target))
	expect(find("Target count before"), fmt.Sprintf(
		"^Target count before filtering: %d\nTarget count after filtering: %d\n$", res.TargetsBefore, res.TargetsAfter))
	expect(find("var batch"), fmt.Sprintf(`^batch shape: \[%d, %d\]\n$`, n, T))
	// Every row ends with the target's id.
	last := fmt.Sprintf(`, +%d\]\n`, res.TargetID)
	expect(find("identical final token"), `^(  \[.*`+last+`){3}  \.\.\.\n(  \[.*`+last+`){3}$`)
	// Five decoded rows (some span lines), each ending with the target word.
	expect(find("a few examples"), `(?s)^(.*?`+regexp.QuoteMeta(r.target)+`\n){5}$`)

	capture := find("qkvlib.Capture(")
	var names strings.Builder
	for i := range cfg.NLayers {
		fmt.Fprintf(&names, "attn_%d_qkv \\[%d %d %d\\]\n", i, n, T, 3*E)
	}
	expect(capture, regexp.QuoteMeta(r.capture)+`.*\n(?s:.*\n)?`+names.String()+"$")
	var cells []string
	for _, c := range code {
		cells = append(cells, c.duration().Round(100*time.Millisecond).String())
	}
	t.Logf("code cells: %s", strings.Join(cells, " "))

	expect(find("fmt.Println(Q.Shape(), K.Shape(), V.Shape())"), fmt.Sprintf(`^(\[%d %d %d\] ){2}\[%d %d %d\]\n$`, n, T, E, n, T, E))
	checkMeansAndVar(t, find("fmt.Println(meansAndVar(Q))").stream("stdout"), res)
	expect(find("fmt.Println(descriptives.Shape)"), fmt.Sprintf(`^\[%d 3 3 2\]\n$`, cfg.NLayers))
	expect(find("fmt.Println(histograms.Shape)"), fmt.Sprintf(`^\[%d 3 %d 2\]\n$`, cfg.NLayers, len(res.HistogramEdges)-1))
	hd := cfg.NEmb / cfg.NHeads
	expect(find("Qh is size"), fmt.Sprintf(`^Q is size \[%d %d %d\] and Qh is size \[%d %d %d %d\]\n$`, n, T, E, n, T, cfg.NHeads, hd))
	checkPart6(t, find("stats.PositionTests("), res)
	// Headless, the slider cell draws layeri once: Part 2b's and Part 5a's figures.
	slider := find("widgets.Slider(")
	expect(slider, fmt.Sprintf(`no notebook page answered .*layer %d drawn once`, r.layer))
	if html := slider.html(); strings.Count(html, "<svg") != 2 || !strings.Contains(html, fmt.Sprintf("distributions from layer %d", r.layer)) {
		t.Errorf("the slider cell shows %d SVG figures (want Part 2b of layer %d and Part 5a)", strings.Count(html, "<svg"), r.layer)
	}
	checkFigures(t, code, dir)
}

// checkPart6 checks that part 6's cell finds as many significant differences
// as results.json, and prints the strongest with results.json's numbers.
func checkPart6(t *testing.T, c cell, res *qkvlib.Results) {
	t.Helper()
	if res.Part6 == nil {
		t.Fatal("results.json has no part6")
	}
	sig := res.Part6.Significant(qkvlib.Part6Alpha)
	out := c.stream("stdout")
	if want := fmt.Sprintf("%d of %d layer × Q, K, V × descriptive differences are significant", len(sig), 9*len(res.Part6.Tests)); !strings.Contains(out, want) {
		t.Errorf("part 6 cell prints %q, want %q (results.json)", out, want)
	}
	if len(sig) > 0 {
		if want := fmt.Sprintf("%-22s non-target − target %+.4g", sig[0].Name(), sig[0].Diff); !strings.Contains(out, want) {
			t.Errorf("part 6 cell prints %q, want the strongest cell %q (results.json)", out, want)
		}
	}
}

// checkMeansAndVar checks that the numbers the notebook prints for
// meansAndVar(Q) at layeri equal results.json's part 2a (same activations,
// another order of summation).
func checkMeansAndVar(t *testing.T, printed string, res *qkvlib.Results) {
	t.Helper()
	var got [6]float64
	if n, err := fmt.Sscanf(strings.NewReplacer("[", "", "]", "").Replace(printed), "%g %g %g %g %g %g",
		&got[0], &got[1], &got[2], &got[3], &got[4], &got[5]); err != nil || n != 6 {
		t.Fatalf("cannot read the meansAndVar cell's output %q: %v", printed, err)
	}
	want := append(res.QMeansTarget[:], res.QMeansNontarget[:]...)
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > 1e-9*max(1, math.Abs(want[i])) {
			t.Errorf("the notebook prints %v for layer %d's Q (target, non-target), results.json has %v", got, res.Layer, want)
			break
		}
	}
}

// checkFigures checks the eight figures: inline SVG scaled to the page, in
// the book's order, and saved PNGs of the book's size.
func checkFigures(t *testing.T, code []cell, dir string) {
	t.Helper()
	var shown []string
	for _, c := range code {
		for _, o := range c.Outputs {
			svg, ok := o.Data["image/svg+xml"]
			if !ok {
				continue
			}
			if !strings.Contains(exercise.Multiline(svg), "<svg") {
				t.Errorf("cell %q: image/svg+xml output is not SVG", firstLine(c))
			}
			shown = append(shown, exercise.Multiline(o.Data["text/plain"]))
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

func firstLine(c cell) string {
	s, _, _ := strings.Cut(c.source(), "\n")
	return s
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
