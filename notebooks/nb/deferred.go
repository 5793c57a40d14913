package nb

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
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
	names []string
	line  int
}

// parsed caches main.go's syntax tree.
var parsed struct {
	path string
	fset *token.FileSet
	file *ast.File
}

func parseMain(path string) (*token.FileSet, *ast.File, error) {
	if parsed.file != nil && parsed.path == path {
		return parsed.fset, parsed.file, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, nil, err
	}
	parsed.path, parsed.fset, parsed.file = path, fset, f
	return fset, f, nil
}

// declAt returns the top-level variable declaration of file at line.
func declAt(file string, line int) (decl, error) {
	fset, f, err := parseMain(file)
	if err != nil {
		return decl{}, err
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if fset.Position(vs.Pos()).Line <= line && line <= fset.Position(vs.End()).Line {
				var names []string
				for _, n := range vs.Names {
					names = append(names, n.Name)
				}
				return decl{names: names, line: fset.Position(vs.Pos()).Line}, nil
			}
		}
	}
	return decl{}, fmt.Errorf("nb: no variable declaration at %s:%d", file, line)
}

// bodyDeps returns the names of the top-level declarations that func main
// uses, directly or through other declarations, and those it uses directly.
func bodyDeps(file string) (all, direct map[string]bool, err error) {
	_, f, err := parseMain(file)
	if err != nil {
		return nil, nil, err
	}
	top := map[any]string{} // a top-level declaration's node → its name
	var main ast.Node
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				top[d] = d.Name.Name
				if d.Name.Name == "main" {
					main = d
				}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						top[s] = n.Name
					}
				case *ast.TypeSpec:
					top[s] = s.Name.Name
				}
			}
		}
	}
	if main == nil {
		return nil, nil, fmt.Errorf("nb: %s has no func main", file)
	}
	uses := func(n ast.Node) []ast.Node {
		var out []ast.Node
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Obj != nil {
				if d, ok := id.Obj.Decl.(ast.Node); ok && top[d] != "" && d != n {
					out = append(out, d)
				}
			}
			return true
		})
		return out
	}
	all, direct = map[string]bool{}, map[string]bool{}
	names := func(d ast.Node) []string {
		if vs, ok := d.(*ast.ValueSpec); ok {
			var out []string
			for _, n := range vs.Names {
				out = append(out, n.Name)
			}
			return out
		}
		return []string{top[d]}
	}
	seen := map[ast.Node]bool{main: true}
	queue := uses(main.(*ast.FuncDecl).Body)
	for _, d := range queue {
		for _, n := range names(d) {
			direct[n] = true
		}
	}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if seen[d] {
			continue
		}
		seen[d] = true
		for _, n := range names(d) {
			all[n] = true
		}
		queue = append(queue, uses(d)...)
	}
	return all, direct, nil
}
