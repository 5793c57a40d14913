package notebooks

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/notebooks/internal/exercise"
)

// result is what one cell did in the kernel (testdata/kernel.py's output).
type result struct {
	Source  string  `json:"-"`
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
	Outputs []struct {
		Type string            `json:"type"` // stream, display, error
		Name string            `json:"name"` // stdout, stderr
		Text string            `json:"text"`
		Data map[string]string `json:"data"`
	} `json:"outputs"`
}

// stream returns the cell's stdout or stderr.
func (r result) stream(name string) string {
	var b strings.Builder
	for _, o := range r.Outputs {
		if o.Type == "stream" && o.Name == name {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

// shown returns the cell's display outputs of the MIME type.
func (r result) shown(mime string) []string {
	var out []string
	for _, o := range r.Outputs {
		if c, ok := o.Data[mime]; ok {
			out = append(out, c)
		}
	}
	return out
}

// failure returns the cell's failure line (✗ ...) or the error GoNB
// reported, "" when it did not fail.
func (r result) failure() string {
	for _, o := range r.Outputs {
		if o.Type == "error" {
			return o.Text
		}
	}
	for line := range strings.Lines(r.stream("stderr")) {
		if strings.HasPrefix(line, "✗ ") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

func (r result) first() string {
	s, _, _ := strings.Cut(strings.TrimSpace(r.Source), "\n")
	return s
}

// kernel is one GoNB kernel session, driven by testdata/kernel.py.
type kernel struct {
	t   *testing.T
	env []string
	dir string // the kernel's working folder (the notebook's)
}

// run executes cells, in order, in one kernel, and returns what each did.
// The session starts when run is called and ends when it returns.
func (k *kernel) run(cells []string) []result {
	k.t.Helper()
	plan, err := json.Marshal(map[string]any{"cwd": k.dir, "timeout": 600, "cells": cells})
	if err != nil {
		k.t.Fatal(err)
	}
	py := "/usr/bin/python3"
	if p := os.Getenv("QKV_JUPYTER_PYTHON"); p != "" {
		py = p
	}
	cmd := exec.Command(py, filepath.Join(testenv.Root(), "notebooks", "testdata", "kernel.py"))
	cmd.Env = k.env
	cmd.Stdin = bytes.NewReader(plan)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	k.t.Logf("kernel session:\n%s", kernelNoise(stderr.String()))
	if err != nil {
		k.t.Fatalf("testdata/kernel.py: %v", err)
	}
	var results []result
	if err := json.Unmarshal(out, &results); err != nil {
		k.t.Fatalf("testdata/kernel.py's output: %v", err)
	}
	if len(results) != len(cells) {
		k.t.Fatalf("the kernel ran %d of %d cells", len(results), len(cells))
	}
	for i := range results {
		results[i].Source = cells[i]
	}
	return results
}

// kernelNoise drops GoNB's klog lines.
func kernelNoise(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if len(line) > 5 && (line[0] == 'I' || line[0] == 'W' || line[0] == 'E') && line[1] >= '0' && line[1] <= '9' {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// codeCells returns the sources of a notebook file's code cells.
func codeCells(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := exercise.ReadNotebook(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range nb.Cells() {
		if exercise.IsCode(c) {
			out = append(out, exercise.Source(c))
		}
	}
	return out
}

// index returns the index of the first cell that contains marker.
func index(t *testing.T, cells []string, marker string) int {
	t.Helper()
	for i, c := range cells {
		if strings.Contains(c, marker) {
			return i
		}
	}
	t.Fatalf("no code cell contains %q", marker)
	return -1
}

// replace returns cells with old replaced by new in cell i, which must hold it.
func replace(t *testing.T, cells []string, i int, old, new string) []string {
	t.Helper()
	if !strings.Contains(cells[i], old) {
		t.Fatalf("cell %d does not hold %q", i, old)
	}
	out := append([]string(nil), cells...)
	out[i] = strings.Replace(cells[i], old, new, 1)
	return out
}

// timing formats the cells' times.
func timing(rs []result) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, (time.Duration(r.Seconds*1000) * time.Millisecond).Round(10*time.Millisecond).String())
	}
	return strings.Join(parts, " ")
}
