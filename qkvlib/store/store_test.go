package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qkvport/qkv/internal/testenv"
)

// testMeta returns the metadata of a small store: N=3 sequences of T=4
// tokens, E=2 (rows of 6 values), layers 0 and 2 of 3.
func testMeta() Meta {
	return Meta{
		Model: "gpt2-test", Revision: "abc123", TextSHA256: strings.Repeat("ab", 32),
		TargetWord: " like", TargetID: 588, Context: 3,
		N: 3, T: 4, NEmb: 2, NLayers: 3, NHeads: 1, Layers: []int{0, 2},
		Tokens: [][]int{{1, 2, 3, 588}, {4, 5, 6, 588}, {7, 8, 9, 588}},
	}
}

// value is the test pattern: the value at flat index k of layer l.
func value(l, k int) float32 { return float32(l*1000+k)*0.5 - 7.25 }

func pattern(l, n int) []float32 {
	v := make([]float32, n)
	for k := range v {
		v[k] = value(l, k)
	}
	return v
}

// writeStore creates and commits the test store under root, writing each
// layer one sequence (T·3E values) at a time.
func writeStore(t *testing.T, root, key string) Meta {
	t.Helper()
	meta := testMeta()
	w, err := Create(root, key, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range meta.Layers {
		lw, err := w.Layer(l)
		if err != nil {
			t.Fatal(err)
		}
		all := pattern(l, meta.LayerLen())
		seq := meta.T * 3 * meta.NEmb
		for s := 0; s < meta.N; s++ {
			if err := lw.Write(all[s*seq : (s+1)*seq]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return meta
}

func TestCommitOpenRoundTrip(t *testing.T) {
	root := t.TempDir()
	key := Key("round", "trip")
	meta := writeStore(t, root, key)

	if got, want := testenv.DirNames(t, root), []string{key}; !reflect.DeepEqual(got, want) {
		t.Errorf("root holds %v, want %v", got, want)
	}
	dir := filepath.Join(root, key)
	if got, want := testenv.DirNames(t, dir), []string{"attn_0_qkv.f32", "attn_2_qkv.f32", "meta.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("store folder holds %v, want %v", got, want)
	}
	// The on-disk format, decoded independently: raw little-endian float32.
	for _, l := range meta.Layers {
		raw, err := os.ReadFile(filepath.Join(dir, LayerFile(l)))
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) != 3*4*6*4 {
			t.Fatalf("layer %d file is %d bytes, want %d", l, len(raw), 3*4*6*4)
		}
		for k := 0; k < len(raw)/4; k++ {
			if got := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:])); got != value(l, k) {
				t.Fatalf("layer %d value %d on disk is %v, want %v", l, k, got, value(l, k))
			}
		}
	}
	// meta.json field names, decoded independently.
	js, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(js, &fields); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"format_version": 1.0, "model": "gpt2-test", "revision": "abc123", "target_word": " like",
		"target_id": 588.0, "context": 3.0, "n": 3.0, "t": 4.0, "n_emb": 2.0, "n_layers": 3.0, "n_heads": 1.0,
		"layers": []any{0.0, 2.0},
	} {
		if !reflect.DeepEqual(fields[k], want) {
			t.Errorf("meta.json %q = %v, want %v", k, fields[k], want)
		}
	}
	if _, err := time.Parse(time.RFC3339, fields["created"].(string)); err != nil {
		t.Errorf("meta.json created: %v", err)
	}

	s, err := Open(root, key)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := s.Meta()
	if !reflect.DeepEqual(got.Tokens, meta.Tokens) || got.N != 3 || got.NEmb != 2 || got.FormatVersion != FormatVersion {
		t.Errorf("Meta() = %+v", got)
	}
	for _, l := range meta.Layers {
		data, err := s.Layer(l)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(data, pattern(l, meta.LayerLen())) {
			t.Errorf("mapped layer %d differs from the written values", l)
		}
	}
	if _, err := s.Layer(1); err == nil || !strings.Contains(err.Error(), "layers [0 2]") {
		t.Errorf("Layer(1) of a store without it: err = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Layer(0); err == nil {
		t.Error("Layer after Close succeeded")
	}
}

