package testenv

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Root returns the repository root (the folder holding go.mod).
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Required reports whether missing references fail tests instead of skipping them.
func Required() bool { return os.Getenv("QKV_REQUIRE_REFS") == "1" }

// Missing skips t, or fails it when Required, explaining what is missing.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("QKV_REQUIRE_REFS=1 and a test reference is missing: "+format, args...)
	}
	t.Skipf("skipped: "+format, args...)
}

// SharedData returns the path of rel under the shared data folder
// ($QKV_SHARED_DATA, else ../shared/data beside the repository), skipping t
// when it is absent (a user's clone has no ../shared).
func SharedData(t testing.TB, rel ...string) string {
	t.Helper()
	dir := os.Getenv("QKV_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join(Root(), "..", "shared", "data")
	}
	p := filepath.Join(append([]string{dir}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "%s is absent (the real data lives in ../shared/data beside the repository; set QKV_SHARED_DATA to use another folder)", p)
	}
	return p
}

// Python returns a Python 3 interpreter that can import numpy and the other
// modules named ($QKV_PYTHON, else python3 on PATH, else /usr/bin/python3),
// skipping t when there is none.
func Python(t testing.TB, modules ...string) string {
	t.Helper()
	modules = append([]string{"numpy"}, modules...)
	imports := "import " + strings.Join(modules, ", ")
	candidates := []string{os.Getenv("QKV_PYTHON"), "python3", "/usr/bin/python3"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", imports).Run() == nil {
			return path
		}
	}
	Missing(t, "no python3 with %s (install Debian's python3-numpy and python3-scipy, or set QKV_PYTHON)", strings.Join(modules, " and "))
	return ""
}

// NumpyArray is an array as numpy loaded it: its dtype string ("<f4",
// "<i8"), shape and values (widened to float64).
type NumpyArray struct {
	Dtype  string    `json:"dtype"`
	Shape  []int     `json:"shape"`
	Values []float64 `json:"values"`
}

// LoadWithNumpy loads an .npz file with numpy's np.load (Python found as
// Python finds it) and returns its arrays. check, if not empty, is Python
// code run first with `path` set to the file and `np` and `zipfile` imported,
// e.g. assertions on the zip layout.
func LoadWithNumpy(t testing.TB, path, check string) map[string]NumpyArray {
	t.Helper()
	py := Python(t)
	script := "import json, sys, zipfile\nimport numpy as np\npath = sys.argv[1]\n" + check + `
out = {}
with np.load(path) as d:
    for k in d.files:
        a = d[k]
        out[k] = {"dtype": a.dtype.str, "shape": list(a.shape), "values": a.ravel().tolist()}
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script, path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("numpy could not load %s: %v\n%s", path, err, stderr.String())
	}
	var out map[string]NumpyArray
	if err := json.Unmarshal(stdout, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// DirNames returns the names in dir, sorted (none when dir does not exist),
// failing t when it cannot be read.
func DirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// WriteLE writes data (a slice of fixed-size numbers) little-endian to a new
// file dir/name and returns its path, for a numpy reference to read.
func WriteLE(t testing.TB, dir, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// RunReference runs the Python script testdata/name of the test's package
// with py and args, and decodes the JSON it prints into v.
func RunReference(t testing.TB, py string, v any, name string, args ...string) {
	t.Helper()
	script := filepath.Join("testdata", name)
	cmd := exec.Command(py, append([]string{script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("parsing %s output: %v", script, err)
	}
}

// NoDependency fails t when one of pkgs (import paths) depends on dep,
// directly or through other packages, as `go list -deps` finds it (with the
// environment of the test: GOEXPERIMENT, build tags), and names the chain of
// imports that brings it in. It skips t when the go command is not on PATH.
func NoDependency(t testing.TB, dep string, pkgs ...string) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipped: no go command on PATH to list the dependencies of %s (%v)", strings.Join(pkgs, ", "), err)
	}
	cmd := exec.Command(goCmd, append([]string{"list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}"}, pkgs...)...)
	cmd.Dir = Root()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", strings.Join(pkgs, " "), err, stderr.String())
	}
	imports := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) > 0 {
			imports[f[0]] = f[1:]
		}
	}
	for _, p := range pkgs {
		if chain := importChain(imports, p, dep); chain != nil {
			t.Errorf("%s depends on %s: %s", p, dep, strings.Join(chain, " → "))
		}
	}
}

// importChain returns the shortest chain of imports from package from to
// package to in the import graph imports, or nil when there is none.
func importChain(imports map[string][]string, from, to string) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == to {
			var chain []string
			for ; p != ""; p = prev[p] {
				chain = append([]string{p}, chain...)
			}
			return chain
		}
		for _, q := range imports[p] {
			if _, seen := prev[q]; !seen {
				prev[q] = p
				queue = append(queue, q)
			}
		}
	}
	return nil
}
