package nb

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// StartCell runs before a cell's body (GoNB renders the first cell's
// func init_nb as func init, which Go runs after every top-level
// declaration): when the body uses a declaration that failed, directly or
// through others, it prints one line naming the first such failure and ends
// the cell. Otherwise it returns and the body runs.
func StartCell() {
	if len(failures) == 0 {
		return
	}
	file, ok := mainFile()
	if !ok {
		return
	}
	deps, direct, err := bodyDeps(file)
	if err != nil {
		return
	}
	for _, f := range failures { // declaration order of evaluation: causes first
		for _, n := range f.names {
			if !deps[n] {
				continue
			}
			if direct[n] {
				End(fmt.Sprintf("%s: %s", n, f.msg))
			}
			End(fmt.Sprintf("skipped: this cell uses %s, which failed: %s", n, f.msg))
		}
	}
}

// initFrame returns where package main's variable initialisation is in
// the call stack (its file and line), if it is.
func initFrame() (file string, line int, ok bool) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		switch f.Function {
		case "main.init":
			return f.File, f.Line, true
		case "main.main":
			return "", 0, false
		}
		if !more {
			return "", 0, false
		}
	}
}

// mainFile returns the path of package main's source: GoNB's main.go.
func mainFile() (string, bool) {
	if d := os.Getenv("GONB_TMP_DIR"); d != "" {
		p := filepath.Join(d, "main.go")
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "main.") {
			return f.File, true
		}
		if !more {
			return "", false
		}
	}
}

// decl is a top-level declaration: the names it declares and its line.
type decl struct {
	Names []string `json:"names"`
	Line  int      `json:"line"`
}

// declAt returns the top-level variable declaration of file at line.
func declAt(file string, line int) (decl, error) {
	var d decl
	err := celldecls(&d, file, "decl", strconv.Itoa(line))
	return d, err
}

// bodyDeps returns the names of the top-level declarations that func main
// uses, directly or through other declarations, and those it uses directly.
func bodyDeps(file string) (all, direct map[string]bool, err error) {
	var deps struct{ All, Direct map[string]bool }
	err = celldecls(&deps, file, "deps")
	return deps.All, deps.Direct, err
}

// celldecls runs notebooks/celldecls, which the set-up cell puts in GoNB's
// temporary folder, on main.go, and decodes its answer into v. The parsing
// is done there so that the cells' programs, which need it only when a
// declaration failed, do not link a Go parser.
func celldecls(v any, args ...string) error {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return fmt.Errorf("nb: no GONB_TMP_DIR, so no celldecls")
	}
	out, err := exec.Command(filepath.Join(dir, "celldecls"), args...).Output()
	if err != nil {
		return fmt.Errorf("nb: celldecls %s: %w", strings.Join(args, " "), err)
	}
	return json.Unmarshal(out, v)
}