// TestAbortLeavesNothing aborts a store with one layer whole (its
// background sync started) and one begun.
func TestAbortLeavesNothing(t *testing.T) {
	root := t.TempDir()
	meta := testMeta()
	w, err := Create(root, "k", meta)
	if err != nil {
		t.Fatal(err)
	}
	for l, n := range map[int]int{meta.Layers[0]: meta.LayerLen(), meta.Layers[1]: 10} {
		lw, err := w.Layer(l)
		if err != nil {
			t.Fatal(err)
		}
		if err := lw.Write(make([]float32, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if names := testenv.DirNames(t, root); len(names) != 0 {
		t.Errorf("after Abort, root holds %v", names)
	}
	if _, err := Open(root, "k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open after Abort: err = %v, want ErrNotFound", err)
	}
}

func TestCrashLeavesNotFound(t *testing.T) {
	root := t.TempDir()
	// A run killed before Commit: its files stay in a temporary folder.
	w, err := Create(root, "k", testMeta())
	if err != nil {
		t.Fatal(err)
	}
	lw, _ := w.Layer(0)
	lw.Write(make([]float32, testMeta().LayerLen()))
	names := testenv.DirNames(t, root)
	if len(names) != 1 || !strings.HasPrefix(names[0], "k.tmp-") {
		t.Fatalf("root holds %v, want one k.tmp-* folder", names)
	}
	_, err = Open(root, "k")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open after a crash: err = %v, want ErrNotFound", err)
	}

	// A later Create removes it once it is an hour old, but not a recent one.
	stale := filepath.Join(root, names[0])
	old := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{filepath.Join(stale, LayerFile(0)), stale} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	recent, err := Create(root, "other", testMeta()) // a run still going
	if err != nil {
		t.Fatal(err)
	}
	w2, err := Create(root, "k", testMeta())
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Abort()
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale folder %s survived Create: %v", stale, err)
	}
	if _, err := os.Stat(recent.Dir()); err != nil {
		t.Errorf("a recent temporary folder was removed: %v", err)
	}
	recent.Abort()
}

func TestCommitChecksLayers(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *Writer) error // returns the first error seen
		error string
	}{
		{"short layer", func(w *Writer) error {
			for _, l := range []int{0, 2} {
				lw, _ := w.Layer(l)
				if err := lw.Write(make([]float32, 71)); err != nil {
					return err
				}
			}
			return nil
		}, "284 bytes, want 288"},
		{"missing layer", func(w *Writer) error {
			lw, _ := w.Layer(0)
			return lw.Write(make([]float32, 72))
		}, "layer 2 was never written"},
		{"overflow", func(w *Writer) error {
			lw, _ := w.Layer(0)
			lw.Write(make([]float32, 70))
			return lw.Write(make([]float32, 3))
		}, "holds 72 values"},
		{"layer not in meta", func(w *Writer) error {
			_, err := w.Layer(1)
			return err
		}, "not in the meta's layers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			w, err := Create(root, "k", testMeta())
			if err != nil {
				t.Fatal(err)
			}
			err = tt.write(w)
			if err == nil {
				err = w.Commit()
			} else {
				w.Abort()
			}
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Errorf("err = %v, want one containing %q", err, tt.error)
			}
			if names := testenv.DirNames(t, root); len(names) != 0 {
				t.Errorf("after a failed Commit, root holds %v", names)
			}
		})
	}
}

func TestOpenDamaged(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string) error
		error  string
	}{
		{"truncated layer", func(dir string) error {
			return os.Truncate(filepath.Join(dir, LayerFile(2)), 100)
		}, "attn_2_qkv.f32 is 100 bytes, want 288"},
		{"missing layer", func(dir string) error {
			return os.Remove(filepath.Join(dir, LayerFile(0)))
		}, "layer 0"},
		{"missing meta", func(dir string) error {
			return os.Remove(filepath.Join(dir, "meta.json"))
		}, "meta.json"},
		{"bad meta", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "meta.json"), []byte("{"), 0o644)
		}, "meta.json"},
		{"other version", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "meta.json"), []byte(`{"format_version": 99}`), 0o644)
		}, "format version 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeStore(t, root, "k")
			dir := filepath.Join(root, "k")
			if err := tt.damage(dir); err != nil {
				t.Fatal(err)
			}
			_, err := Open(root, "k")
			if err == nil || !strings.Contains(err.Error(), tt.error) || !strings.Contains(err.Error(), "delete the folder "+dir) {
				t.Errorf("err = %v, want one containing %q and telling to delete %s", err, tt.error, dir)
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("a damaged store reads as not found: %v", err)
			}
		})
	}
}

