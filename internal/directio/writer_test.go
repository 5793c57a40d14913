package directio

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestWriter writes pieces of many sizes and alignments (whole blocks from
// aligned slices, odd sizes from unaligned ones, pieces larger than the
// staging buffer, a tail) and reads the file back, with O_DIRECT as the
// system allows it and with it off.
func TestWriter(t *testing.T) {
	cases := []struct {
		name  string
		sizes []int
		skew  int // start the pieces this many bytes into an aligned buffer
	}{
		{"aligned blocks", []int{Block, 4 * Block, 3060 * Block}, 0},
		{"aligned, then a tail", []int{8 * Block, 100}, 0},
		{"odd sizes", []int{1, 7, 4095, 4097, 12345, 3 * bufSize / 2, 5}, 0},
		{"unaligned big", []int{3*bufSize + 17, 2 * Block}, 3},
		{"only a tail", []int{10}, 0},
		{"nothing", nil, 0},
	}
	dirs := map[string]string{"temp": t.TempDir()}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "directio-test"); err == nil {
			t.Cleanup(func() { os.RemoveAll(d) })
			dirs["tmpfs"] = d
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for dirName, dir := range dirs {
		for _, direct := range []bool{true, false} {
			for _, tc := range cases {
				t.Run(dirName+"/"+map[bool]string{true: "direct", false: "buffered"}[direct]+"/"+tc.name, func(t *testing.T) {
					f := createFile(t, dir)
					w := NewWriter(f)
					if !direct && w.direct {
						if err := setDirect(f, false); err != nil {
							t.Fatal(err)
						}
						w.direct = false
					}
					t.Logf("O_DIRECT on: %v", w.Direct())
					var want []byte
					for _, n := range tc.sizes {
						buf := alignedBuffer(n + tc.skew)
						p := buf[tc.skew:]
						for i := range p {
							p[i] = byte(rng.Uint32())
						}
						if m, err := w.Write(p); err != nil || m != n {
							t.Fatalf("Write(%d bytes) = %d, %v", n, m, err)
						}
						want = append(want, p...)
					}
					flushAndCheck(t, w, f, want)
				})
			}
		}
	}
}

// TestWriterAfterFlush checks that writes after a Flush (the tail written
// with O_DIRECT off) still append in order.
func TestWriterAfterFlush(t *testing.T) {
	f := createFile(t, t.TempDir())
	w := NewWriter(f)
	a, b := bytes.Repeat([]byte{1}, 3*Block+5), bytes.Repeat([]byte{2}, 2*Block)
	for _, p := range [][]byte{a, nil, b} {
		if p == nil {
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := w.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	flushAndCheck(t, w, f, append(a, b...))
}

// TestWriterFallback: when O_DIRECT goes off while bytes are pending (a file
// system refusing the first direct write), later writes come after them.
func TestWriterFallback(t *testing.T) {
	f := createFile(t, t.TempDir())
	w := NewWriter(f)
	w.direct = true // staged, whatever the system allows
	a, b := bytes.Repeat([]byte{1}, 5), bytes.Repeat([]byte{2}, Block)
	if _, err := w.Write(a); err != nil {
		t.Fatal(err)
	}
	_ = setDirect(f, false)
	w.direct = false // what tryBuffered does
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	flushAndCheck(t, w, f, append(a, b...)) // the pending bytes first
}

// createFile creates dir/f, removed when the test ends.
func createFile(t *testing.T, dir string) *os.File {
	t.Helper()
	path := filepath.Join(dir, "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close(); os.Remove(path) })
	return f
}

// flushAndCheck flushes w, closes f and checks that the file holds want.
func flushAndCheck(t *testing.T, w *Writer, f *os.File, want []byte) {
	t.Helper()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("file holds %d bytes that differ from the %d written, in order", len(got), len(want))
	}
}
