package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qkvport/qkv/internal/testenv"
)

// TestLinkCache builds a program A, then B, then A again with linkcache as
// -toolexec, as GoNB builds cells into one binary path: each binary must be the
// one a plain go build writes, and the second A must come from the cache (its
// entry is the same file as after the first build: not linked and stored again).
func TestLinkCache(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs with the go command")
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "linkcache")
	run(t, "", nil, "go", "build", "-o", tool, ".")
	mod := filepath.Join(tmp, "mod")
	gonb := filepath.Join(tmp, "gonb") // $GONB_TMP_DIR
	for _, d := range []string{mod, gonb} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(msg string) {
		src := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(%q) }\n", msg)
		if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module cell\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"GONB_TMP_DIR=" + gonb, "LINKCACHE=" + tool}
	toolexec := `-toolexec=sh -c 'exec "$LINKCACHE" "$@"' linkcache`
	bin := filepath.Join(mod, "cell")
	plain := map[string][]byte{}
	for _, msg := range []string{"A", "B"} {
		write(msg)
		run(t, mod, env, "go", "build", "-o", bin+msg, "-ldflags=-w", ".")
		plain[msg] = readFile(t, bin+msg)
	}
	var entryA os.FileInfo
	for i, msg := range []string{"A", "B", "A"} {
		write(msg)
		run(t, mod, env, "go", "build", "-o", bin, "-ldflags=-w", toolexec, ".")
		if got := readFile(t, bin); string(got) != string(plain[msg]) {
			t.Fatalf("build %d (%s): the binary differs from a plain go build's", i+1, msg)
		}
		if out := run(t, mod, nil, bin); out != msg+"\n" {
			t.Errorf("build %d: the program printed %q, want %q", i+1, out, msg+"\n")
		}
		kept := testenv.DirNames(t, filepath.Join(gonb, "linked"))
		if want := min(i+1, 2); len(kept) != want {
			t.Fatalf("build %d: %d programs kept, want %d", i+1, len(kept), want)
		}
		switch i {
		case 0:
			entryA = stat(t, filepath.Join(gonb, "linked", kept[0]))
		case 2:
			again := stat(t, filepath.Join(gonb, "linked", entryA.Name()))
			if !os.SameFile(entryA, again) {
				t.Error("the second build of A linked and stored it again instead of taking it from the cache")
			}
		}
	}

	// Outside GoNB it only runs the tools.
	write("C")
	run(t, mod, []string{"GONB_TMP_DIR=", "LINKCACHE=" + tool}, "go", "build", "-o", bin, "-ldflags=-w", toolexec, ".")
	if out := run(t, mod, nil, bin); out != "C\n" {
		t.Errorf("without GoNB: the program printed %q, want \"C\\n\"", out)
	}
	if kept := testenv.DirNames(t, filepath.Join(gonb, "linked")); len(kept) != 2 {
		t.Errorf("without GoNB: %d programs kept, want the 2 from before", len(kept))
	}
}

// TestStoreKeepsRecent checks that the cache keeps the keep most recently used.
func TestStoreKeepsRecent(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "linked")
	start := time.Now().Add(-time.Hour)
	for i := range keep + 3 {
		out := filepath.Join(dir, fmt.Sprintf("a%d.out", i))
		if err := os.WriteFile(out, []byte{byte(i)}, 0o755); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("id%02d", i)
		store(cache, id, out)
		at := start.Add(time.Duration(i) * time.Minute) // i-th used i minutes after start
		if err := os.Chtimes(filepath.Join(cache, id), at, at); err != nil {
			t.Fatal(err)
		}
	}
	names := testenv.DirNames(t, cache)
	// The last store found keep+3 entries: it dropped the 3 least recently used.
	if len(names) != keep || names[0] != "id03" {
		t.Errorf("kept %d: %s, want %d from id03", len(names), strings.Join(names, " "), keep)
	}
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}