func TestCreateValidates(t *testing.T) {
	root := t.TempDir()
	for _, key := range []string{"", ".", "..", "a/b", `a\b`, "a.tmp-b"} {
		if _, err := Create(root, key, testMeta()); err == nil {
			t.Errorf("Create accepted key %q", key)
		}
	}
	bad := []func(m *Meta){
		func(m *Meta) { m.N = 0 },
		func(m *Meta) { m.Layers = nil },
		func(m *Meta) { m.Layers = []int{2, 0} },
		func(m *Meta) { m.Layers = []int{3} },
		func(m *Meta) { m.Tokens = m.Tokens[:2] },
		func(m *Meta) { m.Tokens[1] = m.Tokens[1][:3] },
	}
	for i, f := range bad {
		m := testMeta()
		f(&m)
		if _, err := Create(root, "k", m); err == nil {
			t.Errorf("case %d: Create accepted meta %+v", i, m)
		}
	}
	if names := testenv.DirNames(t, root); len(names) != 0 {
		t.Errorf("rejected Creates left %v", names)
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		fields []string
		want   string // sha256 of the length-prefixed fields, from sha256sum
	}{
		{nil, "e3b0c44298fc1c149afbf4c8996fb924"},
		{[]string{"a", "bc"}, "9a8acca1b6c6c0befd3fbc756aed625d"},
		{[]string{"ab", "c"}, "43ee655579de01ca739b3f95c1c2d3f4"},
	}
	for _, tt := range tests {
		if got := Key(tt.fields...); got != tt.want {
			t.Errorf("Key(%q) = %s, want %s", tt.fields, got, tt.want)
		}
	}
}

func TestExportNPZReadByNumpy(t *testing.T) {
	root := t.TempDir()
	meta := writeStore(t, root, "k")
	s, err := Open(root, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := filepath.Join(t.TempDir(), "acts.npz")
	if err := s.ExportNPZ(path, nil); err != nil {
		t.Fatal(err)
	}
	got := testenv.LoadWithNumpy(t, path, "")
	type array = testenv.NumpyArray
	asF64 := func(x []float32) []float64 {
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = float64(v)
		}
		return y
	}
	var tokens []float64
	for _, row := range meta.Tokens {
		for _, v := range row {
			tokens = append(tokens, float64(v))
		}
	}
	want := map[string]array{
		"tokens":     {Dtype: "<i8", Shape: []int{3, 4}, Values: tokens},
		"attn_0_qkv": {Dtype: "<f4", Shape: []int{3, 4, 6}, Values: asF64(pattern(0, 72))},
		"attn_2_qkv": {Dtype: "<f4", Shape: []int{3, 4, 6}, Values: asF64(pattern(2, 72))},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("numpy read\n%v\nwant\n%v", got, want)
	}

	if err := s.ExportNPZ(filepath.Join(t.TempDir(), "x.npz"), []int{1}); err == nil {
		t.Error("exported a layer the store lacks")
	}
}

