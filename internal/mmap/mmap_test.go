package mmap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestFileAndAdvice(t *testing.T) {
	want := make([]byte, 3*os.Getpagesize()+123)
	for i := range want {
		want[i] = byte(i * 7)
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, want, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, release, err := File(f, int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if !bytes.Equal(b, want) {
		t.Fatal("mapped bytes differ from the file")
	}
	for _, r := range [][2]int{{0, len(b)}, {5, 17}, {100, len(b) - 3}, {0, 0}} {
		DontNeed(b[r[0]:r[1]])
		if !bytes.Equal(b, want) {
			t.Fatalf("bytes changed after DontNeed(b[%d:%d])", r[0], r[1])
		}
		WillNeed(b[r[0]:r[1]])
		if !bytes.Equal(b, want) {
			t.Fatalf("bytes changed after WillNeed(b[%d:%d])", r[0], r[1])
		}
	}
}
