package atomicfile

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// leftovers returns the names in dir other than want.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	keep := map[string]bool{}
	for _, w := range want {
		keep[w] = true
	}
	var extra []string
	for _, e := range entries {
		if !keep[e.Name()] {
			extra = append(extra, e.Name())
		}
	}
	return extra
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	for _, content := range []string{"first", "second, longer"} {
		if err := WriteFile(p, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if extra := leftovers(t, dir, "a.txt"); extra != nil {
		t.Errorf("temporary files left: %v", extra)
	}
}

func TestWriteErrorKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFile(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("content %q after a failed write, want old", got)
	}
	if extra := leftovers(t, dir, "a.txt"); extra != nil {
		t.Errorf("temporary files left: %v", extra)
	}
}

func TestAbortAndCommitOnce(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("never")
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil { // no-op after Abort
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("aborted file exists: %v", err)
	}
	if extra := leftovers(t, dir); extra != nil {
		t.Errorf("files left: %v", extra)
	}
}

func TestMissingFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "no", "such", "a.txt")
	if err := WriteFile(p, nil); err == nil {
		t.Fatal("no error writing into a missing folder")
	}
}

// TestCrashBeforeRename runs a child process that writes the new content and
// dies before Commit: the destination keeps its old content (or stays absent),
// and the only trace is a temporary file carrying TempMark.
func TestCrashBeforeRename(t *testing.T) {
	if p := os.Getenv("ATOMICFILE_CRASH"); p != "" {
		f, err := Create(p)
		if err != nil {
			os.Exit(3)
		}
		f.WriteString("new content that must never be seen")
		f.Sync()
		os.Exit(7) // crash: no Commit
	}
	for _, old := range []string{"old", ""} {
		dir := t.TempDir()
		p := filepath.Join(dir, "a.txt")
		if old != "" {
			if err := WriteFile(p, []byte(old)); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashBeforeRename$")
		cmd.Env = append(os.Environ(), "ATOMICFILE_CRASH="+p)
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 7 {
			t.Fatalf("child: %v, want exit status 7", err)
		}
		got, err := os.ReadFile(p)
		switch {
		case old == "" && !errors.Is(err, os.ErrNotExist):
			t.Errorf("after a crash the file exists (%q, %v), want none", got, err)
		case old != "" && string(got) != old:
			t.Errorf("after a crash the file holds %q, want %q", got, old)
		}
		extra := leftovers(t, dir, "a.txt")
		if len(extra) != 1 || !strings.HasPrefix(extra[0], ".a.txt"+TempMark) {
			t.Errorf("left %v, want one temporary file with %q", extra, TempMark)
		}
	}
}
