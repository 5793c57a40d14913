package figures

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRenderAll writes the eight figures with chapter-sized synthetic data to
// $QKV_FIGURES_OUT (to look at them), else to a temporary folder.
// QKV_FIGURES_DPI sets the PNG resolution; the inputs are written beside them as
// synthetic.json (for a side-by-side matplotlib rendering).
func TestRenderAll(t *testing.T) {
	dir := os.Getenv("QKV_FIGURES_OUT")
	if dir == "" {
		if testing.Short() {
			t.Skip("short")
		}
		dir = t.TempDir()
	}
	s := chapterSynthetic()
	figs, err := s.figures()
	if err != nil {
		t.Fatal(err)
	}
	dpi, _ := strconv.Atoi(os.Getenv("QKV_FIGURES_DPI"))
	for name, f := range figs {
		f.DPI = dpi
		if err := f.Save(dir, name); err != nil {
			t.Fatal(err)
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
