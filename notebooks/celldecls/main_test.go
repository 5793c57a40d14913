package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cell is a main.go as GoNB writes it: the remembered declarations, then
// the cell's body as func main.
const cell = `package main

import "fmt"

var (
	a    = 1
	b, c = f(a), 2 // line 7
	d    = 3
)

var e = 4 // line 11: nothing in main uses it

var long = []int{ // line 13
	d,
}

func f(x int) int { return x + d }

type T struct{ n int }

func g() T { return T{n: long[0]} }

func main() {
	fmt.Println(b, g())
}
`

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "main.go")
	if err := os.WriteFile(path, []byte(cell), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args    []string
		want    any
		wantErr string
	}{
		// main uses b (declared with c) and g; b needs a and f, f needs d, g needs T and long, long needs d.
		{[]string{path, "deps"}, Deps{All: set("T", "a", "b", "c", "d", "f", "g", "long"), Direct: set("b", "c", "g")}, ""},
		{[]string{path, "decl", "7"}, Decl{Names: []string{"b", "c"}, Line: 7}, ""},
		{[]string{path, "decl", "14"}, Decl{Names: []string{"long"}, Line: 13}, ""}, // inside a declaration of several lines
		{[]string{path, "decl", "11"}, Decl{Names: []string{"e"}, Line: 11}, ""},
		{[]string{path, "decl", "17"}, nil, "no variable declaration at"}, // func f
		{[]string{path, "decl", "x"}, nil, `line "x"`},
		{[]string{path}, nil, "usage"},
		{[]string{filepath.Join(t.TempDir(), "none.go"), "deps"}, nil, "no such file"},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			got, err := run(tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}
