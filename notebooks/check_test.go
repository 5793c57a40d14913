package notebooks

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qkvport/qkv/qkvlib/chapter"
	"github.com/qkvport/qkv/qkvlib/checkpoint"
)

// checkCells checks what the cells of one step printed and showed against
// the inputs in and res, `qkv run`'s results for the same inputs. Only the
// cells present in rs are checked; none may fail.
func checkCells(t *testing.T, step string, rs []result, cfg checkpoint.Config, in inputs, res *chapter.Results) {
	t.Helper()
	for _, r := range rs {
		if f := r.failure(); f != "" {
			t.Errorf("%s: cell %q failed: %s", step, r.first(), f)
		}
		if e := r.stream("stderr"); e != "" {
			t.Errorf("%s: cell %q writes to stderr, which Jupyter shows as an error:\n%s", step, r.first(), e)
		}
	}
	cell := func(marker string) (result, bool) {
		for _, r := range rs {
			if strings.Contains(r.Source, marker) {
				return r, true
			}
		}
		return result{}, false
	}
	expect := func(marker, re string) {
		t.Helper()
		if r, ok := cell(marker); ok {
			if got := captureLines.ReplaceAllString(r.stream("stdout"), ""); !regexp.MustCompile(re).MatchString(got) {
				t.Errorf("%s: cell %q: stdout does not match %q:\n%s", step, r.first(), re, got)
			}
		}
	}
	n, T, E := res.TargetsAfter, in.context+1, cfg.NEmb
	expect("var n_layers", fmt.Sprintf(`n_emb = %d\s+n_layers = %d`, cfg.NEmb, cfg.NLayers))
	expect("instances of", fmt.Sprintf(`^%d instances of %q\n$`, res.TargetsBefore, in.target))
	expect("Target count before", fmt.Sprintf("^Target count before filtering: %d\nTarget count after filtering: %d\n$", res.TargetsBefore, res.TargetsAfter))
	expect("var batch", fmt.Sprintf(`^batch shape: \[%d, %d\]\n$`, n, T))
	last := fmt.Sprintf(`, +%d\]\n`, res.TargetID)
	if n > 6 {
		expect("identical final token", `^(  \[.*`+last+`){3}  \.\.\.\n(  \[.*`+last+`){3}$`)
	}
	expect("a few examples", fmt.Sprintf(`(?s)^(.*?%s\n){%d}$`, regexp.QuoteMeta(in.target), min(5, n)))
	var names strings.Builder
	for i := range cfg.NLayers {
		fmt.Fprintf(&names, "attn_%d_qkv \\[%d %d %d\\]\n", i, n, T, 3*E)
	}
	expect("activations.Capture(", names.String()+"$")
	expect("fmt.Println(Q.Shape(), K.Shape(), V.Shape())", fmt.Sprintf(`^(\[%d %d %d\] ){2}\[%d %d %d\]\n$`, n, T, E, n, T, E))
	if r, ok := cell("fmt.Println(meansAndVar(Q))"); ok {
		checkMeansAndVar(t, r.stream("stdout"), res)
	}
	expect("fmt.Println(descriptives.Shape())", fmt.Sprintf(`^\[%d 3 3 2\]\n$`, cfg.NLayers))
	expect("fmt.Println(histograms.Shape())", fmt.Sprintf(`^\[%d 3 %d 2\]\n$`, cfg.NLayers, len(res.HistogramEdges)-1))
	hd := cfg.NEmb / cfg.NHeads
	expect("Qh is size", fmt.Sprintf(`^Q is size \[%d %d %d\] and Qh is size \[%d %d %d %d\]\n$`, n, T, E, n, T, cfg.NHeads, hd))
	if r, ok := cell("chapter.Part6Of("); ok {
		checkPart6(t, r, res)
	}
	if r, ok := cell("Slider("); ok {
		html := strings.Join(r.shown("text/html"), "")
		if !strings.Contains(html, `type="range"`) || strings.Count(html, "<img ") != 2 || !strings.Contains(html, fmt.Sprintf(`value="%d"`, in.layer)) {
			t.Errorf("%s: the slider cell shows no slider over the layers at layer %d with two figures:\n%s", step, in.layer, html)
		}
		if r.Seconds > 5 {
			t.Errorf("%s: the slider cell held the kernel %.1f s", step, r.Seconds)
		}
	}
	if r, ok := cell("ch6_proj34_part2b"); ok && len(r.shown("image/svg+xml")) > 0 {
		if svg := r.shown("image/svg+xml")[0]; !strings.Contains(svg, fmt.Sprintf("distributions from layer %d", in.layer)) {
			t.Errorf("%s: Part 2b's figure is not of layer %d", step, in.layer)
		}
	}
}

// captureLines matches what a capture prints (in whichever cell first needs
// the activations of a new batch).
var captureLines = regexp.MustCompile(`(?m)^(Running GPT-2 over|Opened |GPT-2 forward|Captured |Using the go backend|qkv: ).*\n`)

// checkPart6 checks that part 6's cell finds as many significant differences
// as results.json, and prints the strongest with results.json's numbers.
func checkPart6(t *testing.T, r result, res *chapter.Results) {
	t.Helper()
	if res.Part6 == nil {
		t.Fatal("results.json has no part6")
	}
	sig := res.Part6.Significant(chapter.Part6Alpha)
	out := r.stream("stdout")
	if want := fmt.Sprintf("%d of %d layer × Q, K, V × descriptive differences are significant", len(sig), 9*len(res.Part6.Tests)); !strings.Contains(out, want) {
		t.Errorf("part 6 cell prints %q, want %q (results.json)", out, want)
	}
	if len(sig) > 0 && !strings.Contains(out, sig[0].String()) {
		t.Errorf("part 6 cell prints %q, want the strongest cell %q (results.json)", out, sig[0].String())
	}
}

// checkMeansAndVar checks that the numbers the notebook prints for
// meansAndVar(Q) at layeri equal results.json's part 2a (same activations,
// another order of summation).
func checkMeansAndVar(t *testing.T, printed string, res *chapter.Results) {
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

// checkFigures checks the nine figures of a Run All: shown inline as SVG in
// the book's order, and saved as PNGs of the book's size in dir.
func checkFigures(t *testing.T, rs []result, dir string) {
	t.Helper()
	var shown []string
	for _, r := range rs {
		for i, svg := range r.shown("image/svg+xml") {
			if !strings.Contains(svg, "<svg") {
				t.Errorf("cell %q: image/svg+xml output is not SVG", r.first())
			}
			shown = append(shown, r.shown("text/plain")[i])
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
