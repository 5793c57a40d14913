package npz

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// loadWithNumpy loads the .npz at path with np.load and returns, per array,
// its dtype, shape and values (flattened), as numpy sees them. It also fails
// the test when an entry is compressed or its data is not 64-byte aligned.
func loadWithNumpy(t *testing.T, path string) map[string]numpyArray {
	t.Helper()
	return testenv.LoadWithNumpy(t, path, `
with zipfile.ZipFile(path) as z:
    for info in z.infolist():
        assert info.compress_type == zipfile.ZIP_STORED, info
        with z.open(info) as f:
            version = np.lib.format.read_magic(f)
            np.lib.format._read_array_header(f, version)
            assert f.tell() % 64 == 0, (info.filename, f.tell())
`)
}

type numpyArray = testenv.NumpyArray

func TestNumpyLoadsGoNPZ(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.npz")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f4 := arangeF4()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(w.WriteFloat32("attn_0_qkv", []int{2, 3, 4}, f4))
	must(w.WriteInt64("tokens", []int{3, 2}, arangeI8()))
	// The same 3-D array again, written in chunks of rows of unequal sizes.
	a, err := w.Float32Array("chunked", []int{2, 3, 4})
	must(err)
	for _, chunk := range [][]float32{f4[:4], f4[4:4], f4[4:16], f4[16:]} {
		must(a.Write(chunk))
	}
	must(a.Close())
	must(w.WriteFloat32("empty", []int{0, 5}, nil))
	must(w.WriteInt64("empty_1d", []int{0}, nil))
	must(w.WriteFloat32("scalar", []int{}, []float32{-0.125}))
	must(w.WriteFloat32("special", []int{4}, []float32{1e-38, 3.4028235e38, -0.0, 1.1754944e-38}))
	must(w.Close())

	got := loadWithNumpy(t, path)
	asF64 := func(x []float32) []float64 {
		y := make([]float64, len(x))
		for i, v := range x {
			y[i] = float64(v)
		}
		return y
	}
	i8 := make([]float64, 6)
	for i, v := range arangeI8() {
		i8[i] = float64(v) // exact: |v| < 2^53
	}
	want := map[string]numpyArray{
		"attn_0_qkv": {Dtype: "<f4", Shape: []int{2, 3, 4}, Values: asF64(f4)},
		"tokens":     {Dtype: "<i8", Shape: []int{3, 2}, Values: i8},
		"chunked":    {Dtype: "<f4", Shape: []int{2, 3, 4}, Values: asF64(f4)},
		"empty":      {Dtype: "<f4", Shape: []int{0, 5}, Values: []float64{}},
		"empty_1d":   {Dtype: "<i8", Shape: []int{0}, Values: []float64{}},
		"scalar":     {Dtype: "<f4", Shape: []int{}, Values: []float64{-0.125}},
		"special":    {Dtype: "<f4", Shape: []int{4}, Values: asF64([]float32{1e-38, 3.4028235e38, 0, 1.1754944e-38})},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("numpy read\n%v\nwant\n%v", got, want)
	}
}

func TestCreateIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.npz")
	listDir := func() []string { return testenv.DirNames(t, dir) }

	// Abort leaves nothing.
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteInt64("a", []int{2}, []int64{1, 2}); err != nil {
		t.Fatal(err)
	}
	if names := listDir(); len(names) != 1 || !strings.HasPrefix(names[0], ".x.npz.tmp-") {
		t.Errorf("while writing, folder holds %v, want one .x.npz.tmp-* file", names)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if names := listDir(); len(names) != 0 {
		t.Errorf("after Abort, folder holds %v", names)
	}

	// A short array makes Close fail, and leaves an older file untouched.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err = Create(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.Float32Array("a", []int{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Write([]float32{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "only 3 were written") {
		t.Errorf("Close with a short array: err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("failed Close changed %s", path)
	}
	if names := listDir(); !reflect.DeepEqual(names, []string{"x.npz"}) {
		t.Errorf("after failed Close, folder holds %v", names)
	}
}

