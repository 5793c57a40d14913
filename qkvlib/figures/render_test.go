package figures

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRenderAll writes the eight figures with chapter-sized synthetic data to
// $QKV_FIGURES_OUT (to look at them), else to a temporary folder, and checks
// that Save, which draws the PNG and the SVG side by side, writes each as the
// figure drawn alone (run with -race: drawing must only read the figure).
// QKV_FIGURES_DPI sets the PNG resolution (default 300 there, 50 in the temporary
// folder); with QKV_FIGURES_OUT set, the inputs are written beside them as
// synthetic.json (for a side-by-side matplotlib rendering).
func TestRenderAll(t *testing.T) {
	dir := os.Getenv("QKV_FIGURES_OUT")
	if dir == "" {
		dir = t.TempDir()
	}
	s := chapterSynthetic()
	figs, err := s.figures()
	if err != nil {
		t.Fatal(err)
	}
	dpi, _ := strconv.Atoi(os.Getenv("QKV_FIGURES_DPI"))
	if os.Getenv("QKV_FIGURES_OUT") == "" && dpi == 0 {
		dpi = 50 // TestFigures checks the 300-dpi output; this checks Save at chapter size
	}
	for name, f := range figs {
		f.DPI = dpi
		svg, err := f.Save(dir, name)
		if err != nil {
			t.Fatal(err)
		}
		wantSVG, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		wantPNG, err := f.PNG()
		if err != nil {
			t.Fatal(err)
		}
		gotSVG, _ := os.ReadFile(filepath.Join(dir, name+".svg"))
		gotPNG, _ := os.ReadFile(filepath.Join(dir, name+".png"))
		if !bytes.Equal(svg, wantSVG) || !bytes.Equal(gotSVG, wantSVG) {
			t.Errorf("%s: Save's SVG differs from SVG()'s", name)
		}
		if !bytes.Equal(gotPNG, wantPNG) {
			t.Errorf("%s: Save's PNG differs from PNG()'s", name)
		}
	}
	if os.Getenv("QKV_FIGURES_OUT") != "" {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "synthetic.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkRender draws the nine figures from chapter-sized inputs, each to SVG
// (what a notebook shows) and to PNG at 300 dpi (what it saves).
func BenchmarkRender(b *testing.B) {
	s := chapterSynthetic()
	for b.Loop() {
		figs, err := s.figures()
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range figs {
			if _, err := f.SVG(); err != nil {
				b.Fatal(err)
			}
			if _, err := f.PNG(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
