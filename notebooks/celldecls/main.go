// Command celldecls reads GoNB's main.go for package nb, whose cells call it
// only when a top-level declaration failed: it says which declaration a line
// of main.go belongs to, and which declarations func main uses. Parsing Go
// takes go/parser, go/ast and go/token, which every cell's program would
// otherwise link (40 ms more on each cell's build, on the project's 2-core
// machine).
//
//	celldecls MAIN.GO decl LINE   {"names": [...], "line": N}: the variable declaration at LINE
//	celldecls MAIN.GO deps        {"all": {"name": true, ...}, "direct": {...}}: what func main uses
//
// notebooks/gonb-setup.sh builds it into $GONB_TMP_DIR, where package nb
// looks for it.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
)

func main() {
	out, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "celldecls:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

// Decl is a top-level declaration: the names it declares and its line.
type Decl struct {
	Names []string `json:"names"`
	Line  int      `json:"line"`
}

// Deps are the top-level declarations func main uses: All directly or
// through other declarations, Direct in its body.
type Deps struct {
	All    map[string]bool `json:"all"`
	Direct map[string]bool `json:"direct"`
}

func run(args []string) (any, error) {
	switch {
	case len(args) == 3 && args[1] == "decl":
		line, err := strconv.Atoi(args[2])
		if err != nil {
			return nil, fmt.Errorf("line %q: %w", args[2], err)
		}
		return declAt(args[0], line)
	case len(args) == 2 && args[1] == "deps":
		all, direct, err := bodyDeps(args[0])
		return Deps{All: all, Direct: direct}, err
	}
	return nil, fmt.Errorf("usage: celldecls MAIN.GO decl LINE | celldecls MAIN.GO deps")
}

func parseMain(path string) (*token.FileSet, *ast.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	return fset, f, err
}

// declAt returns the top-level variable declaration of file at line.
func declAt(file string, line int) (Decl, error) {
	fset, f, err := parseMain(file)
	if err != nil {
		return Decl{}, err
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
				return Decl{Names: names, Line: fset.Position(vs.Pos()).Line}, nil
			}
		}
	}
	return Decl{}, fmt.Errorf("no variable declaration at %s:%d", file, line)
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
		return nil, nil, fmt.Errorf("%s has no func main", file)
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
