// Command linkcache is the notebook cells' go build -toolexec: it keeps each
// cell program that the linker writes, by the link's action ID, in GoNB's
// temporary folder (linked/), so that a cell run again with the same program is not
// linked again (GoNB builds every cell into one binary path, which the cell
// run in between overwrote). The go command computes the action ID from
// everything the link reads (the packages' build IDs, the flags, the
// toolchain), so an equal ID means an equal binary. Every other tool, and
// every link outside GoNB ($GONB_TMP_DIR unset), runs as it would without it.
//
// The notebooks' first cell sets it up (notebooks/gonb-setup.sh builds it into
// $GONB_TMP_DIR):
//
//	%goflags -ldflags=-w "-toolexec=sh -c 'exec \"$GONB_TMP_DIR/linkcache\" \"$@\"' linkcache"
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// keep is how many linked programs the cache holds (the most recently used).
const keep = 32

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go build -toolexec=linkcache ... (runs the tool it is given, caching the linker's output in $GONB_TMP_DIR)")
		os.Exit(2)
	}
	tool, args := os.Args[1], os.Args[2:]
	cache, out, id := "", flagValue(args, "-o"), linkActionID(args)
	if dir := os.Getenv("GONB_TMP_DIR"); dir != "" && strings.TrimSuffix(filepath.Base(tool), ".exe") == "link" && out != "" && id != "" {
		cache = filepath.Join(dir, "linked")
		if copyFile(filepath.Join(cache, id), out) == nil {
			now := time.Now()
			_ = os.Chtimes(filepath.Join(cache, id), now, now) // recently used
			return
		}
	}
	if cache == "" {
		execTool(tool, args) // replaces this process where the system can
	}
	cmd := exec.Command(tool, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "linkcache:", err)
		os.Exit(1)
	}
	if cache != "" {
		store(cache, id, out) // best effort: a failure only costs a later link
	}
}

// flagValue returns the value of the tool's flag name ("-o x" or "-o=x").
func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
	}
	return ""
}

// linkActionID returns the first part of the link's -buildid, which the go
// command sets to the link's action ID/the main package's build ID/a
// placeholder for the binary's content ID.
func linkActionID(args []string) string {
	id, _, ok := strings.Cut(flagValue(args, "-buildid"), "/")
	if !ok || id == "" || strings.ContainsAny(id, `.\`) {
		return ""
	}
	return id
}

// store keeps the linked binary out in the cache as id: a second name for the
// same file (the go command then writes the binary's content ID into it, and
// moves it, by name, to where the cell's program goes), else a copy. It drops
// the least recently used beyond keep.
func store(cache, id, out string) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return
	}
	tmp := filepath.Join(cache, fmt.Sprintf(".%s.%d", id, os.Getpid()))
	if os.Link(out, tmp) != nil && copyFile(out, tmp) != nil || os.Rename(tmp, filepath.Join(cache, id)) != nil {
		os.Remove(tmp)
		return
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		return
	}
	type entry struct {
		name string
		used time.Time
	}
	var kept []entry
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !strings.HasPrefix(e.Name(), ".") {
			kept = append(kept, entry{e.Name(), info.ModTime()})
		}
	}
	slices.SortFunc(kept, func(a, b entry) int { return b.used.Compare(a.used) })
	for _, e := range kept[min(keep, len(kept)):] {
		os.Remove(filepath.Join(cache, e.name))
	}
}

// copyFile copies src to dst, executable.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