func TestWriterMisuse(t *testing.T) {
	w := NewWriter(new(bytes.Buffer))
	a, err := w.Float32Array("a", []int{2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Int64Array("b", []int{1}); err == nil {
		t.Error("began a second array while the first was open")
	}
	if err := a.Write([]float32{1, 2, 3}); err == nil {
		t.Error("wrote 3 elements into an array of 2")
	}
	if err := w.Close(); err == nil {
		t.Error("Close succeeded after an overflowing write")
	}

	w = NewWriter(new(bytes.Buffer))
	if err := w.WriteInt64("a", []int{1}, []int64{1}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteInt64("a", []int{1}, []int64{1}); err == nil {
		t.Error("wrote the name a twice")
	}
	if err := w.WriteInt64("", []int{1}, []int64{1}); err == nil {
		t.Error("accepted an empty name")
	}
}

// sparseSink is an in-memory file that stores runs of zero bytes as counts,
// so that an archive over 4 GiB of zeros fits in memory.
type sparseSink struct {
	segs []sparseSeg
	size int64
}

type sparseSeg struct {
	off   int64
	n     int64
	bytes []byte // nil for a run of zeros
}

var zeroBlock = make([]byte, 1<<16)

func (s *sparseSink) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), len(zeroBlock))
		if bytes.Equal(p[:k], zeroBlock[:k]) {
			if last := len(s.segs) - 1; last >= 0 && s.segs[last].bytes == nil {
				s.segs[last].n += int64(k)
			} else {
				s.segs = append(s.segs, sparseSeg{off: s.size, n: int64(k)})
			}
		} else {
			s.segs = append(s.segs, sparseSeg{off: s.size, n: int64(k), bytes: bytes.Clone(p[:k])})
		}
		s.size += int64(k)
		p = p[k:]
	}
	return n, nil
}

func (s *sparseSink) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for _, g := range s.segs {
		if len(p) == 0 {
			break
		}
		if off >= g.off+g.n || off < g.off {
			continue
		}
		k := int(min(int64(len(p)), g.off+g.n-off))
		if g.bytes == nil {
			clear(p[:k])
		} else {
			copy(p[:k], g.bytes[off-g.off:])
		}
		p, off, n = p[k:], off+int64(k), n+k
	}
	if len(p) > 0 {
		return n, errors.New("read past end")
	}
	return n, nil
}

// TestZip64 writes an array over 4 GiB (zeros, kept sparse in memory) and an
// array after it, then reads both back through archive/zip's zip64 support.
func TestZip64(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 4.1 GiB; skipped in -short mode")
	}
	const rows, cols = 1025, 1 << 20 // 1025 × 4 MiB > 4 GiB
	sink := new(sparseSink)
	w := NewWriter(sink)
	big, err := w.Float32Array("big", []int{rows, cols})
	if err != nil {
		t.Fatal(err)
	}
	row := make([]float32, cols)
	for range rows {
		if err := big.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := big.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteInt64("after", []int{3}, []int64{7, -8, 9}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if sink.size <= 1<<32 {
		t.Fatalf("archive is %d bytes, want > 4 GiB", sink.size)
	}
	zr, err := zip.NewReader(sink, sink.size)
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 2 {
		t.Fatalf("archive holds %d entries, want 2", len(zr.File))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "big.npy" {
			// Too big to read whole: check the header, the size and the CRC.
			hdr := make([]byte, 128)
			if _, err := io.ReadFull(rc, hdr); err != nil || !bytes.Equal(hdr, npyHeader(DescrFloat32, []int{rows, cols})) {
				t.Errorf("big.npy header %q, %v", hdr, err)
			}
			if want := uint64(128 + rows*cols*4); f.UncompressedSize64 != want {
				t.Errorf("big.npy is %d bytes, want %d", f.UncompressedSize64, want)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				t.Errorf("reading big.npy: %v", err)
			}
		} else if a, err := ReadNPY(rc); err != nil || !reflect.DeepEqual(a.Int64, []int64{7, -8, 9}) {
			t.Errorf("array after the 4 GiB one: %+v, %v", a, err)
		}
		rc.Close()
	}
}