func TestCommitOverExisting(t *testing.T) {
	root := t.TempDir()
	meta := testMeta()
	// Two runs of the same key: the first commit wins, the second is dropped.
	w1, _ := Create(root, "k", meta)
	w2, _ := Create(root, "k", meta)
	for i, w := range []*Writer{w1, w2} {
		for _, l := range meta.Layers {
			lw, _ := w.Layer(l)
			v := pattern(l, meta.LayerLen())
			v[0] = float32(i + 1) // which run wrote it
			lw.Write(v)
		}
	}
	if err := w1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w2.Commit(); err != nil {
		t.Fatalf("second commit of the same key: %v", err)
	}
	if names := testenv.DirNames(t, root); !reflect.DeepEqual(names, []string{"k"}) {
		t.Errorf("root holds %v, want [k]", names)
	}
	check := func(run float32) {
		t.Helper()
		s, err := Open(root, "k")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		data, _ := s.Layer(2)
		if data[0] != run {
			t.Errorf("the store holds run %v's data, want run %v's", data[0], run)
		}
	}
	check(1)

	// A damaged store under the key is replaced by the next commit.
	if err := os.Truncate(filepath.Join(root, "k", LayerFile(0)), 8); err != nil {
		t.Fatal(err)
	}
	w3, _ := Create(root, "k", meta)
	for _, l := range meta.Layers {
		lw, _ := w3.Layer(l)
		v := pattern(l, meta.LayerLen())
		v[0] = 3
		lw.Write(v)
	}
	if err := w3.Commit(); err != nil {
		t.Fatal(err)
	}
	check(3)
	if names := testenv.DirNames(t, root); !reflect.DeepEqual(names, []string{"k"}) {
		t.Errorf("root holds %v, want [k]", names)
	}
}

// TestReleaseKeepsLayer checks a released layer, and one read ahead, read
// back unchanged.
func TestReleaseKeepsLayer(t *testing.T) {
	root := t.TempDir()
	meta := Meta{Model: "m", N: 2, T: 3, NEmb: 4, NLayers: 1, NHeads: 1, Layers: []int{0}, Tokens: [][]int{{1, 2, 3}, {4, 5, 6}}}
	w, err := Create(root, "k", meta)
	if err != nil {
		t.Fatal(err)
	}
	lw, err := w.Layer(0)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, meta.LayerLen())
	for i := range want {
		want[i] = float32(i) / 3
	}
	if err := lw.Write(want); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(root, "k")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Layer(0)
	if err != nil {
		t.Fatal(err)
	}
	s.Release(0)
	s.Release(7) // not mapped: ignored
	if !slices.Equal(got, want) {
		t.Fatal("layer changed after Release")
	}
	s.ReadAhead(0, -2, -1, 0, 3, -4) // tokens out of range: ignored
	s.ReadAhead(7, -1)               // not mapped: ignored
	if !slices.Equal(got, want) {
		t.Fatal("layer changed after ReadAhead")
	}
	s.Close()
	s.ReadAhead(0, -1) // closed: ignored
}

// TestMetaLegacyE checks that a meta.json written before n_emb was named
// "e" still reads, and that a new one round-trips.
func TestMetaLegacyE(t *testing.T) {
	var m Meta
	if err := json.Unmarshal([]byte(`{"format_version":1,"n":2,"t":3,"e":1280}`), &m); err != nil || m.NEmb != 1280 {
		t.Fatalf("legacy meta: n_emb %d, err %v", m.NEmb, err)
	}
	b, err := json.Marshal(Meta{NEmb: 64})
	if err != nil {
		t.Fatal(err)
	}
	var back Meta
	if err := json.Unmarshal(b, &back); err != nil || back.NEmb != 64 || strings.Contains(string(b), `"e"`) {
		t.Fatalf("round trip: %s → n_emb %d, err %v", b, back.NEmb, err)
	}
}

// TestLatest checks that Latest picks the newest committed store that the
// filter keeps.
func TestLatest(t *testing.T) {
	root := t.TempDir()
	write := func(key, model string, created time.Time) {
		meta := Meta{Model: model, N: 1, T: 2, NEmb: 1, NLayers: 1, NHeads: 1, Layers: []int{0}, Tokens: [][]int{{1, 2}}, Created: created}
		w, err := Create(root, key, meta)
		if err != nil {
			t.Fatal(err)
		}
		lw, err := w.Layer(0)
		if err != nil {
			t.Fatal(err)
		}
		if err := lw.Write(make([]float32, 6)); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	write(Key("a"), "m", t0)
	write(Key("b"), "m", t0.Add(time.Hour))
	write(Key("c"), "other", t0.Add(2*time.Hour))
	got, ok := Latest(root, func(m Meta) bool { return m.Model == "m" })
	if !ok || !got.Created.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Latest = %v (%v), want the store created at %v", got.Created, ok, t0.Add(time.Hour))
	}
	if _, ok := Latest(filepath.Join(root, "none"), func(Meta) bool { return true }); ok {
		t.Error("Latest found a store under a missing root")
	}
}
